import {spawnSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {e2eFixture, runCli, typeLogin} from '../helpers/cli.js';
import {cliDemoCopies} from '../helpers/operators.js';
import {pdfText} from '../helpers/pdf.js';
import {MARIO} from '../helpers/holders.js';
import {parseTrainerTime} from '../../source/core/clock-control.js';
import {applyScenario, changeClock} from '../helpers/folder-setup.js';
import {authenticatorCode, newestSmsCode} from '../helpers/phone-reading.js';
import {recordBytes} from '../helpers/data-folder.js';

/*
 * Issue 18, "Dead ends": every state a certificate can be in, as the holder sees it on the
 * dashboard at 80×24, and the next step it names, followed to its end with keys only and the
 * operator's commands: a blocked PIN and a revoked certificate → `mysign admin reissue` → the
 * holder logs in with their own password, opens the new envelope with qpdf and signs with the
 * new PIN; the expiry day → "Richiedi nuovo certificato" the same day.
 */

const demoCopy = cliDemoCopies();
const {open} = e2eFixture();
const GIULIA = {userId: 'JCPD2841', password: 'Tramonto!73', pin: '31415926', codiceFiscale: 'BNCGLI85M41F205X'};

function cli(data: string, args: readonly string[], input?: string) {
	return runCli([...args, '--data', data], {input});
}

function codiceFiscaleOf(data: string, userId: string): string {
	return (JSON.parse(cli(data, ['admin', 'show', userId, '--json']).stdout) as {codiceFiscale: string}).codiceFiscale;
}

/** GIULIA's MyInfoCert app code now, as her phone reads it on the folder's clock (in this process: the subject is `mysign sign`). */
const appCode = (data: string): Promise<string> => authenticatorCode(data, GIULIA.userId, 'app');

/** Logs in at 80×24 and waits for the dashboard. */
async function dashboard(data: string, holder: {userId: string; password: string}) {
	const terminal = open(['--data', data]);
	await typeLogin(terminal, holder.userId, holder.password);
	await terminal.waitForText('Servizi');
	return terminal;
}

/** The last registration envelope e-mailed to the holder, saved with `mysign outbox save`, opened with qpdf and the codice fiscale. */
function openEnvelope(data: string, userId: string, codiceFiscale: string): {text: string; pin: string; erc: string} {
	const messages = (JSON.parse(cli(data, ['outbox', '--user', userId, '--json']).stdout) as {messages: {id: number; kind: string; subject?: string}[]}).messages;
	const envelope = messages.filter(message => message.kind === 'email' && message.subject?.startsWith('InfoCert LegalCert')).at(-1)!;
	const saved = cli(data, ['outbox', 'save', String(envelope.id), data]);
	expect(saved.status, saved.stderr).toBe(0);
	const file = join(data, `BustaCifrata-${userId}.pdf`);
	expect(spawnSync('qpdf', ['--decrypt', file, join(data, 'x.pdf')]).status, 'opens without the codice fiscale').not.toBe(0);
	expect(spawnSync('qpdf', [`--password=${codiceFiscale}`, '--decrypt', file, join(data, 'aperta.pdf')]).status).toBe(0);
	const text = pdfText(file, codiceFiscale, data);
	return {text, pin: /PIN di firma: (\d{8})/.exec(text)![1]!, erc: /Codice di Emergenza: (\d{8})/.exec(text)![1]!};
}

/** GIULIA signs a file with `mysign sign` (password and PIN on stdin, the app's code); returns the exit status and stderr. */
async function signAsGiulia(data: string, pin: string): Promise<{status: number | null; stderr: string; file: string}> {
	const file = join(data, 'contratto.txt');
	writeFileSync(file, 'Contratto di prova\n');
	const result = cli(data, ['sign', file, '--user', GIULIA.userId, '--password-stdin', '--pin-stdin', '--otp', await appCode(data)], `${GIULIA.password}\n${pin}\n`);
	return {status: result.status, stderr: result.stderr, file};
}

/** The operator path from a state the portal cannot lead out of, to a holder who signs again. */
async function reissueAndSign(data: string): Promise<void> {
	const codiceFiscale = codiceFiscaleOf(data, GIULIA.userId);
	// Re-identification: another codice fiscale is refused and changes nothing.
	const before = recordBytes(data);
	const wrong = cli(data, ['admin', 'reissue', GIULIA.userId, '--codice-fiscale', 'RSSMRA80A01H501U']);
	expect(wrong.status).toBe(2);
	expect(wrong.stderr).toContain('non corrisponde');
	expect(recordBytes(data), 'db.json or holders/ changed').toEqual(before);

	const reissued = cli(data, ['admin', 'reissue', GIULIA.userId, '--codice-fiscale', codiceFiscale, '--json']);
	expect(reissued.status, reissued.stderr).toBe(0);
	const result = JSON.parse(reissued.stdout) as {iut: string; previousSerial: string};
	// The old certificate is on the CRL.
	const crl = spawnSync('openssl', ['crl', '-in', join(data, 'pki', 'crl.pem'), '-noout', '-text'], {encoding: 'utf8'}).stdout;
	expect(crl).toContain(`Serial Number: ${result.previousSerial.toUpperCase()}`);

	const envelope = openEnvelope(data, GIULIA.userId, codiceFiscale);
	expect(envelope.text).toContain(`IUT: ${result.iut}`);
	expect(envelope.text).not.toContain('PUK');

	// The holder logs in with their own password: the dashboard says Attivo, with no next step to take.
	const terminal = await dashboard(data, GIULIA);
	await terminal.waitForText('Il tuo certificato è Attivo fino al');
	expect(terminal.screen()).not.toContain('admin reissue');
	expect(terminal.screen()).not.toContain('Richiedi nuovo certificato');

	// The old PIN no longer signs; the new one from the envelope does, and openssl verifies the .p7m.
	expect((await signAsGiulia(data, GIULIA.pin)).status).not.toBe(0);
	const signed = await signAsGiulia(data, envelope.pin);
	expect(signed.status, signed.stderr).toBe(0);
	const verified = cli(data, ['verify', `${signed.file}.p7m`]);
	expect(verified.status, verified.stdout + verified.stderr).toBe(0);
}

describe('the certificate states on the dashboard, each with its next step', () => {
	it('PIN blocked (and flagged for replacement): the dashboard names the operator path, admin unlock says it is permanent, admin reissue leads back to signing', async () => {
		const data = demoCopy();
		// Three wrong PINs with `mysign sign`: the third names the operator path.
		expect((await signAsGiulia(data, '00000001')).stderr).toContain('Tentativi rimasti: 2');
		expect((await signAsGiulia(data, '00000002')).stderr).toContain('Tentativo rimasto: 1');
		const third = await signAsGiulia(data, '00000003');
		expect(third.stderr).toContain('PIN bloccato');
		expect(third.stderr).toContain('mysign admin reissue');
		// An operator flags the holder for replacement meanwhile.
		expect(cli(data, ['admin', 'flag-replacement', GIULIA.userId, '--deadline', '31/12/2099']).status).toBe(0);

		const terminal = await dashboard(data, GIULIA);
		await terminal.waitForText('✗ Il tuo certificato è Bloccato: PIN bloccato definitivamente');
		await terminal.waitForText(/PIN e certificato per sempre[^]*rivolgiti\s+all'operatore \(RAO\)[^]*mysign admin reissue\s+JCPD2841/);
		// Flagged, but the new-certificate flow asks for the blocked PIN: it is not offered, N does nothing.
		expect(terminal.screen()).not.toContain('Richiedi nuovo certificato');
		expect(terminal.screen()).not.toContain('N nuovo certificato');
		expect(terminal.screen()).toContain('3. Rinnova firma digitale');
		terminal.write('N');
		await new Promise(resolve => setTimeout(resolve, 300));
		expect(terminal.screen()).toContain('Servizi');
		terminal.dispose();

		const unlock = cli(data, ['admin', 'unlock', GIULIA.userId]);
		expect(unlock.status).toBe(0);
		expect(unlock.stdout).not.toContain('nessun blocco da rimuovere');
		expect(unlock.stdout).toContain('bloccato definitivamente');
		expect(unlock.stdout).toContain(`mysign admin reissue ${GIULIA.userId}`);

		await reissueAndSign(data);
	});

	it('revoked: the dashboard shows the revocation and the operator path; admin reissue leads back to signing', async () => {
		const data = demoCopy();
		expect(cli(data, ['admin', 'revoke', GIULIA.userId, '--reason', 'keyCompromise', '--yes']).status).toBe(0);
		const terminal = await dashboard(data, GIULIA);
		await terminal.waitForText(/✗ Il tuo certificato è Revocato dal \d\d\/\d\d\/\d{4}/);
		await terminal.waitForText(/Un certificato revocato non firma più[^]*mysign admin reissue\s+JCPD2841/);
		expect(terminal.screen()).not.toContain('Richiedi nuovo certificato');
		// "Sospensione e revoca firma" has no button to suspend: it says why and names the same step.
		terminal.write('5');
		await terminal.waitForText(/Sospensione non disponibile: il certificato è Revocato\.[^]*mysign admin\s+reissue/);
		terminal.dispose();
		await reissueAndSign(data);
	});

	it('suspended: the banner shows the end date and the next step; back on the dashboard the old state is never drawn; active again after the end date', async () => {
		const data = demoCopy();
		await applyScenario(data, 'suspended', GIULIA.userId);
		const terminal = await dashboard(data, GIULIA);
		await terminal.waitForText(/‖ Il tuo certificato è Sospeso fino al (\d\d\/\d\d\/\d{4}) \(scadenza/);
		const until = /Sospeso fino al (\d\d\/\d\d\/\d{4})/.exec(terminal.screen())![1]!;
		await terminal.waitForText(new RegExp(`Non puoi firmare fino al ${until.replace(/\//g, '\\/')}, poi torna attivo[^]*operatore \\(RAO\\)`));
		// The operator path the text names: the holder asked, the operator reactivates while the holder is on another screen.
		terminal.write('1');
		await terminal.waitForText('Autorità di certificazione');
		expect(cli(data, ['admin', 'reactivate', GIULIA.userId]).status).toBe(0);
		const mark = terminal.raw().length;
		terminal.write('\x1b');
		await terminal.waitForText('Il tuo certificato è Attivo fino al');
		// From the key press on, the output never drew the state loaded before (Sospeso) for a frame.
		expect(terminal.raw().slice(mark)).not.toContain('Sospeso');
		terminal.dispose();

		// The other next step, waiting: after the end date the certificate is active again by itself.
		await applyScenario(data, 'suspended', GIULIA.userId);
		const [day, month, year] = until.split('/');
		await changeClock(data, {to: parseTrainerTime(`${year}-${month}-${day}T23:59`)!});
		await changeClock(data, {advanceMs: 2 * 60_000});
		const later = await dashboard(data, GIULIA);
		await later.waitForText('Il tuo certificato è Attivo fino al');
	});

	it('expiring, then the expiry day: renewal on key 3 while it is open; on the expiry day "Richiedi nuovo certificato" on N, the same day, to its end', async () => {
		const data = demoCopy();
		const expiresAt = new Date((JSON.parse(cli(data, ['admin', 'show', MARIO.userId, '--json']).stdout) as {expiresAt: string}).expiresAt);
		let terminal = await dashboard(data, MARIO);
		await terminal.waitForText(/Il certificato scade il \d\d\/\d\d\/\d{4}: rinnovalo con\s+«Rinnova firma digitale»\s+\(tasto 3\)/);
		terminal.write('3');
		await terminal.waitForText('Data di scadenza');
		terminal.dispose();

		// Five minutes before the expiry instant, on the expiry day.
		await changeClock(data, {to: new Date(expiresAt.getTime() - 5 * 60_000)});
		terminal = await dashboard(data, MARIO);
		await terminal.waitForText(/Il tuo certificato scade oggi, \d\d\/\d\d\/\d{4}, alle \d\d:\d\d/);
		await terminal.waitForText('Oggi non si può più rinnovare: richiedi un nuovo certificato con il tasto N');
		await terminal.waitForText('N. Richiedi nuovo certificato');
		await terminal.waitForText('N nuovo certificato');
		// The numbers do not shift: 3 is still "Rinnova firma digitale", 2 "Codici OTP".
		expect(terminal.screen()).toMatch(/2\. Codici OTP[^]*3\. Rinnova firma digitale/);
		terminal.write('N');
		await terminal.waitForText('▼ 1 Consensi (in corso)');
		terminal.write(' \t');
		await terminal.type(MARIO.pin);
		terminal.write('\r');
		await terminal.waitForText('▼ 2 Conferma l’operazione (in corso)');
		await terminal.type(lastSmsCode(data));
		terminal.write('\r');
		await terminal.waitForText('▼ 3 Scegli nuovo PIN (in corso)');
		await terminal.type('55667788\r55667788\r');
		await terminal.waitForText('▼ 4 Informazioni di sicurezza (in corso)');
		terminal.write('\t\t ');
		await terminal.waitForText('[x] Usa il mio codice fiscale');
		terminal.write('\t\t\r');
		await terminal.waitForText('▼ 5 Conferma l’operazione (in corso)');
		await terminal.type(lastSmsCode(data));
		terminal.write('\r');
		await terminal.waitForText('La tua nuova firma remota è stata aggiornata correttamente');
		terminal.write('\r');
		await terminal.waitForText('Il tuo certificato è Attivo fino al');
		expect(terminal.screen()).not.toContain('Richiedi nuovo certificato');
	});

	it('expired and flagged: the bar names key N, the services keep their numbers', async () => {
		const data = demoCopy();
		const terminal = await dashboard(data, {userId: 'JCPD5590', password: 'Montagna_19'});
		await terminal.waitForText('Il tuo certificato è Scaduto il');
		await terminal.waitForText(/deve essere aggiornato entro il \d\d\/\d\d\/\d{4}: scegli\s+«Richiedi nuovo certificato» \(tasto N\)/);
		expect(terminal.screen()).toMatch(/N\. Richiedi nuovo certificato[^]*1\. Certificato di firma[^]*8\. Report/);
		terminal.write('3');
		await terminal.waitForText('Data di scadenza');
		expect(terminal.screen()).toContain('Rinnova firma digitale');
		expect(terminal.screen()).not.toContain('Codici OTP');
		terminal.dispose();

		// Expired, not flagged: the same step, N (the phases themselves: see the expiry-day test).
		await applyScenario(data, 'expired', MARIO.userId);
		const mario = await dashboard(data, MARIO);
		await mario.waitForText('Il tuo certificato è scaduto: scegli «Richiedi nuovo certificato» (tasto N).');
		mario.write('N');
		await mario.waitForText('▼ 1 Consensi (in corso)');
	});

	it('active: the banner and no step to take', async () => {
		const data = demoCopy();
		const terminal = await dashboard(data, GIULIA);
		await terminal.waitForText('✓ Il tuo certificato è Attivo fino al');
		expect(terminal.screen()).not.toMatch(/admin reissue|Richiedi nuovo certificato|rinnovalo/);
	});
});

/** The code in MARIO's newest SMS (read from the outbox in this process: the subject here is the TUI). */
const lastSmsCode = (data: string): string => newestSmsCode(data, MARIO.userId);
