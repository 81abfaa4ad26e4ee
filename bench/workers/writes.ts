/*
 * Figure 4, in one process so both sides of each ratio share its warm caches:
 *   - "Modifica PIN" (startPinChange + confirmPinChange with the SMS code from the outbox) for a
 *     holder with no signatures and for one with 100 000, alternating between the two folders;
 *   - one store write (setPreferredChannel) and a login on a database of 3 holders and of 1 000,
 *     and what a store operation spends on db.json itself (parse, schema check, serialise).
 * Prints the timings (ms) as JSON. Argv: PIN0 PIN100K HOLDERS3 HOLDERS1000.
 */
import {readFile} from 'node:fs/promises';
import {Portal, type Session} from '../../source/core/portal.js';
import {AtomicJsonFile} from '../../source/core/store/json-file.js';
import {databaseSchema} from '../../source/core/store/schema.js';
import {Store} from '../../source/core/store/store.js';
import {lastSmsCode, logIn, MARIO} from '../../test/helpers/portal.js';

const [pinZero, pinBig, holdersSmall, holdersLarge] = process.argv.slice(2) as [string, string, string, string];
const PIN_CHANGES = 7;
const STORE_WRITES = 40;
const LOGINS = 10;
const DOCUMENT_STEPS = 10;
const OTHER_PIN = '99887766';

interface Side {
	portal: Portal;
	session: Session;
	pin: string;
}

async function open(directory: string): Promise<Side> {
	// Seven PIN changes send seven SMS to MARIO within minutes: the per-holder message limit (5 per
	// 15 minutes) is raised through the store, as a trainer would; it is not what is measured here.
	await new Store(directory).update(db => {
		db.settings.otpMessagesMax = 1000;
	});
	const portal = await Portal.open({dataDirectory: directory, terminal: 'bench'});
	return {portal, session: await logIn(portal, MARIO.userId, MARIO.password), pin: MARIO.pin};
}

async function time(task: () => unknown): Promise<number> {
	const start = performance.now();
	await task();
	return performance.now() - start;
}

/** Runs `task` on both sides `rounds` times, alternating which goes first so neither always runs warm. */
async function alternate<T>(rounds: number, sides: [Side, Side], task: (side: Side) => Promise<T>): Promise<[T[], T[]]> {
	const results: [T[], T[]] = [[], []];
	for (let round = 0; round < rounds; round++) {
		for (const index of round % 2 === 0 ? [0, 1] : [1, 0]) results[index]!.push(await task(sides[index]!));
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

/** What each store operation does to db.json in memory: JSON.parse, the schema check, JSON.stringify. */
async function documentSteps(side: Side): Promise<{bytes: number; parse: number; validate: number; serialise: number}> {
	const text = await readFile(new Store(side.portal.dataDirectory).file, 'utf8');
	let document: unknown;
	const parse = await time(() => (document = JSON.parse(text)));
	const validate = await time(() => databaseSchema.parse(document));
	const serialise = await time(() => JSON.stringify(document, null, '\t'));
	return {bytes: Buffer.byteLength(text), parse, validate, serialise};
}

/** How many times an operation reads (parses and checks) and writes db.json, counted by wrapping the store's file adapter. */
const fileOperations = {reads: 0, writes: 0};
for (const method of ['read', 'write'] as const) {
	const original = AtomicJsonFile.prototype[method] as (...args: unknown[]) => Promise<unknown>;
	(AtomicJsonFile.prototype as unknown as Record<string, unknown>)[method] = function (this: unknown, ...args: unknown[]) {
		fileOperations[method === 'read' ? 'reads' : 'writes']++;
		return original.apply(this, args);
	};
}
async function countFileOperations(task: () => Promise<unknown>): Promise<{reads: number; writes: number}> {
	fileOperations.reads = 0;
	fileOperations.writes = 0;
	await task();
	return {...fileOperations};
}

const pins: [Side, Side] = [await open(pinZero), await open(pinBig)];
const [pinZeroSteps, pinBigSteps] = await alternate(PIN_CHANGES, pins, changePin);

const stores: [Side, Side] = [await open(holdersSmall), await open(holdersLarge)];
const [writeSmall, writeLarge] = await alternate(STORE_WRITES, stores, side => time(() => side.portal.otp.setPreferredChannel(side.session, 'sms')));
const [loginSmall, loginLarge] = await alternate(LOGINS, stores, side => time(() => logIn(side.portal, MARIO.userId, MARIO.password)));
const [documentSmall, documentLarge] = await alternate(DOCUMENT_STEPS, stores, documentSteps);
const fileOperationsPer = {
	login: await countFileOperations(() => logIn(stores[1].portal, MARIO.userId, MARIO.password)),
	storeWrite: await countFileOperations(() => stores[1].portal.otp.setPreferredChannel(stores[1].session, 'sms')),
};

const total = (steps: {start: number; confirm: number}[]) => steps.map(step => step.start + step.confirm);
process.stdout.write(
	JSON.stringify({
		pinChange: {zero: total(pinZeroSteps), big: total(pinBigSteps), steps: {zero: pinZeroSteps, big: pinBigSteps}},
		storeWrite: {small: writeSmall, large: writeLarge},
		login: {small: loginSmall, large: loginLarge},
		document: {small: documentSmall, large: documentLarge},
		fileOperationsPer,
	}) + '\n',
);
