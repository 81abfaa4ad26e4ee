import {describe, expect, it} from 'vitest';
import {e2eFixture} from '../helpers/cli.js';
import {MARIO} from '../helpers/holders.js';

const {demoFolder, open} = e2eFixture();

describe('`mysign --guide --show-keys` in a pseudo-terminal (80×24)', () => {
	it('shows the guide’s note on the login screen and the keys pressed: the user ID as typed, never the password', async () => {
		const data = demoFolder();
		const terminal = open(['--data', data, '--guide', '--show-keys']);
		await terminal.waitForText('Tentativi rimasti: 5');
		await terminal.waitForText('│ Guida: Scrivi lo User ID');
		expect(terminal.screen()).toMatch(/│ password scelta all’attivazione, poi «Accedi»\.\n Tab campo successivo/);
		expect(terminal.screen().split('\n')[0]).toMatch(/Tasti: —$/);
		await terminal.type(MARIO.userId);
		terminal.write('\t');
		await terminal.waitForText(/Tasti: JCPD7173 Tab$/m);
		await terminal.type(MARIO.password);
		await terminal.waitForText(/Tasti: JCPD7173 Tab •×11$/m);
		expect(terminal.screen()).not.toContain('Girasole');
		for (const part of ['Giras', 'sole', '&42']) expect(terminal.screen().split('\n')[0]).not.toContain(part);
		terminal.write('\r');
		await terminal.waitForText('Il tuo certificato è Attivo');
		await terminal.waitForText(/Tasti: JCPD7173 Tab •×11 Invio$/m);
		await terminal.waitForText('│ Guida: Questa è la Home');
		expect(terminal.raw()).not.toContain(MARIO.password);
	});
});
