import {chmodSync, cpSync, mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import pg from 'pg';
import {describe, expect, it, vi} from 'vitest';
import {Portal} from '../../../source/core/portal.js';
import {pointerOf} from '../../../source/core/store/location.js';
import {migrateFolder} from '../../../source/core/store/migrate.js';
import {closePools} from '../../../source/core/store/postgres/database.js';
import {displayUrl} from '../../../source/core/store/postgres/url.js';
import {emptyDatabase, nextSequence} from '../../../source/core/store/schema.js';
import {Store} from '../../../source/core/store/store.js';
import {DEMO_NOW, ManualClock, MARIO} from '../../helpers/holders.js';
import {logIn, refusal} from '../../helpers/portal.js';
import {describePostgres, onDatabase, postgresPlaces} from '../../helpers/postgres.js';

/*
 * Adversarial review of the PostgreSQL store (issue 22): each test guards a fault
 * the review found (it failed before the fix); its comment says what was wrong and what is expected.
 */

const {folder, database, track} = postgresPlaces();

async function rows(url: string): Promise<Record<string, string>> {
	const found = await onDatabase(url, async client => (await client.query<{name: string; body: string}>('SELECT name, body FROM mysign_documents ORDER BY name')).rows);
	return Object.fromEntries(found.map(row => [row.name, row.body]));
}

describe('PostgreSQL store review: secrets in URLs', () => {
	// libpq and pg take the password in the query string too (`?password=`, `?sslpassword=`): a
	// URL's password is never printed, wherever it is written. displayUrl masks only the userinfo.
	it('displayUrl never prints a password, not even one given as ?password= or ?sslpassword=', () => {
		for (const url of ['postgres://mysign@dbhost/mysign?password=hunter2', 'postgres://mysign@dbhost/mysign?sslmode=require&sslpassword=hunter2']) {
			expect(displayUrl(url)).not.toContain('hunter2');
		}
	});

	// Every message naming the store (store.unreachable here; store.invalid, store.missing… name
	// `Store.file`) must not carry the password.
	it('store.unreachable and Store.file do not carry a ?password= URL\'s password', async () => {
		const url = 'postgres://mysign@127.0.0.1:1/mysign?password=hunter2';
		const store = new Store(folder(), undefined, url);
		expect(store.file).not.toContain('hunter2');
		const refused = await refusal(store.read());
		expect(refused.code).toBe('store.unreachable');
		expect(JSON.stringify(refused.params)).not.toContain('hunter2');
	});
});

describe('PostgreSQL store review: the store.url pointer', () => {
	// store.url holds a URL that may carry a password and is written 0600 as a secret, but it is read
	// without the check keys get (readSecretFile: file.secretExposed, as ssh refuses a 0644 key).
	// Expected: a pointer others may read is refused, naming the chmod that fixes it.
	it('a store.url others may read is refused as file.secretExposed, as a key is', () => {
		const directory = folder();
		mkdirSync(directory, {recursive: true, mode: 0o700});
		const pointer = join(directory, 'store.url');
		writeFileSync(pointer, 'postgres://mysign:hunter2@dbhost/mysign\n');
		chmodSync(pointer, 0o644);
		let code: string | undefined;
		try {
			pointerOf(directory);
		} catch (error) {
			code = (error as {code?: string}).code;
		}
		expect(code).toBe('file.secretExposed');
	});

	// A pointer is one URL on one line. A second line is no URL of ours: WHATWG and pg's URL parser
	// drop newlines, so `postgres://h/db\npostgres://evil/x` silently becomes another database's URL
	// (`postgres://h/dbpostgres://evil/x`). Expected: store.invalid naming store.url.
	it('a store.url of two lines (a second URL appended) is refused as store.invalid', () => {
		const directory = folder();
		mkdirSync(directory, {recursive: true, mode: 0o700});
		writeFileSync(join(directory, 'store.url'), 'postgres://dbhost/mysign\npostgres://evil/other\n', {mode: 0o600});
		let code: string | undefined;
		try {
			pointerOf(directory);
		} catch (error) {
			code = (error as {code?: string}).code;
		}
		expect(code).toBe('store.invalid');
	});
});

describePostgres('PostgreSQL store review: on a database', () => {

	// A folder's stamp changes with any edit of the file (its inode/mtime); a row's is its revision,
	// which only the store's own upsert bumps. An UPDATE by hand (an administrator ending a session
	// in psql, a restore script) keeps the revision, so a running portal's `sessions.status` keeps
	// answering from its cached snapshot. Expected: any change of a row changes the stamp (a
	// BEFORE UPDATE trigger setting revision = nextval('mysign_revision')).
	it('an outside UPDATE of a row renews its revision: a running portal sees the session it ended', async () => {
		const url = await database();
		const directory = folder();
		const clock = new ManualClock(DEMO_NOW);
		await Portal.createDemo({dataDirectory: directory, clock, store: url});
		const portal = await Portal.open({dataDirectory: directory, clock, terminal: 'review', store: url});
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		expect((await portal.sessions.status(session)).state).toBe('active');
		const name = `holders/${MARIO.userId}.json`;
		const store = new Store(directory, undefined, url);
		const before = await store.stamp(MARIO.userId);
		await onDatabase(url, async client => {
			const body = (await client.query<{body: string}>('SELECT body FROM mysign_documents WHERE name = $1', [name])).rows[0]!.body;
			const document = JSON.parse(body) as {sessions: {id: string; endedAt: string | null; endReason: string | null}[]};
			for (const entry of document.sessions) if (entry.id === session.id) Object.assign(entry, {endedAt: DEMO_NOW.toISOString(), endReason: 'logout'});
			await client.query('UPDATE mysign_documents SET body = $2 WHERE name = $1', [name, JSON.stringify(document, null, '\t')]);
		});
		expect(await store.stamp(MARIO.userId)).not.toBe(before);
		expect((await portal.sessions.status(session)).state).toBe('ended');
	});

	// `demo --reset` replaces the database. On a database shared by several servers, a folder that is
	// not the database's (its keys are not the ones recorded: another machine's, or none at all,
	// created on the spot) replaces every server's holders with one flag (`--store URL`), and binds
	// the database to its new keys: every other server is then refused (store.keyMismatch).
	// Expected: a reset of an existing database is refused unless this folder's keys are the
	// database's (loadBoundKeys first, as `demo` without --reset does), changing nothing.
	it('demo --reset from a folder without the database\'s keys is refused, the shared database unchanged', async () => {
		const url = await database();
		const clock = new ManualClock(DEMO_NOW);
		await Portal.createDemo({dataDirectory: folder(), clock, store: url});
		const before = await rows(url);
		const stranger = folder();
		mkdirSync(stranger, {recursive: true, mode: 0o700});
		const refused = await refusal(Portal.createDemo({dataDirectory: stranger, clock, store: url, reset: true}));
		expect(refused.code).toMatch(/^store\.key(Missing|Mismatch)$/);
		expect(await rows(url)).toEqual(before);
	});

	// `admin migrate` commits the documents, then writes store.url. Killed between the two (or
	// store.url not writable: a full disk), the database holds the folder's data, the folder still
	// uses its own db.json, and every rerun says store.targetNotEmpty ("Nothing was changed"): the
	// move can never finish without dropping the database by hand, and meanwhile other servers
	// (MYSIGN_STORE) work on the database's copy while this one works on its files: two diverging
	// stores. Expected: a rerun finishes the move when the database holds exactly this folder's
	// documents (or migrate writes a pending pointer first and completes it).
	it('admin migrate killed between the documents\' commit and store.url is finished by a rerun', async () => {
		const url = await database();
		const directory = folder();
		await Portal.createDemo({dataDirectory: directory, clock: new ManualClock(DEMO_NOW)});
		// The state a kill after the commit leaves: the database holds this folder's documents, the folder no pointer.
		const twin = `${directory}-twin`;
		cpSync(directory, twin, {recursive: true});
		await migrateFolder(twin, url);
		await closePools();
		const result = await migrateFolder(directory, url).catch((error: unknown) => (error as {code?: string}).code);
		expect(result).toMatchObject({holders: expect.any(Number)});
	});

	// A COMMIT whose answer is lost (the connection drops after the server committed) is reported as
	// store.writeFailed, "The previous data is intact": false, the change is committed. A partial
	// failure must say what is known: the outcome is unknown (a code of its own, or a check of the
	// row's revision after reconnecting).
	it('a COMMIT whose answer is lost is reported as store.commitUnknown, not as nothing saved', async () => {
		const url = await database();
		const directory = folder();
		const store = new Store(directory, undefined, url);
		await store.initialize(() => emptyDatabase());
		const original = pg.Client.prototype.query;
		let armed = true;
		vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
			const result = (original as (...a: unknown[]) => unknown).apply(this, args);
			if (armed && args[0] === 'COMMIT') {
				armed = false;
				return (result as Promise<unknown>).then(() => {
					throw new Error('Connection terminated unexpectedly');
				});
			}
			return result;
		} as typeof original);
		const refused = await refusal(store.update(db => nextSequence(db, 'counter')));
		vi.restoreAllMocks();
		const counter = (await new Store(directory, undefined, url).read()).sequences['counter'];
		expect(refused.code).toBe('store.commitUnknown');
		expect(counter).toBe(1);
	});

	// The servers' role must be able to run mysign with rights on its tables only: every process
	// runs CREATE SEQUENCE/TABLE/INDEX IF NOT EXISTS on connecting, and PostgreSQL checks the
	// schema's CREATE privilege before it sees that the table exists, so a role with SELECT,
	// INSERT, UPDATE, DELETE on the tables is refused (store.unreachable 42501) even when every table
	// is there. Expected: the schema is created only when missing (look in pg_class first, or by
	// `admin migrate` only), so the servers can use a least-privilege role.
	it('a role with rights on the tables only (no CREATE on the schema) uses an existing store', async () => {
		const url = await database();
		const directory = folder();
		await new Store(directory, undefined, url).initialize(() => emptyDatabase());
		await closePools();
		const role = `mysign_review_${process.pid}`;
		await onDatabase(url, async client => {
			await client.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
			await client.query(`CREATE ROLE ${role} LOGIN`);
			await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
			await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
		});
		track(async () => {
			await closePools();
			await onDatabase(url, async client => {
				await client.query(`DROP OWNED BY ${role}`);
				await client.query(`DROP ROLE ${role}`);
			});
		});
		const limited = new URL(url);
		limited.username = role;
		// The role reads and writes the rows themselves.
		expect((await onDatabase(limited.toString(), client => client.query('SELECT count(*) FROM mysign_documents'))).rowCount).toBe(1);
		const read = await new Store(directory, undefined, limited.toString()).read().then(
			db => db.version,
			(error: unknown) => `${(error as {code?: string}).code}: ${JSON.stringify((error as {params?: unknown}).params)}`,
		);
		expect(read).toEqual(expect.any(Number));
	});
});
