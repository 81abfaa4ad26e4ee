import {describe, expect, it} from 'vitest';
import {Store} from '../../source/core/store/store.js';
import {translator, type Language, type MessageKey} from '../../source/ui/i18n/index.js';
import {e2eFixture, runCli} from '../helpers/cli.js';
import type {Terminal} from '../helpers/terminal.js';
import {MARIO} from '../helpers/holders.js';
import {romeDay} from '../helpers/rome-day.js';
import {newestSmsCode} from '../helpers/phone-reading.js';

const {demoFolder, open} = e2eFixture();
const DAY = 86_400_000;
const ESC = '\u001B';

/** SGR parameters that set a colour (foreground, background, 256 and true colour); bold, dim and inverse are not colours. */
function colourSequences(raw: string): string[] {
	const found: string[] = [];
	for (const match of raw.matchAll(/\u001B\[([\d;]*)m/g)) {
		const parameters = match[1]!.split(';').map(Number);
		if (parameters.some(value => (value >= 30 && value <= 38) || (value >= 40 && value <= 48) || (value >= 90 && value <= 97) || (value >= 100 && value <= 107))) found.push(match[0]);
	}
	return found;
}

/** The code in MARIO's newest SMS (read from the outbox in this process: the subject here is the TUI). */
const latestSmsCode = (data: string): string => newestSmsCode(data, MARIO.userId);

async function currentIut(data: string): Promise<string> {
	const db = await new Store(data).read(MARIO.userId);
	return db.certificates.filter(entry => entry.userId === MARIO.userId).at(-1)!.iut;
}

function ddmmyyyy(date: Date): string {
	return romeDay(date);
}

/**
 * The text must fit the window: no "more content below" notice, the key hints on the last line
 * of the frame (row 23 of 24) and not cut short, nothing written past it.
 */
function expectFits(terminal: Terminal, language: Language, where: string): void {
	const t = translator(language);
	const screen = terminal.screen();
	const lines = screen.split('\n');
	const notice = t('a11y.clipped', {rows: 0}).split('(')[0]!.trim();
	expect(screen, `${where}: content cut off`).not.toContain(notice.slice(2));
	expect(lines.length, `${where}: ${screen}`).toBeLessThanOrEqual(24);
	const footer = lines.at(22) ?? '';
	expect(footer, `${where}: the key hints are not on the last line\n${screen}`).toMatch(new RegExp(`  ·  |${t('keys.help')}`));
	expect(footer, `${where}: the key hints are cut off`).not.toMatch(/…$/);
	for (const line of lines) expect([...line].length, where).toBeLessThanOrEqual(80);
	// The last row stays empty: no keys echoed by the terminal before mysign took them.
	expect((lines.at(23) ?? '').trim(), `${where}: something on the last row`).toBe('');
}

/** MARIO logs in, each key once the screen shows the prompt it belongs to. */
async function logInThrough(terminal: Terminal, prompts: {user: string; password: string; dashboard: string | RegExp}): Promise<void> {
	await terminal.waitForText(prompts.user);
	await terminal.type(MARIO.userId);
	terminal.write('\t');
	await terminal.waitForText(prompts.password);
	await terminal.type(MARIO.password);
	terminal.write('\r');
	await terminal.waitForText(prompts.dashboard);
}

/**
 * Login → renewal → suspension → PIN change → signature history → logout, with keys alone in an
 * 80×24 pseudo-terminal, checking at every screen that its text fits.
 */
async function fullTour(language: Language, env: Record<string, string | undefined> = {}): Promise<{raw: string}> {
	const t = translator(language);
	const say = (key: MessageKey, params?: Record<string, string | number>) => t(key, params);
	const data = demoFolder();
	const terminal = open(['--data', data, '--lang', language], {env});
	const step = async (text: string | RegExp, where: string) => {
		await terminal.waitForText(text);
		expectFits(terminal, language, where);
	};

	await step(say('login.attemptsLeft', {count: 5}), 'login');
	await logInThrough(terminal, {user: say('login.attemptsLeft', {count: 5}), password: `› ${say('login.password')}`, dashboard: say('status.active')});
	expectFits(terminal, language, 'dashboard');

	// Renewal: consents and PIN, OTP, new PIN twice, OTP.
	terminal.write('3');
	await step(`› [ ${say('renewal.button')} ]`, 'renewal');
	terminal.write('\r');
	await step(`▼ 1 ${say('renewal.step1')}`, 'renewal step 1');
	terminal.write(' \t \t');
	await terminal.type(MARIO.pin);
	terminal.write('\r');
	await step(`✓ 1 ${say('renewal.step1')}`, 'renewal step 2');
	await terminal.type(latestSmsCode(data));
	terminal.write('\r');
	await step(`▼ 3 ${say('renewal.step3')}`, 'renewal step 3');
	await terminal.type('11223344\r11223344\r');
	await step(`▼ 4 ${say('renewal.step4')}`, 'renewal step 4');
	await terminal.type(latestSmsCode(data));
	terminal.write('\r');
	await terminal.waitForText(say('renewal.done', {date: 'X'}).split('X')[0]!.slice(0, 30));
	expectFits(terminal, language, 'renewal done');
	// "Torna alla homepage" leads to the dashboard.
	terminal.write('\r');
	await step(say('dashboard.greeting', {name: 'X'}).split('X')[0]!, 'dashboard after renewal');
	expect(terminal.screen()).toContain(say('status.active'));

	// Suspension with the new IUT, the ERC twice and an end date.
	terminal.write('5');
	await step(`› [ ${say('suspension.suspendButton')} ]`, 'suspension');
	terminal.write('\r');
	await step(say('suspension.formTitle'), 'suspension form');
	const end = ddmmyyyy(new Date(Date.now() + 3 * DAY));
	await terminal.type(`${await currentIut(data)}\r40213769\r40213769\r${end}\r`);
	await step(say('suspension.done', {date: end}).slice(0, 30), 'suspension done');
	terminal.write(ESC);
	await step(say('status.suspended'), 'dashboard, suspended');

	// PIN change: the PIN chosen at the renewal, a new one twice, the OTP.
	terminal.write('4');
	await step(say('pinChange.attempts', {count: 3}), 'PIN change');
	await terminal.type('11223344\r55667788\r55667788\r');
	await step(`▼ 2 ${say('pinChange.step2')}`, 'PIN change OTP');
	await terminal.type(latestSmsCode(data));
	terminal.write('\r');
	await step(say('pinChange.done'), 'PIN changed');
	terminal.write(ESC);
	await step(say('status.suspended'), 'dashboard after the PIN change');

	// Signature history, then logout from the user menu.
	terminal.write('7');
	await step(say('history.total', {count: 12}), 'history');
	terminal.write(ESC);
	await step(say('status.suspended'), 'dashboard after the history');
	terminal.write('m');
	await step(`2. ${say('userMenu.logout')}`, 'user menu');
	terminal.write('2');
	await step(say('login.attemptsLeft', {count: 5}), 'login after logout');
	return {raw: terminal.raw()};
}

describe('keys alone at 80×24', () => {
	it('login → renewal → suspension → PIN change → history → logout, every screen fitting; with NO_COLOR=1 not one colour sequence', async () => {
		const {raw} = await fullTour('it', {NO_COLOR: '1', FORCE_COLOR: undefined});
		expect(raw.length).toBeGreaterThan(10_000);
		expect(colourSequences(raw)).toEqual([]);
	});

	it('the same tour in English (--lang en), with colours on: the colour check above can fail', async () => {
		const {raw} = await fullTour('en', {NO_COLOR: undefined, FORCE_COLOR: '1'});
		expect(colourSequences(raw).length).toBeGreaterThan(0);
	});
});

describe('terminals', () => {
	it('TERM=dumb: screen-reader text printed screen after screen, not one escape sequence, and a login that works', async () => {
		const data = demoFolder();
		const terminal = open(['--data', data], {env: {TERM: 'dumb'}});
		await logInThrough(terminal, {user: 'textbox: Selezionato: Indirizzo e-mail o nome utente: vuoto', password: 'textbox: Selezionato: Password: vuoto', dashboard: 'button: Selezionato: 1. Certificato di firma'});
		expect(terminal.raw()).not.toContain(ESC);
		expect(terminal.raw()).not.toMatch(/[\u2500-\u259F]/u);
	});

	it('a locale that is not UTF-8 (LANG=C): only ASCII bytes, the same screens with ASCII symbols', async () => {
		const data = demoFolder();
		const terminal = open(['--data', data], {env: {LANG: 'C', LC_ALL: undefined, LC_CTYPE: undefined}});
		await logInThrough(terminal, {user: '> Indirizzo e-mail o nome utente', password: '> Password', dashboard: '+ Il tuo certificato e Attivo'});
		terminal.write('3');
		await terminal.waitForText('> [ Rinnova firma ]');
		expect(terminal.screen()).toContain('^v scegli  -  Invio apri');
		expect(terminal.raw()).not.toMatch(/[^\x00-\x7F]/);
	});

	it('--high-contrast: no dimmed text, bright colours; --screen-reader: no box-drawing in what is written', async () => {
		const data = demoFolder();
		const contrast = open(['--data', data, '--high-contrast'], {env: {FORCE_COLOR: '1', NO_COLOR: undefined}});
		await contrast.waitForText('Tentativi rimasti');
		await contrast.type(`${MARIO.userId}\t${MARIO.password}\r`);
		await contrast.waitForText('Il tuo certificato è Attivo');
		expect(contrast.raw()).not.toMatch(/\u001B\[(?:[\d;]*;)?2(?:;[\d;]*)?m/);
		expect(contrast.raw()).toMatch(/\u001B\[9[1-7]m/);

		const reader = open(['--data', data, '--screen-reader']);
		await reader.waitForText('textbox: Selezionato:');
		await reader.type(`${MARIO.userId}\t${MARIO.password}\r`);
		await reader.waitForText(/button: Selezionato: 1\. Certificato di firma: Visualizza i dati del tuo\s+certificato di firma/);
		reader.write('2');
		await reader.waitForText('button: Selezionato: Attiva');
		expect(reader.raw()).not.toMatch(/[\u2500-\u259F]/u);
	});

	it('--no-motion and --high-contrast are refused by sub-commands that draw nothing, like any unknown flag', () => {
		expect(runCli(['status', '--no-motion']).status).toBe(2);
		expect(runCli(['--bogus-motion']).status).toBe(2);
	});
});
