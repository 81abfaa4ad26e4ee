import {execFileSync} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {otpauthUri} from '../../source/core/otp/totp.js';
import {demoFolderCopies} from '../helpers/demo-template.js';
import {e2eFixture, typeLogin, activationKeyOnScreen} from '../helpers/cli.js';
import {MARIO} from '../helpers/holders.js';
import {DARK_THEME, decodeScreenQr, LIGHT_THEME} from '../helpers/screen-image.js';

/*
 * Issue 19: the app-activation QR code must scan on a dark terminal as on a light one. The
 * screen a trainee sees at 80×24 is replayed, painted with each theme's default colours, and
 * decoded without the decoder's inversion fallback (a phone scanner may have none).
 */

const {open} = e2eFixture();
const demoCopy = demoFolderCopies();

describe('the app-activation QR code in a pseudo-terminal', () => {
	it('decodes, at 80×24, on a dark and on a light terminal, to the otpauth URI the portal issued, whose key activates the app', async () => {
		const data = await demoCopy();
		const terminal = open(['--data', data]);
		await typeLogin(terminal, MARIO.userId, MARIO.password);
		await terminal.waitForText('Il tuo certificato è');
		terminal.write('2');
		await terminal.waitForText('OTP - Su app MyInfoCert: Da attivare');
		terminal.write('\r');
		const secret = await activationKeyOnScreen(terminal);
		expect(secret).toMatch(/^[A-Z2-7]{32}$/);
		const issued = otpauthUri(secret, MARIO.userId);

		// One snapshot of the output for both themes, once the code is whole on it (a loaded machine may
		// show the key before the last rows of the code have arrived).
		let output = terminal.raw();
		for (let tries = 0; tries < 50 && (await decodeScreenQr(output, 80, 24, LIGHT_THEME)) === undefined; tries++) {
			await new Promise(resolve => setTimeout(resolve, 100));
			output = terminal.raw();
		}
		const dark = await decodeScreenQr(output, 80, 24, DARK_THEME);
		const light = await decodeScreenQr(output, 80, 24, LIGHT_THEME);
		expect({dark, light}).toEqual({dark: issued, light: issued});

		// The key the code carries is the one the portal waits for: its first code activates the app.
		const scanned = new URL(dark!).searchParams.get('secret')!;
		terminal.write('\r');
		await terminal.waitForText('Inserisci il codice generato dall’app MyInfoCert');
		await terminal.type(execFileSync('oathtool', ['--totp', '-b', '-d', '8', scanned], {encoding: 'utf8'}).trim());
		terminal.write('\r');
		await terminal.waitForText('App MyInfoCert attivata');
	});
});
