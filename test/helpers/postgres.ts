import {randomBytes} from 'node:crypto';
import {join} from 'node:path';
import pg from 'pg';
import {afterEach, describe, inject, it} from 'vitest';
import {closePools} from '../../source/core/store/postgres/database.js';
import {temporaryDirectory} from './holders.js';

/*
 * The PostgreSQL server the store's PostgreSQL suites run on: the global setup's
 * (postgres-setup.ts), a throw-away cluster or MYSIGN_TEST_POSTGRES's server. Each test file (or
 * test) takes a database of its own from it, so files on parallel workers never share tables.
 */

declare module 'vitest' {
	export interface ProvidedContext {
		postgres: {url: string} | {missing: string};
	}
}

/** CI must run every suite: there a missing PostgreSQL fails the run instead of skipping its tests. */
export function underCI(): boolean {
	return /^(true|1)$/i.test(process.env['CI'] ?? '');
}

/** The test server's URL (its `mysign_test` database), or undefined when there is none. */
export function postgresUrl(): string | undefined {
	const provided = inject('postgres');
	if (provided && 'url' in provided) return provided.url;
	return process.env['MYSIGN_TEST_POSTGRES'] || undefined;
}

function missing(): string {
	const provided = inject('postgres');
	return provided && 'missing' in provided ? provided.missing : 'no MYSIGN_TEST_POSTGRES and no cluster from the global setup';
}

/**
 * `describe` for a suite that needs PostgreSQL: skipped without a server, except under CI=true,
 * where the suite is one failing test that says why.
 */
export function describePostgres(name: string, body: () => void): void {
	if (postgresUrl()) describe(name, body);
	else if (underCI()) {
		describe(name, () => {
			it('has a PostgreSQL server to run on', () => {
				throw new Error(`CI=true and no PostgreSQL: ${missing()}`);
			});
		});
	} else describe.skip(name, body);
}

/** The server's URL with another database in it. */
export function databaseUrl(server: string, database: string): string {
	const url = new URL(server);
	url.pathname = `/${database}`;
	return url.toString();
}

/** Runs `work` on a client of its own connected to `url` (as an outside hand, psql or another server, would). */
export async function onDatabase<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({connectionString: url});
	await client.connect();
	try {
		return await work(client);
	} finally {
		await client.end();
	}
}

/** Runs `work` on a client of the server's `postgres` database (CREATE and DROP DATABASE cannot run in the database itself). */
async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
	const server = postgresUrl();
	if (!server) throw new Error(`no PostgreSQL: ${missing()}`);
	return onDatabase(databaseUrl(server, 'postgres'), work);
}

let made = 0;

/**
 * A new empty database on the test server, named for this process (workers run side by side).
 * drop() removes it: it closes every pool of this process first (closePools: poolFor's pools,
 * those of other databases included, are made again on their next use), then cuts whatever other
 * connection is left (a CLI the test started) and drops the database.
 */
export async function freshDatabase(): Promise<{url: string; drop(): Promise<void>}> {
	const name = `mysign_test_${process.pid}_${++made}_${randomBytes(3).toString('hex')}`;
	const server = postgresUrl();
	await onServer(client => client.query(`CREATE DATABASE ${name}`));
	let dropped = false;
	return {
		url: databaseUrl(server!, name),
		async drop() {
			if (dropped) return;
			dropped = true;
			await closePools();
			await onServer(async client => {
				await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
				await client.query(`DROP DATABASE IF EXISTS ${name}`);
			});
		},
	};
}

/**
 * Data folders and databases for a test, removed after it (this process's pools closed first).
 * Call once at the top of a test file. `folder()`: a data folder path not made yet;
 * `database()`: a fresh database's URL; `track()`: any other cleanup.
 */
export function postgresPlaces(): {folder(): string; database(): Promise<string>; track(cleanup: () => Promise<void> | void): void} {
	const removals: (() => Promise<void> | void)[] = [];
	afterEach(async () => {
		await closePools();
		while (removals.length > 0) await removals.pop()!();
	});
	return {
		folder() {
			const made = temporaryDirectory();
			removals.push(made.remove);
			return join(made.path, 'data');
		},
		async database() {
			const made = await freshDatabase();
			removals.push(made.drop);
			return made.url;
		},
		track(cleanup) {
			removals.push(cleanup);
		},
	};
}
