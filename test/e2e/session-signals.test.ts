import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {Portal} from '../../source/core/portal.js';
import {FileLock} from '../../source/core/store/lock.js';
import {e2eFixture, typeLogin} from '../helpers/cli.js';
import {demoFolderCopies} from '../helpers/demo-template.js';
import {accessOutcomes, MARIO} from '../helpers/portal.js';
import type {Terminal} from '../helpers/terminal.js';

/*
 * A portal ended by a signal (the terminal window closed: SIGHUP; `kill`: SIGTERM; SIGINT) ends
 * its session: "Dispositivi e sessioni", seen from another portal, no longer lists it, and
 * "Visualizza accessi" says the portal was closed. The shell's screen is restored. A store that
 * cannot be written (its lock held by a stuck process) does not hang the exit.
 */

const {open} = e2eFixture();
const demoFolder = demoFolderCopies();

async function loggedIn(data: string, env?: Record<string, string>): Promise<Terminal> {
	const terminal = open(['--data', data], {env});
	await typeLogin(terminal, MARIO.userId, MARIO.password);
	await terminal.waitForText('(menu utente: m)');
	return terminal;
}

/** MARIO's open sessions as "Dispositivi e sessioni" lists them, asked by a second portal logged in here. */
async function listedSessions(data: string): Promise<{terminal: string}[]> {
	const portal = await Portal.open({dataDirectory: data, terminal: 'second portal'});
	const login = await portal.sessions.login(MARIO.userId, MARIO.password);
	if (login.kind !== 'success') throw new Error(`login: ${login.kind}`);
	const listed = (await portal.sessions.list(login.session)).filter(session => session.id !== login.session.id);
	await portal.sessions.logout(login.session);
	return listed;
}

/** Stops the portal (`stop`) while this test holds the database lock: its exit status and how long it took to leave. */
async function stopWhileLocked(data: string, terminal: Terminal, stop: () => void) {
	return new FileLock(join(data, 'db.lock')).with(async () => {
		const asked = Date.now();
		stop();
		const status = await terminal.waitForExit(20_000);
		return {status, exitedAfter: Date.now() - asked};
	});
}

describe('a portal ended by a signal', () => {
	// SIGHUP as when an SSH connection drops: the session was listed with the client's address.
	for (const [signal, number, env, named] of [
		['SIGTERM', 15, undefined, /^\/dev\/pts\/\d+$/],
		['SIGHUP', 1, {SSH_CONNECTION: '10.0.0.5 52144 10.0.0.1 22'}, /^\/dev\/pts\/\d+, SSH 10\.0\.0\.5$/],
	] as const) {
		it(`${signal}: the session ends in the store (not listed in "Dispositivi e sessioni"), logged as the portal closed; the screen is restored`, async () => {
			const data = await demoFolder();
			const terminal = await loggedIn(data, env);
			// Named by its terminal device (and SSH client), not by a process number.
			const before = await listedSessions(data);
			expect(before.map(session => session.terminal)).toEqual([expect.stringMatching(named)]);

			terminal.kill(signal);
			const exit = await terminal.waitForExit();
			expect(exit.exitCode === 128 + number || exit.signal === number, JSON.stringify(exit)).toBe(true);
			expect(await listedSessions(data)).toEqual([]);
			const portal = await Portal.open({dataDirectory: data, terminal: 'check'});
			// The TUI's login, the second portal's login and logout, the TUI closed, the second portal again.
			expect(await accessOutcomes(portal)).toEqual(['success', 'success', 'logout', 'session-closed', 'success', 'logout']);
			const raw = terminal.raw();
			expect(raw.lastIndexOf('\u001b[?1049l')).toBeGreaterThan(raw.lastIndexOf('\u001b[?1049h'));
		});
	}

	it('Ctrl-C in the portal ends the session too', async () => {
		const data = await demoFolder();
		const terminal = await loggedIn(data);
		terminal.write('\u0003');
		expect((await terminal.waitForExit()).exitCode).toBe(0);
		expect(await listedSessions(data)).toEqual([]);
	});

	it('a store it cannot write (lock held) does not hang the exit: it leaves within the bound, the session left to its timeout', async () => {
		const data = await demoFolder();
		const terminal = await loggedIn(data);
		// A stuck process holds the database lock while the portal is told to stop.
		const {status, exitedAfter} = await stopWhileLocked(data, terminal, () => terminal.kill('SIGTERM'));
		// The bound is 2 s (CLOSE_TIMEOUT_MS); the store's own lock wait would be 15 s, and an exit
		// waiting for the thread blocked in the lock would last as long as the lock is held.
		expect(exitedAfter, `left ${exitedAfter} ms after SIGTERM`).toBeGreaterThanOrEqual(1900);
		expect(exitedAfter, `left ${exitedAfter} ms after SIGTERM`).toBeLessThan(6000);
		expect(status.signal === 15 || status.exitCode === 143, JSON.stringify(status)).toBe(true);
		const raw = terminal.raw();
		expect(raw.lastIndexOf('\u001b[?1049l')).toBeGreaterThan(raw.lastIndexOf('\u001b[?1049h'));
		expect(await listedSessions(data)).toHaveLength(1);
	});

	it('Ctrl-C with the store locked: the screen is restored and the program leaves within the bound, as Ctrl-C does (SIGINT)', async () => {
		const data = await demoFolder();
		const terminal = await loggedIn(data);
		const {status, exitedAfter} = await stopWhileLocked(data, terminal, () => terminal.write('\u0003'));
		expect(exitedAfter, `left ${exitedAfter} ms after Ctrl-C`).toBeLessThan(6000);
		expect(status.signal === 2 || status.exitCode === 130, JSON.stringify(status)).toBe(true);
		const raw = terminal.raw();
		expect(raw.lastIndexOf('\u001b[?1049l')).toBeGreaterThan(raw.lastIndexOf('\u001b[?1049h'));
	});
});
