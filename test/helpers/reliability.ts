import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {WORKERS} from './root.js';
import {Store} from '../../source/core/store/store.js';
import {demoFolderCopies} from './demo-template.js';
import {onLines} from './processes.js';

/*
 * Shared by the reliability suite (test/reliability): portal workers in separate processes,
 * demo folders on the real clock, and the counts, which `npm run test:soak` (MYSIGN_SOAK=1) raises.
 */

export const SOAK = process.env['MYSIGN_SOAK'] === '1';

/** Pieces of hostile text: escape sequences (OSC 52/0/2/8, CSI, C1), controls, bidi and zero-width characters, an unterminated OSC. */
export const HOSTILE_PIECES = [
	'\u001b]52;c;SElKQUNLRUQ=\u0007',
	'\u001b]0;PWNED\u0007',
	'\u001b]2;PWNED\u001b\\',
	'\u001b]8;;http://evil.example/\u0007link\u001b]8;;\u0007',
	'\u001b[2J',
	'\u001b[13;37H',
	'\u001b[6n',
	'\u009b2J',
	'\u009d0;PWNED\u009c',
	'\u0085',
	'\r',
	'\n',
	'\t',
	'\u0000',
	'\u0007',
	'\u007f',
	'\u202e',
	'\u2066',
	'\u200b',
	'\u200f',
	'\ufeff',
	'\u001b]52;c;unterminated',
];

/**
 * The normal count, or the soak count under `npm run test:soak`. The normal counts keep
 * `npm test` short and still catch what the tests guard; checked by switching each protection
 * off once (issue 21, on a loaded 2-core machine):
 * - concurrency.test.ts, 2×100, 4×50 and 8×25 operations (soak 2×2000, 4×1000, 8×500): the
 *   store's cross-process lock off (FileLock never taking the flock), all three runs fail
 *   (updates lost: "challenge … has no code", "no SMS in the outbox for challenge …").
 * - crashes.test.ts, 50 kills (soak 1000): the dead writers' temp files no longer removed
 *   (removeStrayTemporaries a no-op), it fails (10 temp files left after the next start); the
 *   kills still land inside writes (killedMidWrite > 0 passed in every run).
 */
export function scaled(normal: number, soak: number): number {
	return SOAK ? soak : normal;
}

export interface Confirmed {
	index: number;
	kind: string;
	details: Record<string, string | number>;
}

export interface PortalWorker {
	child: ChildProcess;
	tag: string;
	/** Operations the worker reported done, in order. */
	confirmed: Confirmed[];
	/** "err" lines: refusals or failures the worker met (a user would have seen them). */
	errors: string[];
	stderr: () => string;
	exit: Promise<number | null>;
	/** Resolves once `count` operations are confirmed (or the worker exited). */
	confirmations(count: number): Promise<void>;
	/** Resolves once the worker has opened the portal and starts operating (or exited). */
	ready: Promise<void>;
	/** Whether it opened its own session (at its first PIN change). */
	hasSession: () => boolean;
}

/** Starts test/workers/portal-worker.ts on a data folder (see it for the protocol). */
export function startPortalWorker(dataDirectory: string, tag: string, count: number, mix: string, options: {forever?: boolean} = {}): PortalWorker {
	const child = spawn(process.execPath, [join(WORKERS, 'portal-worker.mjs'), dataDirectory, tag, String(count), mix, ...(options.forever ? ['forever'] : [])], {stdio: ['ignore', 'pipe', 'pipe']});
	const confirmed: Confirmed[] = [];
	const errors: string[] = [];
	let stderr = '';
	const waiters: {count: number; resolve: () => void}[] = [];
	let signalReady: () => void = () => undefined;
	const ready = new Promise<void>(resolve => (signalReady = resolve));
	let hasSession = false;
	const wake = () => {
		for (const waiter of [...waiters]) {
			if (confirmed.length >= waiter.count || child.exitCode !== null || child.signalCode !== null) {
				waiters.splice(waiters.indexOf(waiter), 1);
				waiter.resolve();
			}
		}
	};
	onLines(
		child,
		line => {
			const match = /^ok (\d+) (\w+) (.*)$/.exec(line);
			if (match) confirmed.push({index: Number(match[1]), kind: match[2]!, details: JSON.parse(match[3]!) as Record<string, string | number>});
			else if (line.startsWith('err ')) errors.push(line);
			else if (line === 'ready') signalReady();
			else if (line.startsWith('session ')) hasSession = true;
		},
		wake,
	);
	child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const exit = new Promise<number | null>(resolve =>
		child.on('close', code => {
			resolve(code);
			signalReady();
			wake();
		}),
	);
	return {
		child,
		tag,
		confirmed,
		errors,
		stderr: () => stderr,
		exit,
		ready,
		hasSession: () => hasSession,
		confirmations: count =>
			new Promise<void>(resolve => {
				waiters.push({count, resolve});
				wake();
			}),
	};
}

/**
 * A demo data folder on the real clock (workers in other processes cannot share a fake one),
 * built once per test file and copied for each use; copies are removed after each test.
 */
export function realClockDemo(options: {otpMessagesMax?: number} = {}): () => Promise<string> {
	const copies = demoFolderCopies();
	if (options.otpMessagesMax === undefined) return copies;
	const max = options.otpMessagesMax;
	return async () => {
		const directory = await copies();
		// Workers that send hundreds of OTPs for one holder: the per-holder message limit raised (through the store, as a trainer would).
		await new Store(directory).update(db => {
			db.settings.otpMessagesMax = max;
		});
		return directory;
	};
}

/** Every file under a folder, relative paths, sorted. */
export function allFiles(directory: string, prefix = ''): string[] {
	const files: string[] = [];
	for (const entry of readdirSync(join(directory, prefix), {withFileTypes: true})) {
		const path = prefix ? `${prefix}/${entry.name}` : entry.name;
		if (entry.isDirectory()) files.push(...allFiles(directory, path));
		else files.push(path);
	}
	return files.sort();
}

/** The outbox's message records, by id. */
export function outboxRecords(dataDirectory: string): Map<number, {id: number; kind: string; userId: string | null; text: string; file: string}> {
	const records = new Map<number, {id: number; kind: string; userId: string | null; text: string; file: string}>();
	const folder = join(dataDirectory, 'outbox');
	if (!existsSync(folder)) return records;
	for (const name of readdirSync(folder)) {
		if (!/^\d{8}\.(sms|email)\.json$/.test(name)) continue;
		const record = JSON.parse(readFileSync(join(folder, name), 'utf8')) as {id: number; kind: string; userId: string | null; text: string};
		if (records.has(record.id)) throw new Error(`outbox id ${record.id} twice`);
		records.set(record.id, {...record, file: name});
	}
	return records;
}
