import {readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {Portal} from '../../../source/core/portal.js';
import {FOLDER_STORE} from '../../../source/core/store/location.js';
import {emptyDatabase, nextSequence} from '../../../source/core/store/schema.js';
import {NO_HOLDER, Store} from '../../../source/core/store/store.js';
import {DEMO_NOW, GIULIA, ManualClock, MARIO} from '../../helpers/holders.js';
import {lastSmsCode, logIn, refusal} from '../../helpers/portal.js';
import {describePostgres, onDatabase, postgresPlaces} from '../../helpers/postgres.js';
import {startWorker} from '../../helpers/processes.js';

/*
 * The store's contract, the same cases on both stores (issue 22): a data folder's files and a
 * PostgreSQL database. Concurrency, a writer killed at random moments, corrupt documents, and
 * secrets never stored in plain text. What only one of them has (temps, symlinks; transactions)
 * is tested in its own files (partition*.test.ts, postgres-*.test.ts).
 */

interface Kind {
	/** A fresh empty place for a store: a data folder, and the database it uses (undefined: its files). */
	place(): Promise<{directory: string; url: string | undefined}>;
	/** Replaces one document's text as an outside hand would (a file edited, a row updated). */
	plant(place: {directory: string; url: string | undefined}, name: string, text: string): Promise<void>;
	/** Every stored byte of the documents, for the secrets check. */
	dump(place: {directory: string; url: string | undefined}): Promise<string>;
}

const places = postgresPlaces();

function folderPlace(): {directory: string; url: undefined} {
	return {directory: places.folder(), url: undefined};
}

function filesUnder(directory: string): string[] {
	return readdirSync(directory, {recursive: true, encoding: 'utf8'})
		.map(name => join(directory, name))
		.filter(path => statSync(path).isFile());
}

const FOLDER: Kind = {
	place: async () => folderPlace(),
	plant: async (place, name, text) => writeFileSync(join(place.directory, name), text),
	dump: async place => filesUnder(place.directory).filter(path => !path.includes(`${join(place.directory, 'keys')}`) && !path.includes(join(place.directory, 'pki'))).map(path => readFileSync(path, 'latin1')).join('\n'),
};

const POSTGRES: Kind = {
	place: async () => {
		return {directory: places.folder(), url: await places.database()};
	},
	plant: async (place, name, text) => {
		await onDatabase(place.url!, client => client.query('UPDATE mysign_documents SET body = $2 WHERE name = $1', [name, text]));
	},
	dump: async place => {
		const rows = await onDatabase(place.url!, async client => {
			const tables = ['mysign_documents', 'mysign_outbox', 'mysign_access_log', 'mysign_signatures', 'mysign_counters'];
			const parts: string[] = [];
			for (const table of tables) parts.push(JSON.stringify((await client.query(`SELECT * FROM ${table}`)).rows));
			return parts.join('\n');
		});
		// The server's own folder: everything but its keys and CA.
		return rows + '\n' + (await FOLDER.dump({directory: place.directory, url: undefined}));
	},
};

function storeAt(place: {directory: string; url: string | undefined}): Store {
	return new Store(place.directory, undefined, place.url ?? FOLDER_STORE);
}

async function emptyStore(kind: Kind): Promise<{place: {directory: string; url: string | undefined}; store: Store}> {
	const place = await kind.place();
	const store = storeAt(place);
	await store.initialize(() => emptyDatabase());
	return {place, store};
}

function contract(kind: Kind): void {
	it('4 processes × 100 increments end at exactly 400, every confirmed value unique', async () => {
		const {place, store} = await emptyStore(kind);
		const workers = Array.from({length: 4}, () => startWorker('store-worker', [place.directory, '100', place.url ?? '']));
		expect(await Promise.all(workers.map(worker => worker.exit))).toEqual([0, 0, 0, 0]);
		expect((await store.read()).sequences['counter']).toBe(400);
		const all = workers.flatMap(worker => worker.confirmed);
		expect(new Set(all).size).toBe(400);
		for (const worker of workers) expect(worker.confirmed).toEqual([...worker.confirmed].sort((a, b) => a - b));
	});

	it('a writer killed with SIGKILL at random moments (12 rounds) leaves a valid store holding every confirmed operation', async () => {
		const {place, store} = await emptyStore(kind);
		let stored = 0;
		for (let round = 0; round < 12; round++) {
			const worker = startWorker('store-worker', [place.directory, '1000000', place.url ?? '']);
			await worker.firstConfirmation;
			await new Promise(resolve => setTimeout(resolve, 5 + Math.random() * 100));
			worker.child.kill('SIGKILL');
			expect(await worker.exit).toBeNull();
			expect(worker.confirmed[0], `round ${round}`).toBe(stored + 1);
			const counter = (await storeAt(place).read()).sequences['counter']!;
			expect(counter, `round ${round}`).toBeGreaterThanOrEqual(worker.confirmed.at(-1)!);
			expect(counter, `round ${round}`).toBeLessThanOrEqual(worker.confirmed.at(-1)! + 1);
			stored = counter;
		}
		expect(await store.update(db => nextSequence(db, 'counter'))).toBe(stored + 1);
	});

	describe('a corrupt document is refused as store.invalid, naming it, and nothing is changed', () => {
		const cases: [string, (text: string) => string][] = [
			['not JSON', text => text.slice(0, text.length / 2)],
			['a field of the wrong type', text => text.replace(/"pinFailures": 0/, '"pinFailures": "zero"')],
			['another holder\'s records', text => text.replaceAll(MARIO.userId, GIULIA.userId)],
		];
		for (const [what, corrupt] of cases) {
			it(`${what} in a holder's document: that holder is refused, the others work`, async () => {
				const place = await kind.place();
				await Portal.createDemo({dataDirectory: place.directory, clock: new ManualClock(DEMO_NOW), store: place.url});
				const name = `holders/${MARIO.userId}.json`;
				const dumpBefore = await kind.dump(place);
				const original = place.url ? '' : readFileSync(join(place.directory, name), 'utf8');
				const text = place.url ? await onDatabase(place.url, async client => (await client.query<{body: string}>('SELECT body FROM mysign_documents WHERE name = $1', [name])).rows[0]!.body) : original;
				await kind.plant(place, name, corrupt(text));
				const portal = await Portal.open({dataDirectory: place.directory, clock: new ManualClock(DEMO_NOW), terminal: 'test', store: place.url});
				const refused = await refusal(portal.sessions.login(MARIO.userId, MARIO.password));
				expect(refused.code).toBe('store.invalid');
				expect(String(refused.params['file'])).toContain(`${MARIO.userId}.json`);
				// Giulia logs in as before.
				await logIn(portal, GIULIA.userId, GIULIA.password);
				// Mario's document is as the hand left it: no write replaced or "repaired" it.
				const after = place.url ? await onDatabase(place.url, async client => (await client.query<{body: string}>('SELECT body FROM mysign_documents WHERE name = $1', [name])).rows[0]!.body) : readFileSync(join(place.directory, name), 'utf8');
				expect(after).toBe(corrupt(text));
				expect(dumpBefore.length).toBeGreaterThan(0);
			});
		}

		it('a db.json of a newer format: store.futureVersion, for every reader and writer', async () => {
			const {place, store} = await emptyStore(kind);
			const text = JSON.stringify({...JSON.parse(await readTop(place)), version: 99});
			await kind.plant(place, 'db.json', text);
			expect((await refusal(storeAt(place).read(NO_HOLDER))).code).toBe('store.futureVersion');
			expect((await refusal(store.update(db => nextSequence(db, 'counter')))).code).toBe('store.futureVersion');
			expect(await readTop(place)).toBe(text);
		});
	});

	it('no secret in plain text: passwords, PINs, ERC, OTP codes and the TOTP seed are stored only as hashes or sealed', async () => {
		const place = await kind.place();
		const clock = new ManualClock(DEMO_NOW);
		const created = await Portal.createDemo({dataDirectory: place.directory, clock, store: place.url});
		const portal = await Portal.open({dataDirectory: place.directory, clock, terminal: 'test', store: place.url});
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		// A wrong password and a new one: neither may appear.
		await portal.sessions.login(GIULIA.userId, 'Sbagliata!99');
		const code = await lastSmsCode(portal, MARIO.userId).catch(() => undefined);
		const dump = await kind.dump(place);
		const secrets = created.credentials.flatMap(credential => [credential.password, credential.pin, credential.erc]);
		for (const secret of [...secrets, 'Sbagliata!99']) expect(dump.includes(secret), secret).toBe(false);
		expect(session.userId).toBe(MARIO.userId);
		// An SMS code is in the outbox (that is its delivery), never in the documents.
		if (code) expect(await documentsOnly(place, kind)).not.toContain(code);
	});

	it('an operation on one holder writes that holder\'s document only', async () => {
		const place = await kind.place();
		const clock = new ManualClock(DEMO_NOW);
		await Portal.createDemo({dataDirectory: place.directory, clock, store: place.url});
		const portal = await Portal.open({dataDirectory: place.directory, clock, terminal: 'test', store: place.url});
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		const before = await versions(place);
		await portal.account.setLanguage(session, 'en');
		const after = await versions(place);
		const changed = Object.keys(after).filter(name => after[name] !== before[name]);
		expect(changed).toEqual([`holders/${MARIO.userId}.json`]);
	});
}

async function readTop(place: {directory: string; url: string | undefined}): Promise<string> {
	if (!place.url) return readFileSync(join(place.directory, 'db.json'), 'utf8');
	return onDatabase(place.url, async client => (await client.query<{body: string}>(`SELECT body FROM mysign_documents WHERE name = 'db.json'`)).rows[0]!.body);
}

/** Each document's version: a file's inode and time, a row's revision. */
async function versions(place: {directory: string; url: string | undefined}): Promise<Record<string, string>> {
	if (place.url) {
		const rows = await onDatabase(place.url, async client => (await client.query<{name: string; revision: string}>('SELECT name, revision::text AS revision FROM mysign_documents')).rows);
		return Object.fromEntries(rows.map(row => [row.name, row.revision]));
	}
	const names = ['db.json', ...readdirSync(join(place.directory, 'holders')).map(name => `holders/${name}`)];
	return Object.fromEntries(names.map(name => {
		const info = statSync(join(place.directory, name));
		return [name, `${info.ino}:${info.mtimeMs}`];
	}));
}

async function documentsOnly(place: {directory: string; url: string | undefined}, kind: Kind): Promise<string> {
	if (place.url) return onDatabase(place.url, async client => JSON.stringify((await client.query('SELECT body FROM mysign_documents')).rows));
	void kind;
	return ['db.json', ...readdirSync(join(place.directory, 'holders')).map(name => `holders/${name}`)].map(name => readFileSync(join(place.directory, name), 'utf8')).join('\n');
}

describe('the store contract on a data folder', () => contract(FOLDER));

describePostgres('the store contract on PostgreSQL', () => {
	contract(POSTGRES);
});


