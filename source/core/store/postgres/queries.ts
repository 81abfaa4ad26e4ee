import type pg from 'pg';
import {connect, poolFor, unreachable} from './database.js';

/*
 * Statements of the logs kept in PostgreSQL (outbox, access log, signature log): on the
 * process's pool for the URL, a failure reported as `store.unreachable` naming the database
 * (never its password), as the documents' store reports it.
 */

export async function query<Row extends pg.QueryResultRow>(url: string, text: string, values: readonly unknown[] = []): Promise<pg.QueryResult<Row>> {
	const pool = await poolFor(url);
	try {
		return await pool.query<Row>(text, values as unknown[]);
	} catch (error) {
		throw unreachable(error, url);
	}
}

/** `work` in one transaction: committed whole or not at all. */
export async function transaction<T>(url: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
	const client = await connect(await poolFor(url), url);
	let broken = false;
	try {
		await client.query('BEGIN');
		const result = await work(client);
		await client.query('COMMIT');
		return result;
	} catch (error) {
		// A connection that cannot even roll back is not handed to the next caller.
		await client.query('ROLLBACK').catch(() => (broken = true));
		throw unreachable(error, url);
	} finally {
		client.release(broken);
	}
}

/** The advisory-lock class of one holder's signature log (two-key locks: never STORE_LOCK's key). */
export const SIGNATURE_LOCK_CLASS = 0x6d7973_03;
