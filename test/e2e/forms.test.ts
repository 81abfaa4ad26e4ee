import {describe, expect, it} from 'vitest';
import {Store} from '../../source/core/store/store.js';
import {e2eFixture, typeLogin} from '../helpers/cli.js';
import {demoFolderCopies} from '../helpers/demo-template.js';
import {GIULIA, MARIO} from '../helpers/holders.js';

/* The form fixes of issue 18 in the built CLI, in a pseudo-terminal at 80×24, keys only. */

const {open} = e2eFixture();
const demoFolder = demoFolderCopies();

/** The holder's saved channel, read through the store (the holder is in holders/<userID>.json). */
async function preferredChannel(data: string, userId: string): Promise<string> {
	const db = await new Store(data).read(userId);
	return db.holders.find(holder => holder.userId === userId)!.otp.preferred;
}

describe('forms in a pseudo-terminal', () => {
	it('a refused new password stays (masked) with its reason until the holder types again; m opens the user menu from "Codici OTP"', async () => {
		const data = await demoFolder();
		const terminal = open(['--data', data]);
		await typeLogin(terminal, MARIO.userId, MARIO.password);
		await terminal.waitForText('Il tuo certificato è Attivo');
		// "Codici OTP", then the user menu from there (the header says "menu utente: m").
		terminal.write('2');
		await terminal.waitForText('OTP - Notifica SMS');
		expect(terminal.screen()).toContain('(menu utente: m)');
		terminal.write('m');
		await terminal.waitForText('Gestisci il tuo account');
		terminal.write('\r');
		await terminal.waitForText(/Password\s+•{8}\s+\[modifica\]/);
		terminal.write('\u001b[B');
		terminal.write('\r');
		await terminal.waitForText(/› Password attuale\s+\[/);
		await terminal.type(`${MARIO.password}\rPassword1!\rPassword1!\r`);
		await terminal.waitForText('La nuova password non rispetta le regole');
		const refused = terminal.screen();
		expect(refused).toMatch(/› Nuova password\s+\[•{10}/);
		expect(refused).toMatch(/Conferma la nuova password\s+\[•{10}\]/);
		expect(refused).toContain('Password troppo comune o prevedibile');
		expect(refused).not.toContain('Password1!');
		// One more character: the error goes, what was typed stays.
		await terminal.type('x');
		await terminal.waitForText(/› Nuova password\s+\[•{11}/);
		await terminal.waitForTextGone('La nuova password non rispetta le regole');
	});

	it('← / → on "Canale per confermare le operazioni" change the channel, and it is saved', async () => {
		const data = await demoFolder();
		const terminal = open(['--data', data]);
		await typeLogin(terminal, GIULIA.userId, GIULIA.password);
		await terminal.waitForText('Il tuo certificato è');
		terminal.write('2');
		await terminal.waitForText('Canale per confermare le operazioni');
		// GIULIA confirms with the app; two channels: SMS and the app.
		expect(await preferredChannel(data, GIULIA.userId)).toBe('app');
		expect(terminal.screen()).toContain('(•) App MyInfoCert (in uso)');
		// Down from "Modifica numero" to the first channel (SMS): nothing changes yet.
		terminal.write('\u001b[B');
		await terminal.waitForText(/› \( \) SMS/);
		terminal.write('\u001b[D');
		await terminal.waitForText(/› \(•\) App MyInfoCert \(in uso\)/);
		await terminal.waitForText('Impostazione salvata');
		// ← from SMS wrapped round to the app, which was already in use; → from the app goes back to SMS.
		terminal.write('\u001b[C');
		await terminal.waitForText(/› \(•\) SMS \(in uso\)/);
		expect(await preferredChannel(data, GIULIA.userId)).toBe('sms');
		terminal.write('\u001b[D');
		await terminal.waitForText(/› \(•\) App MyInfoCert \(in uso\)/);
		expect(await preferredChannel(data, GIULIA.userId)).toBe('app');
	});
});
