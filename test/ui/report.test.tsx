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
		expect(await portal.history.reportSettings(session)).toMatchObject({email: null, frequency: 'each', accountEmail: MARIO.email});
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
		expect((await portal.history.reportSettings(session)).frequency).toBe('each');
		await press(rendered, KEYS.tab);
		await waitForScreen(rendered, '› [ Annulla ]');
		await press(rendered, KEYS.tab);
		await waitForScreen(rendered, '› [ Salva ]');
		await press(rendered, KEYS.enter);
		await waitForScreen(rendered, `✓ Impostazioni salvate: i report arriveranno a ${MARIO.email}.`);
		// The account's own address is kept as "the account address" (null), not copied.
		expect(await portal.history.reportSettings(session)).toMatchObject({email: null, frequency: 'daily'});
	});

	it('a bad e-mail address shows the error and saves nothing, the frequency chosen with it neither', async () => {
		const {rendered, portal, session} = await openReport();
		const before = await portal.history.reportSettings(session);
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
		expect(await portal.history.reportSettings(session)).toEqual(before);

		// Corrected, a code goes to the NEW address; nothing is stored until it is confirmed.
		await type(rendered, 'esempio.it');
		await press(rendered, KEYS.enter);
		await waitForScreen(rendered, 'Per usare il nuovo indirizzo mario.rossi@esempio.it inserisci il codice');
		expect(await portal.history.reportSettings(session)).toEqual(before);
		const mail = (await portal.mailbox.list({kind: 'email'})).at(-1)!;
		expect(mail.to).toBe('mario.rossi@esempio.it');
		const code = /codice (\d{8})/.exec(mail.text)![1]!;
		await type(rendered, code === '12345678' ? '87654321' : '12345678');
		await press(rendered, KEYS.enter);
		await waitForScreen(rendered, 'Codice OTP errato. Tentativi rimasti: 4.');
		expect(await portal.history.reportSettings(session)).toEqual(before);
		await type(rendered, code);
		await press(rendered, KEYS.enter);
		await waitForScreen(rendered, 'Impostazioni salvate: non riceverai report di firma.');
		expect(await portal.history.reportSettings(session)).toMatchObject({email: 'mario.rossi@esempio.it', frequency: 'never'});
	});

	it('the sixth OTP message in 15 minutes is refused on screen with the time of the next', async () => {
		const {rendered, portal, session} = await openReport();
		// Five codes already went to MARIO (PIN changes and their resends, in another terminal).
		const change = await portal.pin.startChange(session, {currentPin: MARIO.pin, newPin: '99887766', newPinAgain: '99887766'});
		for (let index = 0; index < 4; index++) await portal.otp.resend(session, change.challenge.id);
		await press(rendered, KEYS.ctrlU);
		await type(rendered, 'studio@esempio.it');
		await press(rendered, KEYS.enter);
		// The first of the five went at 10:00 Italian time (the fixture's clock): the next from 10:15.
		await waitForScreen(rendered, /✗ Hai già ricevuto 5 codici OTP negli ultimi 15 minuti: potrai richiederne un\s+altro dalle 10:15 del 24\/11\/2026 \(ora italiana\)\./);
		expect((await portal.history.reportSettings(session)).email).toBeNull();
		expect((await portal.mailbox.list({kind: 'email'})).filter(message => message.to === 'studio@esempio.it')).toEqual([]);
	});
});
