/*
 * Figures 2 and 3: key → frame in the login form, on the dashboard and in «Cronologia firme»,
 * and opening «Cronologia firme» with 100 000 signatures; a missed one is explained by the same
 * keys pressed again under the profiler.
 */
import {join} from 'node:path';
import type {Folders} from './data-folders.js';
import {details, median, ms, percentile, progress, type Row} from './figure.js';
import {mysignArgs, NODE, ROOT} from './processes.js';
import {breakdown, describe, hottest, profiled, type CpuProfile} from './profile.js';
import {PtyProgram, type Press} from './pty.js';
import {CTRL_C, dashboardMoves, historyKeys, KEY_GAP_MS, loginTyping, openHistory} from './scenarios.js';

const KEYS = 200;
/** Keys per kind in a profiled rerun that explains a missed key figure. */
const PROFILED_KEYS = 30;
const HISTORY_OPENS = 5;

/** Every key timed in the measured (not profiled) runs, for the notes. */
const measuredPresses: Press[] = [];

/** Runs a scenario in a fresh mysign and ends it. */
async function withMysign<T>(data: string, scenario: (program: PtyProgram) => Promise<T>): Promise<T> {
	const program = new PtyProgram(NODE, mysignArgs(data), {cwd: ROOT});
	try {
		return await scenario(program);
	} finally {
		measuredPresses.push(...program.presses);
		await program.dispose();
	}
}

/** Runs a scenario again in a fresh mysign under the profiler (for a note); Ctrl-C ends it so the profile is written. */
async function profileKeys(folders: Folders, name: string, data: string, scenario: (program: PtyProgram) => Promise<unknown>): Promise<{profile: CpuProfile; program: PtyProgram}> {
	return profiled(NODE, mysignArgs(data), {cwd: ROOT, directory: join(folders.work, `profile-${name}`)}, async program => void (await scenario(program)), program => program.write(CTRL_C));
}

/** How many frames a key took to show its effect, from the measured runs: a second frame waits for Ink's 33 ms throttle. */
function framesLine(label: string, what: string): string {
	const presses = measuredPresses.filter(press => press.label === label);
	const counts = presses.map(press => press.frames.length);
	const first = median(presses.map(press => press.frames[0] ?? press.shownAt - press.sentAt));
	const last = median(presses.map(press => press.shownAt - press.sentAt));
	if (median(counts) <= 1) return `${what}: one frame per key (median), ${ms(first)} after the key`;
	return `${what}: ${median(counts)} frames per key (median, max ${Math.max(...counts)}): the first ${ms(first)} after the key, the one showing the result ${ms(last)} (medians; Ink draws at most once per 33 ms)`;
}

/** The profiled windows of one label: where the time between key and frame went, per key, and the hottest functions. */
function keyNote(program: PtyProgram, profile: CpuProfile, label: string, what: string): string[] {
	const windows = program.presses.filter(press => press.label === label).map(press => ({from: press.sentAt, to: press.shownAt}));
	const profiledMedian = median(windows.map(window => window.to - window.from));
	const per = {windows: windows.length};
	return [
		framesLine(label, what),
		`${what} under the profiler (${windows.length} ${windows.length === 1 ? 'key' : 'keys'}, median ${ms(profiledMedian)}), per key: ${describe(breakdown(profile, windows), per)}`,
		`${what}, hottest functions per key: ${describe(hottest(profile, windows), {...per, top: 5})}`,
	];
}

function keyRows(name: string, times: readonly number[], note: () => Promise<string[]>): Row[] {
	const p50 = median(times);
	const p99 = percentile(times, 99);
	return [
		{figure: `Key → frame, ${name} (median of ${times.length})`, value: ms(p50), reference: `max ${ms(Math.max(...times))}`, target: '≤ 20 ms', pass: p50 <= 20, note},
		{figure: `Key → frame, ${name} (p99)`, value: ms(p99), reference: '', target: '≤ 50 ms', pass: p99 <= 50, note},
	];
}

/** Once, shared by every history row that misses: open, filter and page keys under the profiler. */
let historyProfile: Promise<{profile: CpuProfile; program: PtyProgram}> | undefined;
function profileHistory(folders: Folders) {
	historyProfile ??= profileKeys(folders, 'history', folders.history, async program => {
		await openHistory(program, folders.outcomes.total);
		await historyKeys(program, folders.outcomes, PROFILED_KEYS);
	});
	return historyProfile;
}

async function historyNote(folders: Folders, labels: readonly string[]): Promise<string[]> {
	const {profile, program} = await profileHistory(folders);
	const names: Record<string, string> = {open: 'open (7 on the dashboard)', filter: 'Esito ←/→', page: 'PgDn/PgUp'};
	return labels.flatMap(label => keyNote(program, profile, label, names[label]!));
}

export async function keyFigures(folders: Folders): Promise<Row[]> {
	progress(`keys: ${KEYS} keystrokes in the login form`);
	const login = await withMysign(folders.demo, program => loginTyping(program, KEYS));
	progress(`keys: ${KEYS} ↓/↑ on the dashboard`);
	const dashboard = await withMysign(folders.demo, program => dashboardMoves(program, KEYS));
	const {total} = folders.outcomes;
	progress(`history: opening «Cronologia firme» with ${total} signatures in ${HISTORY_OPENS} fresh processes; in the first, ${KEYS} filter and ${KEYS} page keys`);
	const opens: number[] = [];
	let keys = {filters: [] as number[], pages: [] as number[]};
	for (let run = 0; run < HISTORY_OPENS; run++) {
		await withMysign(folders.history, async program => {
			opens.push(await openHistory(program, total));
			if (run === 0) keys = await historyKeys(program, folders.outcomes, KEYS);
		});
	}
	details['keys'] = {gapMs: KEY_GAP_MS, login, dashboard, historyFilters: keys.filters, historyPages: keys.pages};
	details['history'] = {signatures: folders.outcomes, opens};

	const profileNote = (name: string, data: string, label: string, scenario: (program: PtyProgram) => Promise<unknown>) => async () => {
		const {profile, program} = await profileKeys(folders, name, data, scenario);
		return keyNote(program, profile, label, name);
	};
	return [
		...keyRows('login form', login, profileNote('login form', folders.demo, 'login form', program => loginTyping(program, PROFILED_KEYS))),
		...keyRows('dashboard', dashboard, profileNote('dashboard', folders.demo, 'dashboard', program => dashboardMoves(program, PROFILED_KEYS))),
		...keyRows('history', [...keys.filters, ...keys.pages], () => historyNote(folders, ['filter', 'page'])),
		{
			figure: `History open, ${total} signatures (median of ${opens.length})`,
			value: ms(median(opens)),
			reference: `min ${ms(Math.min(...opens))}, max ${ms(Math.max(...opens))}`,
			target: '≤ 300 ms',
			pass: median(opens) <= 300,
			note: () => historyNote(folders, ['open']),
		},
		{
			figure: `History filter, Esito (median of ${keys.filters.length})`,
			value: ms(median(keys.filters)),
			reference: `p99 ${ms(percentile(keys.filters, 99))}`,
			target: '≤ 30 ms',
			pass: median(keys.filters) <= 30,
			note: () => historyNote(folders, ['filter']),
		},
		{
			figure: `History next/previous page (median of ${keys.pages.length})`,
			value: ms(median(keys.pages)),
			reference: `p99 ${ms(percentile(keys.pages, 99))}`,
			target: '≤ 30 ms',
			pass: median(keys.pages) <= 30,
			note: () => historyNote(folders, ['page']),
		},
	];
}
