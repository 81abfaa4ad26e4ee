import {cpSync, existsSync, mkdirSync, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {GIULIA, MARIO} from '../helpers/holders.js';
import {describePostgres, postgresPlaces} from '../helpers/postgres.js';
import {startWorker} from '../helpers/processes.js';
import {cliDemoCopies} from '../helpers/operators.js';

/*
 * Issue 22, acceptance: two servers (two data folders, each with its own keys and CA, as two SSH
 * login nodes have) pointed at one PostgreSQL database share holders, sessions and lock-outs.
 * Each server is a separate process (the built CLI, or a worker opening the portal).
 */

const places = postgresPlaces();
const demoCopy = cliDemoCopies();
/** A folder with nothing in it yet, removed after the test. */
const emptyFolder = places.folder;

/** One operation on a server, in a process of its own (test/workers/shared-store-worker.ts). */
async function onServer(directory: string, url: string, terminal: string, operation: 'login' | 'sessions', userId: string, password: string): Promise<Record<string, unknown>> {
	const worker = startWorker('shared-store-worker', [directory, url, terminal, operation, userId, password]);
	const lines: string[] = [];
	worker.child.stdout!.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
	expect(await worker.exit).toBe(0);
	return JSON.parse(lines.join('').trim()) as Record<string, unknown>;
}

/** Server A: the demo folder moved into the database; server B: a new folder with A's keys and CA (the README's distribution). */
async function twoServers(): Promise<{a: string; b: string; url: string}> {
	const url = await places.database();
	const a = demoCopy();
	const migrated = runCli(['admin', 'migrate', '--data', a, '--store', url]);
	expect(migrated.status, migrated.stderr).toBe(0);
	const b = emptyFolder();
	mkdirSync(b, {mode: 0o700});
	for (const part of ['keys', 'pki']) cpSync(join(a, part), join(b, part), {recursive: true, preserveTimestamps: true});
	return {a, b, url};
}

describePostgres('two servers on one PostgreSQL database', () => {
	it('admin migrate moves the folder: admin list --json is the same before and after, and on the other server', async () => {
		const database = {url: await places.database()};
		const a = demoCopy();
		const before = runCli(['admin', 'list', '--data', a, '--json']);
		expect(before.status, before.stderr).toBe(0);
		const migrated = runCli(['admin', 'migrate', '--data', a, '--store', database.url]);
		expect(migrated.status, migrated.stderr).toBe(0);
		// The folder names the database (0600: a URL may carry a password) and keeps no live db.json.
		expect(readFileSync(join(a, 'store.url'), 'utf8')).toBe(`${database.url}\n`);
		expect(statSync(join(a, 'store.url')).mode & 0o777).toBe(0o600);
		expect(existsSync(join(a, 'db.json'))).toBe(false);
		// Without --store: the folder's store.url.
		const after = runCli(['admin', 'list', '--data', a, '--json']);
		expect(after.status, after.stderr).toBe(0);
		expect(after.stdout).toBe(before.stdout);
		const b = emptyFolder();
		mkdirSync(b, {mode: 0o700});
		for (const part of ['keys', 'pki']) cpSync(join(a, part), join(b, part), {recursive: true});
		const other = runCli(['admin', 'list', '--data', b, '--json'], {env: {MYSIGN_STORE: database.url}});
		expect(other.status, other.stderr).toBe(0);
		expect(other.stdout).toBe(before.stdout);
		// admin migrate on that folder (no database of its own, the database's keys) joins it: from
		// then on every command there uses the database without MYSIGN_STORE.
		const joined = runCli(['admin', 'migrate', '--data', b, '--store', database.url]);
		expect(joined.status, joined.stderr).toBe(0);
		expect(statSync(join(b, 'store.url')).mode & 0o777).toBe(0o600);
		expect(runCli(['admin', 'list', '--data', b, '--json']).stdout).toBe(before.stdout);
		// Another folder's migration into the same database is refused, changing nothing (a copy of
		// the same demo with one coupon more: an identical copy would be taken for this very folder).
		const another = demoCopy();
		expect(runCli(['admin', 'coupon', 'create', '--count', '1', '--data', another]).status).toBe(0);
		const again = runCli(['admin', 'migrate', '--data', another, '--store', database.url, '--json']);
		expect(again.status).toBe(1);
		expect(JSON.parse(again.stderr).error.code).toBe('store.targetNotEmpty');
		expect(existsSync(join(another, 'db.json'))).toBe(true);
		expect(existsSync(join(another, 'store.url'))).toBe(false);
	});

	it('share sessions: a session opened on server A is listed on server B', async () => {
		const {a, b, url} = await twoServers();
		expect(await onServer(a, url, 'server-a', 'login', MARIO.userId, MARIO.password)).toEqual({kind: 'success'});
		const listed = await onServer(b, url, 'server-b', 'sessions', MARIO.userId, MARIO.password);
		expect(listed).toEqual({kind: 'success', terminals: ['server-a', 'server-b']});
	});

	it('share lock-outs: wrong passwords on server B lock the holder out on server A, and an unlock on A frees them on B', async () => {
		const {a, b, url} = await twoServers();
		let last: Record<string, unknown> = {};
		for (let attempt = 0; attempt < 5; attempt++) last = await onServer(b, url, 'server-b', 'login', GIULIA.userId, 'Sbagliata!99');
		expect(last['kind']).toBe('locked');
		expect((await onServer(a, url, 'server-a', 'login', GIULIA.userId, GIULIA.password))['kind']).toBe('locked');
		const shown = runCli(['admin', 'show', GIULIA.userId, '--data', a, '--json']);
		expect(JSON.parse(shown.stdout).locked).toBe(true);
		const unlocked = runCli(['admin', 'unlock', GIULIA.userId, '--data', a, '--yes']);
		expect(unlocked.status, unlocked.stderr).toBe(0);
		expect(await onServer(b, url, 'server-b', 'login', GIULIA.userId, GIULIA.password)).toEqual({kind: 'success'});
	});

	it('a server whose keys are not the database\'s is refused (store.keyMismatch), and a folder with its own db.json is refused with --store', async () => {
		const {url} = await twoServers();
		// A folder of its own (new keys, a new CA: the demo copies share the run's template's).
		const stranger = emptyFolder();
		expect(runCli(['demo', '--data', stranger]).status).toBe(0);
		const refused = runCli(['admin', 'list', '--data', stranger, '--store', url, '--json']);
		expect(refused.status).toBe(1);
		expect(JSON.parse(refused.stderr).error.code).toBe('store.folderHasData');
		const keysOnly = emptyFolder();
		mkdirSync(keysOnly, {mode: 0o700});
		cpSync(join(stranger, 'keys'), join(keysOnly, 'keys'), {recursive: true});
		cpSync(join(stranger, 'pki'), join(keysOnly, 'pki'), {recursive: true});
		const mismatch = runCli(['admin', 'list', '--data', keysOnly, '--store', url, '--json']);
		expect(mismatch.status).toBe(1);
		expect(JSON.parse(mismatch.stderr).error.code).toBe('store.keyMismatch');
		// Nor may it join the database: no store.url is written.
		const joining = runCli(['admin', 'migrate', '--data', keysOnly, '--store', url, '--json']);
		expect(JSON.parse(joining.stderr).error.code).toBe('store.keyMismatch');
		expect(existsSync(join(keysOnly, 'store.url'))).toBe(false);
	});
});
