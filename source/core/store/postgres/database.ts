import type pg from 'pg';
import {DomainError} from '../../errors.js';
import {displayUrl} from './url.js';

export {displayUrl, isPostgresUrl} from './url.js';

/*
 * The PostgreSQL store's connection (issue 22): one pool per database URL and process, and the
 * tables every mysign process sharing the database uses. What is in them:
 * - mysign_documents: the partitioned store's documents as rows (`db.json`, `holders/<userID>.json`,
 *   `holders/index.json`), each the exact JSON text a folder would hold, validated by the same schemas.
 * - mysign_counters: the folder's counter files (`outbox` = outbox.sequence).
 * - mysign_outbox, mysign_access_log, mysign_signatures: the outbox, the access log and the
 *   signature log (a folder's outbox/, access/ and signatures/), one row per message, entry or
 *   record, holding the JSON a folder's file or line would hold (see store/postgres/logs.ts).
 *   `position` keeps the order things were appended in; the access log's entries of no holder
 *   (attempts on unknown identifiers) have user_id '' (no userID is empty).
 */

export const SCHEMA_STATEMENTS: readonly string[] = [
	`CREATE SEQUENCE IF NOT EXISTS mysign_revision`,
	`CREATE TABLE IF NOT EXISTS mysign_documents (
		name text PRIMARY KEY,
		body text NOT NULL,
		revision bigint NOT NULL DEFAULT nextval('mysign_revision')
	)`,
	`CREATE TABLE IF NOT EXISTS mysign_counters (name text PRIMARY KEY, value bigint NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS mysign_outbox (
		id bigint PRIMARY KEY,
		user_id text,
		kind text NOT NULL,
		record text NOT NULL,
		eml bytea
	)`,
	`CREATE INDEX IF NOT EXISTS mysign_outbox_user ON mysign_outbox (user_id, id)`,
	// Any change of a row renews its revision (an administrator's UPDATE too): the stamps a running
	// portal compares before it re-reads (see Store.stamp) never miss one.
	`CREATE OR REPLACE FUNCTION mysign_revised() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN NEW.revision := nextval('mysign_revision'); RETURN NEW; END $$`,
	`CREATE OR REPLACE TRIGGER mysign_documents_revised BEFORE UPDATE ON mysign_documents FOR EACH ROW EXECUTE FUNCTION mysign_revised()`,
	`CREATE TABLE IF NOT EXISTS mysign_access_log (
		user_id text NOT NULL,
		id bigint NOT NULL,
		entry text NOT NULL,
		position bigserial,
		PRIMARY KEY (user_id, id)
	)`,
	`CREATE INDEX IF NOT EXISTS mysign_access_log_order ON mysign_access_log (user_id, position)`,
	`CREATE TABLE IF NOT EXISTS mysign_signatures (
		user_id text NOT NULL,
		position bigserial,
		record text NOT NULL,
		PRIMARY KEY (user_id, position)
	)`,
];

/** Every process's schema creation is serialised by this advisory lock (CREATE … IF NOT EXISTS races otherwise). */
const SCHEMA_LOCK = 0x6d7973_01;
/** The lock every store update holds, as a folder's db.lock (see documents.ts). */
export const STORE_LOCK = 0x6d7973_02;
/** How long a change waits for it before `store.locked`, as for a folder's db.lock. */
export const STORE_LOCK_TIMEOUT_MS = 15_000;

/** Inside a transaction: the store's lock, held until its COMMIT or ROLLBACK, waited for at most `timeoutMs` (then 55P03). */
export function storeLockStatement(timeoutMs = STORE_LOCK_TIMEOUT_MS): string {
	return `SET LOCAL lock_timeout = ${Math.round(timeoutMs)}; SELECT pg_advisory_xact_lock(${STORE_LOCK})`;
}

const pools = new Map<string, {pool: pg.Pool; ready: Promise<void>}>();

/**
 * The process's pool for `url`, its tables created on first use. Idle connections do not keep
 * a command's process alive (allowExitOnIdle), so a CLI command ends as with a folder.
 */
export async function poolFor(url: string): Promise<pg.Pool> {
	let entry = pools.get(url);
	if (!entry) {
		// pg loads with the first database store (a folder's commands never read it).
		const {default: postgres} = await import('pg');
		const pool = new postgres.Pool({
			connectionString: url,
			max: 4,
			allowExitOnIdle: true,
			idleTimeoutMillis: 2_000,
			connectionTimeoutMillis: 15_000,
			keepAlive: true,
			// A process that vanishes inside a transaction (its network gone, not just killed) would hold
			// the store's lock until TCP notices, hours: the server ends such a session after a minute.
			idle_in_transaction_session_timeout: 60_000,
		});
		// A connection's error (the server restarted, the session ended by idle_in_transaction_session_timeout
		// or pg_terminate_backend) must not crash the process: the query in flight, or the next, reports it.
		// The pool listens on idle connections only; each connection gets its own listener for when it is checked out.
		pool.on('error', () => undefined);
		pool.on('connect', client => client.on('error', () => undefined));
		entry = {pool, ready: createSchema(pool, url)};
		pools.set(url, entry);
		entry.ready.catch(() => pools.delete(url));
	}
	await entry.ready;
	return entry.pool;
}

/** Closes every pool of this process (tests, and a command that must not wait for idle connections). */
export async function closePools(): Promise<void> {
	const all = [...pools.values()];
	pools.clear();
	await Promise.all(all.map(entry => entry.pool.end().catch(() => undefined)));
}

/** The tables, sequences and indexes the statements create (their names after IF NOT EXISTS). */
const SCHEMA_OBJECTS = SCHEMA_STATEMENTS.flatMap(statement => /IF NOT EXISTS (\w+)/.exec(statement)?.[1] ?? []);
const SCHEMA_TRIGGER = 'mysign_documents_revised';

/**
 * Creates what is missing, and only then: a role with rights on the tables alone (no CREATE on
 * the schema, what servers should run with) uses a database `admin migrate` or a first start made.
 */
async function createSchema(pool: pg.Pool, url: string): Promise<void> {
	const client = await connect(pool, url);
	try {
		const {rows} = await client.query<{objects: number; triggers: number}>(
			`SELECT (SELECT count(*)::int FROM pg_class WHERE relname = ANY($1) AND relnamespace = current_schema()::regnamespace) AS objects,
			        (SELECT count(*)::int FROM pg_trigger WHERE tgname = $2) AS triggers`,
			[SCHEMA_OBJECTS, SCHEMA_TRIGGER],
		);
		if (rows[0]!.objects === SCHEMA_OBJECTS.length && rows[0]!.triggers > 0) return;
		await client.query('BEGIN');
		await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
		for (const statement of SCHEMA_STATEMENTS) await client.query(statement);
		await client.query('COMMIT');
	} catch (error) {
		await client.query('ROLLBACK').catch(() => undefined);
		throw unreachable(error, url);
	} finally {
		client.release();
	}
}

/** A client of the pool, or `store.unreachable` naming the database (never its password). */
export async function connect(pool: pg.Pool, url: string): Promise<pg.PoolClient> {
	try {
		return await pool.connect();
	} catch (error) {
		throw unreachable(error, url);
	}
}

export function unreachable(error: unknown, url: string): Error {
	if (error instanceof DomainError) return error;
	const reason = (error as {code?: string}).code ?? (error as Error).message ?? 'error';
	return new DomainError('store.unreachable', {store: displayUrl(url), reason: String(reason).slice(0, 200)});
}
