import {spawnSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {e2eFixture, runCli, typeLogin, openSuspensionForm} from '../helpers/cli.js';
import {pdfInfo, pdfText} from '../helpers/pdf.js';
import {MARIO} from '../helpers/holders.js';
import {romeDay} from '../helpers/rome-day.js';
import {Store} from '../../source/core/store/store.js';

const {demoFolder, open} = e2eFixture();
const DAY = 86_400_000;

function ddmmyyyy(date: Date): string {
	return romeDay(date);
}

describe('"Sospensione e revoca firma" in a pseudo-terminal', () => {
	it('suspends with IUT, ERC twice and an end date; openssl then says revoked; after the end date it verifies again', async () => {
		const data = demoFolder();
		const certificateFile = join(data, 'mario.pem');
		const db = await new Store(data).read(MARIO.userId);
		writeFileSync(certificateFile, db.certificates.find(entry => entry.userId === MARIO.userId)!.pem);
		const pki = join(data, 'pki');
		const verify = (at: Date) =>
			spawnSync('openssl', ['verify', '-crl_check', '-attime', String(Math.floor(at.getTime() / 1000)), '-CAfile', join(pki, 'ca.pem'), '-CRLfile', join(pki, 'crl.pem'), certificateFile], {encoding: 'utf8'});

		const terminal = open(['--data', data]);
		await typeLogin(terminal, MARIO.userId, MARIO.password);
		await terminal.waitForText('Il tuo certificato è Attivo');
		terminal.write('5');
		await terminal.waitForText('› [ Sospendi ]');
		expect(terminal.screen()).toContain('065 464 1489');
		terminal.write('\r');
		await terminal.waitForText('Sospendi online il tuo certificato');
		const end = new Date(Date.now() + 3 * DAY);
		await terminal.type('20547815');
		terminal.write('\r');
		await terminal.type('40213769');
		terminal.write('\r');
		await terminal.type('40213769');
		terminal.write('\r');
		await terminal.type(ddmmyyyy(end));
		terminal.write('\r');
		await terminal.waitForText(`Certificato sospeso fino al ${ddmmyyyy(end)}`);
		expect(terminal.screen()).not.toContain('40213769');
		terminal.write('\u001b');
		await terminal.waitForText('Il tuo certificato è Sospeso');

		const held = verify(new Date());
		expect(held.status).not.toBe(0);
		expect(held.stdout + held.stderr).toContain('certificate revoked');

		// Past the end date, `mysign crl` (any start of mysign does it too) reissues the CRL without it.
		const later = new Date(end.getTime() + DAY);
		const moved = runCli(['clock', 'set', later.toISOString(), '--data', data]);
		expect(moved.status, moved.stderr).toBe(0);
		const reissued = runCli(['crl', '--data', data]);
		expect(reissued.status, reissued.stderr).toBe(0);
		expect(reissued.stdout).toContain(join(pki, 'crl.pem'));
		expect(verify(later).stdout).toContain('OK');
	});

	it('refuses wrong codes with the attempts left and keeps nothing typed in the code fields', async () => {
		const data = demoFolder();
		const terminal = open(['--data', data]);
		await typeLogin(terminal, MARIO.userId, MARIO.password);
		await terminal.waitForText('Il tuo certificato è Attivo');
		await openSuspensionForm(terminal);
		await terminal.type('20547815\r11111111\r11111111\r');
		await terminal.type(ddmmyyyy(new Date(Date.now() + 5 * DAY)));
		terminal.write('\r');
		await terminal.waitForText(/Identificativo \(IUT\) o codice di emergenza \(ERC\) non corretti\.\s+Tentativi\s+rimasti: 4\./);
		expect(terminal.screen()).not.toMatch(/Codice di Emergenza \(ERC\)\s+\[•/);
	});
});

describe('revocation', () => {
	it('"Scarica il modulo di revoca" writes a PDF filled with the holder’s data', async () => {
		const data = demoFolder();
		const target = join(data, 'revoca.pdf');
		const terminal = open(['--data', data]);
		await typeLogin(terminal, MARIO.userId, MARIO.password);
		await terminal.waitForText('Il tuo certificato è Attivo');
		terminal.write('5');
		await terminal.waitForText('[ Scarica il modulo di revoca ]');
		terminal.write('\u001b[B\r');
		await terminal.waitForText('modulo-revoca-JCPD7173.pdf');
		terminal.write('\u0015');
		await terminal.type(target);
		terminal.write('\r');
		await terminal.waitForText('Modulo di revoca salvato in');
		const text = pdfText(target, undefined, data);
		for (const value of ['Codice fiscale: RSSMRA80A01H501U', 'User ID: JCPD7173', 'Identificativo univoco (IUT): 20547815', 'Nome: MARIO', 'Cognome: ROSSI']) expect(text).toContain(value);
		expect(pdfInfo(target)).toMatchObject({'Page size': '595.28 x 841.89 pts (A4)', Tagged: 'yes'});
		expect(text).toContain('Firma del Titolare');
	});
});
