import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {e2eFixture, typeLogin} from '../helpers/cli.js';
import {MARIO} from '../helpers/holders.js';

const {demoFolder, open} = e2eFixture();

describe('"Certificato di firma" with a real certificate', () => {
	it('shows the technical details and downloads a certificate that openssl verifies against the CA', async () => {
		const data = demoFolder();
		const target = join(data, 'scaricato.pem');
		const terminal = open(['--data', data]);
		await typeLogin(terminal, MARIO.userId, MARIO.password);
		await terminal.waitForText('Il tuo certificato è Attivo');
		terminal.write('1');
		await terminal.waitForText('› [ Scarica ]');
		terminal.write('\u001b[B\r'); // "Dettagli tecnici"
		await terminal.waitForText('Impronta SHA-256');
		await terminal.waitForText('QcCompliance, QcSSCD, QcType esign, QcPDS');
		expect(terminal.screen()).toContain('Non ripudio (critico)');
		expect(terminal.screen()).toContain('1.3.76.16.6');

		terminal.write('\u001b[A\r'); // "Scarica"
		await terminal.waitForText('Scarica il certificato');
		await terminal.waitForText('TINIT-RSSMRA80A01H501U.pem');
		terminal.write('\t'); // to the path field
		terminal.write('\u0015'); // empty it
		await terminal.type(target);
		terminal.write('\r');
		await terminal.waitForText(`Certificato salvato in ${target}`);

		const caFile = join(data, 'pki', 'ca.pem');
		const verified = spawnSync('openssl', ['verify', '-CAfile', caFile, target], {encoding: 'utf8'});
		expect(verified.stdout.trim(), verified.stderr).toBe(`${target}: OK`);
		const text = execFileSync('openssl', ['x509', '-in', target, '-noout', '-text'], {encoding: 'utf8'});
		expect(text).toContain('serialNumber = TINIT-RSSMRA80A01H501U');
		expect(text).toMatch(/X509v3 Key Usage: critical\s+Non Repudiation/);
		const fingerprint = execFileSync('openssl', ['x509', '-in', target, '-noout', '-fingerprint', '-sha256'], {encoding: 'utf8'}).trim().split('=')[1]!;
		// Esc leaves the dialog without saving.
		terminal.write('\r');
		await terminal.waitForText('Scarica il certificato');
		terminal.write('\u001b');
		await terminal.waitForText('› [ Scarica ]');

		// Saving again to the same path is refused with a clear message, and the file is untouched.
		const before = readFileSync(target);
		terminal.write('\r');
		await terminal.waitForText('Scarica il certificato');
		terminal.write('\t\u0015');
		await terminal.type(target);
		terminal.write('\r');
		await terminal.waitForText('Esiste già un file');
		expect(readFileSync(target).equals(before)).toBe(true);

		// DER: the check box switches the proposed extension to .cer.
		terminal.write('\u001b');
		await terminal.waitForText('› [ Scarica ]');
		terminal.write('\r');
		await terminal.waitForText('Scarica il certificato');
		terminal.write(' ');
		await terminal.waitForText('TINIT-RSSMRA80A01H501U.cer');
		terminal.write('\t\u0015');
		const derTarget = join(data, 'scaricato.cer');
		await terminal.type(derTarget);
		terminal.write('\r');
		await terminal.waitForText('Certificato salvato in');
		expect(existsSync(derTarget)).toBe(true);
		const derFingerprint = execFileSync('openssl', ['x509', '-inform', 'DER', '-in', derTarget, '-noout', '-fingerprint', '-sha256'], {encoding: 'utf8'}).trim().split('=')[1];
		expect(derFingerprint).toBe(fingerprint);
	});
});
