import {DomainError} from '../../errors.js';
import {copyFolderLogsWith, type CopiedLogs} from './copy-logs.js';
import {storeLockStatement} from './database.js';
import {transaction} from './queries.js';
import {displayUrl} from './url.js';
import type pg from 'pg';

/*
 * `admin migrate`'s write into the database (store/migrate.ts): the folder's logs, every document
 * of the folder, in batches as they are read (a folder of 100 000 holders is never whole in
 * memory), and the outbox counter, in one transaction under the store's lock: the database holds all of them or nothing.
 */

/** The mark (a row of mysign_counters) of a move committed whose folder has not written store.url yet. */
export const MIGRATING = 'migrating';

export async function importDocuments(url: string, batches: AsyncIterable<{name: string; text: string}[]>, outboxCounter: number | undefined, directory: string): Promise<CopiedLogs> {
	return underStoreLock(url, async client => {
		// Into an empty database only: never over another folder's holders.
		const {rows} = await client.query<{count: string}>('SELECT count(*)::text AS count FROM mysign_documents');
		if (rows[0]!.count !== '0') throw new DomainError('store.targetNotEmpty', {store: displayUrl(url)});
		// The logs first, in the same transaction: two migrations into one database never mix theirs.
		const logs = await copyFolderLogsWith(client, directory);
		for await (const batch of batches) {
			await client.query('INSERT INTO mysign_documents (name, body) SELECT * FROM unnest($1::text[], $2::text[])', [batch.map(row => row.name), batch.map(row => row.text)]);
		}
		await client.query(`INSERT INTO mysign_counters (name, value) VALUES ('${MIGRATING}', 1)`);
		if (outboxCounter !== undefined) {
			await client.query(`INSERT INTO mysign_counters (name, value) VALUES ('outbox', $1) ON CONFLICT (name) DO UPDATE SET value = greatest(mysign_counters.value, EXCLUDED.value)`, [outboxCounter]);
		}
		return logs;
	});
}

/**
 * A move killed after its commit, before store.url was written, is finished by a rerun only if
 * the database holds exactly this folder's documents (every row compared, byte for byte: a
 * login since then changed a holder's document, another folder's are others): the logs are
 * copied again (the folder's, as they are now), in one transaction under the store's lock.
 * Anything else is store.targetNotEmpty.
 */
export async function finishImport(url: string, batches: AsyncIterable<{name: string; text: string}[]>, directory: string): Promise<CopiedLogs> {
	return underStoreLock(url, async client => {
		let documents = 0;
		for await (const batch of batches) {
			const {rows} = await client.query<{name: string; body: string}>('SELECT name, body FROM mysign_documents WHERE name = ANY($1)', [batch.map(row => row.name)]);
			const stored = new Map(rows.map(row => [row.name, row.body]));
			if (batch.some(row => stored.get(row.name) !== row.text)) throw new DomainError('store.targetNotEmpty', {store: displayUrl(url)});
			documents += batch.length;
		}
		const {rows} = await client.query<{count: number}>('SELECT count(*)::int AS count FROM mysign_documents');
		if (rows[0]!.count !== documents) throw new DomainError('store.targetNotEmpty', {store: displayUrl(url)});
		return copyFolderLogsWith(client, directory);
	});
}

/** `work` in one transaction holding the store's lock (a wait that runs out is store.locked). */
function underStoreLock<T>(url: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
	return transaction(url, async client => {
		try {
			await client.query(storeLockStatement());
		} catch (error) {
			if ((error as {code?: string}).code === '55P03') throw new DomainError('store.locked', {file: `${displayUrl(url)} db.json`});
			throw error;
		}
		return work(client);
	});
}
