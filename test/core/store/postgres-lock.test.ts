import pg from 'pg';
import {expect, it} from 'vitest';
import {NO_HOLDER, Store} from '../../../source/core/store/store.js';
import {PostgresBackend} from '../../../source/core/store/postgres/documents.js';
import {STORE_LOCK} from '../../../source/core/store/postgres/database.js';
import {emptyDatabase, nextSequence} from '../../../source/core/store/schema.js';
import {rejection} from '../../helpers/stores.js';
import {describePostgres, postgresPlaces} from '../../helpers/postgres.js';

/*
 * What only the PostgreSQL store has: its lock is an advisory lock held by a transaction, so a
 * holder that does not let go makes an update wait, then refuse (store.locked, nothing changed),
 * and a holder whose connection dies releases it at once.
 */

const places = postgresPlaces();

async function emptyStore(): Promise<{url: string; store: Store}> {
	const url = await places.database();
	const store = new Store(places.folder(), undefined, url);
	await store.initialize(() => emptyDatabase());
	return {url, store};
}

/** Another session holding the store's lock, as a process in the middle of an update does. */
async function holdLock(url: string): Promise<pg.Client> {
	const client = new pg.Client({connectionString: url});
	await client.connect();
	await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${STORE_LOCK})`);
	return client;
}

describePostgres('the PostgreSQL store\'s lock', () => {
	it('an update waits for the lock, and is refused as store.locked when it is not released in time; nothing is changed', async () => {
		const {url, store} = await emptyStore();
		const holder = await holdLock(url);
		try {
			const backend = new PostgresBackend(url, 300);
			const refused = await rejection(backend.locked(async source => source.readTop()));
			expect((refused as {code?: string}).code).toBe('store.locked');
		} finally {
			await holder.end();
		}
		expect((await store.read(NO_HOLDER)).sequences['counter']).toBeUndefined();
		// Released with the holder's connection (a process that died): the next update goes through at once.
		expect(await store.update(db => nextSequence(db, 'counter'))).toBe(1);
	});

	it('a reader does not wait for a writer: it reads the last commit while an update holds the lock', async () => {
		const {url, store} = await emptyStore();
		await store.update(db => nextSequence(db, 'counter'));
		const holder = await holdLock(url);
		try {
			expect((await store.read(NO_HOLDER)).sequences['counter']).toBe(1);
		} finally {
			await holder.end();
		}
	});
});
