import {mkdirSync, readdirSync, readFileSync, statSync} from 'node:fs';
import {dirname, join, relative, resolve, sep} from 'node:path';
import {fileURLToPath} from 'node:url';
import {PtyProgram} from './pty.js';

/*
 * Where a missed figure's time goes, measured rather than guessed: the program runs again under
 * V8's sampling profiler (--cpu-prof, a sample every millisecond) in the pseudo-terminal, the
 * same keys are pressed, and the samples that fall between a key and its frame are attributed
 * to the code they ran in. Bundled code is attributed to its original module: esbuild marks
 * every module in its output with a "// path" comment line. Node's own functions count toward
 * the nearest bundled caller (a file read toward the module that asked for it); what has no
 * such caller keeps its own name (GC, module loading and compiling, idle = waiting for I/O).
 */

interface ProfileNode {
	id: number;
	callFrame: {functionName: string; url: string; lineNumber: number};
	children?: number[];
	/** Samples per source line (1-based) inside this function. */
	positionTicks?: {line: number; ticks: number}[];
}

export interface CpuProfile {
	/** µs on CLOCK_MONOTONIC, the clock process.hrtime reads. */
	startTime: number;
	endTime: number;
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

/** µs on the profile's clock for a performance.now() value (both count from the same monotonic clock). */
const MONOTONIC_OFFSET_US = Number(process.hrtime.bigint() / 1000n) - performance.now() * 1000;
const toMicros = (performanceNow: number) => performanceNow * 1000 + MONOTONIC_OFFSET_US;
/** When the profiler started, as a performance.now() value of this process. */
export const profileStartedAt = (profile: CpuProfile) => (profile.startTime - MONOTONIC_OFFSET_US) / 1000;

/**
 * Module boundaries of a bundled file: [first line (1-based), module path], in order. esbuild
 * writes the paths relative to the folder it ran in, the one holding `dist/`.
 */
const boundaries = new Map<string, [number, string][]>();
function modulesOf(file: string): [number, string][] {
	let found = boundaries.get(file);
	if (!found) {
		found = [];
		const dist = file.lastIndexOf(`${sep}dist${sep}`);
		const base = dist === -1 ? process.cwd() : file.slice(0, dist);
		const lines = readFileSync(file, 'utf8').split('\n');
		for (let index = 0; index < lines.length; index++) {
			const marker = /^\/\/ (\S+\.(?:[cm]?js|tsx?|jsx|json))$/.exec(lines[index]!);
			if (marker) found.push([index + 1, resolve(base, marker[1]!)]);
		}
		boundaries.set(file, found);
	}
	return found;
}

/** A package name, or the folder of a project module (source/core/history). */
function groupOfModule(modulePath: string): string {
	const packaged = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(modulePath);
	if (packaged) return packaged[1]!;
	return dirname(relative(process.cwd(), modulePath));
}

/** The group of a line of a file, or undefined when the file is not code we can place. */
function groupOfLine(url: string, line: number): string | undefined {
	if (!url.startsWith('file:')) return undefined;
	const file = fileURLToPath(url);
	// An installed package loaded as it is (argon2, fs-ext), not from a bundle.
	const installed = /node_modules\/((?:@[^/]+\/)?[^/.][^/]*)\//.exec(file);
	if (installed && !file.includes('/.cache/')) return installed[1]!;
	const modules = modulesOf(file);
	let module: string | undefined;
	for (const [first, path] of modules) {
		if (first > line) break;
		module = path;
	}
	if (module) return groupOfModule(module);
	// Above the first module: esbuild's helpers, where __require hands bundled code's require() calls to Node.
	return modules.length > 0 ? 'require() from bundled code' : relative(dirname(dirname(file)), file);
}

/** Shares of a function's samples by group: top-level module code spans many modules, placed by its line ticks. */
function sharesOf(node: ProfileNode): Map<string, number> | undefined {
	const {url, lineNumber} = node.callFrame;
	const shares = new Map<string, number>();
	if (lineNumber === 0 && node.positionTicks && node.positionTicks.length > 0) {
		const total = node.positionTicks.reduce((sum, tick) => sum + tick.ticks, 0);
		for (const {line, ticks} of node.positionTicks) {
			const group = groupOfLine(url, line);
			if (group) shares.set(group, (shares.get(group) ?? 0) + ticks / total);
		}
	} else {
		const group = groupOfLine(url, lineNumber + 1);
		if (group) shares.set(group, 1);
	}
	return shares.size > 0 ? shares : undefined;
}

function ownCategory(frame: ProfileNode['callFrame']): string | undefined {
	if (frame.functionName === '(idle)') return 'idle (waiting for I/O)';
	if (frame.functionName === '(root)') return undefined;
	if (frame.functionName === '(garbage collector)') return 'GC';
	if (frame.functionName === '(program)') return 'V8 native';
	if (frame.url.startsWith('node:internal/modules') || frame.url.startsWith('node:internal/vm') || frame.url.startsWith('node:internal/bootstrap')) return 'module loading and compiling';
	// node:internal/fs/promises → "Node fs"; node:crypto → "Node crypto".
	if (frame.url.startsWith('node:')) return `Node ${frame.url.replace(/^node:(internal\/)?(deps\/)?/, '').split('/')[0]}`;
	return 'native';
}

/** Each sampled node's attribution: its own module's, else its nearest bundled caller's, else its category. */
function attributions(profile: CpuProfile): Map<number, Map<string, number>> {
	const byId = new Map(profile.nodes.map(node => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
	const result = new Map<number, Map<string, number>>();
	for (const node of profile.nodes) {
		let shares: Map<string, number> | undefined;
		for (let current: ProfileNode | undefined = node; current && !shares; current = byId.get(parent.get(current.id) ?? -1)) shares = sharesOf(current);
		if (!shares) {
			const category = ownCategory(node.callFrame);
			if (category) shares = new Map([[category, 1]]);
		}
		if (shares) result.set(node.id, shares);
	}
	return result;
}

/** Milliseconds of samples by group, counting only samples inside the windows (performance.now() ms). */
export function breakdown(profile: CpuProfile, windows: readonly {from: number; to: number}[]): Map<string, number> {
	const ranges = windows.map(window => [toMicros(window.from), toMicros(window.to)] as const);
	const shares = attributions(profile);
	const totals = new Map<string, number>();
	let time = profile.startTime;
	profile.samples.forEach((id, index) => {
		const delta = profile.timeDeltas[index] ?? 0;
		time += delta;
		if (!ranges.some(([from, to]) => time > from && time <= to)) return;
		for (const [group, share] of shares.get(id) ?? []) totals.set(group, (totals.get(group) ?? 0) + (share * delta) / 1000);
	});
	return totals;
}

/** The functions that ran most (self time, ms) inside the windows, with their group: "parseLines (source/core/history)". */
export function hottest(profile: CpuProfile, windows: readonly {from: number; to: number}[]): Map<string, number> {
	const ranges = windows.map(window => [toMicros(window.from), toMicros(window.to)] as const);
	const byId = new Map(profile.nodes.map(node => [node.id, node]));
	const totals = new Map<string, number>();
	let time = profile.startTime;
	profile.samples.forEach((id, index) => {
		const delta = profile.timeDeltas[index] ?? 0;
		time += delta;
		const node = byId.get(id);
		if (!node || !ranges.some(([from, to]) => time > from && time <= to)) return;
		const frame = node.callFrame;
		const group = sharesOf(node)?.keys().next().value ?? ownCategory(frame);
		if (!group || group.startsWith('idle')) return;
		const name = `${frame.functionName || '(anonymous)'}${group === frame.functionName || group === 'GC' ? '' : ` (${group})`}`;
		totals.set(name, (totals.get(name) ?? 0) + delta / 1000);
	});
	return totals;
}

const ms = (value: number) => `${value.toFixed(0)} ms`;

/** "group 12 ms, …", largest first; per window when `windows` is given. */
export function describe(totals: Map<string, number>, options: {top?: number; windows?: number; compare?: Map<string, number>} = {}): string {
	const per = options.windows ?? 1;
	return [...totals]
		.map(([group, time]) => [group, time / per, options.compare ? time / per - (options.compare.get(group) ?? 0) : time / per] as const)
		.sort((a, b) => b[2] - a[2])
		.slice(0, options.top ?? 6)
		.map(([group, time, more]) => `${group} ${ms(time)}${options.compare && Math.round(more) !== Math.round(time) ? ` (+${ms(more)})` : ''}`)
		.join(', ');
}

export const sum = (values: Iterable<number>) => [...values].reduce((total, value) => total + value, 0);

/**
 * Runs a program under the profiler in a pseudo-terminal: `session` drives it (its presses are
 * recorded with their labels), `stop` makes it exit normally so V8 writes the profile.
 */
export async function profiled(
	node: string,
	args: readonly string[],
	options: {cwd: string; directory: string},
	session: (program: PtyProgram) => Promise<void>,
	stop: (program: PtyProgram) => void,
): Promise<{program: PtyProgram; profile: CpuProfile}> {
	mkdirSync(options.directory, {recursive: true});
	const program = new PtyProgram(node, ['--cpu-prof', `--cpu-prof-dir=${options.directory}`, ...args], {cwd: options.cwd});
	try {
		await session(program);
		stop(program);
		// A program that ignores the polite way out is ended; it then writes no profile and this fails below.
		const timer = setTimeout(() => program.kill('SIGTERM'), 5000);
		await program.exit;
		clearTimeout(timer);
	} finally {
		await program.dispose();
	}
	const file = readdirSync(options.directory).find(name => name.endsWith('.cpuprofile'));
	if (!file) throw new Error(`no CPU profile in ${options.directory}`);
	return {program, profile: JSON.parse(readFileSync(join(options.directory, file), 'utf8')) as CpuProfile};
}

/** The JavaScript a bundle loads before anything is imported lazily: the entry and its static imports, in bytes. */
export function staticJavaScript(entry: string, seen = new Set<string>()): number {
	if (seen.has(entry)) return 0;
	seen.add(entry);
	let bytes = statSync(entry).size;
	const head = readFileSync(entry, 'utf8');
	for (const match of head.matchAll(/^(?:import|export)\s[^;]*?from\s*"(\.[^"]+)"|^import\s*"(\.[^"]+)"/gm)) {
		bytes += staticJavaScript(join(dirname(entry), match[1] ?? match[2]!), seen);
	}
	return bytes;
}
