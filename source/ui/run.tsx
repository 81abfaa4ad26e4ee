import type {ReactElement} from 'react';
import {render} from 'ink';
import type {Portal} from '../core/index.js';
import {App} from './app.js';
import type {Display} from './display.js';
import type {Language} from './i18n/index.js';
import {PhoneApp} from './phone.js';
import {TerminalOutput} from './terminal-output.js';

const ENTER_ALTERNATE_SCREEN = '\u001B[?1049h';
const LEAVE_ALTERNATE_SCREEN = '\u001B[?1049l';
const SHOW_CURSOR = '\u001B[?25h';

export interface RunOptions {
	portal: Portal;
	language: Language;
	display: Display;
}

/**
 * How long closing may wait for the store (ending the session) before the program leaves anyway:
 * a stuck lock or disk must not hang the exit. The session then ends by its idle timeout.
 */
export const CLOSE_TIMEOUT_MS = 2000;

/** `close()`, waited for at most `CLOSE_TIMEOUT_MS`; false if it did not finish in time. Its failure is ignored (the program is leaving). */
async function closeWithin(close: (() => Promise<void>) | undefined): Promise<boolean> {
	if (!close) return true;
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<boolean>(resolve => {
		timer = setTimeout(() => resolve(false), CLOSE_TIMEOUT_MS);
	});
	try {
		return await Promise.race([close().then(() => true, () => true), timeout]);
	} finally {
		clearTimeout(timer);
	}
}

/**
 * Leaves by `signal` itself, at once. After a close that did not finish, a thread of libuv's pool
 * is still blocked in the store's lock (flock), and `process.exit` would wait for it at shutdown:
 * dying by the signal does not wait. The terminal is given back its mode first.
 */
function dieBy(signal: NodeJS.Signals): never {
	try {
		if (process.stdin.isTTY) process.stdin.setRawMode(false);
	} catch {
		// The terminal is gone.
	}
	process.removeAllListeners(signal);
	process.kill(process.pid, signal);
	// The signal is delivered at once; should it not be, the exit code says the same.
	process.exit(128 + ({SIGTERM: 15, SIGHUP: 1, SIGINT: 2} as Record<string, number>)[signal]!);
}

/**
 * Runs an Ink element full screen: alternate screen on entry, restored on every way out
 * (Ctrl-C, SIGTERM, SIGHUP, a crash). Returns the exit code. `afterFirstFrame` runs once the
 * first frame is out and may replace the element; if it fails, the screen is restored and its
 * error is the outcome. `onClose` runs on every way out after the screen is restored (the
 * portal's sessions end), bounded by `CLOSE_TIMEOUT_MS`.
 */
async function runFullScreen(element: ReactElement, display: Display, afterFirstFrame?: (rerender: (element: ReactElement) => void) => Promise<void>, onClose?: () => Promise<void>): Promise<number> {
	const stdout = process.stdout;
	let restored = false;
	// A dumb terminal gets a transcript: no alternate screen, no cursor to show again.
	const restore = () => {
		if (restored || display.plain) return;
		restored = true;
		stdout.write(LEAVE_ALTERNATE_SCREEN + SHOW_CURSOR);
	};
	if (!display.plain) stdout.write(ENTER_ALTERNATE_SCREEN);
	process.on('exit', restore);

	const output = display.plain || !display.unicode ? (new TerminalOutput(stdout, {ascii: !display.unicode, plain: display.plain}) as unknown as NodeJS.WriteStream) : stdout;
	// 60 frames a second: a result that arrives after an asynchronous load (a history page) is drawn within 17 ms, not 33.
	const instance = render(element, {stdout: output, exitOnCtrlC: false, patchConsole: false, incrementalRendering: true, isScreenReaderEnabled: display.screenReader, maxFps: 60});

	const signals: Record<string, number> = {SIGTERM: 15, SIGHUP: 1, SIGINT: 2};
	let closing = false;
	for (const [signal, number] of Object.entries(signals)) {
		process.on(signal, () => {
			// A second signal while the session ends: leave at once.
			if (closing) process.exit(128 + number);
			closing = true;
			// After a hang-up the terminal is gone: writing to it or reading from it fails (EIO), and that must not stop the session's end.
			stdout.on('error', () => undefined);
			process.stdin.on('error', () => undefined);
			try {
				instance.unmount();
				restore();
			} catch {
				// The terminal is gone: nothing to restore on it.
			}
			void closeWithin(onClose).then(finished => (finished ? process.exit(128 + number) : dieBy(signal as NodeJS.Signals)));
		});
	}

	try {
		if (afterFirstFrame) {
			await afterFirstFrame(next => instance.rerender(next)).catch((error: unknown) => {
				instance.unmount();
				throw error;
			});
		}
		await instance.waitUntilExit();
		return 0;
	} finally {
		restore();
		// Ctrl-C in the portal, or a crash: the session ends too (a signal's handler exits on its own).
		// A store that could not be written in time leaves the program unable to exit normally: Ctrl-C's own way out.
		if (!closing && !(await closeWithin(onClose))) dieBy('SIGINT');
	}
}

export interface TuiOptions extends Omit<RunOptions, 'portal'> {
	/** The open portal, or how to open it once the first frame is drawn (keys wait until then). */
	portal: Portal | (() => Promise<Portal>);
	maxLoginAttempts: number;
	showSms: boolean;
	guide?: boolean;
	showKeys?: boolean;
}

export async function runTui({portal, language, display, maxLoginAttempts, showSms, guide = false, showKeys = false}: TuiOptions): Promise<number> {
	const app = (open: Portal | undefined) => (
		<App portal={open} language={language} color={display.color} display={display} maxLoginAttempts={maxLoginAttempts} showSms={showSms} guide={guide} showKeys={showKeys} />
	);
	// On the way out, the sessions this portal opened end in the store ("Dispositivi e sessioni").
	let opened = typeof portal === 'function' ? undefined : portal;
	const close = async () => opened?.closeOwnSessions();
	if (typeof portal !== 'function') return runFullScreen(app(portal), display, undefined, close);
	return runFullScreen(
		app(undefined),
		display,
		async rerender => {
			opened = await portal();
			rerender(app(opened));
		},
		close,
	);
}

export async function runPhone({portal, language, display, userId, name, showKeys = false}: RunOptions & {userId: string; name: string; showKeys?: boolean}): Promise<number> {
	return runFullScreen(<PhoneApp portal={portal} language={language} display={display} userId={userId} name={name} showKeys={showKeys} />, display);
}
