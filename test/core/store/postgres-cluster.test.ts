import pg from 'pg';
import {afterAll, expect, it} from 'vitest';
import {findBinaries, PostgresMissing} from '../../../scripts/postgres-cluster.mjs';
import {poolFor, SCHEMA_STATEMENTS} from '../../../source/core/store/postgres/database.js';
import {describePostgres, freshDatabase, postgresUrl} from '../../helpers/postgres.js';

/*
 * The PostgreSQL test wiring (test/helpers/postgres.ts, postgres-setup.ts, scripts/postgres-cluster.mjs):
 * the run's server answers, and each fresh database is an empty one of its own.
 */

const TABLES = SCHEMA_STATEMENTS.flatMap(statement => /CREATE TABLE IF NOT EXISTS (\w+)/.exec(statement)?.[1] ?? []).sort();

async function query<R extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
	const client = new pg.Client({connectionString: url});
	await client.connect();
	try {
		return (await client.query<R>(text, values)).rows;
	} finally {
		await client.end();
	}
}

async function tablesOf(url: string): Promise<string[]> {
	const rows = await query<{table_name: string}>(url, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`);
	return rows.map(row => row.table_name);
}

it('reports missing PostgreSQL binaries as PostgresMissing, naming where it looked', () => {
	expect(() => findBinaries({MYSIGN_PG_BIN: '/nonexistent'})).toThrow(PostgresMissing);
	expect(() => findBinaries({MYSIGN_PG_BIN: '/nonexistent'})).toThrow(/initdb and pg_ctl not found in MYSIGN_PG_BIN \(\/nonexistent\)/);
});

describePostgres('the tests\' PostgreSQL server', () => {
	const drops: (() => Promise<void>)[] = [];
	afterAll(async () => {
		for (const drop of drops) await drop();
	});

	it('answers on the URL the setup gives', async () => {
		expect(await query(postgresUrl()!, 'SELECT 1 AS one')).toEqual([{one: 1}]);
	});

	it('gives a fresh database in which poolFor creates the mysign tables', async () => {
		const database = await freshDatabase();
		drops.push(database.drop);
		expect(await tablesOf(database.url)).toEqual([]);
		await poolFor(database.url);
		expect(TABLES).toContain('mysign_documents');
		expect(await tablesOf(database.url)).toEqual(TABLES);
	});

	it('keeps two fresh databases apart, and drop() removes one', async () => {
		const [one, two] = await Promise.all([freshDatabase(), freshDatabase()]);
		drops.push(one.drop, two.drop);
		expect(one.url).not.toBe(two.url);
		const pool = await poolFor(one.url);
		await pool.query(`INSERT INTO mysign_documents (name, body) VALUES ('db.json', '{}')`);
		expect(await tablesOf(two.url)).toEqual([]);
		await poolFor(two.url);
		expect(await query(two.url, 'SELECT name FROM mysign_documents')).toEqual([]);
		expect(await query(one.url, 'SELECT name FROM mysign_documents')).toEqual([{name: 'db.json'}]);

		await one.drop();
		const name = new URL(one.url).pathname.slice(1);
		expect(await query(postgresUrl()!, 'SELECT datname FROM pg_database WHERE datname = $1', [name])).toEqual([]);
		// The other's pool was closed with the process's pools; poolFor makes it again, its rows still there.
		await (await poolFor(two.url)).query(`INSERT INTO mysign_counters (name, value) VALUES ('outbox', 1)`);
		expect(await query(two.url, 'SELECT value FROM mysign_counters')).toEqual([{value: '1'}]);
	});
});
