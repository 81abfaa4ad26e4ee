import {spawn, type ChildProcess} from 'node:child_process';
import {join} from 'node:path';
import {WORKERS} from './root.js';

export interface Worker {
	child: ChildProcess;
	/** Values the worker reported as confirmed, in order. */
	confirmed: number[];
	exit: Promise<number | null>;
	firstConfirmation: Promise<void>;
}

/** Calls `onLine` with each whole line a child writes to stdout; `after` once per chunk, after its lines. */
export function onLines(child: ChildProcess, onLine: (line: string) => void, after?: () => void): void {
	let buffered = '';
	child.stdout!.setEncoding('utf8');
	child.stdout!.on('data', (chunk: string) => {
		buffered += chunk;
		const lines = buffered.split('\n');
		buffered = lines.pop()!;
		for (const line of lines) onLine(line);
		after?.();
	});
}

/** Starts a bundled worker from test/workers/ (see build.ts). */
export function startWorker(name: string, args: readonly string[]): Worker {
	const child = spawn(process.execPath, [join(WORKERS, `${name}.mjs`), ...args], {stdio: ['ignore', 'pipe', 'pipe']});
	const confirmed: number[] = [];
	let stderr = '';
	let signalFirst: () => void = () => undefined;
	const firstConfirmation = new Promise<void>(resolve => (signalFirst = resolve));
	onLines(child, line => {
		const match = /^ok (\d+)$/.exec(line);
		if (match) {
			confirmed.push(Number(match[1]));
			signalFirst();
		}
	});
	child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const exit = new Promise<number | null>(resolve =>
		child.on('close', code => {
			if (code !== 0 && code !== null) process.stderr.write(`worker ${name} exited ${code}: ${stderr}\n`);
			resolve(code);
		}),
	);
	return {child, confirmed, exit, firstConfirmation};
}
