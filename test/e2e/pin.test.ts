import {describe, expect, it} from 'vitest';
import {e2eFixture, runCli, typeLogin} from '../helpers/cli.js';
import {MARIO} from '../helpers/holders.js';

const {demoFolder, open} = e2eFixture();

function lastSmsCode(data: string): string {
	const printed = JSON.parse(runCli(['phone', '--data', data, '--user', MARIO.userId, '--print', '--json']).stdout) as {messages: {text: string}[]};
	return /codice OTP (\d{8})/.exec(printed.messages[0]!.text)![1]!;
}

describe('"PIN di firma" → "Modifica PIN" in a pseudo-terminal', () => {
	it('shows the attempts left, counts a wrong current PIN, and changes the PIN with the OTP from `mysign phone --print`', async () => {
		const data = demoFolder();
		const terminal = open(['--data', data]);
		await typeLogin(terminal, MARIO.userId, MARIO.password);
		await terminal.waitForText('Il tuo certificato è Attivo');
		terminal.write('4');
		await terminal.waitForText('Tentativi rimasti per il PIN attuale: 3');
		expect(terminal.screen()).toContain('Se dimentichi il PIN non potrai recuperarlo in alcun modo');
		await terminal.type('00000000\r99887766\r99887766\r');
		await terminal.waitForText(/PIN di firma errato\.\s+Tentativi rimasti: 2\./);
		await terminal.waitForText('Tentativi rimasti per il PIN attuale: 2');
		await terminal.type(`${MARIO.pin}\r99887766\r99887766\r`);
		await terminal.waitForText('▼ 2 Conferma l’operazione (in corso)');
		await terminal.type(lastSmsCode(data));
		terminal.write('\r');
		await terminal.waitForText('PIN di firma modificato');
		expect(terminal.screen()).not.toContain('99887766');
	});
});
