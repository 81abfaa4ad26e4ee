import {render} from 'ink-testing-library';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import type {Portal} from '../../source/core/portal.js';
import {App} from '../../source/ui/app.js';
import type {Language} from '../../source/ui/i18n/index.js';
import {KEYS, press, resize, screen, type, waitForScreen} from '../helpers/ink.js';
import {GIULIA, MARIO, demoPortal, lastSmsCode} from '../helpers/portal.js';

/**
 * Every screen and dialog in screen-reader mode, as Ink draws it with INK_SCREEN_READER=true
 * (what `--screen-reader` sets): linear text, no box-drawing or block characters, every control
 * announced by its role and a label, the control in use named in words, a step dialog saying
 * "Passo N di M", results and errors in words.
 */
beforeAll(() => {
	process.env['INK_SCREEN_READER'] = 'true';
	return () => delete process.env['INK_SCREEN_READER'];
});

const cleanups: (() => void)[] = [];
afterEach(() => {
	while (cleanups.length > 0) cleanups.pop()!();
});

const ROLES = ['button', 'textbox', 'checkbox', 'radiogroup', 'menu', 'menuitem', 'list', 'listitem', 'table', 'option', 'tab'];
const ROLE_LINE = new RegExp(`^(?:\\((?:[a-z, ]+)\\) )?(${ROLES.join('|')}): (.*)$`);
const FOCUS = {it: 'Selezionato:', en: 'Selected:'} as const;

type Rendered = ReturnType<typeof render>;

interface Walk {
	rendered: Rendered;
	portal: Portal;
	/** The frames seen, each checked: what was wrong with any of them. */
	problems: string[];
	frames: number;
	look: (where: string, options?: {focus?: boolean}) => Promise<string>;
}

/** Waits until the frame has stayed the same for 40 ms (keys are delivered one per timer tick, loads are asynchronous). */
async function settled(rendered: Rendered): Promise<void> {
	let last = rendered.lastFrame();
	let still = 0;
	for (let waited = 0; waited < 3000 && still < 4; waited += 10) {
		await new Promise(resolve => setTimeout(resolve, 10));
		const now = rendered.lastFrame();
		still = now === last ? still + 1 : 0;
		last = now;
	}
}

async function startWalk(language: Language = 'it'): Promise<Walk> {
	const context = await demoPortal();
	cleanups.push(context.remove);
	const rendered = render(<App portal={context.portal} language={language} color={false} maxLoginAttempts={5} />);
	cleanups.push(() => rendered.unmount());
	resize(rendered, 80, 24);
	const walk: Walk = {
		rendered,
		portal: context.portal,
		problems: [],
		frames: 0,
		async look(where, {focus = true} = {}) {
			await settled(rendered);
			const text = screen(rendered);
			walk.frames++;
			walk.problems.push(...frameProblems(text, language, focus).map(problem => `${where}: ${problem}\n${text}`));
			return text;
		},
	};
	return walk;
}

/** What is wrong with one screen-reader frame. */
function frameProblems(text: string, language: Language, focusExpected: boolean): string[] {
	const problems: string[] = [];
	const drawing = /[\u2500-\u259F]/u.exec(text);
	if (drawing) problems.push(`box-drawing character ${JSON.stringify(drawing[0])}`);
	for (const line of text.split('\n')) {
		const role = ROLE_LINE.exec(line.trim());
		if (!role) continue;
		const label = role[2]!.replace(FOCUS[language], '').replace(/[[\]()•*\s:_-]/g, '');
		if (label.length < 2) problems.push(`${role[1]} without a label: ${JSON.stringify(line)}`);
	}
	const focused = text.split(FOCUS[language]).length - 1;
	if (focused > 1) problems.push(`${focused} controls announced as selected`);
	if (focusExpected && focused === 0) problems.push('no control announced as selected');
	return problems;
}

async function until(walk: Walk, expected: string | RegExp, where: string, options?: {focus?: boolean}): Promise<string> {
	await waitForScreen(walk.rendered, expected);
	return await walk.look(where, options);
}

async function logIn(walk: Walk, holder: {userId: string; password: string}): Promise<void> {
	await type(walk.rendered, holder.userId);
	await press(walk.rendered, KEYS.tab);
	await type(walk.rendered, holder.password);
	await press(walk.rendered, KEYS.enter);
}

/** A walk logged in as `holder`, on the dashboard. */
async function dashboardWalk(holder: {userId: string; password: string}): Promise<Walk> {
	const walk = await startWalk();
	await until(walk, 'textbox:', 'login');
	await logIn(walk, holder);
	await until(walk, 'Cronologia firme', 'dashboard');
	return walk;
}

/** Tab through a screen's controls, looking at each. */
async function tabAround(walk: Walk, where: string, times: number, options?: {focus?: boolean}): Promise<void> {
	for (let index = 0; index < times; index++) {
		await press(walk.rendered, KEYS.tab);
		await walk.look(`${where}, Tab ${index + 1}`, options);
	}
}

describe('screen-reader mode', () => {
	it('login, password and user-ID recovery: every field says its label and what it holds, a masked one only how many characters', async () => {
		const walk = await startWalk();
		const first = await until(walk, 'textbox:', 'login');
		expect(first).toMatch(/textbox: Selezionato: Indirizzo e-mail o nome utente: vuoto/);
		await type(walk.rendered, MARIO.userId);
		expect(await walk.look('login, user typed')).toContain(`Indirizzo e-mail o nome utente: ${MARIO.userId}`);
		await press(walk.rendered, KEYS.tab);
		await type(walk.rendered, 'Segreta1!');
		const masked = await walk.look('login, password typed');
		expect(masked).toContain('Password: 9 caratteri nascosti');
		expect(masked).not.toContain('Segreta1!');
		await tabAround(walk, 'login', 6);
		// "Hai dimenticato la password?" is the fourth control after the password.
		await press(walk.rendered, KEYS.shiftTab);
		await press(walk.rendered, KEYS.shiftTab);
		await press(walk.rendered, KEYS.enter);
		await until(walk, /Recupera|password/i, 'password recovery');
		await tabAround(walk, 'password recovery', 4);
		await press(walk.rendered, KEYS.escape);
		await until(walk, 'textbox:', 'back at login');
		expect(walk.problems).toEqual([]);
	});

	it('a wrong password is announced as an error in words', async () => {
		const walk = await startWalk();
		await until(walk, 'textbox:', 'login');
		await logIn(walk, {userId: MARIO.userId, password: 'Sbagliata1!'});
		const refused = await until(walk, 'Errore:', 'wrong password');
		expect(refused).toMatch(/Errore: .*password/i);
		expect(walk.problems).toEqual([]);
	});

	it('dashboard, user menu, help and glossary: the card in use is named, the menu lists its items', async () => {
		const walk = await startWalk();
		await until(walk, 'textbox:', 'login');
		await logIn(walk, MARIO);
		const dashboard = await until(walk, 'Cronologia firme', 'dashboard');
		expect(dashboard).toMatch(/button: Selezionato: 1\. Certificato di firma/);
		for (let index = 2; index <= 8; index++) {
			await press(walk.rendered, KEYS.down);
			expect(await walk.look(`dashboard, card ${index}`)).toMatch(new RegExp(`Selezionato: ${index}\\.`));
		}
		await press(walk.rendered, 'm');
		const menu = await until(walk, 'Esci', 'user menu');
		expect(menu).toMatch(/Selezionato: 1\. Gestisci il tuo account/);
		await press(walk.rendered, KEYS.escape);
		await press(walk.rendered, '?');
		await until(walk, /Tasti|Keys|Aiuto/, 'help', {focus: false});
		await press(walk.rendered, KEYS.tab);
		await until(walk, 'ERC', 'glossary', {focus: false});
		await press(walk.rendered, KEYS.escape);
		await until(walk, 'Cronologia firme', 'dashboard again');
		expect(walk.problems).toEqual([]);
	});

	it('every card screen, Tab through all its controls', async () => {
		const walk = await dashboardWalk(GIULIA);
		for (let card = 1; card <= 8; card++) {
			await press(walk.rendered, String(card));
			// Some screens have nothing to choose (a renewal not yet open): no control needs to be selected.
			await walk.look(`card ${card}`, {focus: false});
			await tabAround(walk, `card ${card}`, 8, {focus: false});
			await press(walk.rendered, KEYS.escape);
			// A screen with typed data asks first; "No" is the default, so answer "Sì".
			if (screen(walk.rendered).includes('Annullare l’operazione?')) {
				await walk.look(`card ${card}, discard prompt`);
				await press(walk.rendered, KEYS.tab);
				await press(walk.rendered, KEYS.enter);
			}
			// The dashboard with the card just left selected (card 7's own screen is titled "Cronologia firme" too).
			await until(walk, new RegExp(`button: Selezionato: ${card}\\. `), `dashboard after card ${card}`);
		}
		expect(walk.frames).toBeGreaterThan(70);
		expect(walk.problems).toEqual([]);
	});

	it('renewal step by step: "Passo N di 4" announced, the OTP field and the result in words', async () => {
		const walk = await dashboardWalk(MARIO);
		await press(walk.rendered, '3');
		await until(walk, 'Rinnova', 'renewal');
		await press(walk.rendered, KEYS.enter);
		const consents = await until(walk, 'Passo 1 di 4', 'renewal step 1');
		expect(consents).toContain('Passo 1 di 4: Consensi');
		await press(walk.rendered, KEYS.space);
		await press(walk.rendered, KEYS.tab);
		await press(walk.rendered, KEYS.space);
		await press(walk.rendered, KEYS.tab);
		await type(walk.rendered, MARIO.pin);
		expect(await walk.look('renewal PIN typed')).toMatch(/8 caratteri nascosti/);
		await press(walk.rendered, KEYS.enter);
		await until(walk, 'Passo 2 di 4', 'renewal step 2');
		await type(walk.rendered, await lastSmsCode(walk.portal, MARIO.userId));
		await press(walk.rendered, KEYS.enter);
		await until(walk, 'Passo 3 di 4', 'renewal step 3');
		await type(walk.rendered, '11223344');
		await press(walk.rendered, KEYS.enter);
		await type(walk.rendered, '11223344');
		await press(walk.rendered, KEYS.enter);
		await until(walk, 'Passo 4 di 4', 'renewal step 4');
		await type(walk.rendered, await lastSmsCode(walk.portal, MARIO.userId));
		await press(walk.rendered, KEYS.enter);
		const done = await until(walk, 'rinnovato', 'renewal done');
		expect(done).toMatch(/Completato: .*rinnovato/);
		expect(walk.problems).toEqual([]);
	});

	it('the account page and each of its editors; closing one returns to the item it was opened from', async () => {
		const walk = await dashboardWalk(MARIO);
		await press(walk.rendered, 'm');
		await until(walk, 'Esci', 'user menu');
		await press(walk.rendered, KEYS.enter);
		const account = await until(walk, 'Lingua', 'account');
		const items = account.split('\n').filter(line => line.startsWith('button:')).length;
		expect(items).toBeGreaterThan(5);
		const selected = (text: string) => text.split('\n').find(line => line.includes('Selezionato:'));
		for (let item = 0; item < items; item++) {
			const before = selected(await walk.look(`account item ${item + 1}`));
			await press(walk.rendered, KEYS.enter);
			await walk.look(`account editor ${item + 1}`);
			await tabAround(walk, `account editor ${item + 1}`, 5);
			await press(walk.rendered, KEYS.escape);
			if (screen(walk.rendered).includes('Annullare l’operazione?')) {
				await press(walk.rendered, KEYS.tab);
				await press(walk.rendered, KEYS.enter);
			}
			// Focus comes back to the item the editor was opened from.
			expect(selected(await until(walk, 'Lingua', `account after editor ${item + 1}`))).toBe(before);
			await press(walk.rendered, KEYS.down);
		}
		expect(walk.problems).toEqual([]);
	});

	it('the QR code is not drawn: its label says to use the written key, which is read out', async () => {
		const walk = await dashboardWalk(MARIO);
		await press(walk.rendered, '2');
		await until(walk, 'button: Selezionato: Attiva', 'OTP codes');
		await press(walk.rendered, KEYS.enter);
		const activation = await until(walk, 'non disponibile qui', 'app activation');
		expect(activation).toMatch(/Passo 1 di 2/);
		expect(activation).toMatch(/\b[A-Z2-7]{4} [A-Z2-7]{4} [A-Z2-7]{4} [A-Z2-7]{4}\b/);
		expect(walk.problems).toEqual([]);
	});

	it('the other dialogs: app login, user-ID recovery, PIN change OTP step, suspension form, phone change, the discard prompt', async () => {
		const walk = await startWalk();
		await until(walk, 'textbox:', 'login');
		// Login's controls: user, password, show, Accedi, app, forgot password, forgot user ID.
		// Back from each, the focus is on the button that opened it.
		for (const [tabs, where, button] of [[4, 'app login', 'Accedi con l’app'], [2, 'user-ID recovery', 'Ho dimenticato lo User ID']] as const) {
			for (let index = 0; index < tabs; index++) await press(walk.rendered, KEYS.tab);
			await press(walk.rendered, KEYS.enter);
			await walk.look(where, {focus: false});
			await tabAround(walk, where, 3, {focus: false});
			await press(walk.rendered, KEYS.escape);
			await until(walk, `button: Selezionato: ${button}`, `login after ${where}`);
		}
		await press(walk.rendered, KEYS.tab);
		await until(walk, 'textbox: Selezionato: Indirizzo', 'login, back to the first field');
		await logIn(walk, MARIO);
		await until(walk, 'Cronologia firme', 'dashboard');

		await press(walk.rendered, '4');
		await until(walk, 'Passo 1 di 2', 'PIN change');
		await type(walk.rendered, `${MARIO.pin}\r11223344\r11223344\r`);
		await until(walk, 'Passo 2 di 2', 'PIN change, OTP step');
		await type(walk.rendered, '1234');
		await press(walk.rendered, KEYS.escape);
		const prompt = await until(walk, 'Annullare l’operazione?', 'discard prompt');
		expect(prompt).toMatch(/button: Selezionato: No/);
		await press(walk.rendered, KEYS.tab);
		await press(walk.rendered, KEYS.enter);
		await until(walk, 'Cronologia firme', 'dashboard after the PIN change');

		await press(walk.rendered, '5');
		await until(walk, 'button: Selezionato: Sospendi', 'suspension');
		await press(walk.rendered, KEYS.enter);
		await until(walk, 'IUT', 'suspension form');
		await tabAround(walk, 'suspension form', 6);
		// Esc goes back one level: the suspension page, on the button that opened the form.
		await press(walk.rendered, KEYS.escape);
		await until(walk, 'button: Selezionato: Sospendi', 'suspension after the form');
		await press(walk.rendered, KEYS.escape);
		await until(walk, 'Cronologia firme', 'dashboard after the suspension form');

		await press(walk.rendered, '2');
		await until(walk, 'button: Selezionato: Attiva', 'OTP codes');
		await press(walk.rendered, KEYS.down);
		await press(walk.rendered, KEYS.enter);
		await until(walk, 'Passo 1 di', 'phone change');
		await tabAround(walk, 'phone change', 4);
		expect(walk.problems).toEqual([]);
	});

	it('speaks English with --lang en', async () => {
		const walk = await startWalk('en');
		const login = await until(walk, 'textbox:', 'login');
		expect(login).toMatch(/textbox: Selected: .*: empty/);
		await logIn(walk, MARIO);
		const dashboard = await until(walk, 'Signature history', 'dashboard');
		expect(dashboard).toMatch(/button: Selected: 1\./);
		expect(walk.problems).toEqual([]);
	});
});
