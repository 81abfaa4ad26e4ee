import type {ReactElement} from 'react';
import {render} from 'ink';
import type {Portal} from '../core/portal.js';
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
 * Runs an Ink element full screen: alternate screen on entry, restored on every way out
 * (Ctrl-C, SIGTERM, SIGHUP, a crash). Returns the exit code.
 */
async function runFullScreen(element: ReactElement, display: Display): Promise<number> {
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
	for (const [signal, number] of Object.entries(signals)) {
		process.once(signal, () => {
			instance.unmount();
			restore();
			process.exit(128 + number);
		});
	}

	try {
		await instance.waitUntilExit();
		return 0;
	} finally {
		restore();
	}
}

export async function runTui({portal, language, display, showSms, guide = false, showKeys = false}: RunOptions & {showSms: boolean; guide?: boolean; showKeys?: boolean}): Promise<number> {
	const settings = await portal.settings();
	return runFullScreen(<App portal={portal} language={language} color={display.color} display={display} maxLoginAttempts={settings.loginMaxAttempts} showSms={showSms} guide={guide} showKeys={showKeys} />, display);
}

export async function runPhone({portal, language, display, userId, name, showKeys = false}: RunOptions & {userId: string; name: string; showKeys?: boolean}): Promise<number> {
	return runFullScreen(<PhoneApp portal={portal} language={language} display={display} userId={userId} name={name} showKeys={showKeys} />, display);
}
