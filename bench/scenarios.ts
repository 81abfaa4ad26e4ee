/*
 * The screens as the benchmark reads them from the pseudo-terminal, and the key scenarios it
 * times on them: typing in the login form, moving on the dashboard, opening «Cronologia firme»
 * and filtering and paging it.
 */
import {type Folders, GIULIA} from './data-folders.js';
import type {PtyProgram} from './pty.js';

/*
 * Pause after each frame before the next key. Ink draws at most once per 33 ms (30 fps): a key
 * sent the instant the previous frame landed would measure that throttle, not the app. People
 * type 5–10 keys a second, so 60 ms between keys is still faster than any of them.
 */
export const KEY_GAP_MS = 60;
export const CTRL_C = '\u0003';

const sleep = (milliseconds: number) => new Promise(resolve => setTimeout(resolve, milliseconds));

export const LOGIN_HEADING = /^ Accedi$/m;
export const MINIMAL_TEXT = /^Accedi$/m;
const DASHBOARD = /Benvenuto, /;
const digits = (text: string) => Number(text.replace(/\D/g, ''));

/** The focused text field's content (its box is drawn in bold lines), or undefined. */
function focusedField(screen: string): string | undefined {
	return /^\s*┃ (.*?)\s*┃$/m.exec(screen)?.[1];
}

function selectedCard(screen: string): number | undefined {
	const match = /^ › (\d)\. /m.exec(screen);
	return match ? Number(match[1]) : undefined;
}

interface HistoryState {
	total: number;
	shown: number;
	page: number;
	/** 0 all, 1 succeeded, 2 failed. */
	outcome: number;
}

/** «Cronologia firme» as drawn, once its table has a first row; otherwise undefined. */
function historyState(screen: string): HistoryState | undefined {
	const counts = /Totale firme ([\d.,]+)\s+Firme visualizzate: ([\d.,]+) su [\d.,]+\s+Pagina ([\d.,]+) di/.exec(screen);
	const outcome = /Esito\s+\((.)\) Vedi tutti gli esiti \((.)\) Riuscito \((.)\) Fallito/.exec(screen);
	if (!counts || !outcome || !/Esito\n\s*\d\d\/\d\d\/\d{4} \d\d:\d\d/.test(screen)) return undefined;
	return {total: digits(counts[1]!), shown: digits(counts[2]!), page: digits(counts[3]!), outcome: outcome.slice(1).indexOf('•')};
}

async function loginScreen(program: PtyProgram): Promise<number> {
	return program.waitFor(screen => LOGIN_HEADING.test(screen) && focusedField(screen) !== undefined);
}

async function logIn(program: PtyProgram, user: {userId: string; password: string}): Promise<void> {
	await loginScreen(program);
	program.label = 'login';
	await program.press(user.userId, screen => focusedField(screen) === user.userId);
	await program.press('\t', screen => /^ › Password$/m.test(screen));
	await program.press(user.password, screen => focusedField(screen) === '•'.repeat(user.password.length));
	await program.press('\r', screen => DASHBOARD.test(screen));
}

type Key = {key: string; shows: (screen: string) => boolean};

/** Presses keys one at a time, each KEY_GAP_MS after the previous one's frame landed. */
async function timeKeys(program: PtyProgram, label: string, keys: readonly Key[]): Promise<number[]> {
	program.label = label;
	const times: number[] = [];
	for (const {key, shows} of keys) {
		await sleep(KEY_GAP_MS);
		times.push(await program.press(key, shows));
	}
	return times;
}

/** Typing into the user field and deleting it again, 20 characters at a time. */
export async function loginTyping(program: PtyProgram, count: number): Promise<number[]> {
	await loginScreen(program);
	const empty = focusedField(program.screen());
	const word = 'JCPD2841mariorossi42';
	const shows = (text: string) => (screen: string) => focusedField(screen) === (text === '' ? empty : text);
	const keys: Key[] = [];
	while (keys.length < count) {
		for (let length = 1; length <= word.length; length++) keys.push({key: word[length - 1]!, shows: shows(word.slice(0, length))});
		for (let length = word.length - 1; length >= 0; length--) keys.push({key: '\u007F', shows: shows(word.slice(0, length))});
	}
	return timeKeys(program, 'login form', keys.slice(0, count));
}

/** ↓ through the eight cards and ↑ back, on GIULIA's dashboard. */
export async function dashboardMoves(program: PtyProgram, count: number): Promise<number[]> {
	await logIn(program, GIULIA);
	const keys: Key[] = [];
	for (let card = 1; keys.length < count; ) {
		const down = Math.floor(keys.length / 7) % 2 === 0;
		card += down ? 1 : -1;
		const expected = card;
		keys.push({key: down ? '\u001B[B' : '\u001B[A', shows: screen => selectedCard(screen) === expected});
	}
	return timeKeys(program, 'dashboard', keys);
}

/** From the login screen to «Cronologia firme» drawn with its first row: the time from pressing 7. */
export async function openHistory(program: PtyProgram, total: number): Promise<number> {
	await logIn(program, GIULIA);
	await sleep(KEY_GAP_MS);
	program.label = 'open';
	return program.press('7', screen => historyState(screen)?.total === total);
}

/** On the open «Cronologia firme»: ←/→ on the Esito choice, then PgDn/PgUp. */
export async function historyKeys(program: PtyProgram, outcomes: Folders['outcomes'], count: number): Promise<{filters: number[]; pages: number[]}> {
	const matching = [outcomes.total, outcomes.success, outcomes.failure];
	program.label = 'tab';
	// Tab from "Ordina per" through Dal, Al and Filtra to Esito.
	for (const label of ['Dal', 'Al', 'Filtra', 'Esito']) await program.press('\t', screen => new RegExp(`› ${label}`).test(screen));
	let outcome = 0;
	const filterKeys: Key[] = [];
	for (let index = 0; filterKeys.length < count; index++) {
		// → → ← ←: all, succeeded, failed, succeeded, all (the choice does not wrap around).
		const right = index % 4 < 2;
		outcome += right ? 1 : -1;
		const expected = outcome;
		filterKeys.push({
			key: right ? '\u001B[C' : '\u001B[D',
			shows: screen => {
				const state = historyState(screen);
				return state?.outcome === expected && state.shown === matching[expected] && state.page === 1;
			},
		});
	}
	const filters = await timeKeys(program, 'filter', filterKeys);
	let page = 1;
	const pageKeys: Key[] = [];
	for (let index = 0; pageKeys.length < count; index++) {
		const down = Math.floor(index / 10) % 2 === 0;
		page += down ? 1 : -1;
		const expected = page;
		pageKeys.push({key: down ? '\u001B[6~' : '\u001B[5~', shows: screen => historyState(screen)?.page === expected});
	}
	return {filters, pages: await timeKeys(program, 'page', pageKeys)};
}
