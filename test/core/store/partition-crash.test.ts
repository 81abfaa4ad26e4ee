import {existsSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {DataFiles} from '../../../source/core/store/documents.js';
import {mergeDocuments} from '../../../source/core/store/partition.js';
import {emptyDatabase, nextSequence, type Database} from '../../../source/core/store/schema.js';
import {NO_HOLDER, Store} from '../../../source/core/store/store.js';
import {startWorker} from '../../helpers/processes.js';
import {A, B, DEAD_PID, EMAIL, folders, holderPath, killedCommit, readJson, renamedHolder, serialise, tree} from './partition-fixture.js';

/*
 * A writer of the partitioned store killed at each point of a multi-document commit (temps
 * written; db.json committed; renames half done) or of a format-1 split, simulated by leaving
 * exactly what it would have left: the next reader (without the lock) and the next writer (with
 * it) must both see the committed state, never a mix, and the folder must end up clean.
 */

const {partitioned} = folders();

function temporaries(store: Store): string[] {
	return readdirSync(join(store.directory, 'holders')).filter(name => name.endsWith('.tmp'));
}

/** A's document with a new name, and the index with A's new address: one commit of two documents. */
function aMoves(store: Store): {document: string; index: string} {
	const document = readJson(holderPath(store, A)) as {holder: {name: string; email: string}};
	document.holder.name = 'Annabella';
	document.holder.email = 'annabella@example.it';
	const index = readJson(join(store.directory, 'holders', 'index.json')) as {emails: Record<string, string>};
	delete index.emails[EMAIL[A]];
	index.emails['annabella@example.it'] = A;
	return {document: serialise(document), index: serialise(index)};
}

async function expectCommitted(store: Store, document: string): Promise<void> {
	// The reader first, without the lock: the temps stand in for their targets.
	expect((await store.read(A)).holders[0]!.name).toBe('Annabella');
	expect(await store.holderIdByEmail('annabella@example.it')).toBe(A);
	expect(await store.holderIdByEmail(EMAIL[A])).toBeUndefined();
	// Then a writer (another process: a new Store), scoped to the OTHER holder: it still finishes A's commit.
	await new Store(store.directory).update(db => void (db.sequences['after'] = 1), B);
	expect(readFileSync(holderPath(store, A), 'utf8')).toBe(document);
	expect(await store.holderIdByEmail('annabella@example.it')).toBe(A);
	expect((await store.read()).holders.map(holder => holder.name)).toEqual(['Annabella', 'Anna']);
	expect(temporaries(store)).toEqual([]);
}

describe('a writer killed during a multi-document commit', () => {
	it('before db.json names its temps: the old state, the temps removed as strays', async () => {
		const store = await partitioned();
		const {document, index} = aMoves(store);
		const top = readFileSync(store.file);
		killedCommit(store, {[`${A}.json`]: document, 'index.json': index});
		writeFileSync(store.file, top);
		expect((await store.read(A)).holders[0]!.name).toBe('Anna');
		expect(await store.holderIdByEmail(EMAIL[A])).toBe(A);
		await new Store(store.directory).update(db => void (db.sequences['after'] = 1), B);
		expect((await store.read(A)).holders[0]!.name).toBe('Anna');
		expect(await store.holderIdByEmail('annabella@example.it')).toBeUndefined();
		expect(temporaries(store)).toEqual([]);
	});

	it('after db.json, before the renames: readers and the next writer see the commit', async () => {
		const store = await partitioned();
		const {document, index} = aMoves(store);
		killedCommit(store, {[`${A}.json`]: document, 'index.json': index});
		await expectCommitted(store, document);
	});

	it('in the middle of the renames: the same', async () => {
		const store = await partitioned();
		const {document, index} = aMoves(store);
		killedCommit(store, {[`${A}.json`]: document, 'index.json': index}, [`${A}.json`]);
		await expectCommitted(store, document);
	});

	it('all renamed, db.json still naming the temps: the same (nothing to redo)', async () => {
		const store = await partitioned();
		const {document, index} = aMoves(store);
		killedCommit(store, {[`${A}.json`]: document, 'index.json': index}, [`${A}.json`, 'index.json']);
		await expectCommitted(store, document);
	});

	// Store.initialize cleans stray temps before it reads db.json (`mysign demo` on a folder that exists):
	// a killed writer's committed temps are no strays, and must not be lost there.
	it('then a start that initializes the folder (it exists): the commit is kept, then finished', async () => {
		const store = await partitioned();
		const {document, index} = aMoves(store);
		killedCommit(store, {[`${A}.json`]: document, 'index.json': index});
		expect(await new Store(store.directory).initialize(() => emptyDatabase())).toBe(false);
		await expectCommitted(store, document);
	});

	it('that created a holder (only a temp of their document, no target yet): a reader of all holders sees them', async () => {
		const store = await partitioned();
		const created = readJson(holderPath(store, B)) as {holder: {userId: string; email: string}; sessions: {userId: string}[]; loginThrottle: Record<string, unknown>};
		created.holder.userId = 'JCPD3333';
		created.holder.email = 'carla@example.it';
		created.sessions = [];
		created.loginThrottle = {};
		const index = readJson(join(store.directory, 'holders', 'index.json')) as {emails: Record<string, string>};
		index.emails['carla@example.it'] = 'JCPD3333';
		const document = serialise(created);
		killedCommit(store, {'JCPD3333.json': document, 'index.json': serialise(index)});
		expect(await store.holderIdByEmail('carla@example.it')).toBe('JCPD3333');
		expect((await store.read('JCPD3333')).holders.map(holder => holder.userId)).toEqual(['JCPD3333']);
		expect((await store.read()).holders.map(holder => holder.userId)).toEqual([A, B, 'JCPD3333']);
		await new Store(store.directory).update(() => undefined, A);
		expect(readFileSync(holderPath(store, 'JCPD3333'), 'utf8')).toBe(document);
	});

	// holders/index.json grows with the holders (about 40 bytes each): read up to db.json's limit, so recovered up to it too.
	it('of an index larger than a holder document may be: the next writer finishes it', async () => {
		const store = await partitioned();
		const {document, index} = aMoves(store);
		const large = JSON.parse(index) as {emails: Record<string, string>};
		for (let number = 0; number < 450_000; number++) large.emails[`holder${number}@example.it`] = B;
		const text = serialise(large);
		expect(text.length).toBeGreaterThan(16 * 1024 * 1024);
		killedCommit(store, {[`${A}.json`]: document, 'index.json': text});
		await new Store(store.directory).update(db => void (db.sequences['after'] = 1), B);
		expect(readFileSync(holderPath(store, A), 'utf8')).toBe(document);
		expect(readFileSync(join(store.directory, 'holders', 'index.json'), 'utf8')).toBe(text);
		expect(temporaries(store)).toEqual([]);
	});

	it('a temp of a later write with the same committed name is not taken for the commit (hash differs)', async () => {
		const store = await partitioned();
		const {document, index} = aMoves(store);
		const temporaries_ = killedCommit(store, {[`${A}.json`]: document, 'index.json': index}, [`${A}.json`, 'index.json']);
		// A later single-document write of A (db.json unchanged: it still names the old temp) ...
		await store.update(db => void (db.holders[0]!.name = 'Later'), A);
		// ... and a file at the committed temp's name with other bytes: refused, not read in place of A's document.
		writeFileSync(join(store.directory, 'holders', temporaries_[`${A}.json`]!), renamedHolder(store, A, 'Replayed'));
		await expect(store.read(A)).rejects.toMatchObject({code: 'store.invalid'});
	});
});

describe('a writer killed while it took an outbox number', () => {
	it('leaves a temp of outbox.sequence that the next writer removes; the number is not given again', async () => {
		const store = await partitioned();
		await store.update(db => nextSequence(db, 'outbox'), NO_HOLDER);
		const stray = join(store.directory, `outbox.sequence.${DEAD_PID}.000000000001.tmp`);
		writeFileSync(stray, '2\n');
		expect(await new Store(store.directory).update(db => nextSequence(db, 'outbox'), NO_HOLDER)).toBe(2);
		expect(existsSync(stray)).toBe(false);
	});
});

describe('a writer killed in the middle of a format-1 split', () => {
	it('leaves db.json in format 1: readers read it alone, the next writer splits it again', async () => {
		const store = await partitioned();
		const whole = await store.read();
		const aDocument = readFileSync(holderPath(store, A));
		rmSync(join(store.directory, 'holders'), {recursive: true});
		writeFileSync(store.file, serialise(whole));
		// The split had written A's document (and a temp of B's) when it was killed.
		const holders = join(store.directory, 'holders');
		await import('node:fs').then(fs => fs.mkdirSync(holders, {mode: 0o700}));
		writeFileSync(holderPath(store, A), aDocument);
		writeFileSync(join(holders, `${B}.json.${DEAD_PID}.000000000001.tmp`), '{"half');
		expect(await store.read()).toEqual(whole);
		expect(await store.holderIdByEmail(EMAIL[B])).toBe(B);
		await new Store(store.directory).update(() => undefined, A);
		expect(readJson(store.file)['version']).toBe(2);
		expect(await store.read()).toEqual(whole);
		expect(await store.holderIdByEmail(EMAIL[B])).toBe(B);
		expect(existsSync(holderPath(store, B))).toBe(true);
		expect(temporaries(store)).toEqual([]);
		expect(Object.keys(tree(store.directory)).filter(name => name.startsWith('holders'))).toEqual(['holders', `holders/${A}.json`, `holders/${B}.json`, 'holders/index.json']);
	});
});

describe('a writer of multi-document commits killed with SIGKILL at random moments', () => {
	it('leaves db.json and both holders\' documents at one commit, for a reader and for the next writer', async () => {
		const store = await partitioned();
		let onDisk = 0;
		let killedInCommit = 0;
		for (let round = 0; round < 20; round++) {
			const worker = startWorker('partition-worker', [store.directory, '1000000']);
			await worker.firstConfirmation;
			await new Promise(resolve => setTimeout(resolve, 5 + Math.random() * 100));
			worker.child.kill('SIGKILL');
			expect(await worker.exit).toBeNull();
			expect(worker.confirmed[0], `round ${round}`).toBe(onDisk + 1);
			if (temporaries(store).length > 0) killedInCommit++;
			// A reader without the lock: every document at the same commit, at least the last confirmed.
			const seen = await new Store(store.directory).read();
			const counter = seen.sequences['counter']!;
			expect(seen.holders.map(holder => holder.name), `round ${round}`).toEqual([`N${counter}`, `N${counter}`]);
			expect(counter, `round ${round}`).toBeGreaterThanOrEqual(worker.confirmed.at(-1)!);
			expect(counter, `round ${round}`).toBeLessThanOrEqual(worker.confirmed.at(-1)! + 1);
			onDisk = counter;
		}
		expect(killedInCommit).toBeGreaterThan(0);
		await new Store(store.directory).update(db => void (db.sequences['counter'] = db.sequences['counter']! + 1));
		const seen = await store.read();
		expect(seen.holders.map(holder => holder.name)).toEqual([`N${onDisk}`, `N${onDisk}`]);
		expect(seen.sequences['counter']).toBe(onDisk + 1);
		expect(temporaries(store)).toEqual([]);
	});
});

/** Reads while a worker commits to db.json and both holders' documents in each operation: the reads that saw a mix. */
async function mixedReads(read: (store: Store) => Promise<Database>): Promise<string[]> {
	const store = await partitioned();
	const worker = startWorker('partition-worker', [store.directory, '400']);
	await worker.firstConfirmation;
	const mixed: string[] = [];
	let reads = 0;
	try {
		while (worker.child.exitCode === null && reads < 2000) {
			const seen = await read(store);
			reads++;
			const names = seen.holders.map(holder => holder.name);
			const counter = seen.sequences['counter']!;
			if (names.some(name => name !== `N${counter}`)) mixed.push(`counter ${counter}, names ${names.join(' ')}`);
		}
	} finally {
		worker.child.kill('SIGKILL');
		await worker.exit;
	}
	expect(reads).toBeGreaterThan(20);
	return mixed.slice(0, 5);
}

describe('a reader without the lock during multi-document commits', () => {
	// Store.read reads db.json, then each document; without DataFiles.consistentRead a commit in
	// between mixed them (seen: "counter 16, names N17 N16").
	it('sees db.json and every holder document at one commit, never a mix (Store.read)', async () => {
		expect(await mixedReads(store => new Store(store.directory).read())).toEqual([]);
	});

	it('sees one commit when read through DataFiles.consistentRead', async () => {
		const whole = (files: DataFiles) => {
			const top = files.readTop();
			if (top.kind !== 'partitioned') throw new Error('format 2 expected');
			return mergeDocuments(top.global, files.holderIds().map(userId => files.readHolder(userId, top.global)!));
		};
		expect(await mixedReads(async store => new DataFiles(store.directory).consistentRead(() => whole(new DataFiles(store.directory))) ?? (await store.update(db => db)))).toEqual([]);
	});
});
