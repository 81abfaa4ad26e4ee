/*
 * Figures 4 and 5, the shared db.json: a PIN change with 0 and 100 000 signatures, a store
 * write and a login with 3 and 1 000 holders (measured in one worker process), and 8 processes
 * reading and writing one data folder at once.
 */
import {spawn} from 'node:child_process';
import os from 'node:os';
import {createInterface} from 'node:readline';
import {BIG_HISTORY, type Folders, GIULIA, LUCA, MARIO} from './data-folders.js';
import {details, mb, median, ms, percentile, progress, type Row} from './figure.js';
import {NODE, ROOT, runNode, worker} from './processes.js';

const PROCESSES = 8;
const OPERATIONS = 125;

// ── 4. Writes ───────────────────────────────────────────────────────────────────────────

interface DocumentSteps {
	bytes: number;
	parse: number;
	validate: number;
	serialise: number;
}

interface WriteTimes {
	pinChange: {zero: number[]; big: number[]; steps: Record<'zero' | 'big', {start: number; confirm: number}[]>};
	storeWrite: {small: number[]; large: number[]};
	login: {small: number[]; large: number[]};
	document: {small: DocumentSteps[]; large: DocumentSteps[]};
	fileOperationsPer: Record<'login' | 'storeWrite', {reads: number; writes: number}>;
}

export function writeFigures(folders: Folders): Row[] {
	progress('writes: PIN changes with 0 and 100 000 signatures; a store write and a login with 3 and 1 000 holders');
	const times = JSON.parse(runNode([worker('writes'), folders.pinZero, folders.pinBig, folders.holdersSmall, folders.holdersLarge])) as WriteTimes;
	details['writes'] = times;
	const pin = {zero: median(times.pinChange.zero), big: median(times.pinChange.big)};
	const write = {small: median(times.storeWrite.small), large: median(times.storeWrite.large)};
	const login = {small: median(times.login.small), large: median(times.login.large)};
	const pinRatio = pin.big / pin.zero;
	const steps = (which: 'zero' | 'big') => {
		const all = times.pinChange.steps[which];
		return `start ${ms(median(all.map(step => step.start)))} + confirm ${ms(median(all.map(step => step.confirm)))}`;
	};
	const document = (which: 'small' | 'large') => {
		const all = times.document[which];
		const of = (key: 'parse' | 'validate' | 'serialise') => ms(median(all.map(step => step[key])));
		return `db.json ${mb(all[0]!.bytes)}: JSON.parse ${of('parse')}, schema check ${of('validate')}, JSON.stringify ${of('serialise')}`;
	};
	const count = (value: number, noun: string) => `${value} ${noun}${value === 1 ? '' : 's'}`;
	const operations = (which: 'login' | 'storeWrite') => `${count(times.fileOperationsPer[which].reads, 'read')} and ${count(times.fileOperationsPer[which].writes, 'write')} of the whole db.json`;
	const storeNote = () => [
		`setPreferredChannel = ${operations('storeWrite')}, a login = ${operations('login')} (counted); each read parses and checks it, each write checks and serialises it, then writes and fsyncs`,
		`with 1 000 holders, ${document('large')} (medians); with 3, ${document('small')}`,
	];
	return [
		{
			figure: `PIN change, ${BIG_HISTORY} signatures (median of ${times.pinChange.big.length})`,
			value: ms(pin.big),
			reference: `${ms(pin.zero)} with 0`,
			target: `${pinRatio.toFixed(2)}× (≤ 1.5×)`,
			pass: pinRatio <= 1.5,
			note: () => [`with 0 signatures: ${steps('zero')}; with ${BIG_HISTORY}: ${steps('big')} (medians)`],
		},
		{
			figure: `Store write, 1 000 holders (median of ${times.storeWrite.large.length})`,
			value: ms(write.large),
			reference: `${ms(write.small)} with 3 holders`,
			target: `${(write.large / write.small).toFixed(2)}× (no target)`,
			pass: null,
			note: storeNote,
		},
		{
			figure: `Login, 1 000 holders (median of ${times.login.large.length})`,
			value: ms(login.large),
			reference: `${ms(login.small)} with 3 holders`,
			target: `${(login.large / login.small).toFixed(2)}× (no target)`,
			pass: null,
			note: storeNote,
		},
	];
}

// ── 5. Many users ───────────────────────────────────────────────────────────────────────

interface UserTimes {
	operations: number[];
	reads: number[];
	writes: number[];
	lockWaits: number[];
	lockHolds: number[];
	elapsed: number;
}

/** `count` user processes on one folder, released together once all have logged in. */
async function users(folder: string, count: number): Promise<UserTimes[]> {
	const holders = [MARIO, GIULIA, LUCA];
	const children = Array.from({length: count}, (_, index) => {
		const holder = holders[index % holders.length]!;
		const child = spawn(NODE, [worker('user'), folder, holder.userId, holder.password, String(OPERATIONS)], {cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit']});
		const lines = createInterface({input: child.stdout});
		const ready = new Promise<void>(resolve => lines.once('line', () => resolve()));
		const result = new Promise<UserTimes>((resolve, reject) => {
			lines.on('line', line => line.startsWith('{') && resolve(JSON.parse(line) as UserTimes));
			child.on('exit', code => code !== 0 && reject(new Error(`a user process exited with ${code}`)));
		});
		return {child, ready, result};
	});
	await Promise.all(children.map(entry => entry.ready));
	for (const {child} of children) child.stdin.end('go\n');
	return Promise.all(children.map(entry => entry.result));
}

export async function manyUsersFigures(folders: Folders): Promise<Row[]> {
	progress(`many users: 1 process alone, then ${PROCESSES} processes × ${OPERATIONS} operations on one folder`);
	const [alone] = (await users(folders.shared, 1)) as [UserTimes];
	const many = await users(folders.shared, PROCESSES);
	const all = (key: keyof Omit<UserTimes, 'elapsed'>) => many.flatMap(entry => entry[key]);
	const wall = Math.max(...many.map(entry => entry.elapsed));
	const throughput = all('operations').length / (wall / 1000);
	const p99 = percentile(all('operations'), 99);
	details['manyUsers'] = {alone, many, throughputPerSecond: throughput};
	return [
		{
			figure: `${PROCESSES} processes × ${OPERATIONS} ops: throughput`,
			value: `${throughput.toFixed(0)} ops/s`,
			reference: `1 process: ${(OPERATIONS / (alone.elapsed / 1000)).toFixed(0)} ops/s`,
			target: '(no target)',
			pass: null,
		},
		{
			figure: `${PROCESSES} processes × ${OPERATIONS} ops: latency p99`,
			value: ms(p99),
			reference: `1 process: ${ms(percentile(alone.operations, 99))}; median ${ms(median(all('operations')))}`,
			target: '≤ 100 ms',
			pass: p99 <= 100,
			note: () => [
				'an operation = a «Cronologia firme» page (read) + setPreferredChannel (a write under the db.json lock)',
				`p99: read ${ms(percentile(all('reads'), 99))}, write ${ms(percentile(all('writes'), 99))}, of which waiting for the lock ${ms(percentile(all('lockWaits'), 99))} ` +
					`(median ${ms(median(all('lockWaits')))}, max ${ms(Math.max(...all('lockWaits')))}) and holding it ${ms(percentile(all('lockHolds'), 99))} (median ${ms(median(all('lockHolds')))})`,
				`alone, a write holds the lock ${ms(median(alone.lockHolds))} (median) and waits ${ms(percentile(alone.lockWaits, 99))} (p99); served in turn, a writer would wait for at most ` +
					`${PROCESSES - 1} × ${ms(median(all('lockHolds')))} = ${ms((PROCESSES - 1) * median(all('lockHolds')))}; ${all('lockWaits').filter(wait => wait > 100).length} of ${all('lockWaits').length} writes waited over 100 ms ` +
					`(${PROCESSES} processes on ${os.availableParallelism()} cores)`,
			],
		},
	];
}
