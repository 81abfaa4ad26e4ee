import {execFileSync} from 'node:child_process';
import {existsSync, lstatSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {UNKNOWN_LOG_MAX_BYTES} from '../../source/core/history/access-log.js';
import {DEFAULT_HISTORY_FILTER} from '../../source/core/history/query.js';
import type {AccessEntry} from '../../source/core/portal.js';
import {accessEntries, demoPortal, logIn, MARIO} from '../helpers/portal.js';
import {holdersFolder, readDatabase, recordBytes} from '../helpers/data-folder.js';
import {storeOf} from '../helpers/internals.js';

/*
 * Issue 17 item 4: the access log lives in <data>/access/ (one JSON-lines file per holder), not in
 * db.json. See source/core/history/access-log.ts for the rule.
 */

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function setup() {
	const context = await demoPortal();
	cleanup = context.remove;
	return context;
}

const entry = (id: number, userId: string | null, outcome: AccessEntry['outcome'] = 'wrong-password'): AccessEntry => ({id, at: new Date(Date.UTC(2026, 10, 20, 9, 0, id)).toISOString(), userId, outcome, terminal: 'tty1'});

describe('the access log', () => {
	it('moves the entries of a db.json from before it to the holders’ files on the first write, and shows them before and after', async () => {
		const {portal, directory} = await setup();
		// A db.json from before: format 1, the whole database in it (holders too) with its access log.
		const db = await readDatabase(directory);
		db.accessLog = [entry(1, MARIO.userId, 'success'), entry(2, null), entry(3, MARIO.userId, 'logout')];
		db.sequences['accessLog'] = 3;
		writeFileSync(join(directory, 'db.json'), JSON.stringify(db));
		rmSync(holdersFolder(directory), {recursive: true});
		// Nothing moved before a write (the session opened here is the first one).
		expect(await accessEntries(portal)).toEqual([]);
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		const moved = await accessEntries(portal);
		expect(moved.map(item => [item.id, item.outcome])).toEqual([
			[1, 'success'],
			[3, 'logout'],
			[4, 'success'],
		]);
		expect((await accessEntries(portal, null)).map(item => item.id)).toEqual([2]);
		// The data folder keeps an operation's entries (also in the log) only until the next write (here the session's).
		expect((await readDatabase(directory)).accessLog).toEqual([]);
		const page = await portal.history.accesses(session, {...DEFAULT_HISTORY_FILTER, order: 'oldest'}, {page: 1, pageSize: 10});
		expect(page.items.map(item => item.id)).toEqual([1, 3, 4]);
	});

	it('writes lines a crash left already appended (append done, db.json not written) only once', async () => {
		const {portal} = await setup();
		const entries = [entry(101, MARIO.userId), entry(102, MARIO.userId), entry(103, null)];
		await storeOf(portal).accessLog.append(entries);
		await storeOf(portal).accessLog.append(entries);
		expect((await accessEntries(portal)).map(item => item.id)).toEqual([101, 102]);
		expect((await accessEntries(portal, null)).map(item => item.id)).toEqual([103]);
		await storeOf(portal).accessLog.append([entry(104, MARIO.userId)]);
		expect((await accessEntries(portal)).map(item => item.id)).toEqual([101, 102, 104]);
	});

	it('keeps attempts on unknown identifiers in a file rotated at 1 MiB: at most about 2 MiB whatever the number', async () => {
		const {portal, directory} = await setup();
		const batch = 2000;
		let id = 1000;
		for (let round = 0; round < 25; round++) await storeOf(portal).accessLog.append(Array.from({length: batch}, () => entry(++id, null)));
		const current = join(directory, 'access', 'unknown.jsonl');
		const previous = join(directory, 'access', 'unknown.1.jsonl');
		const written = 25 * batch * (JSON.stringify(entry(1000, null)).length + 1);
		expect(written).toBeGreaterThan(4 * UNKNOWN_LOG_MAX_BYTES);
		expect(statSync(current).size + statSync(previous).size).toBeLessThan(2 * UNKNOWN_LOG_MAX_BYTES + 2 * batch * 120);
		const last = readFileSync(current, 'utf8').trimEnd().split('\n').at(-1)!;
		expect(JSON.parse(last)).toMatchObject({id, userId: null});
		// Nothing typed is kept: time, outcome and terminal only.
		expect(Object.keys(JSON.parse(last))).toEqual(['id', 'at', 'userId', 'outcome', 'terminal']);
	});

	it('creates its folder 0700 and files 0600', async () => {
		const {portal, directory} = await setup();
		await portal.sessions.login(MARIO.userId, 'Sbagliata&1');
		await portal.sessions.login('nessuno@example.it', 'Sbagliata&1');
		expect(statSync(join(directory, 'access')).mode & 0o777).toBe(0o700);
		expect(statSync(join(directory, 'access', `${MARIO.userId}.jsonl`)).mode & 0o777).toBe(0o600);
		expect(statSync(join(directory, 'access', 'unknown.jsonl')).mode & 0o777).toBe(0o600);
	});

	it('never writes through a planted symlink or into a FIFO: the operation fails, db.json, the holder documents and the target unchanged', async () => {
		const {portal, directory} = await setup();
		await portal.sessions.login(MARIO.userId, 'Sbagliata&1');
		const victim = join(directory, 'victim.txt');
		writeFileSync(victim, 'do not touch\n');
		const log = join(directory, 'access', `${MARIO.userId}.jsonl`);
		execFileSync('rm', [log]);
		symlinkSync(victim, log);
		const before = recordBytes(directory);
		await expect(portal.sessions.login(MARIO.userId, 'Sbagliata&2')).rejects.toThrow(/file\.symlink/);
		expect(readFileSync(victim, 'utf8')).toBe('do not touch\n');
		expect(recordBytes(directory)).toEqual(before);
		expect(lstatSync(log).isSymbolicLink()).toBe(true);

		execFileSync('rm', [log]);
		execFileSync('mkfifo', [log]);
		const started = Date.now();
		await expect(portal.sessions.login(MARIO.userId, 'Sbagliata&3')).rejects.toThrow(/file\.notRegular/);
		expect(Date.now() - started).toBeLessThan(5000);
		expect(recordBytes(directory)).toEqual(before);
		expect(existsSync(log)).toBe(true);
	});
});
