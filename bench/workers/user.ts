/*
 * Figure 5: one of several processes working on one data folder, as users at separate terminals
 * do. It opens the portal and logs its holder in, prints "ready", and on a line from stdin runs
 * OPERATIONS operations, each a page of «Cronologia firme» (a read) and a store write (setLanguage,
 * under the store's cross-process lock), or as many as fit in BUDGET ms. Prints the
 * per-operation timings (ms) as JSON, with how long each write waited for the lock and how long
 * it held it, and the error code that stopped it if an operation failed. Argv: DIR USERID PASSWORD OPERATIONS BUDGET.
 */
import {createInterface} from 'node:readline';
import {Portal, type Session} from '../../source/core/portal.js';
import {FileLock} from '../../source/core/store/lock.js';
import {logIn} from '../../test/helpers/portal.js';

const [directory, userId, password, operationsText, budgetText] = process.argv.slice(2) as [string, string, string, string, string];

// The lock's public `with`, wrapped to time the wait (queue and flock) apart from the work done holding it.
const lockWaits: number[] = [];
const lockHolds: number[] = [];
const lockWith = FileLock.prototype.with;
FileLock.prototype.with = function <T>(this: FileLock, task: () => Promise<T>): Promise<T> {
	const asked = performance.now();
	return lockWith.call(this, async () => {
		const acquired = performance.now();
		lockWaits.push(acquired - asked);
		try {
			return await task();
		} finally {
			lockHolds.push(performance.now() - acquired);
		}
	}) as Promise<T>;
};

const codeOf = (caught: unknown) => (caught as {code?: string}).code ?? String(caught);
// Opening and logging in can fail too (store.locked while the others log in): reported like an operation's error, with no timings.
let opened: {portal: Portal; session: Session} | {error: string};
try {
	const portal = await Portal.open({dataDirectory: directory, terminal: `bench ${process.pid}`});
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
lockWaits.length = 0;
lockHolds.length = 0;
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
process.stdout.write(JSON.stringify({operations, reads, writes, lockWaits, lockHolds, elapsed: performance.now() - started, error}) + '\n');
lines.close();
