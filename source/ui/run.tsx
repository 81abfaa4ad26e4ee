import type {ReactElement} from 'react';
import {render} from 'ink';
import type {Portal} from '../core/portal.js';
import {App} from './app.js';
import type {Language} from './i18n/index.js';
import {PhoneApp} from './phone.js';

const ENTER_ALTERNATE_SCREEN = '\u001B[?1049h';
const LEAVE_ALTERNATE_SCREEN = '\u001B[?1049l';
const SHOW_CURSOR = '\u001B[?25h';

export interface RunOptions {
	portal: Portal;
	language: Language;
	screenReader: boolean;
	color: boolean;
}

/**
 * Runs an Ink element full screen: alternate screen on entry, restored on every way out
 * (Ctrl-C, SIGTERM, SIGHUP, a crash). Returns the exit code.
 */
async function runFullScreen(element: ReactElement, screenReader: boolean): Promise<number> {
	const stdout = process.stdout;
	let restored = false;
	const restore = () => {
		if (restored) return;
		restored = true;
		stdout.write(LEAVE_ALTERNATE_SCREEN + SHOW_CURSOR);
	};
	stdout.write(ENTER_ALTERNATE_SCREEN);
	process.on('exit', restore);

	// 60 frames a second: a result that arrives after an asynchronous load (a history page) is drawn within 17 ms, not 33.
	const instance = render(element, {exitOnCtrlC: false, patchConsole: false, incrementalRendering: true, isScreenReaderEnabled: screenReader, maxFps: 60});

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

export async function runTui({portal, language, screenReader, color, showSms, guide = false, showKeys = false}: RunOptions & {showSms: boolean; guide?: boolean; showKeys?: boolean}): Promise<number> {
	const settings = await portal.settings();
	return runFullScreen(<App portal={portal} language={language} color={color} maxLoginAttempts={settings.loginMaxAttempts} showSms={showSms} guide={guide} showKeys={showKeys} />, screenReader);
}

export async function runPhone({portal, language, screenReader, color, userId, name, showKeys = false}: RunOptions & {userId: string; name: string; showKeys?: boolean}): Promise<number> {
	return runFullScreen(<PhoneApp portal={portal} language={language} color={color} userId={userId} name={name} showKeys={showKeys} />, screenReader);
}
