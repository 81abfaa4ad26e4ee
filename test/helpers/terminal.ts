import pty, {type IDisposable, type IPty} from '@lydell/node-pty';
// @xterm/headless is a webpack-bundled CommonJS module: Node's ESM loader sees no named exports in it,
// so `import {Terminal} from '@xterm/headless'` type-checks but fails at run time. Use the default export.
import xtermHeadless, {type Terminal as XTerm} from '@xterm/headless';

/*
 * End-to-end harness: a real program in a pseudo-terminal, its output parsed by a headless xterm
 * so tests read the screen a user sees, with the raw output kept for byte-level checks.
 */

export interface TerminalOptions {
	command: string;
	args?: readonly string[];
	cwd?: string;
	/**
	 * Merged over process.env. CI, NODE_OPTIONS and VITEST* are removed unless set here (Ink renders
	 * nothing live under CI); a key set to undefined here is removed. TERM defaults to xterm-256color.
	 */
	env?: Record<string, string | undefined>;
	/** 80 by default. */
	cols?: number;
	/** 24 by default. */
	rows?: number;
}

export interface ExitStatus {
	exitCode: number;
	/** The signal number that ended the program, when a signal did. */
	signal?: number;
}

export interface Terminal {
	/** The visible screen (of whichever buffer is active, normal or alternate): lines joined by "\n", trailing spaces trimmed. */
	screen(): string;
	/** Everything the program has written so far, as received (UTF-8 decoded). */
	raw(): string;
	/** Sends keys as they are, e.g. '\t', '\r', '\x1b', '\x03'. Throws once the program has exited. */
	write(data: string): void;
	/** Sends text one character at a time, about 5 ms apart, for programs that read key by key. */
	type(text: string): Promise<void>;
	/**
	 * Resolves once the screen contains `text` (15 s by default). Rejects with the expected text and the
	 * screen on timeout, or at once if the program has exited and its final screen does not contain it.
	 */
	waitForText(text: string | RegExp, timeoutMs?: number): Promise<void>;
	/** Resolves once the screen no longer contains `text`; otherwise like waitForText. */
	waitForTextGone(text: string | RegExp, timeoutMs?: number): Promise<void>;
	/** Resolves when the program has exited (15 s by default) and all its output is on the screen. */
	waitForExit(timeoutMs?: number): Promise<ExitStatus>;
	/** Resizes the emulated terminal and the pseudo-terminal (the program gets SIGWINCH). */
	resize(cols: number, rows: number): void;
	/** Sends a signal (SIGTERM by default) to the program itself; does nothing once it has exited. */
	kill(signal?: string): void;
	readonly exited: boolean;
	/** SIGKILLs the program's process group if it is still running and frees the emulator. screen() keeps the last screen. */
	dispose(): void;
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** The longest a screen wait sleeps between looks; it looks again as soon as the program writes. */
const POLL_INTERVAL_MS = 25;
const TYPE_DELAY_MS = 5;
const SYNC_BEGIN = '\u001b[?2026h';
const SYNC_END = '\u001b[?2026l';
/** A synchronised update open longer than this is matched anyway (Ink closes each in the same tick). */
const OPEN_FRAME_LIMIT_MS = 500;

const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/** Variables of the test run that must not reach the program unless a test sets them. */
function isHidden(key: string): boolean {
	// COLUMNS and LINES would override the pseudo-terminal's size (node-pty drops them only when given process.env itself).
	return key === 'CI' || key === 'NODE_OPTIONS' || key.startsWith('VITEST') || key === 'COLUMNS' || key === 'LINES';
}

function childEnvironment(overrides: Record<string, string | undefined> = {}): Record<string, string> {
	const env: Record<string, string> = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (value !== undefined && !isHidden(key)) env[key] = value;
	}
	// A terminal user's shell has a UTF-8 locale; without one mysign draws ASCII (a test asks for that with LANG=C).
	if (!env['LC_ALL'] && !env['LC_CTYPE'] && !env['LANG']) env['LANG'] = 'C.UTF-8';
	for (const [key, value] of Object.entries(overrides)) {
		if (value === undefined) delete env[key];
		else env[key] = value;
	}
	return env;
}

function describeText(text: string | RegExp): string {
	return typeof text === 'string' ? JSON.stringify(text) : String(text);
}

function describeExit(status: ExitStatus | undefined): string {
	if (!status) return 'the program is still running';
	return status.signal ? `the program was ended by signal ${status.signal}` : `the program exited with code ${status.exitCode}`;
}

export function startTerminal(options: TerminalOptions): Terminal {
	const cols = options.cols ?? 80;
	const rows = options.rows ?? 24;
	const env = childEnvironment(options.env);
	// node-pty sets TERM to `name`, so an explicit TERM in options.env has to become the name.
	const name = options.env?.['TERM'] ?? 'xterm-256color';

	const emulator: XTerm = new xtermHeadless.Terminal({cols, rows, scrollback: 0, allowProposedApi: true});
	const child: IPty = pty.spawn(options.command, [...(options.args ?? [])], {name, cols, rows, cwd: options.cwd ?? process.cwd(), env});

	let raw = '';
	let width = cols;
	let exitStatus: ExitStatus | undefined;
	let disposed = false;
	let lastScreen = '';
	const exitWaiters: (() => void)[] = [];
	/** Screen waits sleeping until the program writes (or exits). */
	const outputWaiters = new Set<() => void>();
	const wakeOutputWaiters = () => {
		for (const waiter of [...outputWaiters]) waiter();
	};
	let lastDataAt = Date.now();
	/**
	 * Ink wraps each frame in a synchronised update (`CSI ? 2026 h` … `CSI ? 2026 l`), which a real
	 * terminal shows at once; the emulator here draws it as it parses, and a frame larger than one
	 * pty read arrives in pieces. So screen waits match only between frames: `frameOpen` follows the
	 * PARSED output (updated in each chunk's write callback, which xterm calls as it finishes the chunk).
	 */
	let frameOpen = false;
	let frameOpenedAt = 0;
	let parsedTail = '';
	const followFrames = (data: string) => {
		const text = parsedTail + data;
		const begin = text.lastIndexOf(SYNC_BEGIN);
		const end = text.lastIndexOf(SYNC_END);
		// The tail is shorter than a marker, so a marker found here is new: a frame opened now.
		if (begin > end) frameOpenedAt = Date.now();
		if (begin !== end) frameOpen = begin > end;
		parsedTail = text.slice(-(SYNC_BEGIN.length - 1));
	};

	const subscriptions: IDisposable[] = [
		child.onData(data => {
			lastDataAt = Date.now();
			raw += data;
			if (!disposed) emulator.write(data, () => followFrames(data));
			wakeOutputWaiters();
		}),
		child.onExit(({exitCode, signal}) => {
			lastDataAt = Math.max(lastDataAt, Date.now());
			exitStatus = signal ? {exitCode, signal} : {exitCode};
			for (const waiter of exitWaiters.splice(0)) waiter();
			wakeOutputWaiters();
		}),
		// Answers the program's queries (cursor position, device attributes) as a real terminal would.
		emulator.onData(data => {
			if (!exitStatus) child.write(data);
		}),
	];

	/**
	 * xterm parses writes asynchronously and calls write callbacks in order, so an empty write's callback
	 * runs once everything received before it is on the screen.
	 */
	const flushed = () => new Promise<void>(resolve => {
		if (disposed) resolve();
		else emulator.write('', resolve);
	});

	const screen = (): string => {
		if (disposed) return lastScreen;
		const buffer = emulator.buffer.active;
		const lines: string[] = [];
		for (let row = 0; row < emulator.rows; row++) {
			lines.push((buffer.getLine(buffer.baseY + row)?.translateToString(true) ?? '').trimEnd());
		}
		return lines.join('\n');
	};

	/**
	 * node-pty may report the exit before the last output arrives (seen in CI: a program's final
	 * "leave the alternate screen", or a line printed just before exiting, read after its exit, on a
	 * loaded machine): waits until the output has been quiet for 50 ms since the exit or its last
	 * output (at most 1 s). Then `flushed()` waits for the emulator to parse it.
	 */
	const settledAfterExit = async () => {
		const settleBy = Date.now() + 1000;
		while (Date.now() - lastDataAt < 50 && Date.now() < settleBy) await new Promise(resolve => setTimeout(resolve, 10));
	};

	const failure = (message: string): Error => {
		const current = screen().replace(/\n+$/, ''); // blank rows below the content say nothing
		const rule = '─'.repeat(width);
		return new Error(`${message}; ${describeExit(exitStatus)}.\nScreen:\n${rule}\n${current}\n${rule}\nLast output: ${JSON.stringify(raw.slice(-400))}`);
	};

	/** Resolves when the program next writes or exits, or after `ms` at the latest (the screen also changes without output: a resize). */
	const nextOutput = (ms: number) =>
		new Promise<void>(resolve => {
			const wake = () => {
				clearTimeout(timer);
				outputWaiters.delete(wake);
				resolve();
			};
			const timer = setTimeout(wake, ms);
			outputWaiters.add(wake);
		});

	const waitForScreen = async (text: string | RegExp, present: boolean, timeoutMs: number): Promise<void> => {
		const pattern = typeof text === 'string' ? undefined : new RegExp(text.source, text.flags.replace(/[gy]/g, ''));
		const matches = (current: string) => (pattern ? pattern.test(current) : current.includes(text as string)) === present;
		const what = `${present ? 'waitForText' : 'waitForTextGone'}(${describeText(text)})`;
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			// Read before settling: once the program has exited and its output has gone quiet, nothing more comes.
			const final = exitStatus !== undefined;
			if (final) await settledAfterExit();
			await flushed();
			if (disposed) throw failure(`${what}: the terminal was disposed`);
			// A frame still arriving is not matched (unless it stays open, as a killed program leaves it).
			const between = !frameOpen || final || Date.now() - frameOpenedAt > OPEN_FRAME_LIMIT_MS;
			if (between && matches(screen())) return;
			if (final) throw failure(`${what}: the screen can no longer change`);
			const left = deadline - Date.now();
			if (left <= 0) throw failure(`${what} timed out after ${timeoutMs} ms`);
			await nextOutput(Math.min(POLL_INTERVAL_MS, left));
		}
	};

	const write = (data: string): void => {
		if (disposed) throw new Error('write after dispose()');
		if (exitStatus) throw failure(`cannot write ${JSON.stringify(data)}`);
		child.write(data);
	};

	return {
		screen,
		raw: () => raw,
		write,
		async type(text) {
			let first = true;
			for (const character of text) {
				if (!first) await sleep(TYPE_DELAY_MS);
				first = false;
				write(character);
			}
		},
		waitForText(text, timeoutMs = DEFAULT_TIMEOUT_MS) {
			return waitForScreen(text, true, timeoutMs);
		},
		waitForTextGone(text, timeoutMs = DEFAULT_TIMEOUT_MS) {
			return waitForScreen(text, false, timeoutMs);
		},
		async waitForExit(timeoutMs = DEFAULT_TIMEOUT_MS) {
			if (!exitStatus) {
				await new Promise<void>((resolve, reject) => {
					const waiter = () => {
						clearTimeout(timer);
						resolve();
					};
					const timer = setTimeout(() => {
						exitWaiters.splice(exitWaiters.indexOf(waiter), 1);
						reject(failure(`waitForExit timed out after ${timeoutMs} ms`));
					}, timeoutMs);
					exitWaiters.push(waiter);
				});
			}
			await settledAfterExit();
			await flushed();
			return {...exitStatus!};
		},
		resize(newCols, newRows) {
			if (disposed) return;
			// Like a real terminal: the emulator changes size first, then tells the program (SIGWINCH).
			emulator.resize(newCols, newRows);
			width = newCols;
			if (!exitStatus) child.resize(newCols, newRows);
		},
		kill(signal = 'SIGTERM') {
			if (!exitStatus) child.kill(signal);
		},
		get exited() {
			return exitStatus !== undefined;
		},
		dispose() {
			if (disposed) return;
			lastScreen = screen();
			disposed = true;
			if (!exitStatus) {
				try {
					// The pty's session leader heads its process group: take its children with it.
					process.kill(-child.pid, 'SIGKILL');
				} catch {
					child.kill('SIGKILL');
				}
			}
			// Keep the exit listener so waitForExit still settles; drop the rest.
			subscriptions[0]!.dispose();
			subscriptions[2]!.dispose();
			emulator.dispose();
		},
	};
}
