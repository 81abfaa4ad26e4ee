import {lineOf, parseLine, type AccessLogReading, type AccessLogStore} from '../../history/access-log.js';
import type {AccessEntry} from '../schema.js';
import {query, transaction} from './queries.js';

/*
 * The access log in PostgreSQL (mysign_access_log), for servers sharing one database: one row per
 * entry, the line a folder's file would hold as `entry`, keyed by (user_id, id) so that the store
 * appending an operation's entries again after a crash adds none twice (in a folder only lines at
 * the end of the file are recognised; here any entry already there is). Entries of no holder have
 * user_id '' and are bounded like the folder's unknown.jsonl: the folder keeps 1 to 2 MiB (two
 * files of 1 MiB, about 110 bytes an entry: at most about 19 000 entries); here the newest
 * UNKNOWN_LOG_MAX_ROWS are kept, the older ones deleted with each append of such entries.
 * Rows are checked field by field on reading, as lines are: one that fails is skipped.
 */

/** Attempts on unknown identifiers kept: about the 2 MiB a folder keeps at most. */
export const UNKNOWN_LOG_MAX_ROWS = 20_000;
/** The advisory lock of appends to the unknown log (a key of its own, never STORE_LOCK's). */
export const UNKNOWN_LOG_LOCK = 0x6d7973_04;

/** An entry's text is about 110 bytes (its terminal at most 200 characters): anything longer is no entry. */
const MAX_ENTRY_BYTES = 4096;

const NO_HOLDER = '';

export class PostgresAccessLog implements AccessLogStore {
	/** @param unknownRows the bound of the unknown-identifier log (tests set a small one). */
	constructor(
		private readonly url: string,
		private readonly unknownRows = UNKNOWN_LOG_MAX_ROWS,
	) {}

	async append(entries: readonly AccessEntry[]): Promise<void> {
		if (entries.length === 0) return;
		for (const entry of entries) if (entry.userId !== null) checkUserId(entry.userId);
		const unknown = entries.some(entry => entry.userId === null);
		await transaction(this.url, async client => {
			// Appends to the unknown log one at a time: each trim then sees the rows the last one added.
			if (unknown) await client.query(`SELECT pg_advisory_xact_lock(${UNKNOWN_LOG_LOCK})`);
			// In the entries' order: `position` is taken row by row as they come.
			await client.query(
				`INSERT INTO mysign_access_log (user_id, id, entry)
				 SELECT user_id, id, entry FROM unnest($1::text[], $2::bigint[], $3::text[]) WITH ORDINALITY AS given(user_id, id, entry, n)
				 ORDER BY n
				 ON CONFLICT (user_id, id) DO NOTHING`,
				[entries.map(entry => entry.userId ?? NO_HOLDER), entries.map(entry => entry.id), entries.map(entry => lineOf(entry).trimEnd())],
			);
			if (!unknown) return;
			await client.query(
				`DELETE FROM mysign_access_log WHERE user_id = $1 AND position < (
					SELECT position FROM mysign_access_log WHERE user_id = $1 ORDER BY position DESC OFFSET $2 LIMIT 1
				)`,
				[NO_HOLDER, this.unknownRows - 1],
			);
		});
	}

	/** Read whole each time (a holder's entries are about 110 bytes each, thousands at most). */
	async read(userId: string): Promise<AccessLogReading> {
		const entries = await this.rows(checkUserId(userId), userId);
		return {entries, times: entries.map(entry => Date.parse(entry.at))};
	}

	readUnknown(): Promise<AccessEntry[]> {
		return this.rows(NO_HOLDER, null);
	}

	async remove(userId: string): Promise<void> {
		await query(this.url, 'DELETE FROM mysign_access_log WHERE user_id = $1', [checkUserId(userId)]);
	}

	async clear(): Promise<void> {
		await query(this.url, 'DELETE FROM mysign_access_log');
	}

	private async rows(key: string, userId: string | null): Promise<AccessEntry[]> {
		const {rows} = await query<{id: string; entry: string | null}>(
			this.url,
			`SELECT id, CASE WHEN octet_length(entry) <= $2 THEN entry END AS entry FROM mysign_access_log WHERE user_id = $1 ORDER BY position`,
			[key, MAX_ENTRY_BYTES],
		);
		const entries: AccessEntry[] = [];
		for (const row of rows) {
			const entry = row.entry === null ? undefined : parseLine(row.entry, userId);
			// The row's key must be the entry's own id, or the row is not what it says.
			if (entry && String(entry.id) === row.id) entries.push(entry);
		}
		return entries;
	}
}

/** The folder's rule for a holder's file name, kept for the rows: a userID, never anything else. */
function checkUserId(userId: string): string {
	if (!/^[A-Z0-9]{1,16}$/.test(userId)) throw new Error(`not a userID: ${userId}`);
	return userId;
}
