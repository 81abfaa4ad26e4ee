import {AsyncLocalStorage} from 'node:async_hooks';
import type pg from 'pg';
import {DomainError} from '../../errors.js';
import type {DocumentSource, StoreBackend} from '../backend.js';
import {documentRows, holderDocumentOf, holderIndexOf, MAX_DATABASE_BYTES, MAX_HOLDER_BYTES, topDocumentOf, topText, type TopDocument} from '../document-rules.js';
import {HOLDER_FILE_PATTERN, INDEX_FILE, recordInGlobal, type GlobalDocument, type HolderDocument, type HolderIndex} from '../partition.js';
import {connect, displayUrl, poolFor, STORE_LOCK_TIMEOUT_MS, storeLockStatement, unreachable} from './database.js';

/*
 * The partitioned store's documents as rows of mysign_documents (issue 22): `db.json`,
 * `holders/<userID>.json` and `holders/index.json`, each the same JSON text a folder holds,
 * parsed and validated by the same rules (document-rules.ts). In place of db.lock, an update is
 * one transaction holding the advisory lock STORE_LOCK (pg_advisory_xact_lock: released by its
 * COMMIT or ROLLBACK, or by the server when the process dies) and reading its rows FOR UPDATE; its
 * commit is PostgreSQL's (no temps, no commit record to recover). A snapshot is a REPEATABLE READ,
 * READ ONLY transaction: one commit's rows. Round trips under the lock are what limit 8 processes
 * (the benchmark's note): the transaction, the lock and the outbox counter go in one, db.json and
 * whether the index exists in one, the documents and the counter in one, then COMMIT.
 */

const TOP = 'db.json';
const HOLDERS = 'holders/';

/** Each process queues its own updates first (as FileLock does), so at most one connection waits for the lock. */
const queues = new Map<string, Promise<unknown>>();
const holding = new AsyncLocalStorage<string>();

export class PostgresBackend implements StoreBackend {
	readonly top: string;

	constructor(
		readonly url: string,
		/** How long an update waits for the lock (tests shorten it). */
		private readonly lockTimeoutMs = STORE_LOCK_TIMEOUT_MS,
	) {
		this.top = `${displayUrl(url)} ${TOP}`;
	}

	async exists(): Promise<boolean> {
		const pool = await poolFor(this.url);
		try {
			const {rowCount} = await pool.query('SELECT 1 FROM mysign_documents WHERE name = $1', [TOP]);
			return (rowCount ?? 0) > 0;
		} catch (error) {
			throw unreachable(error, this.url);
		}
	}

	locked<T>(work: (source: DocumentSource) => Promise<T>): Promise<T> {
		if (holding.getStore() === this.url) throw new Error(`nested lock of ${this.top}: a store operation may not start another one`);
		const run = (queues.get(this.url) ?? Promise.resolve()).then(() => holding.run(this.url, () => this.holdingLock(work)));
		const settled = run.catch(() => undefined);
		queues.set(this.url, settled);
		void settled.then(() => queues.get(this.url) === settled && queues.delete(this.url));
		return run;
	}

	private async holdingLock<T>(work: (source: DocumentSource) => Promise<T>): Promise<T> {
		const client = await connect(await poolFor(this.url), this.url);
		let broken: Error | undefined;
		try {
			let counter: number;
			try {
				// One round trip: the transaction, its lock (released by its COMMIT or ROLLBACK, even if this
				// process dies) and the outbox counter (never below the highest number the outbox holds).
				const results = (await client.query(
					`BEGIN ISOLATION LEVEL READ COMMITTED; ${storeLockStatement(this.lockTimeoutMs)}; ` +
						`SELECT greatest((SELECT value FROM mysign_counters WHERE name = 'outbox'), (SELECT max(id) FROM mysign_outbox), 0)::text AS value`,
				)) as unknown as pg.QueryResult<{value: string}>[];
				counter = Number(results.at(-1)!.rows[0]!.value);
			} catch (error) {
				await client.query('ROLLBACK').catch((failure: Error) => void (broken = failure));
				// 55P03: lock_not_available, the wait ran out.
				if ((error as {code?: string}).code === '55P03') throw new DomainError('store.locked', {file: this.top});
				throw unreachable(error, this.url);
			}
			const source = new PostgresSource(client, this.url, this.top, true, counter);
			try {
				return await work(source);
			} finally {
				// What was not committed (a change that threw, a refused write) is not kept.
				if (source.open) await client.query('ROLLBACK').catch((error: Error) => void (broken = error));
			}
		} finally {
			// A connection in an unknown state is closed, never handed to the next operation.
			client.release(broken);
		}
	}

	async snapshot<T>(read: (source: DocumentSource) => Promise<T>): Promise<T> {
		const client = await connect(await poolFor(this.url), this.url);
		let broken: Error | undefined;
		try {
			await query(client, this.url, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
			try {
				return await read(new PostgresSource(client, this.url, this.top, false));
			} finally {
				await client.query('COMMIT').catch((error: Error) => void (broken = error));
			}
		} finally {
			client.release(broken);
		}
	}

	async stamp(userIds: readonly string[] | 'all'): Promise<string | undefined> {
		const pool = await poolFor(this.url);
		try {
			if (userIds === 'all') {
				const {rows} = await pool.query<{top: string | null; count: string; revision: string | null}>(
					`SELECT (SELECT revision FROM mysign_documents WHERE name = $1)::text AS top, count(*)::text AS count, max(revision)::text AS revision FROM mysign_documents`,
					[TOP],
				);
				return rows[0]!.top === null ? undefined : `${rows[0]!.count}:${rows[0]!.revision}`;
			}
			const names = [TOP, ...userIds.map(userId => `${HOLDERS}${userId}.json`)];
			const {rows} = await pool.query<{name: string; revision: string}>('SELECT name, revision::text AS revision FROM mysign_documents WHERE name = ANY($1)', [names]);
			const revisions = new Map(rows.map(row => [row.name, row.revision]));
			if (!revisions.has(TOP)) return undefined;
			return names.map(name => revisions.get(name) ?? '-').join('|');
		} catch (error) {
			throw unreachable(error, this.url);
		}
	}

	async clean(): Promise<void> {
		// A transaction whose process died is rolled back by the server: nothing is left behind.
	}
}

/** One transaction's documents (`writing`: under the lock, rows read FOR UPDATE, `commit` commits). */
class PostgresSource implements DocumentSource {
	/** The transaction is still open (not committed). */
	open = true;
	private outboxCounterTaken = false;
	/** Whether holders/index.json has a row, as readTop saw it. */
	private indexSeen: boolean | undefined;

	constructor(
		private readonly client: pg.PoolClient,
		private readonly url: string,
		readonly top: string,
		private readonly writing: boolean,
		/** The outbox's last number, read under the lock (writing only). */
		private outboxCounter = 0,
	) {}

	nameOf(name: string): string {
		return `${displayUrl(this.url)} ${HOLDERS}${name}`;
	}

	private async body(name: string, maxBytes: number, shown: string): Promise<string | undefined> {
		const lock = this.writing ? ' FOR UPDATE' : '';
		const {rows} = await query<{body: string | null; size: number}>(this.client, this.url, `SELECT CASE WHEN octet_length(body) <= $2 THEN body END AS body, octet_length(body) AS size FROM mysign_documents WHERE name = $1${lock}`, [name, maxBytes]);
		const row = rows[0];
		if (!row) return undefined;
		if (row.body === null) throw new DomainError('file.tooLarge', {file: shown, max: maxBytes});
		return row.body;
	}

	/** db.json, and (in the same round trip) whether the index has a row: every update asks both. */
	async readTop(): Promise<TopDocument> {
		const lock = this.writing ? ' FOR UPDATE' : '';
		const {rows} = await query<{name: string; body: string | null}>(
			this.client,
			this.url,
			`SELECT name, CASE WHEN name = $1 AND octet_length(body) <= $3 THEN body END AS body FROM mysign_documents WHERE name IN ($1, $2)${lock}`,
			[TOP, HOLDERS + INDEX_FILE, MAX_DATABASE_BYTES],
		);
		this.indexSeen = rows.some(row => row.name !== TOP);
		const top = rows.find(row => row.name === TOP);
		if (!top) return {kind: 'missing'};
		if (top.body === null) throw new DomainError('file.tooLarge', {file: this.top, max: MAX_DATABASE_BYTES});
		return topDocumentOf(this.top, top.body);
	}

	async holderIds(): Promise<string[]> {
		const {rows} = await query<{name: string}>(this.client, this.url, `SELECT name FROM mysign_documents WHERE name LIKE 'holders/JCPD%' ORDER BY name`);
		return rows.flatMap(row => HOLDER_FILE_PATTERN.exec(row.name.slice(HOLDERS.length))?.[1] ?? []);
	}

	async readHolder(userId: string, global: GlobalDocument): Promise<HolderDocument | undefined> {
		return (await this.readHolders([userId], global))[0];
	}

	async readHolders(userIds: readonly string[], global: GlobalDocument): Promise<HolderDocument[]> {
		if (userIds.length === 0) return [];
		const wanted = userIds.filter(userId => !global.removing.includes(userId));
		const lock = this.writing ? ' FOR UPDATE' : '';
		const {rows} = await query<{name: string; body: string | null}>(
			this.client,
			this.url,
			`SELECT name, CASE WHEN octet_length(body) <= $2 THEN body END AS body FROM mysign_documents WHERE name = ANY($1)${lock}`,
			[wanted.map(userId => `${HOLDERS}${userId}.json`), MAX_HOLDER_BYTES],
		);
		return rows.map(row => {
			const userId = HOLDER_FILE_PATTERN.exec(row.name.slice(HOLDERS.length))![1]!;
			const shown = this.nameOf(`${userId}.json`);
			if (row.body === null) throw new DomainError('file.tooLarge', {file: shown, max: MAX_HOLDER_BYTES});
			const document = holderDocumentOf(shown, userId, row.body);
			const misplaced = recordInGlobal(global, userId);
			if (misplaced) throw new DomainError('store.invalid', {file: this.top, reason: misplaced});
			return document;
		});
	}

	async hasIndex(): Promise<boolean> {
		if (this.indexSeen !== undefined) return this.indexSeen;
		const {rowCount} = await query(this.client, this.url, 'SELECT 1 FROM mysign_documents WHERE name = $1', [HOLDERS + INDEX_FILE]);
		return (rowCount ?? 0) > 0;
	}

	async readIndex(): Promise<HolderIndex | undefined> {
		const shown = this.nameOf(INDEX_FILE);
		const text = await this.body(HOLDERS + INDEX_FILE, MAX_DATABASE_BYTES, shown);
		return text === undefined ? undefined : holderIndexOf(shown, text);
	}

	async recover(): Promise<void> {
		// A transaction commits whole or not at all: nothing to finish.
	}

	async commit(global: GlobalDocument | undefined, holders: ReadonlyMap<string, HolderDocument>, index?: HolderIndex): Promise<void> {
		const rows = documentRows(name => this.nameOf(name), holders, index);
		if (global) rows.push({name: TOP, text: topText(this.top, global)});
		await this.upsert(rows);
		await this.finish();
	}

	async split(global: GlobalDocument, holders: ReadonlyMap<string, HolderDocument>, index: HolderIndex): Promise<void> {
		const strangers = (await this.holderIds()).filter(userId => !holders.has(userId));
		if (strangers.length > 0) {
			throw new DomainError('store.invalid', {file: this.nameOf(`${strangers[0]}.json`), reason: `a holder document beside a format-1 db.json that has no holder ${strangers[0]}`});
		}
		// Committed with the operation that split it (a change that throws leaves format 1, split again next time).
		await this.upsert(this.everything(global, holders, index));
	}

	async create(global: GlobalDocument, holders: ReadonlyMap<string, HolderDocument>, index: HolderIndex): Promise<void> {
		const rows = this.everything({...global, removing: []}, holders, index);
		// Every holder not in `holders` goes in the same transaction: no `removing` list to finish.
		await query(this.client, this.url, `DELETE FROM mysign_documents WHERE name LIKE 'holders/%'`);
		await this.upsert(rows);
		await this.finish();
	}

	nextOutboxNumber(known: number): number {
		if (!this.writing || !this.open) throw new Error('an outbox number outside a store update');
		this.outboxCounter = Math.max(this.outboxCounter, known) + 1;
		this.outboxCounterTaken = true;
		return this.outboxCounter;
	}

	private everything(global: GlobalDocument, holders: ReadonlyMap<string, HolderDocument>, index: HolderIndex): {name: string; text: string}[] {
		const rows = documentRows(name => this.nameOf(name), holders, index);
		rows.push({name: TOP, text: topText(this.top, global)});
		return rows;
	}

	/** The rows written, and the outbox counter when numbers were taken, in one statement. */
	private async upsert(rows: readonly {name: string; text: string}[]): Promise<void> {
		if (!this.writing || !this.open) throw new Error('a store write outside a store update');
		if (rows.length === 0 && !this.outboxCounterTaken) return;
		await query(
			this.client,
			this.url,
			`WITH documents AS (
				INSERT INTO mysign_documents (name, body) SELECT * FROM unnest($1::text[], $2::text[])
				ON CONFLICT (name) DO UPDATE SET body = EXCLUDED.body, revision = nextval('mysign_revision')
			), counter AS (
				INSERT INTO mysign_counters (name, value) SELECT 'outbox', $3::bigint WHERE $3::bigint IS NOT NULL
				ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value
			) SELECT 1`,
			[rows.map(row => row.name), rows.map(row => row.text), this.outboxCounterTaken ? this.outboxCounter : null],
		);
		this.outboxCounterTaken = false;
	}

	/**
	 * COMMIT: from here the change is the database's, and the lock is released with the transaction
	 * (the update's after-commit effects, rows of the outbox and the access log, need no lock: their
	 * numbers were taken under it, and an access entry appended twice is kept once).
	 */
	private async finish(): Promise<void> {
		try {
			await this.client.query('COMMIT');
		} catch (error) {
			// The server may have committed before the answer was lost: the outcome is not known.
			throw new DomainError('store.commitUnknown', {store: this.top, reason: (error as {code?: string}).code ?? 'error'});
		} finally {
			this.open = false;
		}
	}
}

async function query<R extends pg.QueryResultRow = pg.QueryResultRow>(client: pg.PoolClient, url: string, text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
	try {
		return await client.query<R>(text, values);
	} catch (error) {
		throw unreachable(error, url);
	}
}
