import {spawnSync} from 'node:child_process';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {Store} from '../../source/core/store/store.js';
import {e2eFixture, runCli, typeLogin} from '../helpers/cli.js';
import {newestSmsCode} from '../helpers/phone-reading.js';
import {MARIO} from '../helpers/holders.js';

const {demoFolder, open} = e2eFixture();

function lastSmsCode(data: string): string {
	const printed = JSON.parse(runCli(['phone', '--data', data, '--user', MARIO.userId, '--print', '--json']).stdout) as {messages: {text: string}[]};
	return /codice OTP (\d{8})/.exec(printed.messages[0]!.text)![1]!;
}

describe('"Rinnova firma" in a pseudo-terminal', () => {
	it('renews with the PIN and two OTPs read from `mysign phone --print`: new serial, 3 years from today, old serial on the CRL', async () => {
		const data = demoFolder();
		const before = (await new Store(data).read(MARIO.userId)).certificates.find(entry => entry.userId === MARIO.userId)!;
		const terminal = open(['--data', data]);
		await typeLogin(terminal, MARIO.userId, MARIO.password);
		await terminal.waitForText('Il tuo certificato è Attivo');
		terminal.write('3');
		await terminal.waitForText('› [ Rinnova firma ]');
		terminal.write('\r');
		await terminal.waitForText('titolare della firma con IUT 20547815');
		terminal.write(' \t \t'); // both consents, then the PIN field
		await terminal.type(MARIO.pin);
		terminal.write('\r');
		await terminal.waitForText('✓ 1 Consensi (completato)');
		await terminal.type(lastSmsCode(data));
		terminal.write('\r');
		await terminal.waitForText('▼ 3 Attiva il certificato (in corso)');
		await terminal.type('11223344\r11223344\r');
		// Enter on the second PIN field activates.
		await terminal.waitForText('▼ 4 Conferma l’operazione (in corso)');
		await terminal.type(lastSmsCode(data));
		terminal.write('\r');
		await terminal.waitForText('Il tuo certificato di Firma Remota è stato rinnovato');
		const expected = new Date();
		expected.setUTCFullYear(expected.getUTCFullYear() + 3);
		// The day in Rome, as the portal shows it (between 23:00 and midnight UTC it is already the next day there).
		const date = new Intl.DateTimeFormat('it-IT', {timeZone: 'Europe/Rome', day: '2-digit', month: '2-digit', year: 'numeric'}).format(expected);
		expect(terminal.screen().replace(/\s+/g, ' ')).toContain(`valido fino al ${date}`);
		// "Torna alla homepage": the dashboard, with the new certificate.
		terminal.write('\r');
		await terminal.waitForText(`Il tuo certificato è Attivo fino al ${date}`);

		const certificates = (await new Store(data).read(MARIO.userId)).certificates.filter(entry => entry.userId === MARIO.userId);
		const renewed = certificates.find(entry => entry.status === 'active')!;
		expect(renewed.certificateSerial).not.toBe(before.certificateSerial);
		expect(renewed.iut).not.toBe(before.iut);
		expect(certificates.find(entry => entry.certificateSerial === before.certificateSerial)).toMatchObject({status: 'revoked', revocationReason: 'superseded'});
		const crl = spawnSync('openssl', ['crl', '-in', join(data, 'pki', 'crl.pem'), '-noout', '-text'], {encoding: 'utf8'}).stdout;
		expect(crl).toContain(`Serial Number: ${before.certificateSerial.toUpperCase()}`);
		expect(crl).toContain('Superseded');
	});

	it('says why renewal is closed outside the window and offers no button', async () => {
		const data = demoFolder();
		const terminal = open(['--data', data]);
		await typeLogin(terminal, 'JCPD2841', 'Tramonto!73');
		await terminal.waitForText('Il tuo certificato è Attivo');
		terminal.write('3');
		await terminal.waitForText(/Il rinnovo sarà possibile dal \d\d\/\d\d\/\d{4}/);
		expect(terminal.screen()).not.toContain('[ Rinnova firma ]');
	});
});

describe('"Rinnova con credenziali RAO"', () => {
	it('an operator authorises with userID, password and the OTP on the operator’s phone; then the usual steps', async () => {
		const data = demoFolder();
		const terminal = open(['--data', data]);
		await typeLogin(terminal, MARIO.userId, MARIO.password);
		await terminal.waitForText('Il tuo certificato è Attivo');
		terminal.write('3');
		await terminal.waitForText('› [ Rinnova firma ]');
		terminal.write('\u001b[A\r'); // "Rinnova con credenziali RAO"
		await terminal.waitForText('▼ 1 Credenziali RAO (in corso)');
		await terminal.type('RAO0001\rsbagliata\r');
		await terminal.waitForText('Credenziali dell’operatore RAO non corrette.');
		await terminal.type('Operatore#26\r');
		await terminal.waitForText('▼ 2 Conferma RAO (in corso)');
		await terminal.waitForText('+39335*****33');
		// The operator's phone, read in this process (the holder's codes above go through `mysign phone --print`).
		await terminal.type(newestSmsCode(data, 'RAO0001'));
		terminal.write('\r');
		await terminal.waitForText('▼ 3 Consensi (in corso)');
		expect(terminal.screen()).toContain('▶ 6 Conferma l’operazione (da fare)');
	});
});
