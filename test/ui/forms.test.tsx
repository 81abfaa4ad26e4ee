import {render} from 'ink-testing-library';
import type {Key} from 'ink';
import {afterEach, describe, expect, it} from 'vitest';
import type {Portal, Session} from '../../source/core/portal.js';
import {formReducer, initialForm, type Control, type FormState} from '../../source/ui/components/form.js';
import {OtpStep} from '../../source/ui/components/otp-step.js';
import {SpokenField} from '../../source/ui/components/controls.js';
import {App} from '../../source/ui/app.js';
import {UiContext} from '../../source/ui/context.js';
import {DEFAULT_DISPLAY} from '../../source/ui/display.js';
import {KeyRouter} from '../../source/ui/hooks/key-router.js';
import {NO_KEY} from '../../source/ui/hooks/key-burst.js';
import {translator} from '../../source/ui/i18n/index.js';
import type {Screen} from '../../source/ui/state.js';
import {demoCopies} from '../helpers/demo-template.js';
import {KEYS, press, resize, screen, type, waitForScreen} from '../helpers/ink.js';
import {GIULIA, lastSmsCode, logIn, MARIO} from '../helpers/portal.js';
import {storeOf, challengesOf} from '../helpers/internals.js';

/*
 * The form fixes of issue 18: an error goes as soon as the field is edited (in the shared form
 * reducer, so in every form); a refused new password stays, masked, with its reason; an empty or
 * short OTP says what is wrong and costs no attempt; ←/→ change the OTP channel; m opens the
 * user menu on every screen whose header says so, and types m in a text field.
 */

const demoCopy = demoCopies();
const cleanups: (() => void)[] = [];
afterEach(() => {
	while (cleanups.length > 0) cleanups.pop()!();
});


describe('the form reducer: an old error goes when the field is edited', () => {
	const controls: readonly Control[] = [
		{kind: 'text', name: 'value', max: 20},
		{kind: 'button', name: 'confirm'},
	];
	const reduce = formReducer(controls, 'confirm');
	const refused = (): FormState => reduce(reduce(initialForm(controls), {type: 'set', name: 'value', value: 'abc'}), {type: 'done', message: {kind: 'error', key: 'errors.unexpected', text: 'Rifiutato'}});
	const key = (form: FormState, input: string, pressed: Partial<Key> = {}) => reduce(form, {type: 'key', input, key: {...NO_KEY, ...pressed}});

	it('typing, deleting and emptying the field each clear it; the value is kept and edited', () => {
		expect(refused().message?.text).toBe('Rifiutato');
		const typed = key(refused(), 'd');
		expect(typed.message).toBeUndefined();
		expect(typed.fields['value']!.value).toBe('abcd');
		expect(key(refused(), '', {backspace: true}).message).toBeUndefined();
		expect(key(refused(), 'u', {ctrl: true}).message).toBeUndefined();
	});

	it('moving the caret, Home/End and a refused character keep it (nothing was changed)', () => {
		expect(key(refused(), '', {leftArrow: true}).message?.text).toBe('Rifiutato');
		expect(key(refused(), '', {home: true}).message?.text).toBe('Rifiutato');
		// Backspace at the start deletes nothing.
		expect(key(key(refused(), '', {home: true}), '', {backspace: true}).message?.text).toBe('Rifiutato');
	});

	it('a notice that is not an error stays while typing', () => {
		const noticed = reduce(initialForm(controls), {type: 'done', message: {kind: 'info', key: 'otpInput.resent'}});
		expect(key(noticed, '1').message?.key).toBe('otpInput.resent');
	});
});

function renderApp(portal: Portal, session: Session, screenName: Screen['name']) {
	const rendered = render(<App portal={portal} language="it" color={false} maxLoginAttempts={5} initialState={{screen: {name: screenName} as Screen, session, overlay: 'none', dashboardSelection: 0}} />);
	cleanups.push(() => rendered.unmount());
	resize(rendered, 80, 24);
	return rendered;
}

describe('"Modifica password": a refused new password', () => {
	it('stays in both fields, masked, with the reason, until the holder types again', async () => {
		const {portal} = await demoCopy();
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		const rendered = renderApp(portal, session, 'account');
		await waitForScreen(rendered, /Dispositivi e sessioni\s+\[apri\]/);
		await press(rendered, KEYS.down);
		await waitForScreen(rendered, /› Password\s+•{8}\s+\[modifica\]/);
		await press(rendered, KEYS.enter);
		await waitForScreen(rendered, /› Password attuale\s+\[/);
		await type(rendered, MARIO.password);
		await press(rendered, KEYS.enter);
		// "Password1!" meets the six rules but is the most common password there is.
		await type(rendered, 'Password1!');
		await press(rendered, KEYS.enter);
		await type(rendered, 'Password1!');
		await press(rendered, KEYS.enter);
		const refusedScreen = await waitForScreen(rendered, 'La nuova password non rispetta le regole');
		expect(refusedScreen).toMatch(/› Nuova password\s+\[•{10}/);
		expect(refusedScreen).toMatch(/Conferma la nuova password\s+\[•{10}\]/);
		expect(refusedScreen).toContain('✗ Password troppo comune o prevedibile');
		expect(refusedScreen).not.toContain('Password1!');

		// One more character: the old error goes; the field keeps what was there.
		await type(rendered, 'x');
		await waitForScreen(rendered, /› Nuova password\s+\[•{11}/);
		expect(screen(rendered)).not.toContain('La nuova password non rispetta le regole');
		expect((await portal.sessions.login(MARIO.userId, MARIO.password)).kind).toBe('success');
	});
});

describe('OtpStep: an empty or short code', () => {
	it('says the code has 8 digits, keeps the field, and spends no attempt (on screen and in the store)', async () => {
		const {portal} = await demoCopy();
		const session = await logIn(portal, GIULIA.userId, GIULIA.password);
		const sms = await challengesOf(portal).start({userId: GIULIA.userId, operation: 'op', data: {}, channel: 'sms'});
		const rendered = render(
			<UiContext.Provider value={{portal, language: 'it', color: false, display: DEFAULT_DISPLAY, t: translator('it')}}>
				<KeyRouter>
					<OtpStep
						active
						challenge={sms}
						confirmLabel="Conferma"
						onConfirm={code => challengesOf(portal).confirm({challengeId: sms.id, userId: GIULIA.userId, operation: 'op', data: {}, code})}
						onResend={() => portal.otp.resend(session, sms.id)}
						onRestart={() => undefined}
						onCancel={() => undefined}
					/>
				</KeyRouter>
			</UiContext.Provider>,
		);
		cleanups.push(() => rendered.unmount());
		await waitForScreen(rendered, 'Tentativi rimasti: 5');
		await press(rendered, KEYS.enter);
		await waitForScreen(rendered, 'Il codice OTP ha 8 cifre');
		expect(screen(rendered)).not.toContain('Codice OTP errato');
		await type(rendered, '123');
		// Typing took the error away.
		expect(screen(rendered)).not.toContain('Il codice OTP ha 8 cifre');
		await press(rendered, KEYS.enter);
		const short = await waitForScreen(rendered, 'Il codice OTP ha 8 cifre: controllalo e riprova (nessun tentativo è stato usato).');
		expect(short).toContain('Tentativi rimasti: 5');
		expect(short).toMatch(/┃ 123 /);
		expect((await portal.otp.challengeState(session, sms.id)).attemptsLeft).toBe(5);
	});
});

describe('"Codici OTP": ← / → change the channel that confirms operations', () => {
	it('moves the choice and saves it, both ways with wrap-around; elsewhere on the screen they do nothing', async () => {
		const {portal} = await demoCopy();
		const session = await logIn(portal, GIULIA.userId, GIULIA.password);
		const before = (await portal.otp.overview(session)).preferred;
		const rendered = renderApp(portal, session, 'otp');
		await waitForScreen(rendered, 'Canale per confermare le operazioni');
		// On "Modifica numero" ←/→ change nothing.
		await press(rendered, KEYS.right);
		await new Promise(resolve => setTimeout(resolve, 100));
		expect((await portal.otp.overview(session)).preferred).toBe(before);
		await press(rendered, KEYS.down);
		await waitForScreen(rendered, /› \(.\) SMS/);
		await press(rendered, KEYS.right);
		await waitForScreen(rendered, /› \(•\) App MyInfoCert \(in uso\)/);
		expect((await portal.otp.overview(session)).preferred).toBe('app');
		await press(rendered, KEYS.right);
		await waitForScreen(rendered, /› \(•\) SMS \(in uso\)/);
		expect((await portal.otp.overview(session)).preferred).toBe('sms');
		await press(rendered, KEYS.left);
		await waitForScreen(rendered, /› \(•\) App MyInfoCert \(in uso\)/);
		expect((await portal.otp.overview(session)).preferred).toBe('app');
	});
});

describe('m: the user menu wherever the header says "menu utente: m"', () => {
	it.for(['certificate', 'otp', 'pin', 'history', 'account'] as const)('opens it on %s', async name => {
		const {portal} = await demoCopy();
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		const rendered = renderApp(portal, session, name);
		await waitForScreen(rendered, '(menu utente: m)');
		// Out of the first text field of "Modifica PIN" and the history's filter (m would be typed there, see below).
		if (name === 'history' || name === 'pin') await press(rendered, KEYS.shiftTab);
		await new Promise(resolve => setTimeout(resolve, 50));
		await press(rendered, 'm');
		const menu = await waitForScreen(rendered, 'Menu utente');
		expect(menu).toContain('Gestisci il tuo account');
		await press(rendered, KEYS.escape);
		await waitForScreen(rendered, /^(?![\s\S]*Menu utente)/);
	});

	it('types m in a text field instead (the path of "Firma documenti")', async () => {
		const {portal} = await demoCopy();
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		const rendered = renderApp(portal, session, 'sign');
		await waitForScreen(rendered, /› Percorso del documento/);
		await type(rendered, 'mm');
		const typed = await waitForScreen(rendered, /\[mm/);
		expect(typed).not.toContain('Menu utente');
		// Out of the field (on a button), m opens the menu.
		await press(rendered, KEYS.shiftTab);
		await waitForScreen(rendered, /^(?![\s\S]*› Percorso del documento)/);
		await press(rendered, 'm');
		await waitForScreen(rendered, 'Menu utente');
	});

	it('the first access\'s new password shows the name without the hint, and m there is typed', async () => {
		const {portal} = await demoCopy();
		await storeOf(portal).update(db => {
			db.holders.find(holder => holder.userId === MARIO.userId)!.mustChangePassword = true;
		});
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		const rendered = renderApp(portal, session, 'forcedPassword');
		await waitForScreen(rendered, /› Password attuale\s+\[/);
		await waitForScreen(rendered, 'MARIO ROSSI');
		expect(screen(rendered)).not.toContain('menu utente');
		await type(rendered, 'm');
		await waitForScreen(rendered, /› Password attuale\s+\[•/);
		await press(rendered, KEYS.tab);
		await press(rendered, KEYS.tab);
		await press(rendered, KEYS.tab);
		await press(rendered, 'm');
		await new Promise(resolve => setTimeout(resolve, 100));
		expect(screen(rendered)).not.toContain('Menu utente');
	});
});

describe('a masked field as a screen reader hears it', () => {
	it.for([
		['it', 1, 'Password: 1 carattere nascosto'],
		['it', 2, 'Password: 2 caratteri nascosti'],
		['en', 1, 'Password: 1 character hidden'],
		['en', 9, 'Password: 9 characters hidden'],
	] as const)('%s, %i characters: "%s"', async ([language, length, expected]) => {
		const {portal} = await demoCopy();
		const rendered = render(
			<UiContext.Provider value={{portal, language, color: false, display: {...DEFAULT_DISPLAY, screenReader: true}, t: translator(language)}}>
				<SpokenField label="Password" field={{value: 'x'.repeat(length), cursor: length}} focused={false} masked />
			</UiContext.Provider>,
		);
		cleanups.push(() => rendered.unmount());
		expect(screen(rendered).trim()).toBe(expected);
	});
});

describe('"Hai dimenticato la password?"', () => {
	it('a short code says it has 8 digits, stays, and costs nothing; the current password is refused as the new one, and stays', async () => {
		const {portal} = await demoCopy();
		const rendered = render(<App portal={portal} language="it" color={false} maxLoginAttempts={5} initialState={{screen: {name: 'recovery'}, session: undefined, overlay: 'none', dashboardSelection: 0}} />);
		cleanups.push(() => rendered.unmount());
		resize(rendered, 80, 24);
		await waitForScreen(rendered, /› Indirizzo e-mail o nome utente/);
		await type(rendered, MARIO.userId);
		await press(rendered, KEYS.enter);
		await waitForScreen(rendered, 'abbiamo inviato un codice via SMS');
		await type(rendered, '123');
		await press(rendered, KEYS.enter);
		const short = await waitForScreen(rendered, 'Il codice OTP ha 8 cifre');
		expect(short).toMatch(/\[123/);
		const challenge = (await storeOf(portal).read()).challenges.find(entry => entry.userId === MARIO.userId && entry.operation === 'account.recoverPassword');
		expect(challenge?.failures).toBe(0);
		await press(rendered, KEYS.ctrlU);
		await type(rendered, await lastSmsCode(portal, MARIO.userId));
		await press(rendered, KEYS.enter);
		// The right code after a short one: no attempt was used, and it goes on.
		await waitForScreen(rendered, /› Risposta segreta/);
		await type(rendered, 'Fido');
		await press(rendered, KEYS.enter);
		await waitForScreen(rendered, /› Nuova password\s+\[/);
		await type(rendered, MARIO.password);
		await press(rendered, KEYS.enter);
		await type(rendered, MARIO.password);
		await press(rendered, KEYS.enter);
		const same = await waitForScreen(rendered, 'La nuova password deve essere diversa da quella attuale.');
		expect(same).toMatch(/› Nuova password\s+\[•{11}/);
		expect((await portal.sessions.login(MARIO.userId, MARIO.password)).kind).toBe('success');
	});
});
