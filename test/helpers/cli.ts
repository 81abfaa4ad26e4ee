import {spawnSync, type SpawnSyncReturns} from 'node:child_process';
import {join} from 'node:path';
import {afterEach, expect} from 'vitest';
import {ROOT} from './root.js';
import {copyDemoTemplate, restamp} from './templates.js';
import {startTerminal, type Terminal} from './terminal.js';

export {ROOT};
export const CLI = join(ROOT, 'dist', 'cli.js');

/** The built CLI without a terminal (sub-commands, usage errors). CI is removed like a user's shell. */
export function runCli(args: readonly string[], options: {input?: string; env?: Record<string, string | undefined>} = {}): SpawnSyncReturns<string> {
	const env: Record<string, string | undefined> = {...process.env, ...options.env};
	delete env['CI'];
	return spawnSync(process.execPath, [CLI, ...args], {encoding: 'utf8', input: options.input ?? '', env: env as NodeJS.ProcessEnv, cwd: ROOT});
}

/** The built CLI in a pseudo-terminal of the given size (80×24 by default). */
export function startCli(args: readonly string[], options: {cols?: number; rows?: number; env?: Record<string, string | undefined>} = {}): Terminal {
	return startTerminal({command: process.execPath, args: [CLI, ...args], cwd: ROOT, cols: options.cols ?? 80, rows: options.rows ?? 24, env: options.env});
}

/**
 * What every end-to-end test file needs: demo data folders and terminals that are cleaned up
 * after each test, and the login keystrokes. Call once at the top of a test file.
 */
export function e2eFixture() {
	const cleanups: (() => void)[] = [];
	afterEach(() => {
		while (cleanups.length > 0) cleanups.pop()!();
	});
	return {
		track(cleanup: () => void): void {
			cleanups.push(cleanup);
		},
		/** A fresh data folder with the demo data as `mysign demo` leaves it (a copy of the run's template, see templates.ts). */
		demoFolder(): string {
			const folder = copyDemoTemplate('cli');
			cleanups.push(folder.remove);
			return folder.path;
		},
		/**
		 * The same, its training clock then set to `now` as `mysign clock set NOW` would, through the
		 * same portal call in this process (see folder-setup.ts): no CLI start for the setup. The
		 * stamp is made true again, as the command leaves it, so the TUI still takes its fast start.
		 */
		async demoFolderAt(now: string): Promise<string> {
			const folder = copyDemoTemplate('cli');
			cleanups.push(folder.remove);
			const [{changeClock}, {parseTrainerTime}] = await Promise.all([import('./folder-setup.js'), import('../../source/core/clock-control.js')]);
			const to = parseTrainerTime(now);
			expect(to, now).toBeDefined();
			await changeClock(folder.path, {to: to!});
			restamp(folder.path);
			return folder.path;
		},
		open(args: readonly string[], options?: Parameters<typeof startCli>[1]): Terminal {
			const terminal = startCli(args, options);
			cleanups.push(() => terminal.dispose());
			return terminal;
		},
	};
}

/** From the dashboard: card 5 ("Sospensione e revoca firma"), then "Sospendi", to the suspension form. */
export async function openSuspensionForm(terminal: Terminal): Promise<void> {
	terminal.write('5');
	await terminal.waitForText('› [ Sospendi ]');
	terminal.write('\r');
	await terminal.waitForText('Sospendi online il tuo certificato');
}

/**
 * On the app-activation step at 80×24: waits for the QR code (drawn a moment after the text: its
 * library loads on demand) and reads the key printed in groups of four in the column beside it.
 */
export async function activationKeyOnScreen(terminal: Terminal): Promise<string> {
	await terminal.waitForText(/questa chiave nell.app:/); // the sentence wraps in the column beside the QR code
	await terminal.waitForText(/[▀▄█]{7}/);
	return terminal
		.screen()
		.split('\n')
		.map(line => /((?:[A-Z2-7]{4} ){0,3}[A-Z2-7]{4})\s*$/.exec(line.slice(42))?.[1])
		.filter((group): group is string => group !== undefined && group.length >= 4)
		.join('')
		.replaceAll(' ', '');
}

/** Types the user name and password on the login screen and presses Enter. */
export async function typeLogin(terminal: Terminal, identifier: string, password: string): Promise<void> {
	await terminal.waitForText('Tentativi rimasti');
	await terminal.type(identifier);
	terminal.write('\t');
	await terminal.waitForText('› Password');
	await terminal.type(password);
	terminal.write('\r');
}
