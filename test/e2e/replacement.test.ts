import {spawnSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {simpleParser} from 'mailparser';
import {describe, expect, it} from 'vitest';
import {totpCode} from '../../source/core/otp/totp.js';
import {Store} from '../../source/core/store/store.js';
import {e2eFixture, runCli, typeLogin} from '../helpers/cli.js';
import {pdfText, showEncryption} from '../helpers/pdf.js';

const {demoFolder, open} = e2eFixture();
const LUCA = {userId: 'JCPD5590', password: 'Montagna_19', pin: '16180339', codiceFiscale: 'VRDLCU75T10L219Q'};

/** LUCA's hardware token now, read through `mysign phone --print` (on the folder's clock). */
function tokenCode(data: string): string {
	const printed = JSON.parse(runCli(['phone', '--data', data, '--user', LUCA.userId, '--print', '--json']).stdout) as {authenticators: {device: string; code: string}[]};
	return printed.authenticators.find(reading => reading.device === 'token')!.code;
}

/** The token's secret as the demo data ships it (README): the code of a later step than the phone shows. */
const LUCA_TOKEN_SECRET = 'GXKQQPMTBTHFDHA6LASWB3XMKAQNIWIX';

describe('"Richiedi nuovo certificato" in a pseudo-terminal', () => {
	it('shows the deadline bar, runs the five phases and e-mails an envelope that opens with the codice fiscale', async () => {
		const data = demoFolder();
		const terminal = open(['--data', data]);
		await typeLogin(terminal, LUCA.userId, LUCA.password);
		await terminal.waitForText(/deve essere aggiornato entro il \d\d\/\d\d\/\d{4}/);
		// Its own key, N (shown in the footer): the numbered cards keep their numbers.
		expect(terminal.screen()).toContain('N. Richiedi nuovo certificato');
		// The footer follows the dashboard's data (a frame later on a loaded machine).
		await terminal.waitForText('N nuovo certificato');
		terminal.write('N');
		await terminal.waitForText('▼ 1 Consensi (in corso)');
		expect(terminal.screen()).toContain('▶ 4 Informazioni di sicurezza (da fare)');
		terminal.write(' \t');
		await terminal.type(LUCA.pin);
		terminal.write('\r');
		await terminal.waitForText('Inserisci il codice generato dal token OTP');
		const phase2Code = tokenCode(data);
		await terminal.type(phase2Code);
		terminal.write('\r');
		await terminal.waitForText('▼ 3 Scegli nuovo PIN (in corso)');
		// Seed 002, phase 3: "Clicca su «Conferma»".
		expect(terminal.screen()).toContain('[ Conferma ]');
		expect(terminal.screen()).not.toContain('Attiva il certificato');
		await terminal.type('55667788\r55667788\r');
		await terminal.waitForText('▼ 4 Informazioni di sicurezza (in corso)');
		terminal.write('\t\t '); // "Usa il mio codice fiscale"
		await terminal.waitForText('[x] Usa il mio codice fiscale');
		terminal.write('\t\t\r');
		await terminal.waitForText('▼ 5 Conferma l’operazione (in corso)');
		// Phase 2's code again (same 30-second step): already used, not "errato".
		await terminal.type(phase2Code);
		terminal.write('\r');
		await terminal.waitForText('Codice già usato: attendi il prossimo codice.');
		expect(terminal.screen()).not.toContain('errato');
		// A later 30-second step than phase 2's (the token never repeats a step; the portal accepts
		// one step either side of now): the code now, or the next step's while phase 2's step lasts.
		// (Not 31 s after the test began: under load phases 1 to 4 can take longer than that.)
		const current = await totpCode(LUCA_TOKEN_SECRET, new Date());
		await terminal.type(current !== phase2Code ? current : await totpCode(LUCA_TOKEN_SECRET, new Date(Date.now() + 30_000)));
		terminal.write('\r');
		await terminal.waitForText('La tua nuova firma remota è stata aggiornata correttamente');
		const iut = (await new Store(data).read(LUCA.userId)).certificates.find(
			entry => entry.userId === LUCA.userId && entry.status === 'active',
		)!.iut;
		expect(terminal.screen().replace(/\s+/g, ' ')).toContain(`Il nuovo Identificativo Univoco Titolare (IUT) è ${iut}`);
		terminal.write('\r');
		await terminal.waitForText('Il tuo certificato è Attivo fino al');
		expect(terminal.screen()).not.toContain('Richiedi nuovo certificato');

		const listed = JSON.parse(readFileSync(join(data, 'outbox', readdirEmail(data)), 'utf8')) as {eml: string; to: string};
		expect(listed.to).toBe('luca.verdi@example.it');
		const mail = await simpleParser(readFileSync(join(data, 'outbox', listed.eml)));
		const pdf = join(data, 'busta.pdf');
		writeFileSync(pdf, mail.attachments[0]!.content);
		const out = join(data, 'aperta.pdf');
		expect(spawnSync('qpdf', ['--decrypt', pdf, out]).status).not.toBe(0);
		expect(spawnSync('qpdf', [`--password=${LUCA.codiceFiscale}`, '--decrypt', '--qdf', '--object-streams=disable', pdf, out]).status).toBe(0);
		expect(pdfText(pdf, LUCA.codiceFiscale, data)).toMatch(/Codice di Emergenza: \d{8}\n/);
		expect(showEncryption(pdf, LUCA.codiceFiscale)).toMatch(/^R = 6$[^]*extract for accessibility: allowed/m);
	});
});

function readdirEmail(data: string): string {
	return spawnSync('ls', [join(data, 'outbox')], {encoding: 'utf8'})
		.stdout.split('\n')
		.filter(name => name.endsWith('.email.json'))
		.at(-1)!;
}
