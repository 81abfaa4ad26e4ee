import type pg from 'pg';
import {addRecord, emptyColumns, type LogColumns} from '../../history/signature-index.js';
import {checkRecord, signatureRecordSchema, type SignatureRecord} from '../../history/signature-record.js';
import type {SignatureLogReading, SignatureLogStore, SignatureLogView, SignatureLogViewNow} from '../../history/signature-log.js';
import {query, SIGNATURE_LOCK_CLASS, transaction} from './queries.js';

/*
 * The signature log in PostgreSQL (mysign_signatures), for servers sharing one database: one row
 * per record, the JSON line a folder's file would hold, in the order appended (`position`).
 *
 * As with a folder, a view is columns (each valid record's time and outcome, checked as strictly
 * as `read` checks them) and a record is fetched when shown. Each process keeps a holder's
 * columns and afterwards fetches only rows after the last it saw: appends and replacements of one
 * holder hold a transaction-level advisory lock on that holder, so its rows are committed in
 * `position` order and none can appear behind one already read. A replacement deletes every row
 * (positions are never used again): a view whose first row is gone starts again from the start.
 * `viewNow` has nothing it could answer without a query: it is always undefined (callers `view`).
 */

/** A valid record is under 2 KB (a 255-character name, a 1000-character reason): a longer row is skipped, never parsed. */
const MAX_RECORD_BYTES = 16 * 1024;

/** A holder's rows as read so far: the columns (`starts` holding each record's position) and the first and last rows seen, valid or not (0: none). */
interface Columns {
	columns: LogColumns;
	first: number;
	last: number;
}

const emptyColumnsOf = (): Columns => ({columns: emptyColumns('', 0), first: 0, last: 0});

export class PostgresSignatureLog implements SignatureLogStore {
	private readonly cache = new Map<string, Columns>();

	constructor(private readonly url: string) {}

	async append(userId: string, records: readonly SignatureRecord[]): Promise<void> {
		if (records.length === 0) return;
		for (const record of records) signatureRecordSchema.parse(record);
		checkUserId(userId);
		await transaction(this.url, async client => {
			await lockHolder(client, userId);
			await insert(client, userId, records.map(record => JSON.stringify(record)));
		});
	}

	async replace(userId: string, records: readonly SignatureRecord[]): Promise<void> {
		checkUserId(userId);
		const lines = records.map(record => JSON.stringify(signatureRecordSchema.parse(record)));
		await transaction(this.url, async client => {
			await lockHolder(client, userId);
			await client.query('DELETE FROM mysign_signatures WHERE user_id = $1', [userId]);
			await insert(client, userId, lines);
		});
		this.cache.delete(userId);
	}

	async read(userId: string): Promise<SignatureLogReading> {
		const {rows} = await this.rowsAfter(userId, 0, 0);
		const records: SignatureRecord[] = [];
		let skipped = 0;
		for (const row of rows) {
			const record = parsed(row.record);
			if (record) records.push(record);
			else skipped++;
		}
		return {records, times: records.map(record => Date.parse(record.at)), skipped};
	}

	async view(userId: string): Promise<SignatureLogView> {
		checkUserId(userId);
		const cached = this.cache.get(userId);
		let read = cached ?? emptyColumnsOf();
		// The rows after the last one seen, and the first one seen if it is still there.
		let {rows} = await this.rowsAfter(userId, read.last, read.first);
		if (read.first !== 0 && rows[0]?.position !== String(read.first)) {
			// Replaced (or rows deleted by hand): from the start.
			read = emptyColumnsOf();
			({rows} = await this.rowsAfter(userId, 0, 0));
		}
		// Rows another `view` of this process added meanwhile are not taken twice.
		for (const row of rows) if (Number(row.position) > read.last) add(read, row);
		if (read !== cached) this.cache.set(userId, read);
		return this.viewOf(userId, read);
	}

	viewNow(): SignatureLogViewNow | undefined {
		return undefined;
	}

	async count(userId: string): Promise<number> {
		const {rows} = await query<{count: string}>(this.url, 'SELECT count(*) AS count FROM mysign_signatures WHERE user_id = $1', [checkUserId(userId)]);
		return Number(rows[0]?.count ?? 0);
	}

	async has(userId: string): Promise<boolean> {
		return (await this.count(userId)) > 0;
	}

	async clear(): Promise<void> {
		await query(this.url, 'DELETE FROM mysign_signatures');
		this.cache.clear();
	}

	/** Rows of the holder after `after` in order (with the one at `also`, when there is one), bounded in size. */
	private async rowsAfter(userId: string, after: number, also: number): Promise<pg.QueryResult<{position: string; record: string | null}>> {
		return query(
			this.url,
			`SELECT position, CASE WHEN octet_length(record) <= $4 THEN record END AS record FROM mysign_signatures
			 WHERE user_id = $1 AND (position > $2 OR position = $3) ORDER BY position`,
			[checkUserId(userId), after, also, MAX_RECORD_BYTES],
		);
	}

	private viewOf(userId: string, read: Columns): SignatureLogView {
		const {columns} = read;
		const count = columns.count;
		return {
			count,
			// Later rows are added after `count`: this view keeps its own length.
			times: columns.times.subarray(0, count),
			ascending: columns.ascending,
			skipped: columns.skipped,
			succeeded: index => columns.outcomes[index] === 1,
			records: async indexes => {
				const records = await this.recordsAt(userId, columns, count, indexes);
				// A row no longer what the view says: the next view reads the log again from the start.
				if (!records && this.cache.get(userId) === read) this.cache.delete(userId);
				return records;
			},
		};
	}

	/** The records at these indexes (of the first `count`), each checked against the columns; undefined if one is gone or not what they say. */
	private async recordsAt(userId: string, columns: LogColumns, count: number, indexes: readonly number[]): Promise<SignatureRecord[] | undefined> {
		if (indexes.length === 0) return [];
		if (indexes.some(index => !(Number.isInteger(index) && index >= 0 && index < count))) return undefined;
		const {rows} = await query<{position: string; record: string | null}>(
			this.url,
			`SELECT position, CASE WHEN octet_length(record) <= $3 THEN record END AS record FROM mysign_signatures WHERE user_id = $1 AND position = ANY($2::bigint[])`,
			[userId, indexes.map(index => columns.starts[index]!), MAX_RECORD_BYTES],
		);
		const byPosition = new Map(rows.map(row => [Number(row.position), row.record]));
		const records: SignatureRecord[] = [];
		for (const index of indexes) {
			const record = parsed(byPosition.get(columns.starts[index]!) ?? null);
			if (!record || Date.parse(record.at) !== columns.times[index] || (record.outcome === 'success' ? 1 : 0) !== columns.outcomes[index]) return undefined;
			records.push(record);
		}
		return records;
	}
}

function add(read: Columns, row: {position: string; record: string | null}): void {
	const position = Number(row.position);
	if (read.first === 0) read.first = position;
	read.last = position;
	const record = parsed(row.record);
	if (record) addRecord(read.columns, position, position, Date.parse(record.at), record.outcome === 'success');
	else read.columns.skipped++;
}

/** A row's record, checked as a line is (a hand-edited row is skipped). */
function parsed(text: string | null): SignatureRecord | undefined {
	if (text === null) return undefined;
	try {
		return checkRecord(JSON.parse(text));
	} catch {
		return undefined;
	}
}

/** One holder's appends and replacements, one at a time across every process (see above). */
async function lockHolder(client: pg.PoolClient, userId: string): Promise<void> {
	await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SIGNATURE_LOCK_CLASS, userId]);
}

async function insert(client: pg.PoolClient, userId: string, lines: readonly string[]): Promise<void> {
	if (lines.length === 0) return;
	// In the records' order: `position` is taken row by row as they come.
	await client.query(
		`INSERT INTO mysign_signatures (user_id, record)
		 SELECT $1, record FROM unnest($2::text[]) WITH ORDINALITY AS given(record, n) ORDER BY n`,
		[userId, lines],
	);
}

function checkUserId(userId: string): string {
	if (!/^[A-Z0-9]{1,16}$/.test(userId)) throw new Error(`not a userID: ${userId}`);
	return userId;
}
