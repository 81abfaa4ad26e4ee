import {describe, expect, it} from 'vitest';
import {Store} from '../../source/core/store/store.js';
import {e2eFixture, runCli, typeLogin, openSuspensionForm} from '../helpers/cli.js';
import {demoFolderCopies} from '../helpers/demo-template.js';
import {MARIO} from '../helpers/holders.js';
import type {Terminal} from '../helpers/terminal.js';
import {romeDay} from '../helpers/rome-day.js';
import {newestSmsCode} from '../helpers/phone-reading.js';

/*
 * Issue 18, "Renewal": the new IUT shown and usable for suspension, "Torna alla homepage", a
 * malformed PIN, and a renewal resumed at its step by a new portal after the first was killed.
 * 80×24, keys only, on copies of one demo folder (real time).
 */

const {open} = e2eFixture();
const demoCopy = demoFolderCopies();
const MARIO_ERC = '40213769';
const DAY = 86_400_000;

/** The whole database as saved, read through the store (holders' records are in holders/<userID>.json). */
const stored = (data: string) => new Store(data).read();

/** The code in MARIO's newest SMS (read from the outbox in this process: the subject here is the TUI). */
const lastSmsCode = (data: string): string => newestSmsCode(data, MARIO.userId);

function ddmmyyyy(date: Date): string {
	return romeDay(date);
}

/** Logs MARIO in, opens "Rinnova firma" (card 3), its default button, and ticks both consents. */
async function openConsents(terminal: Terminal): Promise<void> {
	await typeLogin(terminal, MARIO.userId, MARIO.password);
	await terminal.waitForText('Il tuo certificato è Attivo');
	terminal.write('3');
	await terminal.waitForText('› [ Rinnova firma ]');
	terminal.write('\r');
	await terminal.waitForText('▼ 1 Consensi (in corso)');
	terminal.write(' \t \t'); // both consents, then the PIN field
}

/** Steps 1 and 2: the PIN, then the SMS code; ends on step 3. */
async function throughStep2(terminal: Terminal, data: string): Promise<void> {
	await openConsents(terminal);
	await terminal.type(MARIO.pin);
	terminal.write('\r');
	await terminal.waitForText('✓ 1 Consensi (completato)');
	await terminal.type(lastSmsCode(data));
	terminal.write('\r');
	await terminal.waitForText('▼ 3 Attiva il certificato (in corso)');
}

/** Steps 3 and 4 from step 3: the new PIN twice, the SMS code; ends on the success screen. */
async function fromStep3(terminal: Terminal, data: string): Promise<void> {
	await terminal.type('11223344\r11223344\r');
	await terminal.waitForText('▼ 4 Conferma l’operazione (in corso)');
	await terminal.type(lastSmsCode(data));
	terminal.write('\r');
	await terminal.waitForText('Il tuo certificato di Firma Remota è stato rinnovato');
}

describe('after a renewal (issue 18)', () => {
	it('the success screen shows the new IUT in full; "Torna alla homepage" shows "Benvenuto"; suspension with the new IUT and the ERC works', async () => {
		const data = await demoCopy();
		const oldIut = (await stored(data)).certificates.find(entry => entry.userId === MARIO.userId)!.iut;
		const terminal = open(['--data', data]);
		await throughStep2(terminal, data);
		await fromStep3(terminal, data);
		const newIut = (await stored(data)).certificates.find(entry => entry.userId === MARIO.userId && entry.status === 'active')!.iut;
		expect(newIut).not.toBe(oldIut);
		expect(terminal.screen().replace(/\s+/g, ' ')).toContain(`Il nuovo Identificativo Univoco Titolare (IUT) è ${newIut}`);
		expect(terminal.screen()).toContain('› [ Torna alla homepage ]');
		terminal.write('\r');
		await terminal.waitForText('Benvenuto');
		expect(terminal.screen()).not.toContain('Il rinnovo sarà possibile dal');

		await openSuspensionForm(terminal);
		const end = ddmmyyyy(new Date(Date.now() + 3 * DAY));
		// The old IUT is refused (counted as a wrong attempt), the new one is accepted.
		await terminal.type(`${oldIut}\r${MARIO_ERC}\r${MARIO_ERC}\r${end}\r`);
		await terminal.waitForText(/non corretti\.\s+Tentativi\s+rimasti: 4\./);
		terminal.write('\u001b');
		await terminal.waitForText('› [ Sospendi ]');
		terminal.write('\r');
		await terminal.waitForText('Sospendi online il tuo certificato');
		await terminal.type(`${newIut}\r${MARIO_ERC}\r${MARIO_ERC}\r${end}\r`);
		await terminal.waitForText(`Certificato sospeso fino al ${end}`);
		expect((await stored(data)).certificates.find(entry => entry.iut === newIut)?.status).toBe('suspended');
	});
});

describe('renewal step 1 (issue 18)', () => {
	it('a malformed PIN says what is wrong and leaves the attempts count unchanged', async () => {
		const data = await demoCopy();
		const terminal = open(['--data', data]);
		await openConsents(terminal);
		await terminal.waitForText('Tentativi rimasti: 3');
		await terminal.type('123');
		terminal.write('\r');
		await terminal.waitForText('Il PIN di firma è composto da esattamente 8 cifre.');
		expect(terminal.screen()).toContain('Tentativi rimasti: 3');
		expect(terminal.screen()).toContain('▼ 1 Consensi (in corso)');
		expect((await stored(data)).holders.find(entry => entry.userId === MARIO.userId)?.pinFailures).toBe(0);
	});
});

describe('a renewal left mid-way (issue 18)', () => {
	it('interrupted after step 2 (the portal killed), a new portal offers to resume it and opens step 3', async () => {
		const data = await demoCopy();
		const first = open(['--data', data]);
		await throughStep2(first, data);
		first.kill('SIGKILL');
		await first.waitForExit();

		const next = open(['--data', data]);
		await typeLogin(next, MARIO.userId, MARIO.password);
		await next.waitForText('Il tuo certificato è Attivo');
		next.write('3');
		await next.waitForText('› [ Riprendi il rinnovo ]');
		expect(next.screen().replace(/\s+/g, ' ')).toMatch(/Hai un rinnovo in corso \(iniziato alle \d\d:\d\d\): puoi riprenderlo dal passo «Attiva il certificato» fino alle \d\d:\d\d\./);
		next.write('\r');
		await next.waitForText('▼ 3 Attiva il certificato (in corso)');
		expect(next.screen()).toContain('✓ 2 Conferma l’operazione (completato)');
		await fromStep3(next, data);
		expect((await stored(data)).certificates.filter(entry => entry.userId === MARIO.userId).map(entry => entry.status)).toEqual(['revoked', 'active']);
	});
});

describe('a renewal left with Esc at step 4 (issue 18)', () => {
	it('is offered again on the card and resumes at step 4 with the OTP already sent', async () => {
		const data = await demoCopy();
		const terminal = open(['--data', data]);
		await throughStep2(terminal, data);
		await terminal.type('11223344\r11223344\r');
		await terminal.waitForText('▼ 4 Conferma l’operazione (in corso)');
		const code = lastSmsCode(data);
		terminal.write('\u001b');
		await terminal.waitForText('I passi già completati restano salvati');
		terminal.write('\t\r'); // "Sì, annulla"
		await terminal.waitForText('› [ Riprendi il rinnovo ]');
		expect(terminal.screen().replace(/\s+/g, ' ')).toContain('dal passo «Conferma l’operazione»');
		terminal.write('\r');
		await terminal.waitForText('▼ 4 Conferma l’operazione (in corso)');
		await terminal.type(code);
		terminal.write('\r');
		await terminal.waitForText('Il tuo certificato di Firma Remota è stato rinnovato');
	});
});

describe('a suspension to the expiry date (issue 18)', () => {
	it('acknowledged as a revocation, it is not said to come back active', async () => {
		const data = await demoCopy();
		const expiresAt = new Date((await stored(data)).certificates.find(entry => entry.userId === MARIO.userId)!.expiresAt);
		const expiry = new Intl.DateTimeFormat('it-IT', {timeZone: 'Europe/Rome', day: '2-digit', month: '2-digit', year: 'numeric'}).format(expiresAt);
		const terminal = open(['--data', data]);
		await typeLogin(terminal, MARIO.userId, MARIO.password);
		await terminal.waitForText('Il tuo certificato è Attivo');
		await openSuspensionForm(terminal);
		const iut = (await stored(data)).certificates.find(entry => entry.userId === MARIO.userId)!.iut;
		await terminal.type(`${iut}\r${MARIO_ERC}\r${MARIO_ERC}\r${expiry}`);
		terminal.write('\t ');
		await terminal.waitForText('[x] Ho capito');
		terminal.write('\t\t\r');
		await terminal.waitForText('Certificato sospeso fino alla scadenza');
		const screen = terminal.screen().replace(/\s+/g, ' ');
		// The done message and the card's state line both.
		expect(screen).toContain(`Certificato sospeso fino alla scadenza (${expiry}): non tornerà attivo, la sospensione equivale alla revoca.`);
		expect(screen).toContain(`Il tuo certificato è sospeso fino alla scadenza (${expiry}): non tornerà attivo, la sospensione equivale alla revoca.`);
		expect(screen).not.toContain('tornerà attivo il giorno dopo');
	});
});

describe('"Richiedi nuovo certificato", phase 4 (issue 18)', () => {
	it('a passphrase typed twice with "usa il codice fiscale" ticked is not silently discarded: the holder is asked to pick one', async () => {
		const data = await demoCopy();
		const luca = {userId: 'JCPD5590', password: 'Montagna_19', pin: '16180339'};
		const token = () =>
			(JSON.parse(runCli(['phone', '--data', data, '--user', luca.userId, '--print', '--json']).stdout) as {authenticators: {device: string; code: string}[]}).authenticators.find(
				reading => reading.device === 'token',
			)!.code;
		const terminal = open(['--data', data]);
		await typeLogin(terminal, luca.userId, luca.password);
		await terminal.waitForText('N. Richiedi nuovo certificato');
		terminal.write('n');
		await terminal.waitForText('▼ 1 Consensi (in corso)');
		terminal.write(' \t');
		await terminal.type(`${luca.pin}\r`);
		await terminal.waitForText('Inserisci il codice generato dal token OTP');
		await terminal.type(`${token()}\r`);
		await terminal.waitForText('▼ 3 Scegli nuovo PIN (in corso)');
		await terminal.type('55667788\r55667788\r');
		await terminal.waitForText('▼ 4 Informazioni di sicurezza (in corso)');
		await terminal.type('Girasole al mare 42\rGirasole al mare 42');
		terminal.write('\t ');
		await terminal.waitForText('[x] Usa il mio codice fiscale');
		terminal.write('\t\t\r');
		await terminal.waitForText(/Hai scritto una passphrase e scelto anche il codice\s+fiscale: scegline uno\./);
		expect(terminal.screen()).toContain('▼ 4 Informazioni di sicurezza (in corso)');
		const renewals = (await stored(data)).renewals;
		expect(renewals.find(entry => entry.userId === luca.userId)).toMatchObject({step: 'securityInfo', envelope: null});
	});
});
