import {render} from 'ink-testing-library';
import type {Key} from 'ink';
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/app.js';
import {guideLines, type GuideStep} from '../../source/ui/components/guide-note.js';
import {addKey, addTyped, describeKey, TYPED, typedText} from '../../source/ui/components/keys-shown.js';
import {en} from '../../source/ui/i18n/en.js';
import {translator, type Language} from '../../source/ui/i18n/index.js';
import {it as italian} from '../../source/ui/i18n/it.js';
import type {Screen} from '../../source/ui/state.js';
import {demoCopies} from '../helpers/demo-template.js';
import {KEYS, press, resize, screen, type, waitForScreen} from '../helpers/ink.js';
import {logIn, MARIO} from '../helpers/portal.js';
import {overlongLines} from '../helpers/screens.js';

/*
 * Issue 7, "Presenting": `--guide` (each step says what the official guide says to do there,
 * at the foot of the screen, only where it fits) and `--show-keys` (the last keys pressed in
 * the header, never what is typed into a field).
 */

const LUCA = {userId: 'JCPD5590', password: 'Montagna_19'};

const demoCopy = demoCopies();
const cleanups: (() => void)[] = [];
afterEach(() => {
	while (cleanups.length > 0) cleanups.pop()!();
});

type Rendered = ReturnType<typeof render>;

const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** The App at 80×24 on `screen` (logged in as `holder` when given), with the presenting options. */
async function open(name: Screen['name'], options: {holder?: {userId: string; password: string}; guide?: boolean; showKeys?: boolean; language?: Language} = {}): Promise<Rendered> {
	const context = await demoCopy();
	const session = options.holder ? await logIn(context.portal, options.holder.userId, options.holder.password) : undefined;
	const rendered = render(
		<App
			portal={context.portal}
			language={options.language ?? 'it'}
			color={false}
			maxLoginAttempts={5}
			guide={options.guide ?? false}
			showKeys={options.showKeys ?? false}
			initialState={{screen: {name} as Screen, session, overlay: 'none', dashboardSelection: 0}}
		/>,
	);
	cleanups.push(() => rendered.unmount());
	resize(rendered, 80, 24);
	// The first frame is drawn at ink-testing-library's 100 columns: let the resize take effect
	// before reading any screen.
	await pause(50);
	return rendered;
}

/** The frame fits the terminal: no line over 80 columns, at most 23 lines, the footer last. */
function expectFits(rendered: Rendered): string {
	const frame = rendered.lastFrame() ?? '';
	expect(overlongLines(frame, 80)).toEqual([]);
	const lines = screen(rendered).split('\n');
	expect(lines.length).toBeLessThanOrEqual(23);
	expect(lines.at(-1)).toMatch(/Ctrl\+C|Esc|Invio/);
	return screen(rendered);
}

/** The header line (where --show-keys shows the keys). */
function header(rendered: Rendered): string {
	return screen(rendered).split('\n')[0]!;
}

const CONSENTS_NOTE = /│ Guida: Spunta l’accettazione delle condizioni e la conferma che i tuoi dati\n │ sono invariati, scrivi il PIN di firma e «Conferma»\./;

describe('--guide', () => {
	it('shows the login note at the foot of the login screen, and nothing without the option', async () => {
		const guided = await open('login', {guide: true});
		const text = await waitForScreen(guided, '│ Guida: Scrivi lo User ID');
		expect(text).toMatch(/│ Guida: Scrivi lo User ID \(es\. JCPD…, è nell’e-mail di registrazione\) e la\n │ password scelta all’attivazione, poi «Accedi»\./);
		// The note sits right above the footer.
		expect(text.split('\n').at(-2)).toContain('│ password scelta');
		expectFits(guided);

		const plain = await open('login');
		await waitForScreen(plain, 'Tentativi rimasti: 5');
		await pause(300);
		expect(screen(plain)).not.toContain('Guida');
		expect(screen(plain)).not.toContain('Scrivi lo User ID');
	});

	it('says what to do at the renewal consents step, and at the OTP step after it', async () => {
		const rendered = await open('renewal', {holder: MARIO, guide: true});
		await waitForScreen(rendered, '│ Guida: Controlla la scadenza');
		// "Rinnova firma" is the default choice (its button appears once the renewal window is known).
		await waitForScreen(rendered, '› [ Rinnova firma ]');
		await press(rendered, KEYS.enter);
		const text = await waitForScreen(rendered, CONSENTS_NOTE);
		expect(text).toContain('▼ 1 Consensi (in corso)');
		expect(text).toContain('[ Annulla ]    [ Conferma ]');
		expectFits(rendered);
		await press(rendered, KEYS.space);
		await press(rendered, KEYS.tab);
		await press(rendered, KEYS.space);
		await press(rendered, KEYS.tab);
		await type(rendered, MARIO.pin);
		await press(rendered, KEYS.enter);
		await waitForScreen(rendered, '▼ 2 Conferma l’operazione (in corso)');
		await waitForScreen(rendered, '│ Guida: Inserisci l’OTP (SMS, app o token) per confermare i consensi');
		expectFits(rendered);
	});

	it('says what to do at the PIN change step, and shows no note without the option', async () => {
		const guided = await open('pin', {holder: MARIO, guide: true});
		const text = await waitForScreen(guided, /│ Guida: Scrivi il PIN attuale e il nuovo due volte, poi «Conferma»\. Un PIN\n │ dimenticato non si recupera: serve una nuova firma\./);
		expect(text).toContain('[ Annulla ]    [ Conferma ]');
		expectFits(guided);

		const plain = await open('pin', {holder: MARIO});
		await waitForScreen(plain, 'Tentativi rimasti per il PIN attuale: 3');
		await pause(300);
		expect(screen(plain)).not.toContain('Guida');
	});

	it('speaks English with --lang en', async () => {
		const rendered = await open('pin', {holder: MARIO, guide: true, language: 'en'});
		await waitForScreen(rendered, '│ Guide: Type your current PIN and the new one twice');
		expectFits(rendered);
	});

	it('fits 80×24 on the full screens too, without pushing their controls off', async () => {
		const cases: {name: Screen['name']; holder?: {userId: string; password: string}; control: string | RegExp; note: string}[] = [
			{name: 'dashboard', holder: MARIO, control: '8. Report →', note: 'Questa è la Home'},
			{name: 'dashboard', holder: LUCA, control: '8. Report →', note: 'Il certificato va aggiornato entro la data indicata'},
			{name: 'certificate', holder: MARIO, control: '[ Scarica ]', note: 'Qui trovi stato, date di attivazione'},
			{name: 'replacement', holder: LUCA, control: '▶ 5 Conferma l’operazione', note: 'Fase 1 di 5'},
			{name: 'history', holder: MARIO, control: /Data e ora\s+Documento/, note: 'Restringi l’elenco'},
			{name: 'sign', holder: MARIO, control: '[ Annulla ]    [ Firma ]', note: 'Aggiungi i file'},
			{name: 'otp', holder: MARIO, control: '[ Modifica numero ]', note: 'L’OTP è un codice usa e getta'},
			{name: 'suspension', holder: MARIO, control: '[ Scarica il modulo di revoca ]', note: '«Sospendi» blocca la firma'},
			{name: 'report', holder: MARIO, control: '[ Salva ]', note: 'Indica l’indirizzo e-mail'},
			{name: 'account', holder: MARIO, control: /Dispositivi e sessioni\s+\[apri\]/, note: 'Scegli cosa cambiare'},
			{name: 'recovery', control: '▶ 4 Nuova password', note: 'Scrivi il tuo nome utente'},
			{name: 'userIdRecovery', control: '[ Invia ]', note: 'Inserisci codice fiscale ed e-mail'},
		];
		for (const entry of cases) {
			const rendered = await open(entry.name, {holder: entry.holder, guide: true, showKeys: true});
			await waitForScreen(rendered, entry.control);
			const text = await waitForScreen(rendered, `│ Guida: ${entry.note}`);
			expect(text, entry.name).toMatch(entry.control);
			expectFits(rendered);
			rendered.unmount();
		}
	});

	it('gives way when a message fills the screen: one line cut short, the buttons stay', async () => {
		const rendered = await open('renewal', {holder: MARIO, guide: true});
		await waitForScreen(rendered, '› [ Rinnova firma ]');
		await press(rendered, KEYS.enter);
		await waitForScreen(rendered, CONSENTS_NOTE);
		// "Conferma" without the consents: the refusal takes two more lines.
		await press(rendered, KEYS.up);
		await press(rendered, KEYS.enter);
		await press(rendered, KEYS.tab);
		await press(rendered, KEYS.tab);
		await press(rendered, KEYS.tab);
		await press(rendered, KEYS.enter);
		// The refusal first (a loaded machine may draw the frames in between), then the note cut to one line.
		await waitForScreen(rendered, '✗ Per rinnovare devi accettare le condizioni generali');
		const text = await waitForScreen(rendered, /│ Guida: Spunta l’accettazione .*…\n/);
		expect(text).toContain('[ Annulla ]    [ Conferma ]');
		expect(text).toContain('▶ 4 Conferma l’operazione (da fare)');
		expect(text).not.toContain('sono invariati, scrivi il PIN');
		expectFits(rendered);
	});

	it('puts the note of the QR step beside the code, where there is room', async () => {
		const rendered = await open('otp', {holder: MARIO, guide: true});
		await waitForScreen(rendered, '[ Attiva ]');
		await press(rendered, KEYS.enter);
		const text = await waitForScreen(rendered, /│ Guida: Installa l’app/);
		expect(text).toContain('▶ 2 Conferma l’operazione (da fare)');
		expect(text).toContain('[ Conferma ]');
		expectFits(rendered);
	});

	it('hides the note while the help overlay covers the screen', async () => {
		const rendered = await open('dashboard', {holder: MARIO, guide: true});
		await waitForScreen(rendered, '│ Guida: Questa è la Home');
		await press(rendered, '?');
		await waitForScreen(rendered, 'In questa schermata');
		await pause(300);
		expect(screen(rendered)).not.toContain('Guida:');
		await press(rendered, KEYS.escape);
		await waitForScreen(rendered, '│ Guida: Questa è la Home');
	});

	it('keeps every note to two lines at 80 columns, in both languages', () => {
		for (const language of ['it', 'en'] as const) {
			const t = translator(language);
			const steps = Object.keys(language === 'it' ? italian : en)
				.filter(key => key.startsWith('guide.'))
				.map(key => key.slice('guide.'.length) as GuideStep);
			expect(steps.length).toBeGreaterThan(40);
			for (const step of steps) expect(guideLines(t, step, 78).length, `${language} ${step}`).toBeLessThanOrEqual(2);
		}
	});
});

describe('--show-keys', () => {
	it('shows Tab, Enter and ↓ in the header, the user ID as typed and only "•" for the password', async () => {
		const rendered = await open('login', {showKeys: true});
		await waitForScreen(rendered, 'Tentativi rimasti: 5');
		expect(header(rendered)).toMatch(/Tasti: —$/);
		await type(rendered, MARIO.userId);
		await press(rendered, KEYS.tab);
		await waitForScreen(rendered, /Tasti: JCPD7173 Tab$/m);
		await type(rendered, MARIO.password);
		await waitForScreen(rendered, /Tasti: JCPD7173 Tab •×11$/m);
		// No character of the password anywhere, the header included (the user name stays in its field).
		const text = screen(rendered);
		expect(text).not.toContain(MARIO.password);
		for (const part of ['Giras', 'sole', '&42', '42']) expect(text).not.toContain(part);
		expect(header(rendered)).not.toMatch(/[GA-Za-z]&/);
		await press(rendered, KEYS.down);
		await press(rendered, KEYS.down);
		await waitForScreen(rendered, /Tasti: JCPD7173 Tab •×11 ↓×2$/m);
		await press(rendered, KEYS.enter);
		await waitForScreen(rendered, 'Il tuo certificato è Attivo');
		const logged = await waitForScreen(rendered, /Tasti: JCPD7173 Tab •×11 ↓×2 Invio$/m);
		expect(logged).not.toContain('Girasole');
		expectFits(rendered);
	});

	it('shows a command typed outside fields as itself, and drops the oldest keys', async () => {
		const rendered = await open('dashboard', {holder: MARIO, showKeys: true});
		await waitForScreen(rendered, '1. Certificato di firma');
		await press(rendered, KEYS.down);
		await press(rendered, KEYS.up);
		await press(rendered, 'm');
		await waitForScreen(rendered, /Tasti: ↓ ↑ m$/m);
		await press(rendered, KEYS.escape);
		await press(rendered, KEYS.shiftTab);
		await press(rendered, KEYS.pageDown);
		await press(rendered, KEYS.tab);
		await waitForScreen(rendered, /Tasti: m Esc Maiusc\+Tab PagGiù Tab$/m);
		expectFits(rendered);
	});

	it('hides the characters that follow, in one burst, the key that moves into a field', async () => {
		const rendered = await open('pin', {holder: MARIO, showKeys: true});
		await waitForScreen(rendered, 'Tentativi rimasti per il PIN attuale: 3');
		// From "Mostra PIN" (no field), Shift+Tab back into "Conferma il nuovo PIN" and type at once.
		for (let index = 0; index < 3; index++) await press(rendered, KEYS.tab);
		await waitForScreen(rendered, /› \[ \] Mostra PIN/);
		rendered.stdin.write(`${KEYS.shiftTab}2468`);
		await waitForScreen(rendered, /Tasti: .*Maiusc\+Tab •×4$/m);
		// Exactly: the four digits went into the field and count as four "•".
		expect(header(rendered)).toMatch(/ Tasti: Tab×3 Maiusc\+Tab •×4$/);
		expect(screen(rendered)).not.toContain('2468');
	});
});

describe('describeKey', () => {
	const t = translator('it');
	const key = (flags: Partial<Key> = {}) => ({upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false, ...flags}) as Key;

	it('names the keys, and shows anything typed into a field as "•", a space included', () => {
		expect(describeKey(t, '', key({return: true}), true)).toBe('Invio');
		expect(describeKey(t, '', key({tab: true, shift: true}), false)).toBe('Maiusc+Tab');
		expect(describeKey(t, '', key({delete: true}), true)).toBe('Backspace');
		expect(describeKey(t, '', key({escape: true}), true)).toBe('Esc');
		expect(describeKey(t, 'c', key({ctrl: true}), true)).toBe('Ctrl+C');
		expect(describeKey(t, ' ', key(), false)).toBe('Spazio');
		expect(describeKey(t, ' ', key(), true)).toBe('•');
		expect(describeKey(t, 'a', key(), true)).toBe('•');
		expect(describeKey(t, 'paste of text', key(), true)).toBe('•');
		expect(addKey([], '•', [...'paste of text'].length)).toEqual([{label: '•', count: 13}]);
		expect(describeKey(t, '?', key(), false)).toBe('?');
		expect(describeKey(t, '\u001b[2J', key(), false)).toBeUndefined();
	});

	it('shows what is typed into a field that is not secret, made safe, joined and cut to its last characters', () => {
		expect(describeKey(t, 'a', key(), true, false)).toBe(TYPED);
		expect(describeKey(t, 'a', key(), true, true)).toBe('•');
		expect(describeKey(t, 'a', key(), true)).toBe('•');
		expect(typedText('24/12/2026')).toBe('24/12/2026');
		expect(typedText('a b')).toBe('a␣b');
		expect(typedText('x\u001b[2Jy')).not.toContain('\u001b');
		let shown: {label: string; count: number; typed?: boolean}[] = addKey([], 'Tab');
		for (const character of 'documents/contratto.pdf') shown = addTyped(shown, character);
		expect(shown).toEqual([{label: 'Tab', count: 1}, {label: '…contratto.pdf', count: 1, typed: true}]);
		shown = addKey(shown, 'Tab');
		shown = addTyped(shown, '0');
		expect(shown.map(entry => entry.label)).toEqual(['Tab', '…contratto.pdf', 'Tab', '0']);
	});

	it('counts a repeated key and keeps the last five', () => {
		let shown: {label: string; count: number}[] = [];
		for (const label of ['a', 'Tab', '•', '•', '•', '↓', 'Invio', 'Esc']) shown = addKey(shown, label);
		expect(shown).toEqual([
			{label: 'Tab', count: 1},
			{label: '•', count: 3},
			{label: '↓', count: 1},
			{label: 'Invio', count: 1},
			{label: 'Esc', count: 1},
		]);
	});
});
