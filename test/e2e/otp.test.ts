import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {e2eFixture, runCli, typeLogin, activationKeyOnScreen} from '../helpers/cli.js';
import {MARIO, temporaryDirectory} from '../helpers/holders.js';
import type {Terminal} from '../helpers/terminal.js';
import {holderFile, readDatabase, recordFiles} from '../helpers/data-folder.js';

const {demoFolder, open, track} = e2eFixture();

async function logIn(terminal: Terminal, identifier: string, password: string): Promise<void> {
	await typeLogin(terminal, identifier, password);
	await terminal.waitForText('Il tuo certificato è');
}

function smsCodes(data: string, userId: string): {to: string; code: string}[] {
	const printed = runCli(['phone', '--data', data, '--user', userId, '--print', '--json']);
	expect(printed.status, printed.stderr).toBe(0);
	const {messages} = JSON.parse(printed.stdout) as {messages: {to: string; text: string}[]};
	return messages.map(message => ({to: message.to, code: /codice OTP (\d{8})/.exec(message.text)![1]!}));
}

describe('"Codici OTP" in a pseudo-terminal', () => {
	it('activates the app channel with the secret read from the screen and the code computed from it', async () => {
		const data = demoFolder();
		const terminal = open(['--data', data]);
		await logIn(terminal, MARIO.userId, MARIO.password);
		terminal.write('2');
		await terminal.waitForText('OTP - Su app MyInfoCert: Da attivare');
		terminal.write('\r');
		await terminal.waitForText(/^\s*.*([A-Z2-7]{4} ){3}[A-Z2-7]{4}\s*$/m);
		const secret = await activationKeyOnScreen(terminal);
		expect(secret).toMatch(/^[A-Z2-7]{32}$/);
		terminal.write('\r');
		await terminal.waitForText('Inserisci il codice generato dall’app MyInfoCert');
		const code = execFileSync('oathtool', ['--totp', '-b', '-d', '8', secret], {encoding: 'utf8'}).trim();
		await terminal.type(code);
		terminal.write('\r');
		await terminal.waitForText('App MyInfoCert attivata');
		await terminal.waitForText('OTP - Su app MyInfoCert: Attivo');
		expect(terminal.screen()).toContain('(•) App MyInfoCert (in uso)');
		// Not at rest: neither in db.json nor in any holder document.
		expect(recordFiles(data)).toContain(holderFile(data, MARIO.userId));
		for (const file of recordFiles(data)) expect(readFileSync(file, 'utf8'), file).not.toContain(secret);
	});

	it('changes the SMS number with the code sent to the old number, read from `mysign phone --print`', async () => {
		const data = demoFolder();
		const terminal = open(['--data', data]);
		await logIn(terminal, MARIO.userId, MARIO.password);
		terminal.write('2');
		await terminal.waitForText('Ricevi il codice OTP via SMS al numero: +39347*****67');
		terminal.write('\u001b[B'); // down to "Modifica numero"
		terminal.write('\r');
		await terminal.waitForText('Hai bisogno del numero di cellulare +39347*****67');
		await terminal.type('06 1234 5678');
		terminal.write('\r');
		await terminal.waitForText('Numero non valido');
		// Esc with something typed asks before throwing it away; "No, continua" keeps it.
		terminal.write('\u001b');
		await terminal.waitForText('Annullare l’operazione? I dati inseriti andranno persi.');
		terminal.write('\r');
		await terminal.waitForTextGone('Annullare l’operazione?');
		expect(terminal.screen()).toContain('06 1234 5678');
		terminal.write('\u0015'); // Ctrl-U empties the field
		await terminal.type('333 987 6543');
		terminal.write('\r');
		await terminal.waitForText('Ti abbiamo inviato un codice via SMS al numero +39347*****67');
		const [sms] = smsCodes(data, MARIO.userId);
		expect(sms!.to).toBe('+393471234567');
		await terminal.type('00000000');
		terminal.write('\r');
		await terminal.waitForText('Codice OTP errato. Tentativi rimasti: 4.');
		await terminal.type(sms!.code);
		terminal.write('\r');
		await terminal.waitForText('Numero modificato: i codici OTP arriveranno al numero +393339876543');
		await terminal.waitForText('Ricevi il codice OTP via SMS al numero: +39333*****43');
		// Focus is back on "Modifica numero". Esc, then "Sì, annulla", leaves without saving anything.
		expect(terminal.screen()).toMatch(/› \[ Modifica numero \]/);
		terminal.write('\r');
		await terminal.waitForText('Nuovo numero (+39)');
		await terminal.type('3401112222');
		terminal.write('\u001b');
		await terminal.waitForText('Annullare l’operazione?');
		terminal.write('\t\r');
		await terminal.waitForText('Ricevi il codice OTP via SMS al numero: +39333*****43');
		const db = await readDatabase(data);
		expect(db.holders.find(holder => holder.userId === MARIO.userId)!.phone).toBe('+393339876543');
		for (const file of recordFiles(data)) expect(readFileSync(file, 'utf8'), file).not.toContain(sms!.code);
	});
});

describe('login with the app', () => {
	it('approving the code in `mysign phone` logs the TUI in; denying does not', async () => {
		const data = demoFolder();
		const terminal = open(['--data', data]);
		await terminal.waitForText('Tentativi rimasti');
		// Tab through user name, password, "Mostra password", "Accedi" to "Accedi con l'app".
		terminal.write('\t\t\t\t');
		terminal.write('\r');
		await terminal.waitForText('Il codice è valido per');
		const phone = open(['phone', '--data', data, '--user', 'JCPD2841']);
		await phone.waitForText('Codice mostrato dal portale');

		const shownCode = () => /Codice: (\d{3}) (\d{3})/.exec(terminal.screen())!.slice(1).join('');
		// Deny first: the portal says so and shows a new code.
		const denied = shownCode();
		await phone.type(denied);
		phone.write('\t\t\r');
		await phone.waitForText('Accesso negato.');
		await terminal.waitForText('Accesso negato dall’app');
		expect(terminal.screen()).not.toContain('Il tuo certificato');

		// A new code, not the denied one (which must not stay on screen), with time left to type it.
		await terminal.waitForText(/Codice: \d{3} \d{3}[^]*Il codice è valido per [5-8] secondi/);
		expect(shownCode()).not.toBe(denied);
		await phone.type(shownCode());
		phone.write('\r');
		await phone.waitForText('Accesso approvato.');
		await terminal.waitForText('GIULIA BIANCHI');
		await terminal.waitForText('Il tuo certificato è Attivo fino al');
	});
});

describe('demo data and single-terminal demos', () => {
	it('`mysign demo --json` gives the app holder’s base32 secret, and oathtool’s code for it matches the phone', () => {
		const folder = temporaryDirectory();
		track(folder.remove);
		const demo = JSON.parse(runCli(['demo', '--data', folder.path, '--json']).stdout) as {holders: {userId: string; appSecret?: string}[]};
		const giulia = demo.holders.find(holder => holder.userId === 'JCPD2841')!;
		expect(giulia.appSecret).toMatch(/^[A-Z2-7]{32}$/);
		const printed = JSON.parse(runCli(['phone', '--data', folder.path, '--user', 'JCPD2841', '--print', '--json']).stdout) as {authenticators: {device: string; code: string}[]};
		const fromPhone = printed.authenticators.find(reading => reading.device === 'app')!.code;
		const fromOathtool = execFileSync('oathtool', ['--totp', '-b', '-d', '8', giulia.appSecret!], {encoding: 'utf8'}).trim();
		// The two readings may straddle a 30-second boundary; then the next code must match.
		const next = execFileSync('oathtool', ['--totp', '-b', '-d', '8', '--now', new Date(Date.now() - 30_000).toISOString().replace('T', ' ').replace(/\.\d+Z/, ' UTC'), giulia.appSecret!], {encoding: 'utf8'}).trim();
		expect([fromOathtool, next]).toContain(fromPhone);
	});

	it('--show-sms shows an arriving SMS inside the portal', async () => {
		const data = demoFolder();
		const terminal = open(['--data', data, '--show-sms']);
		await logIn(terminal, MARIO.userId, MARIO.password);
		terminal.write('2');
		await terminal.waitForText('Modifica numero');
		terminal.write('\u001b[B\r');
		await terminal.waitForText('Nuovo numero (+39)');
		await terminal.type('3339876543');
		terminal.write('\r');
		// The banner wraps at 80 columns, so words may be split across lines.
		await terminal.waitForText(/SMS ricevuto: Servizio di Firma InfoCert:\s+utilizzare\s+il\s+seguente\s+codice\s+OTP\s+\d{8}\s+generato/);
	});
});
