import {describe, expect, it} from 'vitest';
import {Portal} from '../../source/core/portal.js';
import type {Terminal} from '../helpers/terminal.js';
import {e2eFixture, typeLogin} from '../helpers/cli.js';
import {KEYS} from '../helpers/ink.js';
import {MARIO} from '../helpers/holders.js';
import {storeOf} from '../helpers/internals.js';

/*
 * Sessions shared through the store: two TUI processes on one data folder, both logged in as
 * MARIO. "Dispositivi e sessioni" in the first lists both; "Esci da tutte le altre sessioni"
 * sends the second back to the login screen within 2 seconds (it polls its session once a
 * second). "Esci" from the user menu ends the first's session in the store too.
 */

const {demoFolder, open} = e2eFixture();

const ENDED_NOTICE = /La sessione è stata chiusa da un altro\s+dispositivo: accedi di nuovo\./;
/** Seed 003: another process notices a session ended elsewhere "within 2 seconds". */
const NOTICE_WITHIN_MS = 2000;

async function openDashboard(data: string): Promise<Terminal> {
	const terminal = open(['--data', data]);
	await typeLogin(terminal, MARIO.userId, MARIO.password);
	await terminal.waitForText('Il tuo certificato è');
	await terminal.waitForText('(menu utente: m)');
	return terminal;
}

/** The session rows of "Dispositivi e sessioni": the terminal column reads the tty ("/dev/pts/N") for a local TUI. */
function sessionRows(screen: string): string[] {
	const lines = screen.split('\n');
	const header = lines.findIndex(line => /Terminale\s+Inizio\s+Ultima attività/.test(line));
	expect(header, screen).toBeGreaterThanOrEqual(0);
	const end = lines.findIndex((line, index) => index > header && line.includes('* questa sessione'));
	expect(end, screen).toBeGreaterThan(header);
	return lines.slice(header + 1, end).filter(line => line.trim() !== '');
}

/** MARIO's sessions open in the store, read by a portal of this process. */
async function openSessionIds(data: string): Promise<string[]> {
	const portal = await Portal.open({dataDirectory: data, terminal: 'test'});
	const db = await storeOf(portal).read();
	return db.sessions.filter(session => session.userId === MARIO.userId && session.endedAt === null).map(session => session.id);
}

describe('"Dispositivi e sessioni" across two processes', () => {
	it('"Esci da tutte le altre sessioni" in one TUI sends the other back to the login screen within 2 s; "Esci" ends the session in the store', async () => {
		const data = demoFolder();
		const first = await openDashboard(data);
		const second = await openDashboard(data);
		expect(await openSessionIds(data)).toHaveLength(2);

		// First: m → 1 "Gestisci il tuo account" → ↓ to "Dispositivi e sessioni" → Enter.
		first.write('m');
		await first.waitForText('1. Gestisci il tuo account');
		first.write('1');
		await first.waitForText('Il tuo account');
		await first.waitForText(/Dispositivi e sessioni\s+\[apri\]/);
		for (let index = 0; index < 5; index++) first.write(KEYS.down);
		await first.waitForText('› Dispositivi e sessioni');
		first.write(KEYS.enter);
		await first.waitForText('Il tuo account › Dispositivi e sessioni');
		await first.waitForText('[ Esci da tutte le altre sessioni ]');
		await first.waitForText(/\/dev\/pts\/\d+ \*/);
		await first.waitForText(/Ultima attività\n(?:\s*\/dev\/pts\/\d+.*\n){2}\s*\* questa sessione/);
		const rows = sessionRows(first.screen());
		expect(rows, first.screen()).toHaveLength(2);
		expect(rows.filter(row => /\/dev\/pts\/\d+ \*/.test(row))).toHaveLength(1);
		expect(second.screen()).toContain('Il tuo certificato è');

		// Enter: "Esci da tutte le altre sessioni". Both screens are watched from the same moment.
		first.write(KEYS.enter);
		const [shownAt, noticedAt] = await Promise.all([
			first.waitForText('Sessione chiusa: 1.').then(() => Date.now()),
			second.waitForText(ENDED_NOTICE, 10_000).then(() => Date.now()),
		]);
		const delay = noticedAt - shownAt;
		expect(delay, `the second TUI showed the notice ${delay} ms after the first showed "Sessione chiusa: 1."`).toBeLessThanOrEqual(NOTICE_WITHIN_MS);

		// The second is on an empty login screen, logged out.
		await second.waitForText('Tentativi rimasti: 5');
		expect(second.screen()).not.toContain('MARIO ROSSI');
		expect(second.screen()).not.toContain('Il tuo certificato è');
		// The first keeps its session, now the only one listed.
		await first.waitForText(/Ultima attività\n\s*\/dev\/pts\/\d+ \*.*\n\s*\* questa sessione/);
		expect(sessionRows(first.screen())).toHaveLength(1);
		const remaining = await openSessionIds(data);
		expect(remaining).toHaveLength(1);

		// "Esci" from the user menu (Esc twice back to the dashboard): the session ends in the store.
		first.write(KEYS.escape);
		await first.waitForText(/Dispositivi e sessioni\s+\[apri\]/);
		first.write(KEYS.escape);
		await first.waitForText('6. Firma documenti');
		first.write('m');
		await first.waitForText('2. Esci');
		first.write('2');
		await first.waitForText('Sei uscito dal portale.');
		expect(await openSessionIds(data)).toHaveLength(0);

		// A fresh login sees only its own session.
		const portal = await Portal.open({dataDirectory: data, terminal: 'test'});
		const login = await portal.sessions.login(MARIO.userId, MARIO.password);
		expect(login.kind).toBe('success');
		if (login.kind !== 'success') return;
		const sessions = await portal.sessions.list(login.session);
		expect(sessions.map(session => session.id)).toEqual([login.session.id]);
		const db = await storeOf(portal).read();
		expect(db.sessions.find(session => session.id === remaining[0])).toMatchObject({endReason: 'logout'});
	});
});
