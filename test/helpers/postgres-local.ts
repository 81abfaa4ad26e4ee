import {randomBytes} from 'node:crypto';
import pg from 'pg';

/*
 * A stand-in for test/helpers/postgres.ts (being written on h-pgci: `postgresUrl()`,
 * `freshDatabase()`), with the same two functions, until that one is on main: the PostgreSQL
 * cases run against the server MYSIGN_TEST_POSTGRES names (a postgres:// URL of a database whose
 * user may CREATE DATABASE) and are skipped without it.
 */

export function postgresUrl(): string | undefined {
	return process.env['MYSIGN_TEST_POSTGRES'] || undefined;
}

/** A new empty database on that server; its URL. */
export async function freshDatabase(): Promise<string> {
	const server = postgresUrl();
	if (!server) throw new Error('MYSIGN_TEST_POSTGRES is not set');
	const name = `mysign_${randomBytes(6).toString('hex')}`;
	const client = new pg.Client({connectionString: server});
	await client.connect();
	try {
		await client.query(`CREATE DATABASE ${name}`);
	} finally {
		await client.end();
	}
	const url = new URL(server);
	url.pathname = `/${name}`;
	return url.toString();
}
