/*
 * Figure 4, in one process so every side of each ratio shares its warm caches:
 *   - "Modifica PIN" (startPinChange + confirmPinChange with the SMS code from the outbox) for a
 *     holder with no signatures and for one with 100 000, alternating between the two folders;
 *   - one store write (setLanguage, see user.ts) and a login on folders of 3, 10 000 and 100 000
 *     holders, what the store reads and writes for each (counted), and what one document costs
 *     in memory (parse, schema check, serialise) for db.json and for a holder's document.
 * Prints the timings (ms) as JSON. Argv: PIN0 PIN100K HOLDERS... (the first holders folder is
 * the reference); or `--postgres DIRECTORY URL...`: the store write and the login only, on the
 * databases at each URL (issue 22), each with its data folder (keys, logs), each operation's SQL
 * statements counted and timed besides.
 */
import {readFile} from 'node:fs/promises';
import {Portal, type Session} from '../../source/core/portal.js';
import {FolderBackend, type DocumentSource} from '../../source/core/store/backend.js';
import {DataFiles} from '../../source/core/store/documents.js';
import {globalDocumentSchema, holderDocumentSchema} from '../../source/core/store/partition.js';
import {closePools} from '../../source/core/store/postgres/database.js';
import {PostgresBackend} from '../../source/core/store/postgres/documents.js';
import {Store} from '../../source/core/store/store.js';
import {lastSmsCode, logIn, MARIO} from '../../test/helpers/portal.js';

const argv = process.argv.slice(2);
const postgres = argv[0] === '--postgres';
/** The holders sides, in order; `store`: the database's URL (PostgreSQL), else the folder's files. */
const holderSides = postgres
	? argv.slice(1).flatMap((directory, index, all) => (index % 2 === 0 ? [{directory, store: all[index + 1]!}] : []))
	: argv.slice(2).map(directory => ({directory, store: undefined as string | undefined}));
const PIN_CHANGES = 7;
const STORE_WRITES = 40;
const LOGINS = 10;
const DOCUMENT_STEPS = 10;
/**
 * A side whose operation is slow (a large folder while an operation still reads every holder's
 * document) stops being timed once it has spent this long on one figure and has MIN_SAMPLES:
 * the bench stays minutes long, and the row says how many it timed.
 */
const BUDGET_MS = 30_000;
const MIN_SAMPLES = 3;
const OTHER_PIN = '99887766';

interface Side {
	portal: Portal;
	session: Session;
	pin: string;
	/** PostgreSQL: the SQL statements of each timed store write and login (count, ms spent in them). */
	sql: Record<'storeWrite' | 'login', {statements: number[]; ms: number[]}>;
}

async function open(directory: string, store?: string): Promise<Side> {
	// Seven PIN changes send seven SMS to MARIO within minutes: the per-holder message limit (5 per
	// 15 minutes) is raised through the store, as a trainer would; it is not what is measured here.
	// Scoped to MARIO (the settings are in db.json): it reads no other holder's document.
	await new Store(directory, undefined, store).update(db => {
		db.settings.otpMessagesMax = 1000;
	}, MARIO.userId);
	const portal = await Portal.open({dataDirectory: directory, terminal: 'bench', store});
	const sql = {storeWrite: {statements: [], ms: []}, login: {statements: [], ms: []}};
	return {portal, session: await logIn(portal, MARIO.userId, MARIO.password), pin: MARIO.pin, sql};
}

async function time(task: () => unknown): Promise<number> {
	const start = performance.now();
	await task();
	return performance.now() - start;
}

/**
 * Runs `task` on every side `rounds` times, rotating which goes first so none always runs warm;
 * with `budget`, a side that has spent it (and has MIN_SAMPLES) is left out of later rounds.
 */
async function alternate<T>(rounds: number, sides: readonly Side[], task: (side: Side) => Promise<T>, budget = Number.POSITIVE_INFINITY): Promise<T[][]> {
	const results: T[][] = sides.map(() => []);
	const spent = sides.map(() => 0);
	for (let round = 0; round < rounds; round++) {
		for (let offset = 0; offset < sides.length; offset++) {
			const index = (round + offset) % sides.length;
			if (spent[index]! >= budget && results[index]!.length >= MIN_SAMPLES) continue;
			const start = performance.now();
			results[index]!.push(await task(sides[index]!));
			spent[index]! += performance.now() - start;
		}
	}
	return results;
}

/** One PIN change, its two steps timed apart; reading the SMS (the user looking at the phone) is not timed. */
async function changePin(side: Side): Promise<{start: number; confirm: number}> {
	const next = side.pin === MARIO.pin ? OTHER_PIN : MARIO.pin;
	let changeId = '';
	const start = await time(async () => {
		({changeId} = await side.portal.pin.startChange(side.session, {currentPin: side.pin, newPin: next, newPinAgain: next}));
	});
	const code = await lastSmsCode(side.portal, MARIO.userId);
	const confirm = await time(() => side.portal.pin.confirmChange(side.session, changeId, code));
	side.pin = next;
	return {start, confirm};
}

interface DocumentSteps {
	bytes: number;
	parse: number;
	validate: number;
	serialise: number;
}

/** What the store does to one document in memory: JSON.parse, the schema check, JSON.stringify. */
async function documentSteps(file: string, schema: {parse: (value: unknown) => unknown}): Promise<DocumentSteps> {
	const text = await readFile(file, 'utf8');
	let document: unknown;
	const parse = await time(() => (document = JSON.parse(text)));
	const validate = await time(() => schema.parse(document));
	const serialise = await time(() => JSON.stringify(document, null, '\t'));
	return {bytes: Buffer.byteLength(text), parse, validate, serialise};
}

/**
 * What an operation reads and writes, counted on the documents the store sees (backend.ts: a
 * folder's files or a database's rows, wrapped for every locked update and snapshot): db.json
 * read (parsed and checked), the holders listed, holder documents read (parsed and checked),
 * holders/index.json read, and the documents a commit writes (checked, serialised, written).
 */
const fileOperations = {topReads: 0, listings: 0, holderReads: 0, indexReads: 0, commits: 0, written: 0};
type FileOperations = typeof fileOperations;
const tally: Partial<Record<keyof DocumentSource, (...args: never[]) => void>> = {
	readTop: () => fileOperations.topReads++,
	holderIds: () => fileOperations.listings++,
	readHolder: () => fileOperations.holderReads++,
	readHolders: (userIds: readonly string[]) => (fileOperations.holderReads += userIds.length),
	readIndex: () => fileOperations.indexReads++,
	commit: (global: unknown, holders: ReadonlyMap<string, unknown>, index: unknown) => {
		fileOperations.commits++;
		fileOperations.written += holders.size + (global === undefined ? 0 : 1) + (index === undefined ? 0 : 1);
	},
};
const counted = (source: DocumentSource): DocumentSource =>
	new Proxy(source, {
		get(target, key) {
			const value = Reflect.get(target, key, target) as unknown;
			if (typeof value !== 'function') return value;
			const count = tally[key as keyof DocumentSource] as ((...args: unknown[]) => void) | undefined;
			return (...args: unknown[]) => {
				count?.(...args);
				return (value as (...args: unknown[]) => unknown).apply(target, args);
			};
		},
	});
for (const backend of [FolderBackend, PostgresBackend]) {
	for (const method of ['locked', 'snapshot'] as const) {
		const original = backend.prototype[method] as (work: (source: DocumentSource) => Promise<unknown>) => Promise<unknown>;
		(backend.prototype as unknown as Record<string, unknown>)[method] = function (this: unknown, work: (source: DocumentSource) => Promise<unknown>) {
			return original.call(this, source => work(counted(source)));
		};
	}
}
async function countFileOperations(task: () => Promise<unknown>): Promise<FileOperations> {
	for (const key of Object.keys(fileOperations) as (keyof FileOperations)[]) fileOperations[key] = 0;
	await task();
	return {...fileOperations};
}

/**
 * PostgreSQL: every SQL statement the store sends (pg's Client.query, as the pool calls it: with
 * a callback, or for a promise), counted and timed from the call to its answer.
 */
const statements = {count: 0, ms: 0};
if (postgres) {
	const {default: pg} = await import('pg');
	const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
	(pg.Client.prototype as unknown as {query: unknown}).query = function (this: unknown, ...args: unknown[]) {
		const start = performance.now();
		const done = () => void ((statements.count += 1), (statements.ms += performance.now() - start));
		const callback = args.at(-1);
		if (typeof callback === 'function') {
			args[args.length - 1] = (...results: unknown[]) => {
				done();
				return (callback as (...results: unknown[]) => unknown)(...results);
			};
			return query.apply(this, args);
		}
		const result = query.apply(this, args);
		return result instanceof Promise ? result.finally(done) : result;
	};
}
/** Times `task` on `side`, and (PostgreSQL) the SQL statements it sent. */
async function timeOn(side: Side, kind: 'storeWrite' | 'login', task: () => unknown): Promise<number> {
	statements.count = 0;
	statements.ms = 0;
	const elapsed = await time(task);
	if (postgres) {
		side.sql[kind].statements.push(statements.count);
		side.sql[kind].ms.push(statements.ms);
	}
	return elapsed;
}

// PIN changes on folders only (the signature log and the outbox are files either way).
type PinSteps = {start: number; confirm: number}[];
let pinChange: {zero: number[]; big: number[]; steps: {zero: PinSteps; big: PinSteps}} | undefined;
if (!postgres) {
	const [pinZero, pinBig] = argv as [string, string];
	const pins = [await open(pinZero), await open(pinBig)];
	const [zero, big] = (await alternate(PIN_CHANGES, pins, changePin)) as [PinSteps, PinSteps];
	const total = (steps: PinSteps) => steps.map(step => step.start + step.confirm);
	pinChange = {zero: total(zero), big: total(big), steps: {zero, big}};
}

const stores: Side[] = [];
const openSeconds: number[] = [];
for (const {directory, store} of holderSides) openSeconds.push((await time(async () => stores.push(await open(directory, store)))) / 1000);
const storeWrite = await alternate(STORE_WRITES, stores, side => timeOn(side, 'storeWrite', () => side.portal.account.setLanguage(side.session, 'it')), BUDGET_MS);
// Each login's session is the one the side goes on with (an older one may have gone idle past its timeout meanwhile).
const login = await alternate(LOGINS, stores, side => timeOn(side, 'login', async () => (side.session = await logIn(side.portal, MARIO.userId, MARIO.password))), BUDGET_MS);
// One folder's db.json and MARIO's document (the same files, whatever the number of holders; a database's rows hold the same text).
const documents = {top: [] as DocumentSteps[], holder: [] as DocumentSteps[]};
if (!postgres) {
	const files = new DataFiles(holderSides[0]!.directory);
	for (let round = 0; round < DOCUMENT_STEPS; round++) {
		documents.top.push(await documentSteps(files.top, globalDocumentSchema));
		documents.holder.push(await documentSteps(files.holderFile(MARIO.userId), holderDocumentSchema));
	}
}
// Counted on all but the last (largest) folder: the count grows with the number of holders or does not.
const fileOperationsPer: {login: FileOperations; storeWrite: FileOperations}[] = [];
for (const side of stores.slice(0, Math.max(1, stores.length - 1))) {
	fileOperationsPer.push({
		login: await countFileOperations(async () => (side.session = await logIn(side.portal, MARIO.userId, MARIO.password))),
		storeWrite: await countFileOperations(() => side.portal.account.setLanguage(side.session, 'it')),
	});
}

process.stdout.write(JSON.stringify({pinChange, openSeconds, storeWrite, login, documents, fileOperationsPer, sql: postgres ? stores.map(side => side.sql) : undefined}) + '\n');
// Idle pool connections would keep the process alive for a while (allowExitOnIdle: until they time out).
await closePools();
