import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import type {Terminal} from '../helpers/terminal.js';
import {e2eFixture, runCli, typeLogin} from '../helpers/cli.js';
import {MARIO, temporaryDirectory} from '../helpers/holders.js';

const {demoFolder, open, track} = e2eFixture();

const NEW_PIN = '99887766';

/** The code in MARIO's newest SMS, read with the built CLI as a user would: `mysign phone --print`. */
function phoneCode(data: string): string {
	const printed = runCli(['phone', '--data', data, '--user', MARIO.userId, '--print', '--json']);
	expect(printed.status, printed.stderr).toBe(0);
	const {messages} = JSON.parse(printed.stdout) as {messages: {text: string}[]};
	return /codice OTP (\d{8})/.exec(messages[0]!.text)![1]!;
}

/** A document to sign in a fresh folder (removed after the test). */
function documentToSign(name: string): string {
	const folder = temporaryDirectory();
	track(folder.remove);
	const path = join(folder.path, name);
	writeFileSync(path, `%PDF-1.4\n% documento di prova per ${name}\n%%EOF\n`);
	return path;
}

async function openDashboard(data: string): Promise<Terminal> {
	const terminal = open(['--data', data]);
	await typeLogin(terminal, MARIO.userId, MARIO.password);
	await terminal.waitForText('Il tuo certificato è Attivo');
	return terminal;
}

/** "Firma documenti" (card 6): types the path, adds it with Enter and moves to the PIN field. */
async function chooseDocument(terminal: Terminal, path: string, name: string): Promise<void> {
	terminal.write('6');
	await terminal.waitForText('› Percorso del documento');
	await terminal.waitForText(/Tentativi rimasti: \d/);
	await terminal.type(path);
	terminal.write('\r');
	await terminal.waitForText(`Aggiunto ${name}: documento da firmare 1.`);
	expect(terminal.screen()).toContain(`• ${name} (`);
	// Focus order: path → "Svuota elenco" → PIN.
	terminal.write('\t');
	await terminal.waitForText('› [ Svuota elenco ]');
	terminal.write('\t');
	await terminal.waitForText(/› PIN di firma\s+\[/);
}

/** The rows of the «Cronologia firme» table under its header. */
function tableRows(screen: string): string[] {
	const lines = screen.split('\n');
	const header = lines.findIndex(line => /Data e ora\s+Documento\s+Esito/.test(line));
	expect(header, screen).toBeGreaterThanOrEqual(0);
	return lines.slice(header + 1);
}

describe('"Firma documenti" in a pseudo-terminal', () => {
	it('changes the PIN (OTP from `mysign phone --print`), signs with the new PIN, and shows the signature at the top of «Cronologia firme»', async () => {
		const data = demoFolder();
		const name = 'contratto-prova.pdf';
		const document = documentToSign(name);
		const terminal = await openDashboard(data);

		// Card 4 "PIN di firma" → "Modifica PIN", confirmed with the SMS code.
		terminal.write('4');
		await terminal.waitForText('Tentativi rimasti per il PIN attuale: 3');
		await terminal.type(`${MARIO.pin}\r${NEW_PIN}\r${NEW_PIN}\r`);
		await terminal.waitForText('▼ 2 Conferma l’operazione (in corso)');
		await terminal.type(phoneCode(data));
		terminal.write('\r');
		await terminal.waitForText('PIN di firma modificato');
		terminal.write('\u001b');
		await terminal.waitForText('6. Firma documenti');

		// Card 6 "Firma documenti": the file, the new PIN, "Firma", then the OTP.
		await chooseDocument(terminal, document, name);
		await terminal.type(NEW_PIN);
		await terminal.waitForText(/› PIN di firma\s+\[••••••••/);
		expect(terminal.screen()).not.toContain(NEW_PIN);
		terminal.write('\t');
		await terminal.waitForText(/› \[ \] Mostra PIN/);
		terminal.write('\t');
		await terminal.waitForText('› [ Annulla ]');
		terminal.write('\t');
		await terminal.waitForText('› [ Firma ]');
		terminal.write('\r');
		await terminal.waitForText(/▼ 2 Conferma l.operazione \(in corso\)\n\s+Documento da firmare \(1\): contratto-prova\.pdf\n/);
		expect(terminal.screen()).toContain('✓ 1 Scegli i documenti e inserisci il PIN (completato)');
		await terminal.waitForText('Inserisci codice OTP');
		await terminal.type(phoneCode(data));
		terminal.write('\r');
		await terminal.waitForText('Documento firmato: 1.');
		await terminal.waitForText('Le firme sono in «Cronologia firme»');
		expect(terminal.screen()).toContain(`${name}.p7m`);

		// The envelope is a CAdES-BES that openssl verifies against the demo CA, giving the document back.
		const p7m = `${document}.p7m`;
		expect(existsSync(p7m)).toBe(true);
		const extracted = `${document}.estratto`;
		const verified = spawnSync('openssl', ['cms', '-verify', '-cades', '-binary', '-inform', 'DER', '-in', p7m, '-CAfile', join(data, 'pki', 'ca.pem'), '-out', extracted], {encoding: 'utf8'});
		expect(verified.status, verified.stderr).toBe(0);
		expect(readFileSync(extracted).equals(readFileSync(document))).toBe(true);

		// Card 7 "Cronologia firme": the new signature is the newest of 13.
		terminal.write('\u001b');
		await terminal.waitForText('7. Cronologia firme');
		terminal.write('7');
		await terminal.waitForText('Totale firme 13');
		expect(terminal.screen()).toContain('Firme visualizzate: 13 su 13');
		// Waiting for the first row itself: a screen read just after the totals may be half drawn.
		await terminal.waitForText(/Esito\n\s*\d\d\/\d\d\/\d{4} \d\d:\d\d\s+contratto-prova\.pdf\s+Riuscito\n/);
		const [first] = tableRows(terminal.screen());
		expect(first).toContain(name);
		expect(first).toMatch(/Riuscito$/);

		// The saved record: the last line of the holder's signature log.
		const lines = readFileSync(join(data, 'signatures', `${MARIO.userId}.jsonl`), 'utf8').trimEnd().split('\n');
		expect(lines).toHaveLength(13);
		const last = JSON.parse(lines.at(-1)!) as {document: string; outcome: string; reason: string | null; channel: string};
		expect(last).toMatchObject({document: name, outcome: 'success', reason: null, channel: 'sms'});
	});

	it('refuses a wrong PIN with the attempts left, writes no .p7m and logs the failure', async () => {
		const data = demoFolder();
		const name = 'offerta.pdf';
		const document = documentToSign(name);
		const terminal = await openDashboard(data);
		await chooseDocument(terminal, document, name);
		expect(terminal.screen()).toContain('Tentativi rimasti: 3');
		await terminal.type('00000000');
		terminal.write('\r');
		await terminal.waitForText(/PIN di firma errato\.\s+Tentativi rimasti: 2\./);
		// The attempts line under the PIN field follows.
		await terminal.waitForText(/^\s*Tentativi rimasti: 2$/m);
		// Still step 1, with the PIN field emptied and focused.
		expect(terminal.screen()).toContain('▼ 1 Scegli i documenti e inserisci il PIN (in corso)');
		expect(terminal.screen()).toMatch(/› PIN di firma\s+\[\s*\]/);
		expect(existsSync(`${document}.p7m`)).toBe(false);
		const last = JSON.parse(readFileSync(join(data, 'signatures', `${MARIO.userId}.jsonl`), 'utf8').trimEnd().split('\n').at(-1)!) as {document: string; outcome: string; reason: string};
		expect(last).toMatchObject({document: name, outcome: 'failure', reason: 'pin.wrong'});
	});
});
