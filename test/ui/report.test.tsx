import {describe, expect, it} from 'vitest';
import {KEYS, press, screen, type, waitForScreen} from '../helpers/ink.js';
import {MARIO} from '../helpers/portal.js';
import {overlongLines, screenFixture} from '../helpers/screens.js';

const open = screenFixture();

/** "Report" for MARIO, once his settings are on screen (keys before that are not taken). */
async function openReport() {
	const opened = await open('report', MARIO);
	await waitForScreen(opened.rendered, /› Indirizzo e-mail\s+\[mario\.rossi@example\.it/);
	await waitForScreen(opened.rendered, /Frequenza\s+\(•\) A ogni firma \( \) Riepilogo giornaliero \( \) Mai/);
	return opened;
}

describe('«Report» (ReportScreen) at 80×24', () => {
	it('loads the current settings: "A ogni firma" to the account address', async () => {
		const {rendered, portal, session} = await openReport();
		expect(await portal.reportSettings(session)).toMatchObject({email: null, frequency: 'each', accountEmail: MARIO.email});
		const text = screen(rendered);
		expect(text).toContain('Gestisci il report di firma');
		expect(text).toContain(`Vuoto = l’indirizzo del tuo account (${MARIO.email})`);
		expect(text).toMatch(/\[ Annulla \]\s+\[ Salva \]/);
		expect(overlongLines(text, 80)).toEqual([]);
	});

	it('→ on "Frequenza" chooses "Riepilogo giornaliero", and "Salva" saves it', async () => {
		const {rendered, portal, session} = await openReport();
		await press(rendered, KEYS.tab);
		await waitForScreen(rendered, /› Frequenza/);
		await press(rendered, KEYS.right);
		await waitForScreen(rendered, /› Frequenza\s+\( \) A ogni firma \(•\) Riepilogo giornaliero \( \) Mai/);
		// Nothing is saved until "Salva".
		expect((await portal.reportSettings(session)).frequency).toBe('each');
		await press(rendered, KEYS.tab);
		await waitForScreen(rendered, '› [ Annulla ]');
		await press(rendered, KEYS.tab);
		await waitForScreen(rendered, '› [ Salva ]');
		await press(rendered, KEYS.enter);
		await waitForScreen(rendered, `✓ Impostazioni salvate: i report arriveranno a ${MARIO.email}.`);
		// The account's own address is kept as "the account address" (null), not copied.
		expect(await portal.reportSettings(session)).toMatchObject({email: null, frequency: 'daily'});
	});

	it('a bad e-mail address shows the error and saves nothing, the frequency chosen with it neither', async () => {
		const {rendered, portal, session} = await openReport();
		const before = await portal.reportSettings(session);
		// Choose "Mai" (Space moves on, twice), then go back to the address and spoil it.
		await press(rendered, KEYS.tab);
		await press(rendered, KEYS.space);
		await press(rendered, KEYS.space);
		await waitForScreen(rendered, /\(•\) Mai/);
		await press(rendered, KEYS.shiftTab);
		await waitForScreen(rendered, /› Indirizzo e-mail/);
		await press(rendered, KEYS.ctrlU);
		await waitForScreen(rendered, /› Indirizzo e-mail\s+\[ \]/);
		await type(rendered, 'mario.rossi@');
		await press(rendered, KEYS.enter);
		const text = await waitForScreen(rendered, '✗ Indirizzo e-mail non valido: es. nome@dominio.it');
		// The address stays to be corrected, with the focus on it.
		expect(text).toMatch(/› Indirizzo e-mail\s+\[mario\.rossi@/);
		expect(await portal.reportSettings(session)).toEqual(before);

		// Corrected, it saves both.
		await type(rendered, 'esempio.it');
		await press(rendered, KEYS.enter);
		await waitForScreen(rendered, 'Impostazioni salvate: non riceverai report di firma.');
		expect(await portal.reportSettings(session)).toMatchObject({email: 'mario.rossi@esempio.it', frequency: 'never'});
	});
});
