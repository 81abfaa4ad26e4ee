import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {PASSWORD_RULES, type PasswordContext} from '../../source/core/account/password-policy.js';
import {Portal} from '../../source/core/portal.js';
import {PasswordChecklist} from '../../source/ui/components/password-form.js';
import {App} from '../../source/ui/app.js';
import {UiContext} from '../../source/ui/context.js';
import {translator, type MessageKey} from '../../source/ui/i18n/index.js';
import {demoCopies} from '../helpers/demo-template.js';
import {KEYS, press, resize, screen, type, waitForScreen} from '../helpers/ink.js';
import {contextOf, MARIO_CONTEXT, PASSWORD_BUG_CASES, PASSWORD_CASES, type PasswordCase} from '../helpers/password-cases.js';
import {logIn, MARIO} from '../helpers/portal.js';
import {overlongLines} from '../helpers/screens.js';

/*
 * The live checklist under "Nuova password" (seed 003 §9.1): for every candidate of the shared
 * table its ✓/✗ marks are exactly what Portal.checkPassword says, and the refusal line shows
 * exactly when the verdict carries a refusal. Then "Modifica password" through the account screen.
 */

const t = translator('it');

const RULE_LABELS: Record<(typeof PASSWORD_RULES)[number], MessageKey> = {
	length: 'password.rule.length',
	upper: 'password.rule.upper',
	lower: 'password.rule.lower',
	digit: 'password.rule.digit',
	special: 'password.rule.special',
	noTriple: 'password.rule.noTriple',
};

/** The checklist needs only the translator and the portal's pure password rules: any other use of the portal fails the test. */
const PURE_RULES: Partial<Portal['account']> = {checkPassword: (password, context) => Portal.checkPassword(password, context), passwordSpecials: Portal.passwordSpecials};
const NO_PORTAL = new Proxy({account: PURE_RULES} as Partial<Portal>, {
	get(target, property) {
		if (property !== 'account') throw new Error(`the checklist used portal.${String(property)}`);
		return new Proxy(PURE_RULES, {
			get(rules, name) {
				if (name in rules) return rules[name as keyof typeof rules];
				throw new Error(`the checklist used portal.account.${String(name)}`);
			},
		});
	},
}) as Portal;

function renderChecklist(password: string, context: PasswordContext) {
	const rendered = render(
		<UiContext.Provider value={{portal: NO_PORTAL, language: 'it', color: false, t}}>
			<PasswordChecklist password={password} context={context} />
		</UiContext.Provider>,
	);
	resize(rendered, 80, 24);
	return rendered;
}

/** `text` with its runs of white space made one space: a wrapped line reads as one. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

/** A case's title: what it shows, kept to one printable line. */
function title(entry: PasswordCase): string {
	const shown = entry.password.length > 24 ? `${entry.password.slice(0, 12)}… (${entry.password.length})` : entry.password;
	return `${JSON.stringify(shown)}: ${entry.why}`;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
	while (cleanups.length > 0) cleanups.pop()!();
});

describe('PasswordChecklist agrees with Portal.checkPassword', () => {
	const cases: PasswordCase[] = [
		...PASSWORD_CASES,
		// Agreement, not correctness: the cases the policy gets wrong today are shown as it decides them.
		...PASSWORD_BUG_CASES,
		{password: '', ok: false, rules: {length: false, upper: false, lower: false, digit: false, special: false}, why: 'nothing typed yet: no refusal line'},
	];

	it.for(cases.map(entry => [title(entry), entry] as const))('%s', ([, entry]) => {
		const context = contextOf(entry);
		const verdict = Portal.checkPassword(entry.password, context);
		const rendered = renderChecklist(entry.password, context);
		cleanups.push(() => rendered.unmount());
		const frame = screen(rendered);

		// Each of the 6 rules once, marked ✓ when met and ✗ when not.
		for (const rule of PASSWORD_RULES) {
			const label = t(RULE_LABELS[rule]);
			const marks = [...frame.matchAll(new RegExp(`([✓✗]) ${label}`, 'g'))].map(match => match[1]);
			expect(marks, `${rule} in:\n${frame}`).toEqual([verdict.rules[rule] ? '✓' : '✗']);
		}

		// The refusal line exactly when the verdict has a refusal and something was typed.
		const refusalShown = verdict.refusal !== null && entry.password !== '';
		const broken = PASSWORD_RULES.filter(rule => !verdict.rules[rule]).length;
		expect(frame.split('✗').length - 1, frame).toBe(broken + (refusalShown ? 1 : 0));
		for (const refusal of ['common', 'personal', 'service', 'tooLong', 'control'] as const) {
			const text = flat(t(`password.refusal.${refusal}`));
			expect(flat(frame).includes(`✗ ${text}`), `refusal "${refusal}" in:\n${frame}`).toBe(refusalShown && verdict.refusal === refusal);
		}

		// Never the password itself, and nothing wider than the terminal.
		if (entry.password.length >= 4) expect(frame).not.toContain(entry.password);
		expect(overlongLines(rendered.lastFrame() ?? '', 80)).toEqual([]);
	});
});

describe('"Modifica password" in "Il tuo account"', () => {
	const demoCopy = demoCopies();

	it('counts a wrong current password, then changes the password; the new one logs in, the old one no longer does', async () => {
		const {portal} = await demoCopy();
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		const rendered = render(<App portal={portal} language="it" color={false} maxLoginAttempts={5} initialState={{screen: {name: 'account'}, session, overlay: 'none', dashboardSelection: 0}} />);
		cleanups.push(() => rendered.unmount());
		resize(rendered, 80, 24);
		await waitForScreen(rendered, /Dispositivi e sessioni\s+\[apri\]/);
		await press(rendered, KEYS.down);
		await waitForScreen(rendered, /› Password\s+•{8}\s+\[modifica\]/);
		await press(rendered, KEYS.enter);
		await waitForScreen(rendered, 'Il tuo account › Password');
		await waitForScreen(rendered, /› Password attuale\s+\[/);

		const next = 'Nuvola&2026';
		expect(Portal.checkPassword(next, MARIO_CONTEXT).ok).toBe(true);
		// Enter moves on from "Password attuale" and "Nuova password"; from "Conferma" it saves.
		await type(rendered, 'Sbagliata&1');
		await press(rendered, KEYS.enter);
		await waitForScreen(rendered, /› Nuova password\s+\[/);
		await type(rendered, next);
		await waitForScreen(rendered, '✓ un carattere speciale');
		await press(rendered, KEYS.enter);
		await waitForScreen(rendered, /› Conferma la nuova password\s+\[/);
		await type(rendered, next);
		await press(rendered, KEYS.enter);
		const refused = await waitForScreen(rendered, 'Password attuale errata. Tentativi rimasti: 4.');
		// Still the form, the current password emptied and focused; no password shown anywhere.
		expect(refused).toContain('Il tuo account › Password');
		expect(refused).toMatch(/› Password attuale\s+\[\s*\]/);
		expect(refused).not.toContain(next);
		expect(refused).not.toContain('Sbagliata');
		expect(overlongLines(rendered.lastFrame() ?? '', 80)).toEqual([]);

		// The right current password; the new one is still in both fields.
		await type(rendered, MARIO.password);
		await waitForScreen(rendered, /› Password attuale\s+\[•{11}/);
		await press(rendered, KEYS.enter);
		await waitForScreen(rendered, /› Nuova password\s+\[•{11}/);
		await press(rendered, KEYS.enter);
		await waitForScreen(rendered, /› Conferma la nuova password\s+\[•{11}/);
		await press(rendered, KEYS.enter);
		const saved = await waitForScreen(rendered, 'Password modificata');
		expect(flat(saved)).toContain('✓ Password modificata: usala al prossimo accesso.');
		// Back on the list.
		expect(saved).toMatch(/Dispositivi e sessioni\s+\[apri\]/);
		expect(saved).not.toContain('Il tuo account › Password');

		expect((await portal.sessions.login(MARIO.userId, MARIO.password)).kind).toBe('invalid');
		expect((await portal.sessions.login(MARIO.userId, next)).kind).toBe('success');
	});
});
