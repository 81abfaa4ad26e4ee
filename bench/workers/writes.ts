/*
 * Figure 4, in one process so every side of each ratio shares its warm caches:
 *   - "Modifica PIN" (startPinChange + confirmPinChange with the SMS code from the outbox) for a
 *     holder with no signatures and for one with 100 000, alternating between the two folders;
 *   - one store write (setLanguage, see user.ts) and a login on folders of 3, 10 000 and 100 000
 *     holders, what the store reads and writes for each (counted), and what one document costs
 *     in memory (parse, schema check, serialise) for db.json and for a holder's document.
 * Prints the timings (ms) as JSON. Argv: PIN0 PIN100K HOLDERS... (the first holders folder is
 * the reference).
 */
import {readFile} from 'node:fs/promises';
import {Portal, type Session} from '../../source/core/portal.js';
import {DataFiles} from '../../source/core/store/documents.js';
import {globalDocumentSchema, holderDocumentSchema} from '../../source/core/store/partition.js';
import {Store} from '../../source/core/store/store.js';
import {lastSmsCode, logIn, MARIO} from '../../test/helpers/portal.js';

const [pinZero, pinBig, ...holderFolders] = process.argv.slice(2) as [string, string, ...string[]];
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
}

async function open(directory: string): Promise<Side> {
	// Seven PIN changes send seven SMS to MARIO within minutes: the per-holder message limit (5 per
	// 15 minutes) is raised through the store, as a trainer would; it is not what is measured here.
	// Scoped to MARIO (the settings are in db.json): it reads no other holder's document.
	await new Store(directory).update(db => {
		db.settings.otpMessagesMax = 1000;
	}, MARIO.userId);
	const portal = await Portal.open({dataDirectory: directory, terminal: 'bench'});
	return {portal, session: await logIn(portal, MARIO.userId, MARIO.password), pin: MARIO.pin};
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
 * What an operation reads and writes, counted by wrapping the store's files (documents.ts):
 * db.json read (parsed and checked), holders/ listed, a holder's document read (parsed and
 * checked), and the documents a commit writes (checked, serialised, written and fsynced).
 */
const fileOperations = {topReads: 0, listings: 0, holderReads: 0, commits: 0, written: 0};
type FileOperations = typeof fileOperations;
function count(method: 'readTop' | 'holderIds' | 'readHolder' | 'commit', counted: (...args: never[]) => void): void {
	const original = DataFiles.prototype[method] as (...args: unknown[]) => unknown;
	(DataFiles.prototype as unknown as Record<string, unknown>)[method] = function (this: unknown, ...args: unknown[]) {
		(counted as (...args: unknown[]) => void)(...args);
		return original.apply(this, args);
	};
}
count('readTop', () => fileOperations.topReads++);
count('holderIds', () => fileOperations.listings++);
count('readHolder', () => fileOperations.holderReads++);
count('commit', (global: unknown, holders: ReadonlyMap<string, unknown>) => {
	fileOperations.commits++;
	fileOperations.written += holders.size + (global === undefined ? 0 : 1);
});
async function countFileOperations(task: () => Promise<unknown>): Promise<FileOperations> {
	for (const key of Object.keys(fileOperations) as (keyof FileOperations)[]) fileOperations[key] = 0;
	await task();
	return {...fileOperations};
}

const pins = [await open(pinZero), await open(pinBig)];
const [pinZeroSteps, pinBigSteps] = (await alternate(PIN_CHANGES, pins, changePin)) as [{start: number; confirm: number}[], {start: number; confirm: number}[]];

const stores: Side[] = [];
const openSeconds: number[] = [];
for (const folder of holderFolders) openSeconds.push((await time(async () => stores.push(await open(folder)))) / 1000);
const storeWrite = await alternate(STORE_WRITES, stores, side => time(() => side.portal.account.setLanguage(side.session, 'it')), BUDGET_MS);
// Each login's session is the one the side goes on with (an older one may have gone idle past its timeout meanwhile).
const login = await alternate(LOGINS, stores, side => time(async () => (side.session = await logIn(side.portal, MARIO.userId, MARIO.password))), BUDGET_MS);
// One folder's db.json and MARIO's document (the same files, whatever the number of holders).
const files = new DataFiles(holderFolders[0]!);
const documents = {top: [] as DocumentSteps[], holder: [] as DocumentSteps[]};
for (let round = 0; round < DOCUMENT_STEPS; round++) {
	documents.top.push(await documentSteps(files.top, globalDocumentSchema));
	documents.holder.push(await documentSteps(files.holderFile(MARIO.userId), holderDocumentSchema));
}
// Counted on all but the last (largest) folder: the count grows with the number of holders or does not.
const fileOperationsPer: {login: FileOperations; storeWrite: FileOperations}[] = [];
for (const side of stores.slice(0, Math.max(1, stores.length - 1))) {
	fileOperationsPer.push({
		login: await countFileOperations(async () => (side.session = await logIn(side.portal, MARIO.userId, MARIO.password))),
		storeWrite: await countFileOperations(() => side.portal.account.setLanguage(side.session, 'it')),
	});
}

const total = (steps: {start: number; confirm: number}[]) => steps.map(step => step.start + step.confirm);
process.stdout.write(
	JSON.stringify({
		pinChange: {zero: total(pinZeroSteps), big: total(pinBigSteps), steps: {zero: pinZeroSteps, big: pinBigSteps}},
		openSeconds,
		storeWrite,
		login,
		documents,
		fileOperationsPer,
	}) + '\n',
);
