import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';

/*
 * End-to-end harness: a real program in a pseudo-terminal, its output parsed by a headless
 * xterm so tests read the screen a user sees, and the raw bytes kept for byte-level checks.
 */

export interface TerminalOptions {
	command: string;
	args?: readonly string[];
	cwd?: string;
	env?: Record<string, string | undefined>;
	cols?: number;
	rows?: number;
}

export interface Terminal {
	screen(): string;
	raw(): string;
	write(data: string): void;
	type(text: string): Promise<void>;
	waitForText(text: string | RegExp, timeoutMs?: number): Promise<void>;
	/** Waits until the screen no longer shows `text`. */
	waitForTextGone(text: string | RegExp, timeoutMs?: number): Promise<void>;
	waitForExit(timeoutMs?: number): Promise<{exitCode: number; signal?: number}>;
	resize(cols: number, rows: number): void;
	kill(signal?: string): void;
	readonly exited: boolean;
	dispose(): void;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

export function startTerminal(options: TerminalOptions): Terminal {
	const cols = options.cols ?? 80;
	const rows = options.rows ?? 24;
	const env: Record<string, string> = {};
	for (const [key, value] of Object.entries(process.env)) {
		// Ink renders nothing live when CI is set; vitest's variables must not leak into the app.
		if (value === undefined || key === 'CI' || key.startsWith('VITEST') || key === 'NODE_OPTIONS') continue;
		env[key] = value;
	}
	for (const [key, value] of Object.entries(options.env ?? {})) {
		if (value === undefined) delete env[key];
		else env[key] = value;
	}
	env['TERM'] ??= 'xterm-256color';

	const screenBuffer = new xterm.Terminal({cols, rows, allowProposedApi: true, scrollback: 0});
	const child = pty.spawn(options.command, [...(options.args ?? [])], {name: 'xterm-256color', cols, rows, cwd: options.cwd, env});
	let raw = '';
	let pending = 0;
	let exitInfo: {exitCode: number; signal?: number} | undefined;
	const exitWaiters: ((info: {exitCode: number; signal?: number}) => void)[] = [];

	child.onData(data => {
		raw += data;
		pending++;
		screenBuffer.write(data, () => pending--);
	});
	child.onExit(info => {
		exitInfo = {exitCode: info.exitCode, signal: info.signal};
		for (const waiter of exitWaiters.splice(0)) waiter(exitInfo);
	});

	const screen = () => {
		const buffer = screenBuffer.buffer.active;
		const lines: string[] = [];
		for (let index = 0; index < screenBuffer.rows; index++) lines.push(buffer.getLine(buffer.viewportY + index)?.translateToString(true) ?? '');
		return lines.map(line => line.trimEnd()).join('\n');
	};

	const flushed = async () => {
		while (pending > 0) await sleep(5);
	};

	const waitUntil = async (text: string | RegExp, present: boolean, timeoutMs: number) => {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			await flushed();
			const current = screen();
			if ((typeof text === 'string' ? current.includes(text) : text.test(current)) === present) return;
			if (Date.now() > deadline) {
				const status = exitInfo ? `the program exited with ${exitInfo.exitCode}` : 'the program is running';
				throw new Error(`timed out after ${timeoutMs} ms waiting for ${present ? '' : 'the end of '}${String(text)}; ${status}; the screen is:\n${current}\nlast output: ${JSON.stringify(raw.slice(-600))}`);
			}
			await sleep(25);
		}
	};

	const terminal: Terminal = {
		screen,
		raw: () => raw,
		write: data => child.write(data),
		async type(text) {
			for (const character of text) {
				child.write(character);
				await sleep(5);
			}
		},
		waitForText(text, timeoutMs = 15_000) {
			return waitUntil(text, true, timeoutMs);
		},
		waitForTextGone(text, timeoutMs = 15_000) {
			return waitUntil(text, false, timeoutMs);
		},
		async waitForExit(timeoutMs = 15_000) {
			if (!exitInfo) {
				await new Promise<void>((resolve, reject) => {
					const timer = setTimeout(() => reject(new Error(`process did not exit within ${timeoutMs} ms; the screen is:\n${screen()}`)), timeoutMs);
					exitWaiters.push(() => {
						clearTimeout(timer);
						resolve();
					});
				});
			}
			await flushed();
			return exitInfo!;
		},
		resize(newCols, newRows) {
			child.resize(newCols, newRows);
			screenBuffer.resize(newCols, newRows);
		},
		kill(signal = 'SIGTERM') {
			if (!exitInfo) child.kill(signal);
		},
		get exited() {
			return exitInfo !== undefined;
		},
		dispose() {
			if (!exitInfo) {
				try {
					child.kill('SIGKILL');
				} catch {
					// already gone
				}
			}
			screenBuffer.dispose();
		},
	};
	return terminal;
}
