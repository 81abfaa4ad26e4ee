import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/app.js';
import {demoCopies} from '../helpers/demo-template.js';
import {KEYS, press, resize, screen, type, waitForScreen} from '../helpers/ink.js';
import {logIn, MARIO} from '../helpers/portal.js';
import {overlongLines} from '../helpers/screens.js';

/*
 * "Gestisci il tuo account" (seed 003 §9) at 80×24: the list with the masked recovery values,
 * and "Lingua", which switches the interface at once and is kept with the account.
 */

const demoCopy = demoCopies();
const cleanups: (() => void)[] = [];
afterEach(() => {
	while (cleanups.length > 0) cleanups.pop()!();
});

/** The App opened on "Il tuo account" for MARIO, as if chosen from the user menu. */
async function openAccount() {
	const context = await demoCopy();
	const session = await logIn(context.portal, MARIO.userId, MARIO.password);
	const rendered = render(<App portal={context.portal} language="it" color={false} maxLoginAttempts={5} initialState={{screen: {name: 'account'}, session, overlay: 'none', dashboardSelection: 0}} />);
	cleanups.push(() => rendered.unmount());
	resize(rendered, 80, 24);
	// The values come from the store: wait for the last of them.
	await waitForScreen(rendered, /Dispositivi e sessioni\s+\[apri\]/);
	await waitForScreen(rendered, '+39347*****67');
	return {...context, session, rendered};
}

describe('"Il tuo account" at 80×24', () => {
	it('lists the masked phone and e-mail, MARIO’s secret question, and fits 80 columns', async () => {
		const {rendered} = await openAccount();
		const text = await waitForScreen(rendered, /Domanda Segreta\s+Come si chiamava/);
		expect(text).toContain('Il tuo account');
		expect(text).toMatch(/› Cellulare\s+\+39347\*{5}67\s+\[modifica\]/);
		expect(text).toMatch(/Password\s+•{8}\s+\[modifica\]/);
		expect(text).toMatch(/Indirizzo Email di recupero\s+ma\*{9}@ex\*{5}\.it\s+\[modifica\]/);
		// The question is cut to its column, with an ellipsis; a set question is "modifica", not "inserisci".
		expect(text).toMatch(/Domanda Segreta\s+Come si chiamava il tuo\S*\s*\S*…\s+\[modifica\]/);
		expect(text).toMatch(/Lingua\s+Italiano\s+\[cambia\]/);
		expect(text).toMatch(/Dispositivi e sessioni\s+\[apri\]/);
		for (const group of ['Dati personali', 'Impostazioni di accesso', 'Informazioni di recupero password', 'Preferenze', 'Sicurezza']) {
			expect(text).toContain(group);
		}
		// Neither the full number nor the full address is ever shown.
		expect(text).not.toContain('+393471234567');
		expect(text).not.toContain(MARIO.email);
		expect(overlongLines(rendered.lastFrame() ?? '', 80)).toEqual([]);
		expect(text.split('\n').length).toBeLessThanOrEqual(23);
	});

	it('"Lingua" → English switches the interface at once and keeps English for the next login', async () => {
		const {rendered, portal, session} = await openAccount();
		// Cellulare, Password, Indirizzo Email, Domanda Segreta, Lingua.
		for (let index = 0; index < 4; index++) await press(rendered, KEYS.down);
		await waitForScreen(rendered, '› Lingua');
		await press(rendered, KEYS.enter);
		await waitForScreen(rendered, 'Il tuo account › Lingua');
		await waitForScreen(rendered, /› Lingua\s+\(•\) Italiano \( \) English/);
		await press(rendered, KEYS.right);
		await waitForScreen(rendered, /\( \) Italiano \(•\) English/);
		await press(rendered, KEYS.tab);
		await press(rendered, KEYS.tab);
		await waitForScreen(rendered, '› [ Salva ]');
		await press(rendered, KEYS.enter);

		// At once: the account list in English.
		const english = await waitForScreen(rendered, /Your account\n/);
		expect(english).toMatch(/Language\s+English/);
		expect(english).toContain('Mobile number');
		expect(english).not.toContain('Il tuo account');
		expect(overlongLines(rendered.lastFrame() ?? '', 80)).toEqual([]);
		expect((await portal.certificate.dashboard(session)).language).toBe('en');

		// Kept with the account: a new session of MARIO reads English, and the App applies it after login.
		const next = await logIn(portal, MARIO.userId, MARIO.password);
		expect((await portal.certificate.dashboard(next)).language).toBe('en');
		rendered.unmount();
		const again = render(<App portal={portal} language="it" color={false} maxLoginAttempts={5} />);
		cleanups.push(() => again.unmount());
		resize(again, 80, 24);
		await waitForScreen(again, 'Tentativi rimasti: 5');
		await type(again, MARIO.userId);
		await press(again, KEYS.tab);
		await type(again, MARIO.password);
		await press(again, KEYS.enter);
		await waitForScreen(again, 'Your certificate is Active until');
		expect(screen(again)).toContain('user menu');
	});
});
