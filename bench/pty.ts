import {readFileSync} from 'node:fs';
import pty, {type IPty} from '@lydell/node-pty';
// A webpack-bundled CommonJS module: only its default export exists at run time (see test/helpers/terminal.ts).
import xtermHeadless, {type Terminal as XTerm} from '@xterm/headless';

/*
 * A program in a pseudo-terminal whose output a headless xterm parses, for timing what a user
 * sees. Unlike the test harness (which polls every 25 ms), every output chunk is stamped with
 * performance.now() when it reaches this process, and the screen is checked in xterm's write
 * callback for that very chunk: a wait resolves with the arrival time of the chunk after which
 * the screen first matched, so the resolution is the bench's own event-loop latency (well under
 * 1 ms while it waits), not a polling interval.
 */

/** Ink wraps each frame in "synchronized update" marks; between them the screen is half drawn. */
const BEGIN_FRAME = '\u001B[?2026h';
const END_FRAME = '\u001B[?2026l';

export interface Exit {
	exitCode: number;
	signal?: number;
	/** performance.now() when the exit was seen. */
	at: number;
}

interface Waiter {
	matches: (screen: string) => boolean;
	resolve: (at: number) => void;
	reject: (error: Error) => void;
	timer: NodeJS.Timeout;
}

/** The user's environment, minus what changes how the program draws (CI makes Ink print only the last frame). */
function userEnvironment(): Record<string, string> {
	const env: Record<string, string> = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (value === undefined || key === 'CI' || key === 'NODE_OPTIONS' || key === 'COLUMNS' || key === 'LINES' || key.startsWith('VITEST')) continue;
		env[key] = value;
	}
	env['TERM'] = 'xterm-256color';
	return env;
}

export interface Press {
	label: string;
	/** performance.now() when the key was written and when the screen showed its effect. */
	sentAt: number;
	shownAt: number;
	/** When each complete frame arrived after the key, up to the one that showed its effect (ms after sentAt). */
	frames: number[];
}

export class PtyProgram {
	/** performance.now() just before the program was started. */
	readonly startedAt: number;
	/** Every timed key, under the label current when it was pressed (a profile is cut into these windows). */
	readonly presses: Press[] = [];
	label = '';
	readonly exit: Promise<Exit>;
	private readonly child: IPty;
	private readonly emulator: XTerm;
	private waiters: Waiter[] = [];
	private insideFrame = false;
	private exited = false;
	private disposed = false;
	/** Arrival times of the ends of Ink frames. */
	private readonly frameEnds: number[] = [];

	constructor(command: string, args: readonly string[], options: {cwd: string; cols?: number; rows?: number; env?: Record<string, string>}) {
		const cols = options.cols ?? 80;
		const rows = options.rows ?? 24;
		this.emulator = new xtermHeadless.Terminal({cols, rows, scrollback: 0, allowProposedApi: true});
		const env = {...userEnvironment(), ...options.env};
		this.startedAt = performance.now();
		this.child = pty.spawn(command, [...args], {name: 'xterm-256color', cols, rows, cwd: options.cwd, env});
		this.child.onData(data => {
			const at = performance.now();
			// Only the last mark of the chunk tells whether it ends inside a frame.
			const begin = data.lastIndexOf(BEGIN_FRAME);
			const end = data.lastIndexOf(END_FRAME);
			if (begin !== -1 || end !== -1) this.insideFrame = begin > end;
			if (end !== -1) this.frameEnds.push(at);
			const complete = !this.insideFrame;
			if (!this.disposed) this.emulator.write(data, () => complete && this.check(at));
		});
		// Answers the program's terminal queries (cursor position, device attributes) as a terminal would.
		this.emulator.onData(data => {
			if (!this.exited) this.child.write(data);
		});
		this.exit = new Promise(resolve =>
			this.child.onExit(({exitCode, signal}) => {
				const at = performance.now();
				this.exited = true;
				for (const waiter of this.waiters.splice(0)) {
					clearTimeout(waiter.timer);
					waiter.reject(new Error(`the program exited (code ${exitCode}) before the screen matched:\n${this.screen()}`));
				}
				resolve(signal ? {exitCode, signal, at} : {exitCode, at});
			}),
		);
	}

	/** The visible screen, lines joined by "\n", trailing spaces trimmed. */
	screen(): string {
		if (this.disposed) return '';
		const buffer = this.emulator.buffer.active;
		const lines: string[] = [];
		for (let row = 0; row < this.emulator.rows; row++) lines.push((buffer.getLine(buffer.baseY + row)?.translateToString(true) ?? '').trimEnd());
		return lines.join('\n');
	}

	/** Resolves with the arrival time (performance.now()) of the output after which the screen matches. */
	waitFor(matches: (screen: string) => boolean, timeoutMs = 15_000): Promise<number> {
		return new Promise((resolve, reject) => {
			if (this.exited) return reject(new Error(`the program has exited:\n${this.screen()}`));
			const waiter: Waiter = {
				matches,
				resolve,
				reject,
				timer: setTimeout(() => {
					this.waiters.splice(this.waiters.indexOf(waiter), 1);
					reject(new Error(`timed out after ${timeoutMs} ms; screen:\n${this.screen()}`));
				}, timeoutMs),
			};
			this.waiters.push(waiter);
		});
	}

	/**
	 * Sends a key and resolves with the milliseconds until the screen matched. The screen must not
	 * match before the key (else the wait would end at once), so callers pass the expected next state.
	 */
	async press(key: string, matches: (screen: string) => boolean, timeoutMs?: number): Promise<number> {
		if (matches(this.screen())) throw new Error(`the screen already shows the state expected after ${JSON.stringify(key)}:\n${this.screen()}`);
		const shown = this.waitFor(matches, timeoutMs);
		const sentAt = performance.now();
		this.child.write(key);
		const shownAt = await shown;
		const frames = this.frameEnds.filter(at => at > sentAt && at <= shownAt).map(at => at - sentAt);
		this.frameEnds.length = 0;
		this.presses.push({label: this.label, sentAt, shownAt, frames});
		return shownAt - sentAt;
	}

	write(data: string): void {
		this.child.write(data);
	}

	/** Peak and current resident memory of the program itself, in bytes (Linux /proc). */
	memory(): {peak: number; current: number} {
		const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
		const kilobytes = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
		return {peak: kilobytes('VmHWM'), current: kilobytes('VmRSS')};
	}

	kill(signal = 'SIGKILL'): void {
		if (!this.exited) this.child.kill(signal);
	}

	/** Kills the program if it is still running, waits for its exit and frees the emulator. */
	async dispose(): Promise<void> {
		if (!this.exited) {
			try {
				// The pty's session leader heads its process group: take any children with it.
				process.kill(-this.child.pid, 'SIGKILL');
			} catch {
				this.child.kill('SIGKILL');
			}
		}
		await this.exit;
		this.disposed = true;
		this.emulator.dispose();
	}

	private check(at: number): void {
		if (this.waiters.length === 0) return;
		const screen = this.screen();
		for (const waiter of [...this.waiters]) {
			if (!waiter.matches(screen)) continue;
			this.waiters.splice(this.waiters.indexOf(waiter), 1);
			clearTimeout(waiter.timer);
			waiter.resolve(at);
		}
	}
}
