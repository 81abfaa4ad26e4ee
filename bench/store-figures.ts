/*
 * Figure 4, the store's writes: a PIN change with 0 and 100 000 signatures, a store write and a
 * login with 3, 10 000 and 100 000 holders (measured in one worker process per store: the data
 * folders, then the same holders in PostgreSQL, issue 22). Figure 5 is users-figures.ts.
 */
import {BIG_HISTORY, count, type Folders, HOLDERS} from './data-folders.js';
import {details, median, ms, progress, type Row} from './figure.js';
import type {NoPostgres} from './postgres-data.js';
import {runNode, worker} from './processes.js';

/** The ratio to 3 holders a store write and a login must stay within (issue 22), on either store. */
const HOLDERS_RATIO = 2;

export const POSTGRES = 'PostgreSQL';

/** A PostgreSQL row that could not be measured: the reason in the reference column. */
export const notMeasured = (figure: string, reason: NoPostgres): Row => ({figure, value: 'not measured', reference: reason.missing, target: '', pass: null});

/** An error in one line: a worker's failure carries its whole stderr, whose error line says what went wrong. */
export function reasonOf(error: unknown): NoPostgres {
	const lines = String((error as Error).message ?? error).split('\n');
	return {missing: (lines.find(line => /^\s*\w*Error\b[^:]*:/.test(line)) ?? lines[0]!).trim()};
}

interface DocumentSteps {
	bytes: number;
	parse: number;
	validate: number;
	serialise: number;
}

interface FileOperations {
	topReads: number;
	listings: number;
	holderReads: number;
	indexReads: number;
	commits: number;
	written: number;
}

type Statements = Record<'storeWrite' | 'login', {statements: number[]; ms: number[]}>;

interface WriteTimes {
	/** Folders only. */
	pinChange?: {zero: number[]; big: number[]; steps: Record<'zero' | 'big', {start: number; confirm: number}[]>};
	/** Seconds to open each holders store (the scoped settings update, Portal.open, a login). */
	openSeconds: number[];
	/** Per holders store, in the order of HOLDERS. */
	storeWrite: number[][];
	login: number[][];
	/** Folders only (a database's rows are the same texts). */
	documents: {top: DocumentSteps[]; holder: DocumentSteps[]};
	/** Per holders store but the largest. */
	fileOperationsPer: {login: FileOperations; storeWrite: FileOperations}[];
	/** PostgreSQL: the SQL statements of each timed operation, per holders store. */
	sql?: Statements[];
}

const SIZES = [HOLDERS.small, HOLDERS.medium, HOLDERS.large];

const plural = (value: number, noun: string) => `${count(value)} ${noun}${value === 1 ? '' : 's'}`;
const operations = (counted: FileOperations) =>
	`reads db.json ${plural(counted.topReads, 'time')}, ${plural(counted.holderReads, 'holder document')} and the index ${plural(counted.indexReads, 'time')} (holders listed ${plural(counted.listings, 'time')}), ` +
	`writes ${plural(counted.written, 'document')} in ${plural(counted.commits, 'commit')}`;

/** What limits the store write and login figures of one store: counted operations, and (folder) document costs or (PostgreSQL) SQL statements. */
function storeNote(times: WriteTimes, store: string): string[] {
	const document = (which: 'top' | 'holder') => {
		const all = times.documents[which];
		const of = (key: 'parse' | 'validate' | 'serialise') => `${(median(all.map(step => step[key])) * 1000).toFixed(0)} µs`;
		return `${which === 'top' ? 'db.json' : "a holder's document"} (${(all[0]!.bytes / 1024).toFixed(1)} KB): JSON.parse ${of('parse')}, schema check ${of('validate')}, JSON.stringify ${of('serialise')}`;
	};
	const sql = (statements: Statements, index: number) =>
		(['storeWrite', 'login'] as const)
			.map(kind => {
				const name = kind === 'storeWrite' ? 'a store write' : 'a login';
				return `${name} ${median(statements[kind].statements)} statements, ${ms(median(statements[kind].ms))} waiting for their answers of ${ms(median(kind === 'storeWrite' ? times.storeWrite[index]! : times.login[index]!))}`;
			})
			.join('; ');
	return [
		...times.fileOperationsPer.map(
			(counted, index) => `${store}, ${count(SIZES[index]!)} holders: a store write (setLanguage) ${operations(counted.storeWrite)}; a login ${operations(counted.login)} (counted)`,
		),
		...(times.sql ?? []).map((statements, index) => `${store}, ${count(SIZES[index]!)} holders, SQL (medians): ${sql(statements, index)}`),
		...(times.documents.top.length > 0
			? [`each document read is parsed and checked, each written is checked, serialised, written and fsynced; ${document('top')}; ${document('holder')} (medians)`]
			: [`each document read is parsed and checked, each written checked and serialised (the same texts as a folder's); no fsync (the bench's cluster runs with fsync off)`]),
		`opening each store (Portal.open and a login): ${times.openSeconds.map((seconds, index) => `${count(SIZES[index]!)} holders ${seconds.toFixed(1)} s`).join(', ')}`,
	];
}

/** A store write's or a login's rows at 10 000 and 100 000 holders, against the same store's 3. */
function holderRows(name: string, store: string, samples: number[][], note: () => string[]): Row[] {
	const values = samples.map(values => median(values));
	return [1, 2].map(index => {
		const ratio = values[index]! / values[0]!;
		// 10 000 holders: issue 22's target; 100 000: reported beside it.
		const target = index === 1;
		return {
			figure: `${name}, ${count(SIZES[index]!)} holders${store === POSTGRES ? `, ${POSTGRES}` : ''} (median of ${samples[index]!.length})`,
			value: ms(values[index]!),
			reference: `${ms(values[0]!)} with ${SIZES[0]} holders`,
			target: `${ratio.toFixed(2)}× (${target ? `≤ ${HOLDERS_RATIO}×` : 'no target'})`,
			pass: target ? ratio <= HOLDERS_RATIO : null,
			note,
		};
	});
}

export function writeFigures(folders: Folders): Row[] {
	progress(`writes: PIN changes with 0 and ${count(BIG_HISTORY)} signatures; a store write and a login with ${SIZES.map(count).join(', ')} holders, on folders then in ${POSTGRES}`);
	const dataFolders = [folders.pinZero, folders.pinBig, folders.holdersSmall, folders.holdersMedium];
	// PostgreSQL's databases made first (the largest is copied from the folder the folders' worker then changes), measured after the folders.
	const databases = preparePostgres(folders);
	dataFolders.push(folders.holdersLarge);
	progress('writes: measuring (folders)');
	const times = JSON.parse(runNode([worker('writes'), ...dataFolders])) as WriteTimes;
	progress(`writes: measuring (${POSTGRES})`);
	const postgres = databases();
	details['writes'] = times;
	details['writesPostgres'] = postgres;
	const pinChange = times.pinChange!;
	const pin = {zero: median(pinChange.zero), big: median(pinChange.big)};
	const pinRatio = pin.big / pin.zero;
	const steps = (which: 'zero' | 'big') => {
		const all = pinChange.steps[which];
		return `start ${ms(median(all.map(step => step.start)))} + confirm ${ms(median(all.map(step => step.confirm)))}`;
	};
	const rowsOf = (name: string, which: 'storeWrite' | 'login'): Row[] => {
		const folderRows = holderRows(name, 'folder', times[which], () => storeNote(times, 'folder'));
		const postgresRows =
			'missing' in postgres
				? [1, 2].map(index => notMeasured(`${name}, ${count(SIZES[index]!)} holders, ${POSTGRES}`, postgres))
				: holderRows(name, POSTGRES, postgres[which], () => storeNote(postgres, POSTGRES));
		return [folderRows[0]!, postgresRows[0]!, folderRows[1]!, postgresRows[1]!];
	};
	return [
		{
			figure: `PIN change, ${BIG_HISTORY} signatures (median of ${pinChange.big.length})`,
			value: ms(pin.big),
			reference: `${ms(pin.zero)} with 0`,
			target: `${pinRatio.toFixed(2)}× (≤ 1.5×)`,
			pass: pinRatio <= 1.5,
			note: () => [`with 0 signatures: ${steps('zero')}; with ${BIG_HISTORY}: ${steps('big')} (medians)`],
		},
		...rowsOf('Store write', 'storeWrite'),
		...rowsOf('Login', 'login'),
	];
}

/**
 * PostgreSQL's databases, made now (from the seeded folders, before any figure changes them),
 * and a function that measures them, or why they are missing (no server, or a failure: the
 * folder's rows stand, and the error goes to stderr).
 */
function preparePostgres(folders: Folders): () => WriteTimes | NoPostgres {
	const failed = (error: unknown) => {
		progress(`writes, ${POSTGRES}: ${String((error as Error).stack ?? error)}`);
		return reasonOf(error);
	};
	let targets: {directory: string; url: string}[];
	try {
		const databases = folders.postgres;
		if ('missing' in databases) return () => databases;
		targets = [databases.holdersSmall, databases.holdersMedium, databases.holdersLarge];
	} catch (error) {
		const reason = failed(error);
		return () => reason;
	}
	return () => {
		try {
			return JSON.parse(runNode([worker('writes'), '--postgres', ...targets.flatMap(target => [target.directory, target.url])])) as WriteTimes;
		} catch (error) {
			return failed(error);
		}
	};
}
