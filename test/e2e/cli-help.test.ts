import {spawnSync} from 'node:child_process';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {CLI, e2eFixture, ROOT, runCli} from '../helpers/cli.js';
import {MARIO} from '../helpers/holders.js';

/*
 * The command line as a new user and a script writer meet it (issue 20): help at every level,
 * suggestions for typos, shell completion, the man page and the preferences in the environment.
 */

const {demoFolder, open} = e2eFixture();

/** Lines wider than 80 terminal columns (a wide character counts two). */
const wide = (text: string) => text.split('\n').filter(line => stringWidth(line) > 80);
const flagsOf = (text: string) => [...new Set([...text.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map(match => match[0]))].sort();
/** No locale language and no MYSIGN_* preference from the machine running the tests. */
const neutral = {LANG: 'C.UTF-8', LC_ALL: undefined, LC_MESSAGES: undefined, MYSIGN_LANG: undefined, MYSIGN_SCREEN_READER: undefined, MYSIGN_NO_MOTION: undefined, MYSIGN_HIGH_CONTRAST: undefined};

function output(args: readonly string[], env: Record<string, string | undefined> = {}) {
	const result = runCli(args, {env: {...neutral, ...env}});
	expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
	expect(result.stderr).toBe('');
	return result.stdout;
}

/** A help: exit 0, nothing on stderr, no line wider than 80 columns (not a terminal). */
function help(args: readonly string[], env: Record<string, string | undefined> = {}) {
	const text = output(args, env);
	expect(wide(text), args.join(' ')).toEqual([]);
	return text;
}

describe('help at every level', () => {
	it('mysign -h, mysign help, mysign --help: the commands and the portal options, exit 0, in 80 columns', () => {
		const short = help(['-h']);
		expect(help(['help'])).toBe(short);
		expect(help(['--help'])).toBe(short);
		for (const text of ['Uso: mysign [COMANDO] [OPZIONI]', 'Comandi:', '  status ', '  completion ', '--show-sms', 'Esempi:', 'mysign help COMANDO']) expect(short).toContain(text);
	});

	it('mysign sign --help and mysign help sign: the sign command only, with its flags and an example', () => {
		const sign = help(['sign', '--help']);
		expect(help(['help', 'sign'])).toBe(sign);
		for (const text of ['mysign sign [--] FILE… --user ID', '--pin-stdin', '--send-otp', 'Esempio:', 'mysign sign verbale.pdf --user JCPD7173']) expect(sign).toContain(text);
		expect(sign).not.toContain('--keep-enrolled');
		expect(sign).not.toContain('Comandi:');
	});

	it('demo --help, admin --help, admin coupon --help and help admin coupon are each specific', () => {
		expect(help(['demo', '--help'])).toContain('mysign demo --scenario NOME');
		expect(help(['demo', '--help'])).not.toContain('--pin-stdin');
		const admin = help(['admin', '--help']);
		for (const text of ['Uso: mysign admin', 'admin enroll --csv FILE', '--reason MOTIVO', '--yes', 'Esempio:']) expect(admin).toContain(text);
		const coupon = help(['admin', 'coupon', '--help']);
		expect(help(['help', 'admin', 'coupon'])).toBe(coupon);
		expect(coupon).toContain('admin coupon create [--count N]');
		expect(coupon).not.toContain('admin enroll');
	});

	it('the Italian and the English helps list the same flags, at every level', () => {
		for (const args of [['-h'], ['sign', '--help'], ['demo', '--help'], ['phone', '--help'], ['admin', '--help'], ['status', '--help']]) {
			const italian = help([...args, '--lang', 'it']);
			const english = help([...args, '--lang', 'en']);
			expect(flagsOf(italian), args.join(' ')).toEqual(flagsOf(english));
			expect(italian).not.toEqual(english);
		}
		expect(flagsOf(help(['-h']))).toEqual(expect.arrayContaining(['--no-motion', '--high-contrast', '--screen-reader']));
	});
});

describe('mistakes', () => {
	const refused = (args: readonly string[]) => {
		const result = runCli(args, {env: neutral});
		expect(result.status, args.join(' ')).toBe(2);
		expect(result.stdout).toBe('');
		return result.stderr;
	};

	it('suggests the command, sub-command or flag that was meant', () => {
		expect(refused(['stauts'])).toContain('Comando sconosciuto: stauts. Vedi mysign --help. Forse intendevi status?');
		expect(refused(['admin', 'lst'])).toContain('Forse intendevi admin list?');
		expect(refused(['admin', 'coupon', 'crate'])).toContain('Forse intendevi admin coupon create?');
		expect(refused(['status', '--usr', MARIO.userId])).toContain('Opzione sconosciuta: --usr. Vedi mysign --help. Forse intendevi --user?');
		expect(runCli(['verfy', '--lang', 'en'], {env: neutral}).stderr).toContain('Did you mean verify?');
		// Nothing close: no guess.
		expect(refused(['frobnicate'])).not.toContain('Forse');
		expect(refused(['help', 'frobnicate'])).toContain('Comando sconosciuto: frobnicate');
	});

	it('demo --data with no value says the value is missing', () => {
		expect(refused(['demo', '--data'])).toContain('Manca il valore di --data');
		expect(refused(['status', '--user', '--json'])).toContain('Manca il valore di --user');
	});
});

describe('completion and the man page', () => {
	it('mysign completion bash is sourced by bash and completes commands, sub-commands and flags', () => {
		const script = `source <("${process.execPath}" "${CLI}" completion bash)
complete -p mysign
complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _mysign; echo "\${COMPREPLY[*]}"; }
complete_words mysign sta
complete_words mysign admin cou
complete_words mysign admin coupon c
complete_words mysign status --wa`;
		const result = spawnSync('bash', ['-c', script], {encoding: 'utf8', cwd: ROOT});
		expect(result.stderr).toBe('');
		expect(result.stdout.split('\n')).toEqual(['complete -F _mysign mysign', 'status', 'coupon', 'create', '--warn-days', '']);
	});

	it('mysign completion zsh defines the completion function; another shell is refused', () => {
		expect(output(['completion', 'zsh'])).toContain('compdef _mysign mysign');
		expect(runCli(['completion', 'fish'], {env: neutral}).status).toBe(2);
	});

	it('mysign man prints a page that man renders, with every command', () => {
		const page = output(['man', '--lang', 'en']);
		expect(page.startsWith('.TH MYSIGN 1')).toBe(true);
		const rendered = spawnSync('man', ['-l', '-'], {input: page, encoding: 'utf8', env: {...process.env, MANWIDTH: '80', MAN_KEEP_FORMATTING: undefined}});
		expect(rendered.status, rendered.stderr).toBe(0);
		const text = rendered.stdout.replace(/.\u0008/g, '');
		for (const command of ['demo', 'status', 'verify', 'completion']) expect(text).toContain(`mysign ${command}`);
		expect(text).toContain('--warn-days');
	});
});

describe('preferences in the environment', () => {
	it('MYSIGN_LANG, or the locale language when it is it or en; --lang wins; a bad MYSIGN_LANG is refused', () => {
		expect(help(['-h'], {MYSIGN_LANG: 'en'})).toContain('Usage: mysign');
		expect(help(['-h'], {LANG: 'en_US.UTF-8'})).toContain('Usage: mysign');
		expect(help(['-h'], {LANG: 'de_DE.UTF-8'})).toContain('Uso: mysign');
		expect(help(['-h', '--lang', 'it'], {MYSIGN_LANG: 'en'})).toContain('Uso: mysign');
		const bad = runCli(['status', '--user', MARIO.userId], {env: {...neutral, MYSIGN_LANG: 'de'}});
		expect(bad.status).toBe(2);
		expect(bad.stderr).toContain('MYSIGN_LANG');
	});

	it('MYSIGN_HIGH_CONTRAST and MYSIGN_SCREEN_READER set the display; a flag wins', async () => {
		const data = demoFolder();
		const contrast = open(['--data', data], {env: {...neutral, MYSIGN_HIGH_CONTRAST: '1', FORCE_COLOR: '1', NO_COLOR: undefined}});
		await contrast.waitForText('Tentativi rimasti');
		// No dimmed text (the login screen has some without high contrast: see the flag below).
		expect(contrast.raw()).not.toMatch(/\u001B\[(?:[\d;]*;)?2(?:;[\d;]*)?m/);
		const overruled = open(['--data', data, '--no-high-contrast'], {env: {...neutral, MYSIGN_HIGH_CONTRAST: '1', FORCE_COLOR: '1', NO_COLOR: undefined}});
		await overruled.waitForText('Tentativi rimasti');
		expect(overruled.raw()).toMatch(/\u001B\[(?:[\d;]*;)?2(?:;[\d;]*)?m/);
		const reader = open(['--data', data], {env: {...neutral, MYSIGN_SCREEN_READER: 'true'}});
		await reader.waitForText('textbox: Selezionato:');
	});

	it('a display variable with a value that is not yes or no is a usage error naming it', () => {
		const result = runCli(['phone', '--user', MARIO.userId, '--print'], {env: {...neutral, MYSIGN_NO_MOTION: 'forse'}});
		expect(result.status).toBe(2);
		expect(result.stderr).toContain('MYSIGN_NO_MOTION');
	});
});
