/*
 * Figure 5: 8 processes reading and writing one store of 10 000 holders at once, as users at
 * separate terminals do: a data folder, then the same holders in PostgreSQL (issue 22).
 */
import {spawn} from 'node:child_process';
import os from 'node:os';
import {createInterface} from 'node:readline';
import {count, type Folders, GIULIA, HOLDERS, LUCA, MARIO} from './data-folders.js';
import {details, ms, percentile, progress, type Row} from './figure.js';
import type {NoPostgres, PostgresTarget} from './postgres-data.js';
import {NODE, ROOT, worker} from './processes.js';
import {notMeasured, POSTGRES, reasonOf} from './store-figures.js';

const PROCESSES = 8;
const OPERATIONS = 125;
/** A user process stops after this long (a slow store): the row says how many operations ran. */
const USER_BUDGET_MS = 60_000;

interface UserTimes {
	operations: number[];
	reads: number[];
	writes: number[];
	lockWaits: number[];
	lockHolds: number[];
	/** A database: the statements of each hold, and the ms spent waiting for their answers. */
	heldStatements: number[];
	heldStatementMs: number[];
	elapsed: number;
	/** The code of the error that stopped the process (e.g. store.locked), if one did. */
	error?: string;
}

/** `count` user processes on one store (a folder, or its database at `url`), released together once all have logged in. */
async function users(folder: string, count: number, url?: string): Promise<UserTimes[]> {
	const holders = [MARIO, GIULIA, LUCA];
	const children = Array.from({length: count}, (_, index) => {
		const holder = holders[index % holders.length]!;
		const args = [worker('user'), folder, holder.userId, holder.password, String(OPERATIONS), String(USER_BUDGET_MS), ...(url ? [url] : [])];
		const child = spawn(NODE, args, {cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit']});
		const lines = createInterface({input: child.stdout});
		const exited = new Promise<never>((_, reject) => child.on('exit', code => reject(new Error(`a user process exited with ${code}`))));
		// Settled either way (no unhandled rejection), and its stdin's EPIPE ignored: the error comes from `exited`.
		exited.catch(() => undefined);
		child.stdin.on('error', () => undefined);
		const ready = Promise.race([new Promise<void>(resolve => lines.once('line', () => resolve())), exited]);
		const result = Promise.race([new Promise<UserTimes>(resolve => lines.on('line', line => line.startsWith('{') && resolve(JSON.parse(line) as UserTimes))), exited]);
		return {child, ready, result};
	});
	try {
		await Promise.all(children.map(entry => entry.ready));
		for (const {child} of children) child.stdin.end('go\n');
		return await Promise.all(children.map(entry => entry.result));
	} catch (error) {
		// One crashed: the others are ended before the work folder is removed under them.
		await Promise.all(children.map(({child}) => child.exitCode !== null || child.signalCode !== null || new Promise(resolve => child.once('exit', resolve).kill())));
		throw error;
	}
}

const NAME = `${PROCESSES} processes × ${OPERATIONS} operations with ${count(HOLDERS.medium)} holders`;

/** The throughput and p99 rows of one store. */
async function manyUsers(store: 'folder' | typeof POSTGRES, folder: string, url?: string): Promise<[Row, Row]> {
	const name = `${NAME}${store === POSTGRES ? `, ${POSTGRES}` : ''}`;
	// No value at all (every process stopped before its first operation): NaN, written "NaN ms".
	const pct = (values: readonly number[], p: number) => (values.length > 0 ? percentile(values, p) : Number.NaN);
	const med = (values: readonly number[]) => pct(values, 50);
	const [alone] = (await users(folder, 1, url)) as [UserTimes];
	const many = await users(folder, PROCESSES, url);
	const all = (key: keyof Omit<UserTimes, 'elapsed' | 'error'>) => many.flatMap(entry => entry[key]);
	const wall = Math.max(...many.map(entry => entry.elapsed));
	const throughput = all('operations').length / (wall / 1000);
	const p99 = pct(all('operations'), 99);
	details[store === POSTGRES ? 'manyUsersPostgres' : 'manyUsers'] = {holders: HOLDERS.medium, alone, many, throughputPerSecond: throughput};
	// A process stops after USER_BUDGET_MS: said in the row when some did.
	const done = all('operations').length;
	const failed = many.filter(entry => entry.error !== undefined);
	const cut =
		(done < PROCESSES * OPERATIONS || alone.operations.length < OPERATIONS ? `; ${done} of ${PROCESSES * OPERATIONS} ops done (alone ${alone.operations.length}; ${USER_BUDGET_MS / 1000} s each at most)` : '') +
		(failed.length > 0 || alone.error ? `; stopped by an error: ${failed.length} of ${PROCESSES} processes (${[...new Set(failed.map(entry => entry.error))].join(', ')})${alone.error ? `, alone ${alone.error}` : ''}` : '');
	const lock = store === POSTGRES ? 'the advisory lock STORE_LOCK, timed from its answer to the unlock\'s' : 'the flock on db.lock';
	const statements =
		store === POSTGRES
			? [
					`a hold sends ${med(all('heldStatements'))} statements (median: statement_timeout reset, BEGIN, the outbox counter, the documents read FOR UPDATE, the upsert, COMMIT, the unlock), ` +
						`${ms(med(all('heldStatementMs')))} of it waiting for their answers (median; p99 ${ms(pct(all('heldStatementMs'), 99))}); alone ${med(alone.heldStatements)} statements, ${ms(med(alone.heldStatementMs))}`,
				]
			: [];
	return [
		{
			figure: `${name}: throughput`,
			value: `${throughput.toFixed(0)} ops/s`,
			reference: `1 process: ${(alone.operations.length / (alone.elapsed / 1000)).toFixed(0)} ops/s${cut}`,
			target: '(no target)',
			pass: null,
		},
		{
			figure: `${name}: latency p99`,
			value: ms(p99),
			reference: `1 process: ${ms(pct(alone.operations, 99))}; median ${ms(med(all('operations')))}${cut}`,
			target: '≤ 100 ms',
			pass: p99 <= 100 && failed.length === 0 && !alone.error,
			note: () => [
				`an operation = a «Cronologia firme» page (read, from the folder's signatures/) + setLanguage (a write under the store lock, ${lock}: the holder's document and db.json)`,
				`p99: read ${ms(pct(all('reads'), 99))}, write ${ms(pct(all('writes'), 99))}, of which waiting for the lock ${ms(pct(all('lockWaits'), 99))} ` +
					`(median ${ms(med(all('lockWaits')))}, max ${ms(Math.max(...all('lockWaits')))}) and holding it ${ms(pct(all('lockHolds'), 99))} (median ${ms(med(all('lockHolds')))})`,
				`alone, a write holds the lock ${ms(med(alone.lockHolds))} (median) and waits ${ms(pct(alone.lockWaits, 99))} (p99); served in turn, a writer would wait for at most ` +
					`${PROCESSES - 1} × ${ms(med(all('lockHolds')))} = ${ms((PROCESSES - 1) * med(all('lockHolds')))}; ${all('lockWaits').filter(wait => wait > 100).length} of ${all('lockWaits').length} writes waited over 100 ms ` +
					`(${PROCESSES} processes on ${os.availableParallelism()} cores${store === POSTGRES ? ', the server\'s processes sharing them' : ''})`,
				...statements,
			],
		},
	];
}

export async function manyUsersFigures(folders: Folders): Promise<Row[]> {
	progress(`many users: 1 process alone, then ${PROCESSES} processes × ${OPERATIONS} operations on one store of ${count(HOLDERS.medium)} holders: a folder, then ${POSTGRES}`);
	// The database first (made from the seeded folder before any figure changes it), measured after the folder.
	let database: PostgresTarget | NoPostgres;
	try {
		const databases = folders.postgres;
		database = 'missing' in databases ? databases : databases.shared;
	} catch (error) {
		progress(`many users, ${POSTGRES}: ${String((error as Error).stack ?? error)}`);
		database = reasonOf(error);
	}
	const [throughput, p99] = await manyUsers('folder', folders.shared);
	let postgres: Row[];
	if ('missing' in database) postgres = [notMeasured(`${NAME}, ${POSTGRES}: throughput`, database), notMeasured(`${NAME}, ${POSTGRES}: latency p99`, database)];
	else {
		try {
			postgres = await manyUsers(POSTGRES, database.directory, database.url);
		} catch (error) {
			progress(`many users, ${POSTGRES}: ${String((error as Error).stack ?? error)}`);
			const reason = reasonOf(error);
			postgres = [notMeasured(`${NAME}, ${POSTGRES}: throughput`, reason), notMeasured(`${NAME}, ${POSTGRES}: latency p99`, reason)];
		}
	}
	return [throughput, postgres[0]!, p99, postgres[1]!];
}
