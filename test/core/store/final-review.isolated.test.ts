import {chmodSync, chownSync, cpSync, existsSync, mkdirSync, writeFileSync} from 'node:fs';
import {createServer, type AddressInfo} from 'node:net';
import {join} from 'node:path';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {isDomainError} from '../../../source/core/errors.js';
import {Portal} from '../../../source/core/portal.js';
import {storeUrlOf} from '../../../source/core/store/location.js';
import {migrateFolder} from '../../../source/core/store/migrate.js';
import {closePools} from '../../../source/core/store/postgres/database.js';
import {displayUrl} from '../../../source/core/store/postgres/url.js';
import {Store} from '../../../source/core/store/store.js';
import {DEMO_NOW, ManualClock, temporaryDirectory} from '../../helpers/holders.js';
import {describePostgres, freshDatabase} from '../../helpers/postgres.js';

/*
 * Final adversarial review of the store work (partitioned folder store, PostgreSQL store, --store,
 * admin migrate), as another local user or process on the same server. Each test reproduces a
 * fault (it FAILS on the code reviewed); its comment says what is wrong and what is expected.
 */

// A full disk (or any failure) at store.url's write, and only there, when armed.
const failing = vi.hoisted(() => ({storeUrl: false}));
vi.mock('../../../source/core/store/atomic-write.js', async importOriginal => {
	const original = await importOriginal<typeof import('../../../source/core/store/atomic-write.js')>();
	return {
		...original,
		async writeFileAtomic(file: string, ...rest: Parameters<typeof original.writeFileAtomic> extends [string, ...infer R] ? R : never) {
			if (failing.storeUrl && file.endsWith('store.url')) {
				throw Object.assign(new Error(`ENOSPC: no space left on device, write '${file}'`), {code: 'ENOSPC', path: file});
			}
			return original.writeFileAtomic(file, ...rest);
		},
	};
});

const removals: (() => Promise<void> | void)[] = [];
afterEach(async () => {
	failing.storeUrl = false;
	vi.unstubAllEnvs();
	await closePools();
	while (removals.length > 0) await removals.pop()!();
});

function folder(): string {
	const made = temporaryDirectory();
	removals.push(made.remove);
	return join(made.path, 'data');
}

async function database(): Promise<string> {
	const made = await freshDatabase();
	removals.push(made.drop);
	return made.url;
}

function codeOf(work: () => unknown): string | undefined {
	try {
		work();
		return undefined;
	} catch (error) {
		return (error as {code?: string}).code;
	}
}

describe('final review: which database a process uses', () => {
	// store.elsewhere compares displayUrl(…) of the two URLs (user, host, port, path), but the pg
	// client takes ?host=, ?port= and ?user= over the URL's own (pg-connection-string copies every
	// parameter into the config, host/port/user included, and only then falls back to the URL's).
	// A MYSIGN_STORE / --store naming another server (or a socket folder another local user
	// controls: ?host=/tmp/x) in the pointer's spelling plus one parameter passes the check, and
	// the process then writes to that other server while every other process on the folder uses
	// store.url's: two diverging stores, the check this commit added defeated. Messages (and
	// store.unreachable) name the pointer's host meanwhile. Expected: store.elsewhere, or (better)
	// compare what the client will use (pg-connection-string's parse: host, port, user, database),
	// and refuse host/port/user/database as parameters in storeUrlProblem.
	it('a --store / MYSIGN_STORE naming another server through ?host=, ?port= or ?user= is refused (store.badUrl: such parameters are not taken)', () => {
		const directory = folder();
		mkdirSync(directory, {recursive: true, mode: 0o700});
		writeFileSync(join(directory, 'store.url'), 'postgres://mysign@dbhost/mysign\n', {mode: 0o600});
		const outcomes = Object.fromEntries(
			['postgres://mysign@dbhost/mysign?host=otherhost', 'postgres://mysign@dbhost/mysign?host=/tmp/someone-elses-socket', 'postgres://mysign@dbhost/mysign?port=6543', 'postgres://mysign@dbhost/mysign?user=postgres'].map(url => [url, codeOf(() => storeUrlOf(directory, url))]),
		);
		// Refused before any comparison: the parameters that would make the client use another server are not taken at all.
		expect(outcomes).toEqual({
			'postgres://mysign@dbhost/mysign?host=otherhost': 'store.badUrl',
			'postgres://mysign@dbhost/mysign?host=/tmp/someone-elses-socket': 'store.badUrl',
			'postgres://mysign@dbhost/mysign?port=6543': 'store.badUrl',
			'postgres://mysign@dbhost/mysign?user=postgres': 'store.badUrl',
		});
	});

	// In a folder shared by a group (2770, `admin init --group`), any member may create files: a
	// store.url planted by one member (0640, as migrate writes it there) is taken by every other
	// member's process, whose mode check only asks whether OTHERS may read it. Its owner is never
	// looked at. Those processes then connect to the host the planter chose and hand it their own
	// PostgreSQL password: pg sends PGPASSWORD (or a matching ~/.pgpass line) to any server that asks
	// for it in clear text. A folder store never made a member's process talk to the network, nor
	// gave another member anything of theirs: this is new with the pointer. Expected: a store.url
	// not owned by the data folder's owner (or by this user) is refused (store.invalid naming it),
	// before anything connects.
	it('a store.url planted by another member of a shared folder does not send this user\'s PGPASSWORD to the host it names', async () => {
		const directory = folder();
		mkdirSync(directory, {recursive: true});
		chmodSync(directory, 0o2770);
		const received: Buffer[] = [];
		const server = createServer(socket => {
			let started = false;
			socket.on('error', () => undefined);
			socket.on('data', data => {
				if (!started) {
					started = true;
					// AuthenticationCleartextPassword: what any server may ask.
					socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]));
				} else {
					received.push(data);
					socket.destroy();
				}
			});
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		removals.push(() => new Promise<void>(resolve => server.close(() => resolve())));
		const pointer = join(directory, 'store.url');
		writeFileSync(pointer, `postgres://mysign@127.0.0.1:${(server.address() as AddressInfo).port}/mysign\n`);
		// Another member's file (uid 65534 standing for them), group-readable as migrate makes it in a shared folder.
		chownSync(pointer, 65534, -1);
		chmodSync(pointer, 0o640);
		vi.stubEnv('PGPASSWORD', 'victims-own-secret');
		const outcome = await (async () => new Store(directory).read())().then(
			() => 'read',
			(error: unknown) => (error as {code?: string}).code,
		);
		expect(Buffer.concat(received).toString('latin1')).not.toContain('victims-own-secret');
		expect(outcome).toBe('store.invalid');
	});
});

describePostgres('final review: admin migrate failing after its commit', () => {
	// migrateFolder commits every document into the database, then writes store.url. When that write
	// fails (a full disk, a quota, EIO) the raw error escapes: the CLI prints "Unexpected error:
	// ENOSPC: no space left on device, write '…/store.url'" and nothing else. The user is not told
	// that the database now holds a full copy of the folder, that the folder is still the store in
	// use, nor that a rerun (and only an immediate one: after a single login in the folder the rerun
	// is store.targetNotEmpty, "Nothing was changed") finishes the move. Expected: a DomainError of its
	// own (e.g. store.migrationUnfinished {store, file}) saying the documents were copied into
	// {store}, the folder still in use, and to rerun `mysign admin migrate` now.
	it('a store.url that cannot be written after the commit is reported as a migration copied but unfinished, naming the database', async () => {
		const url = await database();
		const directory = folder();
		await Portal.createDemo({dataDirectory: directory, clock: new ManualClock(DEMO_NOW), store: 'folder'});
		failing.storeUrl = true;
		const error = await migrateFolder(directory, url).then(() => undefined, (error_: unknown) => error_);
		expect(error).toBeDefined();
		expect(isDomainError(error)).toBe(true);
		expect((error as {params?: Record<string, unknown>}).params?.['store']).toBe(displayUrl(url));
	});

	// The same failure, then a second server's folder (the first's keys and CA, no db.json of its own)
	// joins the database: joinDatabase only asks that the database exist. It now runs on the copy
	// the failed move left, while the first server goes on with its own files (no store.url there):
	// two stores that diverge from the first login, with no message anywhere. Expected: a move whose
	// pointer was not written leaves the database marked unfinished (a row committed with the
	// documents, cleared by the rerun that writes store.url), and joining such a database is refused.
	it('after a migration whose store.url was not written, another folder cannot join the database it left behind', async () => {
		const url = await database();
		const directory = folder();
		await Portal.createDemo({dataDirectory: directory, clock: new ManualClock(DEMO_NOW), store: 'folder'});
		const second = `${directory}-second`;
		mkdirSync(second, {mode: 0o700});
		for (const name of ['keys', 'pki']) if (existsSync(join(directory, name))) cpSync(join(directory, name), join(second, name), {recursive: true});
		failing.storeUrl = true;
		await migrateFolder(directory, url).catch(() => undefined);
		failing.storeUrl = false;
		expect(existsSync(join(directory, 'store.url'))).toBe(false);
		const joined = await migrateFolder(second, url).then(
			result => (result.joined ? 'joined' : 'migrated'),
			(error: unknown) => (error as {code?: string}).code,
		);
		expect(joined).not.toBe('joined');
	});
});
