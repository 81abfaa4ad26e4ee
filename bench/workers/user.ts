/*
 * Figure 5: one of several processes working on one data folder, as users at separate terminals
 * do. It opens the portal and logs its holder in, prints "ready", and on a line from stdin runs
 * OPERATIONS operations, each a page of «Cronologia firme» (a read) and a store write (setLanguage,
 * under the store's cross-process lock), or as many as fit in BUDGET ms. Prints the
 * per-operation timings (ms) as JSON, with how long each write waited for the lock and how long
 * it held it, and the error code that stopped it if an operation failed.
 * Argv: DIR USERID PASSWORD OPERATIONS BUDGET [URL] (URL: the PostgreSQL database the folder's store uses).
 */
import {createInterface} from 'node:readline';
import {Portal, type Session} from '../../source/core/portal.js';
import {FolderBackend, type DocumentSource} from '../../source/core/store/backend.js';
import {closePools} from '../../source/core/store/postgres/database.js';
import {PostgresBackend} from '../../source/core/store/postgres/documents.js';
import {logIn} from '../../test/helpers/portal.js';

const [directory, userId, password, operationsText, budgetText, store] = process.argv.slice(2) as [string, string, string, string, string, string | undefined];

/*
 * How long each write waited for the store's lock and held it. A folder: the lock's `locked`
 * (backend.ts) wrapped, the wait being the process's queue and the flock on db.lock, the hold the
 * work done under it. A database: timed on the statements the store sends (pg's Client.query):
 * the wait from `locked` to the answer of pg_advisory_lock (the process's queue, a pooled
 * connection, statement_timeout), the hold from that answer to pg_advisory_unlock's, with the
 * statements sent meanwhile (BEGIN, the outbox counter, reads, the upsert, COMMIT, the unlock).
 */
const lockWaits: number[] = [];
const lockHolds: number[] = [];
/** A database: statements per hold, and the ms spent waiting for their answers. */
const heldStatements: number[] = [];
const heldStatementMs: number[] = [];
const asked: number[] = [];
for (const backend of [FolderBackend, PostgresBackend]) {
	const locked = backend.prototype.locked as (work: (source: DocumentSource) => Promise<unknown>) => Promise<unknown>;
	(backend.prototype as unknown as {locked: unknown}).locked = function (this: unknown, work: (source: DocumentSource) => Promise<unknown>) {
		const start = performance.now();
		if (backend === PostgresBackend) {
			asked.push(start);
			return locked.call(this, work);
		}
		return locked.call(this, async source => {
			const acquired = performance.now();
			lockWaits.push(acquired - start);
			try {
				return await work(source);
			} finally {
				lockHolds.push(performance.now() - acquired);
			}
		});
	};
}
if (store) {
	const {default: pg} = await import('pg');
	const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
	let held: {since: number; statements: number; ms: number} | undefined;
	(pg.Client.prototype as unknown as {query: unknown}).query = function (this: unknown, ...args: unknown[]) {
		const text = typeof args[0] === 'string' ? args[0] : '';
		const sent = performance.now();
		const result = query.apply(this, args);
		if (!(result instanceof Promise)) return result;
		// One hold at a time in this process (the backend queues its updates): the statements of this connection's hold.
		const during = held;
		if (during) during.statements++;
		return result.then(
			(value: unknown) => {
				const now = performance.now();
				if (during) during.ms += now - sent;
				if (text.includes('pg_advisory_lock(')) {
					lockWaits.push(now - (asked.shift() ?? now));
					held = {since: now, statements: 0, ms: 0};
				} else if (text.includes('pg_advisory_unlock(') && during) {
					lockHolds.push(now - during.since);
					heldStatements.push(during.statements);
					heldStatementMs.push(during.ms);
					held = undefined;
				}
				return value;
			},
			(error: unknown) => {
				if (text.includes('pg_advisory_lock(')) asked.shift();
				throw error;
			},
		);
	};
}

const codeOf = (caught: unknown) => (caught as {code?: string}).code ?? String(caught);
// Opening and logging in can fail too (store.locked while the others log in): reported like an operation's error, with no timings.
let opened: {portal: Portal; session: Session} | {error: string};
try {
	const portal = await Portal.open({dataDirectory: directory, terminal: `bench ${process.pid}`, store});
	opened = {portal, session: await logIn(portal, userId, password)};
} catch (caught) {
	opened = {error: `${codeOf(caught)} (logging in)`};
}
/*
 * The interface language, set to Italian each time: after the first, nothing visible changes, but the access log's entry
 * (and its sequence number in db.json) makes it a real write of the holder's document and
 * db.json. (Setting the OTP channel a holder already has writes nothing: the store writes only
 * the documents that changed.)
 */
const language = 'it';

const lines = createInterface({input: process.stdin});
process.stdout.write('ready\n');
await new Promise(resolve => lines.once('line', resolve));

const reads: number[] = [];
const writes: number[] = [];
const operations: number[] = [];
for (const list of [lockWaits, lockHolds, heldStatements, heldStatementMs]) list.length = 0;
const started = performance.now();
// An operation refused (the store's lock not obtained in time: store.locked) ends the run, reported with the timings so far.
let error: string | undefined;
try {
	if ('error' in opened) throw opened.error;
	const {portal, session} = opened;
	for (let index = 0; index < Number(operationsText) && performance.now() - started < Number(budgetText); index++) {
		const start = performance.now();
		await portal.history.signatures(session, {from: '', to: '', period: 'all', outcome: 'all', order: 'newest'}, {page: 1 + (index % 20), pageSize: 12});
		const read = performance.now();
		await portal.account.setLanguage(session, language);
		const end = performance.now();
		reads.push(read - start);
		writes.push(end - read);
		operations.push(end - start);
	}
} catch (caught) {
	error = typeof caught === 'string' ? caught : codeOf(caught);
}
process.stdout.write(JSON.stringify({operations, reads, writes, lockWaits, lockHolds, heldStatements, heldStatementMs, elapsed: performance.now() - started, error}) + '\n');
lines.close();
await closePools();
