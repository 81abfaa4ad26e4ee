import {spawn} from 'node:child_process';
import {chmodSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {DomainError} from '../../../source/core/errors.js';
import {migrate, type Migration} from '../../../source/core/store/migrations.js';
import {DATABASE_VERSION, emptyDatabase, nextSequence, type Holder} from '../../../source/core/store/schema.js';
import {Store} from '../../../source/core/store/store.js';
import {holderFile, holdersFolder, recordBytes} from '../../helpers/data-folder.js';
import {dataFolders, rejection, temporaries, validHolder, withUmask} from '../../helpers/stores.js';

/** A data folder path that does not exist yet, inside a temp folder removed after the test. */
const folder = dataFolders();

describe('file permissions', () => {
	it('creates the folder 0700 and writes db.json and db.lock 0600, also under umask 000', async () => {
		await withUmask(0, async () => {
			const store = new Store(folder());
			await store.initialize(() => emptyDatabase());
			expect(statSync(store.file).mode & 0o777).toBe(0o600);
			await store.update(db => {
				db.sequences['x'] = 1;
			});
			expect(statSync(store.file).mode & 0o777).toBe(0o600);
			expect(statSync(join(store.directory, 'db.lock')).mode & 0o777).toBe(0o600);
			expect(statSync(store.directory).mode & 0o777).toBe(0o700);
		});
	});

	it('keeps db.json 0600 when an update replaces a file someone loosened to 0644', async () => {
		await withUmask(0, async () => {
			const store = new Store(folder());
			await store.initialize(() => emptyDatabase());
			chmodSync(store.file, 0o644);
			await store.update(db => {
				db.sequences['x'] = 1;
			});
			expect(statSync(store.file).mode & 0o777).toBe(0o600);
		});
	});

	it('gives a new data folder exactly 0700 even when the umask strips owner bits', async () => {
		await withUmask(0o277, async () => {
			const store = new Store(folder());
			await store.ensureDirectory();
			expect(statSync(store.directory).mode & 0o777).toBe(0o700);
		});
	});
});

describe('a database that does not parse or validate', () => {
	const valid = JSON.stringify(emptyDatabase(), null, '\t');
	const cases: [string, () => string, string][] = [
		['truncated', () => valid.slice(0, Math.floor(valid.length / 2)), 'store.invalid'],
		['empty', () => '', 'store.invalid'],
		['not JSON', () => 'hello', 'store.invalid'],
		['not an object', () => '[1, 2, 3]', 'store.invalid'],
		['schema-violating (a holder with a bad userID)', () => JSON.stringify({...emptyDatabase(), holders: [{...validHolder(), userId: 'ABC'}]}), 'store.invalid'],
		['schema-violating (a negative counter)', () => JSON.stringify({...emptyDatabase(), sequences: {counter: -1}}), 'store.invalid'],
		['without a version', () => JSON.stringify({...emptyDatabase(), version: undefined}), 'store.invalid'],
		['from a future version', () => JSON.stringify({...emptyDatabase(), version: 99}), 'store.futureVersion'],
	];

	it.each(cases)('%s: read, update and initialize refuse it, name the file, and change nothing', async (_name, corrupt, code) => {
		const store = new Store(folder());
		await store.initialize(() => emptyDatabase());
		writeFileSync(store.file, corrupt());
		const before = readFileSync(store.file);
		const modeBefore = statSync(store.file).mode;
		let changed = false;
		const attempts: [string, () => Promise<unknown>][] = [
			['read', () => store.read()],
			['update', () => store.update(db => {
				changed = true;
				nextSequence(db, 'counter');
			})],
			['initialize', () => store.initialize(() => emptyDatabase())],
			['update from a fresh Store', () => new Store(store.directory).update(() => (changed = true))],
		];
		for (const [what, attempt] of attempts) {
			const error = await rejection(attempt());
			expect(error, what).toBeInstanceOf(DomainError);
			expect((error as DomainError).code, what).toBe(code);
			expect((error as DomainError).params['file'], what).toBe(store.file);
			if (code === 'store.futureVersion') expect((error as DomainError).params['version'], what).toBe(99);
			else expect((error as DomainError).params['reason'], what).toEqual(expect.any(String));
		}
		expect(changed).toBe(false);
		expect(readFileSync(store.file).equals(before)).toBe(true);
		expect(statSync(store.file).mode).toBe(modeBefore);
		expect(temporaries(store.directory)).toEqual([]);
	});

	it('says where a schema violation is', async () => {
		const store = new Store(folder());
		await store.initialize(() => emptyDatabase());
		writeFileSync(store.file, JSON.stringify({...emptyDatabase(), holders: [validHolder()]}));
		await expect(store.read()).resolves.toMatchObject({holders: [{userId: 'JCPD1234'}]});
		writeFileSync(store.file, JSON.stringify({...emptyDatabase(), holders: [{...validHolder(), userId: 'ABC'}]}));
		await expect(store.read()).rejects.toMatchObject({code: 'store.invalid', params: {reason: expect.stringContaining('holders.0.userId')}});
	});

	it('releases the lock after refusing a file, so the next operation works once the file is repaired', async () => {
		const store = new Store(folder());
		await store.initialize(() => emptyDatabase());
		const good = readFileSync(store.file);
		writeFileSync(store.file, '{');
		await expect(store.update(() => undefined)).rejects.toBeInstanceOf(DomainError);
		writeFileSync(store.file, good);
		await expect(store.update(db => nextSequence(db, 'counter'))).resolves.toBe(1);
	});
});

describe('operations', () => {
	it('initialize creates the file once and never overwrites a valid database unless asked to', async () => {
		const store = new Store(folder());
		expect(await store.initialize(() => emptyDatabase())).toBe(true);
		await store.update(db => nextSequence(db, 'counter'));
		expect(await store.initialize(() => emptyDatabase())).toBe(false);
		expect((await store.read()).sequences['counter']).toBe(1);
		expect(await store.initialize(() => emptyDatabase(), {replace: true})).toBe(true);
		expect((await store.read()).sequences).toEqual({});
	});

	it('an operation that throws writes nothing, even what it changed before throwing', async () => {
		const store = new Store(folder());
		await store.initialize(() => emptyDatabase());
		const before = recordBytes(store.directory);
		const failure = new Error('operation failed halfway');
		await expect(
			store.update(db => {
				nextSequence(db, 'counter');
				db.holders.push(validHolder());
				throw failure;
			}),
		).rejects.toBe(failure);
		expect(recordBytes(store.directory)).toEqual(before);
		await expect(store.update(db => nextSequence(db, 'counter'))).resolves.toBe(1);
	});

	it('update and read refuse a data folder without a database', async () => {
		const store = new Store(folder());
		await store.ensureDirectory();
		await expect(store.read()).rejects.toMatchObject({code: 'store.missing', params: {file: store.file}});
		await expect(store.update(() => undefined)).rejects.toMatchObject({code: 'store.missing', params: {file: store.file}});
		expect(readdirSync(store.directory).filter(name => name !== 'db.lock')).toEqual([]);
	});

	it('concurrent operations in one process, on one Store and on two Stores of the same folder, lose nothing', async () => {
		const directory = folder();
		const first = new Store(directory);
		await first.initialize(() => emptyDatabase());
		const second = new Store(directory);
		const increment = (store: Store) => store.update(db => nextSequence(db, 'counter'));
		const values = await Promise.all(Array.from({length: 150}, (_, index) => increment(index % 3 === 0 ? second : first)));
		expect(new Set(values).size).toBe(150);
		expect((await first.read()).sequences['counter']).toBe(150);
	});

	it('on its first operation, removes temp files of writers that are dead, and only those', async () => {
		const store = new Store(folder());
		await store.initialize(() => ({...emptyDatabase(), holders: [validHolder()]}));
		// A pid that has surely exited: a child we waited for.
		const dead = spawn(process.execPath, ['-e', '']);
		await new Promise(resolve => dead.on('exit', resolve));
		// A pid that surely runs: a child we stop afterwards.
		const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
		try {
			const strayName = `db.json.${dead.pid}.0123456789ab.tmp`;
			const liveName = `db.json.${alive.pid}.ba9876543210.tmp`;
			const unrelated = ['other.json.1.ab.tmp', 'db.json.notapid.tmp', `db.json.${dead.pid}.xyz.tmp`, 'notes.txt'];
			for (const name of [strayName, liveName, ...unrelated]) writeFileSync(join(store.directory, name), '{"half": ');
			// An OTP's SMS is written after the commit: a sender killed there leaves its temp file in outbox/.
			const outbox = join(store.directory, 'outbox');
			mkdirSync(outbox, {mode: 0o700});
			const straySms = `00000135.sms.json.${dead.pid}.0123456789ab.tmp`;
			const liveSms = `00000136.sms.json.${alive.pid}.0123456789ab.tmp`;
			for (const name of [straySms, liveSms]) writeFileSync(join(outbox, name), '{"half": ');
			// A holder document's temp that no commit names: its writer died before committing.
			const holders = holdersFolder(store.directory);
			const strayHolder = `JCPD1234.json.${dead.pid}.0123456789ab.tmp`;
			const liveHolder = `JCPD1234.json.${alive.pid}.ba9876543210.tmp`;
			for (const name of [strayHolder, liveHolder]) writeFileSync(join(holders, name), '{"half": ');
			// A fresh Store: `initialize` above already did the one-time clean-up for its own instance.
			const next = new Store(store.directory);
			await next.update(db => nextSequence(db, 'counter'));
			const left = readdirSync(store.directory);
			expect(left).not.toContain(strayName);
			expect(left).toContain(liveName);
			for (const name of unrelated) expect(left).toContain(name);
			expect(readdirSync(outbox)).toEqual([liveSms]);
			expect(readdirSync(holders).sort()).toEqual(['JCPD1234.json', liveHolder, 'index.json']);
			expect((await next.read()).sequences['counter']).toBe(1);
		} finally {
			alive.kill('SIGKILL');
		}
	});
});

describe('migrations', () => {
	it('upgrades v1 to v3 one step at a time, in order, setting each version', () => {
		const calls: string[] = [];
		const steps: Record<number, Migration> = {
			1: document => {
				calls.push(`1→2 saw version ${String(document['version'])}`);
				return {...document, a: 'added in 2'};
			},
			2: document => {
				calls.push(`2→3 saw version ${String(document['version'])}`);
				return {...document, b: `${String(document['a'])}, then 3`};
			},
		};
		expect(migrate({version: 1, kept: true}, steps, 3)).toEqual({kind: 'ok', migrated: true, document: {version: 3, kept: true, a: 'added in 2', b: 'added in 2, then 3'}});
		expect(calls).toEqual(['1→2 saw version 1', '2→3 saw version 2']);
		calls.length = 0;
		expect(migrate({version: 2, a: 'x'}, steps, 3)).toEqual({kind: 'ok', migrated: true, document: {version: 3, a: 'x', b: 'x, then 3'}});
		expect(calls).toEqual(['2→3 saw version 2']);
		calls.length = 0;
		expect(migrate({version: 3}, steps, 3)).toEqual({kind: 'ok', migrated: false, document: {version: 3}});
		expect(calls).toEqual([]);
	});

	it('a step cannot keep the old version number', () => {
		expect(migrate({version: 1}, {1: document => ({...document, version: 1})}, 2)).toEqual({kind: 'ok', migrated: true, document: {version: 2}});
	});

	it('fails loudly when a step is missing', () => {
		expect(() => migrate({version: 1}, {1: document => document}, 3)).toThrow('no migration from database version 2');
	});

	it('reports future and unversioned documents', () => {
		expect(migrate({version: 7}, {}, 3)).toEqual({kind: 'future', version: 7});
		expect(migrate({version: 4}, {}, 3)).toEqual({kind: 'future', version: 4});
		for (const document of [{}, {version: '1'}, {version: 0}, {version: -1}, {version: 1.5}, {version: null}, [], null, 'text', 1]) {
			expect(migrate(document, {}, 3), JSON.stringify(document)).toEqual({kind: 'unversioned'});
		}
	});

	it('the current database needs no migration', () => {
		expect(migrate(emptyDatabase())).toEqual({kind: 'ok', migrated: false, document: emptyDatabase()});
		expect(migrate({version: DATABASE_VERSION + 1})).toEqual({kind: 'future', version: DATABASE_VERSION + 1});
	});
});

describe('store guards', () => {
	it('refuses to save a change that breaks the schema, and keeps the file as it was', async () => {
		const store = new Store(folder());
		await store.initialize(() => ({...emptyDatabase(), holders: [validHolder()]}));
		const before = recordBytes(store.directory);
		await expect(store.update(db => void (db.sequences['x'] = -1))).rejects.toMatchObject({code: 'store.invalid', params: {file: store.file}});
		expect(recordBytes(store.directory)).toEqual(before);
		// A holder's record broken, with db.json changed too (a commit of both) or alone (scoped).
		const holder = holderFile(store.directory, 'JCPD1234');
		const breakHolder = (db: {holders: Holder[]; sequences: Record<string, number>}) => {
			db.sequences['x'] = 1;
			db.holders[0]!.pinFailures = -1;
		};
		await expect(store.update(breakHolder)).rejects.toMatchObject({code: 'store.invalid', params: {file: holder, reason: expect.stringContaining('holder.pinFailures')}});
		await expect(store.update(db => void (db.holders[0]!.pinFailures = -1), 'JCPD1234')).rejects.toMatchObject({code: 'store.invalid', params: {file: holder}});
		expect(recordBytes(store.directory)).toEqual(before);
		expect(temporaries(holdersFolder(store.directory))).toEqual([]);
		await store.update(db => void (db.sequences['x'] = 1));
	});

	it('says the database is missing when the folder does not exist', async () => {
		const store = new Store(folder());
		await expect(store.update(() => undefined)).rejects.toMatchObject({code: 'store.missing'});
	});

	it('refuses an operation started inside another one instead of waiting forever', async () => {
		const store = new Store(folder());
		await store.initialize(() => emptyDatabase());
		await expect(store.update(() => store.update(() => undefined))).rejects.toThrow(/nested lock/);
		await store.update(() => undefined);
	});
});

describe('validation that skips what the process already checked', () => {
	it('still refuses any field or array element another process broke, with the same path and message as a full check, and saves nothing broken', async () => {
		const directory = folder();
		const store = new Store(directory);
		const holders = [validHolder(), {...validHolder(), userId: 'JCPD5678', email: 'altro.titolare@example.it'}];
		await store.initialize(() => ({...emptyDatabase(), holders}));
		// Both Stores (and every read and write before) have seen the valid files: every field is known.
		await store.update(db => nextSequence(db, 'counter'));
		await new Store(directory).read();
		const valid = recordBytes(directory);
		type Document = Record<string, unknown> & {holder: Holder; sequences: Record<string, number>};
		// Each broken in the file that holds it: db.json (format 2) or the holder's document.
		const broken: [string | undefined, string, (document: Document) => void, string][] = [
			['JCPD5678', 'holder.phone', document => void (document.holder.phone = '333'), 'phone must be in international form'],
			['JCPD1234', 'holder.otp.preferred', document => void ((document.holder.otp as {preferred: string}).preferred = 'fax'), ''],
			[undefined, 'sequences.counter', document => void (document.sequences['counter'] = -1), ''],
			[undefined, 'settings', document => void (document['settings'] = 'none'), ''],
		];
		for (const [userId, where, breakIt, message] of broken) {
			const file = userId === undefined ? store.file : holderFile(directory, userId);
			const document = JSON.parse(readFileSync(file, 'utf8')) as Document;
			breakIt(document);
			writeFileSync(file, JSON.stringify(document, null, '\t'));
			const error = (await rejection(store.read())) as DomainError;
			expect(error.code, where).toBe('store.invalid');
			expect(error.params['file'], where).toBe(file);
			expect(String(error.params['reason']), where).toContain(`${where}: ${message}`);
			await expect(store.update(() => undefined), where).rejects.toMatchObject({code: 'store.invalid', params: {file}});
			// An operation scoped to the holder whose document is broken refuses it too.
			if (userId !== undefined) {
				await expect(store.read(userId), where).rejects.toMatchObject({code: 'store.invalid', params: {file}});
				await expect(store.update(() => undefined, userId), where).rejects.toMatchObject({code: 'store.invalid', params: {file}});
			}
			writeFileSync(file, Buffer.from(valid.get(file)!, 'base64'));
		}
		expect(recordBytes(directory)).toEqual(valid);
		await expect(store.update(db => void (db.holders[0]!.email = 'not an e-mail'))).rejects.toMatchObject({code: 'store.invalid', params: {file: holderFile(directory, 'JCPD1234'), reason: expect.stringContaining('holder.email')}});
		await expect(store.update(db => void db.holders.push({...validHolder(), userId: 'X'}))).rejects.toMatchObject({code: 'store.invalid', params: {reason: expect.stringContaining('userId')}});
		expect(recordBytes(directory)).toEqual(valid);
	});

	it('fills defaults and drops unknown keys in a field it has seen before in another form', async () => {
		const store = new Store(folder());
		await store.initialize(() => ({...emptyDatabase(), holders: [validHolder()]}));
		await store.read();
		const {language: _language, ...withoutLanguage} = validHolder();
		// In the holder's document (format 2)…
		const file = holderFile(store.directory, 'JCPD1234');
		writeFileSync(file, JSON.stringify({...JSON.parse(readFileSync(file, 'utf8')), holder: {...withoutLanguage, extra: 1}}));
		expect((await store.read()).holders[0]).toEqual(validHolder());
		expect((await store.read('JCPD1234')).holders[0]).toEqual(validHolder());
		// …and in a format-1 db.json.
		writeFileSync(store.file, JSON.stringify({...emptyDatabase(), holders: [{...withoutLanguage, extra: 1}]}));
		const read = await store.read();
		expect(read.holders[0]).toEqual(validHolder());
		expect(read.operators).toEqual([]);
	});
});
