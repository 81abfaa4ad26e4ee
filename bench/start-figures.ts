/*
 * Figure 1: start to the login screen and peak memory at the first frame, against the minimal
 * Ink app (and node -e ''); a missed one is explained by a start under the profiler or a
 * preloaded memory probe.
 */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {Folders} from './data-folders.js';
import {details, mb, median, ms, progress, type Row} from './figure.js';
import {CLI, MINIMAL, mysignArgs, NODE, ROOT, worker} from './processes.js';
import {breakdown, describe, profiled, profileStartedAt, staticJavaScript, sum} from './profile.js';
import {PtyProgram} from './pty.js';
import {CTRL_C, LOGIN_HEADING, MINIMAL_TEXT} from './scenarios.js';

const START_RUNS = 25;

interface StartRun {
	ms: number;
	peakRss?: number;
}

async function startOnce(kind: 'mysign' | 'minimal' | 'node', data: string): Promise<StartRun> {
	if (kind === 'node') {
		const program = new PtyProgram(NODE, ['-e', ''], {cwd: ROOT});
		const {at} = await program.exit;
		await program.dispose();
		return {ms: at - program.startedAt};
	}
	const program = new PtyProgram(NODE, kind === 'mysign' ? mysignArgs(data) : [MINIMAL], {cwd: ROOT});
	try {
		const drawn = await program.waitFor(screen => (kind === 'mysign' ? LOGIN_HEADING : MINIMAL_TEXT).test(screen));
		return {ms: drawn - program.startedAt, peakRss: program.memory().peak};
	} finally {
		await program.dispose();
	}
}

export async function startFigures(folders: Folders): Promise<Row[]> {
	progress(`start: ${START_RUNS} runs each of mysign, the minimal Ink app and node -e '', interleaved`);
	const kinds = ['mysign', 'minimal', 'node'] as const;
	const runs: Record<(typeof kinds)[number], StartRun[]> = {mysign: [], minimal: [], node: []};
	// One discarded round: the first start reads the files from disk, later ones from the page cache.
	for (const kind of kinds) await startOnce(kind, folders.demo);
	for (let round = 0; round < START_RUNS; round++) {
		// The order rotates so that no program always follows the same one.
		for (let index = 0; index < kinds.length; index++) {
			const kind = kinds[(round + index) % kinds.length]!;
			runs[kind].push(await startOnce(kind, folders.demo));
		}
	}
	const start = {mysign: median(runs.mysign.map(run => run.ms)), minimal: median(runs.minimal.map(run => run.ms)), node: median(runs.node.map(run => run.ms))};
	const rss = {mysign: median(runs.mysign.map(run => run.peakRss!)), minimal: median(runs.minimal.map(run => run.peakRss!))};
	details['start'] = {medianMs: start, medianPeakRssBytes: rss, runs};
	const startRatio = start.mysign / start.minimal;
	const rssRatio = rss.mysign / rss.minimal;
	return [
		{
			figure: `Start to login screen (median of ${START_RUNS})`,
			value: ms(start.mysign),
			reference: `${ms(start.minimal)} min. Ink; node -e '' ${ms(start.node)}`,
			target: `${startRatio.toFixed(2)}× (≤ 1.3×)`,
			pass: startRatio <= 1.3,
			note: () => startNote(folders),
		},
		{
			figure: 'Peak memory at first frame (VmHWM)',
			value: mb(rss.mysign),
			reference: `${mb(rss.minimal)} min. Ink`,
			target: `${rssRatio.toFixed(2)}× (≤ 1.3×)`,
			pass: rssRatio <= 1.3,
			note: () => memoryNote(folders),
		},
	];
}

async function startNote(folders: Folders): Promise<string[]> {
	const profileStart = (name: string, args: string[], drawn: RegExp, stop: string) => {
		let window = {from: 0, to: 0};
		return profiled(
			NODE,
			args,
			{cwd: ROOT, directory: join(folders.work, `profile-start-${name}`)},
			async program => {
				window = {from: program.startedAt, to: await program.waitFor(screen => drawn.test(screen))};
			},
			program => program.write(stop),
		).then(({profile}) => ({profile, window, totals: breakdown(profile, [window])}));
	};
	const mysign = await profileStart('mysign', mysignArgs(folders.demo), LOGIN_HEADING, CTRL_C);
	const minimal = await profileStart('minimal', [MINIMAL], MINIMAL_TEXT, 'q');
	const bootstrap = (run: typeof mysign) => profileStartedAt(run.profile) - run.window.from;
	const busy = (run: typeof mysign) => sum([...run.totals].filter(([group]) => !group.startsWith('idle')).map(([, time]) => time));
	const idle = (run: typeof mysign) => run.totals.get('idle (waiting for I/O)') ?? 0;
	const cliChunks = [...readFileSync(CLI, 'utf8').matchAll(/import\("\.\/(chunks\/run-[^"]+)"\)/g)].map(match => join(ROOT, 'dist', match[1]!));
	const seen = new Set<string>();
	const mysignBytes = staticJavaScript(CLI, seen) + sum(cliChunks.map(chunk => staticJavaScript(chunk, seen)));
	return [
		`one start of each under the profiler, up to the first frame: ${ms(mysign.window.to - mysign.window.from)} vs ${ms(minimal.window.to - minimal.window.from)}; ` +
			`Node's bootstrap before the profiler starts ${ms(bootstrap(mysign))} vs ${ms(bootstrap(minimal))}, then sampled busy ${ms(busy(mysign))} vs ${ms(busy(minimal))} and idle (waiting for I/O) ${ms(idle(mysign))} vs ${ms(idle(minimal))}`,
		`where mysign's time goes (+ = more than minimal Ink): ${describe(mysign.totals, {top: 8, compare: minimal.totals})}`,
		`JavaScript loaded to draw the first frame: ${mb(mysignBytes)} in ${seen.size} files (dist/cli.js, its static imports and the TUI chunk) vs ${mb(staticJavaScript(MINIMAL))} for minimal Ink`,
	];
}

interface MemoryAtFrame {
	rss: number;
	heapTotal: number;
	heapUsed: number;
	external: number;
	arrayBuffers: number;
	peak: number;
	spaces: Record<string, number>;
}

async function memoryNote(folders: Folders): Promise<string[]> {
	const measure = async (args: string[], drawn: RegExp): Promise<MemoryAtFrame> => {
		const file = join(folders.work, `memory-${Math.random().toString(36).slice(2)}.json`);
		const program = new PtyProgram(NODE, [`--import=${worker('memory-probe')}`, ...args], {cwd: ROOT, env: {MYSIGN_BENCH_MEMORY: file}});
		try {
			await program.waitFor(screen => drawn.test(screen));
		} finally {
			await program.dispose();
		}
		return JSON.parse(readFileSync(file, 'utf8')) as MemoryAtFrame;
	};
	const mysign = await measure(mysignArgs(folders.demo), LOGIN_HEADING);
	const minimal = await measure([MINIMAL], MINIMAL_TEXT);
	const line = (memory: MemoryAtFrame) =>
		`RSS ${mb(memory.rss)}: V8 heap ${mb(memory.heapTotal)} (used ${mb(memory.heapUsed)}: objects ${mb((memory.spaces['old_space'] ?? 0) + (memory.spaces['new_space'] ?? 0))}, ` +
		`code ${mb((memory.spaces['code_space'] ?? 0) + (memory.spaces['code_large_object_space'] ?? 0))}), external ${mb(memory.external)}, ` +
		`the rest ${mb(memory.rss - memory.heapTotal - memory.external)} (Node, V8's compiler and addons: native memory)`;
	return [`at the first frame (one run each, with a preloaded probe): mysign ${line(mysign)}`, `minimal Ink ${line(minimal)}`];
}
