import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {CLI, ROOT, runCli} from '../helpers/cli.js';
import {cliDemoCopies} from '../helpers/operators.js';
import {MARIO} from '../helpers/holders.js';
import {holderFile, readDatabase, recordBytes, recordFiles} from '../helpers/data-folder.js';

/*
 * Issue 22 through the built CLI: a data folder written before the partitioned store (db.json in
 * format 1, every holder inside, no holders/) is read as it is, and split on its first write:
 * db.json in format 2, one document per holder, with the modes the folder's files get; nothing
 * of the database is lost on the way.
 */

const demoCopy = cliDemoCopies();

/** A demo folder as an older version left it: the whole database in one format-1 db.json, no holders/, no stamp. */
async function formatOneFolder(): Promise<{data: string; text: string}> {
	const data = demoCopy();
	const db = await readDatabase(data);
	expect(db.version).toBe(1);
	// Not in userID order: the order an older folder kept is the one lists show.
	db.holders.sort((a, b) => b.userId.localeCompare(a.userId));
	const text = JSON.stringify(db, null, '\t') + '\n';
	writeFileSync(join(data, 'db.json'), text);
	rmSync(join(data, 'holders'), {recursive: true});
	rmSync(join(data, 'db.json.checked'), {force: true});
	return {data, text};
}

describe('a format-1 data folder (before the partitioned store)', () => {
	it('is read as it is: status and admin list work and leave it unsplit', async () => {
		const {data, text} = await formatOneFolder();
		const before = recordBytes(data);
		const status = runCli(['status', '--user', MARIO.userId, '--data', data]);
		expect(status.status, status.stderr).toBe(0);
		const list = runCli(['admin', 'list', '--data', data, '--json']);
		expect(list.status, list.stderr).toBe(0);
		expect(list.stdout).toContain(MARIO.userId);
		expect(recordBytes(data)).toEqual(before);
		expect(readFileSync(join(data, 'db.json'), 'utf8')).toBe(text);
		expect(existsSync(join(data, 'holders'))).toBe(false);
	});

	it('is split on the first write (under umask 000): db.json in format 2 and one 0600 document per holder in a 0700 holders/, the same database', async () => {
		const {data} = await formatOneFolder();
		const before = await readDatabase(data);
		// `admin list --json` before and after the split, compared as text (holders keep their order).
		const listBefore = runCli(['admin', 'list', '--data', data, '--json']);
		const written = spawnSync('bash', ['-c', 'umask 000 && exec "$0" "$@"', process.execPath, CLI, 'admin', 'coupon', 'create', '--data', data], {encoding: 'utf8', cwd: ROOT});
		expect(written.status, written.stderr).toBe(0);

		const top = JSON.parse(readFileSync(join(data, 'db.json'), 'utf8')) as Record<string, unknown>;
		expect(top['version']).toBe(2);
		expect(top).not.toHaveProperty('holders');
		const holders = statSync(join(data, 'holders'));
		expect(holders.isDirectory()).toBe(true);
		expect(holders.mode & 0o777).toBe(0o700);
		expect(recordFiles(data)).toEqual([join(data, 'db.json'), ...before.holders.map(holder => holderFile(data, holder.userId)).sort(), join(data, 'holders', 'index.json')]);
		for (const file of recordFiles(data)) expect(statSync(file).mode & 0o777, file).toBe(0o600);

		const listAfter = runCli(['admin', 'list', '--data', data, '--json']);
		expect(listAfter.status, listAfter.stderr).toBe(0);
		expect(listAfter.stdout).toBe(listBefore.stdout);

		// The same database, but for the coupon just created.
		const after = await readDatabase(data);
		expect(after.coupons.length).toBeGreaterThan(before.coupons.length);
		// Records come grouped by holder now: compared in one order (by id) on both sides.
		const byId = <T extends {id: string}>(records: T[]) => [...records].sort((a, b) => a.id.localeCompare(b.id));
		const normal = (db: typeof before) => ({...db, coupons: [], certificates: byId(db.certificates), challenges: byId(db.challenges), sessions: byId(db.sessions), renewals: byId(db.renewals), pinChanges: byId(db.pinChanges), raoApprovals: byId(db.raoApprovals)});
		expect(normal(after)).toEqual(normal(before));

		// MARIO still logs in (his password hash came across): an SMS is sent.
		const document = join(data, 'nota.txt');
		writeFileSync(document, 'nota\n');
		const login = runCli(['sign', document, '--user', MARIO.userId, '--password-stdin', '--send-otp', '--data', data], {input: `${MARIO.password}\n`});
		expect(login.status, login.stderr).toBe(0);
	});
});
