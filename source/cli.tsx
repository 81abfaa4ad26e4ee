#!/usr/bin/env node
import {fileURLToPath} from 'node:url';
import {displayUrl, hasPassword, isDomainError, requestStore, setProgramIdentity, storeUrlProblem} from './core/index.js';
import {UsageError} from './cli/usage.js';
import {COMMANDS, FLAGS, findCommand, flagNameOf, knownWords, meowFlags, type FlagName, type FlagSpec} from './cli/command-table.js';
import {helpWidth, type ParsedFlags} from './cli/command-run.js';
import {badLanguageVariable, displayPreferences, preferredLanguage} from './cli/preferences.js';
import {suggestion} from './cli/suggest.js';
import {describeError, isLanguage, translator, type Translate} from './ui/i18n/index.js';
import {ignoreClosedStdout} from './cli/broken-pipe.js';
import {plainArguments, PROCESS_TITLE} from './cli/plain-arguments.js';

/*
 * The command line. Parsing, the help, the checks and the dispatch all follow the command table
 * (source/cli/command-table.ts); this file is the only place that sets the exit code:
 * 0 success, 1 a runtime failure (e.g. an invalid database), 2 a usage error, 4 (`sign`) some
 * documents signed and others not.
 */

/** The flags written on the command line (`--name`, `--name=value`, `-h`), up to a bare `--`. */
function flagsIn(argv: readonly string[]): string[] {
	const flags: string[] = [];
	for (const argument of argv) {
		if (argument === '--') break;
		if (argument.startsWith('-') && argument !== '-') flags.push(argument.split('=')[0]!);
	}
	return flags;
}

/** `version()` reads meow's package data only for --version: meow normalises it on first read (~12–25 ms of CPU). */
type Parsed = {input: string[]; flags: ParsedFlags; version: () => string | undefined};

async function parseArguments(argv: readonly string[], t: Translate): Promise<Parsed> {
	const portal = portalFlags(argv);
	if (portal) return {input: [], flags: portal, version: () => undefined};
	// A plain command line is read as meow reads it, without loading meow (see plain-arguments.ts).
	const plain = plainArguments(argv);
	if (plain) {
		process.title = PROCESS_TITLE;
		return {...plain, version: () => undefined};
	}
	const {default: meow} = await import('meow');
	try {
		const cli = meow('', {importMeta: import.meta, argv: [...argv], flags: meowFlags() as Record<string, {type: 'string'}>, allowUnknownFlags: true, autoHelp: false, autoVersion: false});
		return {input: cli.input, flags: cli.flags as unknown as ParsedFlags, version: () => cli.pkg.version};
	} catch (error) {
		// meow refuses e.g. a flag given twice: a usage error, said as meow says it.
		throw new UsageError(`${error instanceof Error ? error.message : String(error)} ${t('cli.seeHelp')}`);
	}
}

const PORTAL_VALUE_FLAGS = {'--data': 'data', '--store': 'store', '--lang': 'lang'} as const;
const PORTAL_SWITCHES = {'--screen-reader': 'screenReader', '--high-contrast': 'highContrast', '--show-sms': 'showSms', '--guide': 'guide', '--show-keys': 'showKeys'} as const;

/**
 * The flags of a bare `mysign` (the full-screen portal) read without loading meow, which took
 * ~30 ms of the start to the login screen. Only plain forms are read: `--switch`, `--no-motion`,
 * `--data`/`--lang` with a value (`--flag value` or `--flag=value`), each at most once.
 * Anything else (a command, --help, --version, an unknown or repeated flag, a missing value)
 * gives undefined: meow reads it and accepts or refuses it exactly as before.
 */
function portalFlags(argv: readonly string[]): ParsedFlags | undefined {
	const flags: Record<string, string | boolean | undefined> = {motion: true, screenReader: false, highContrast: false, showSms: false, guide: false, showKeys: false};
	const given = new Set<string>();
	for (let index = 0; index < argv.length; index++) {
		const argument = argv[index]!;
		const equals = argument.indexOf('=');
		const name = equals === -1 ? argument : argument.slice(0, equals);
		if (given.has(name)) return undefined;
		given.add(name);
		if (Object.hasOwn(PORTAL_VALUE_FLAGS, name)) {
			const value = equals === -1 ? argv[++index] : argument.slice(equals + 1);
			if (value === undefined || value === '' || value.startsWith('-')) return undefined;
			flags[PORTAL_VALUE_FLAGS[name as keyof typeof PORTAL_VALUE_FLAGS]] = value;
		} else if (equals === -1 && Object.hasOwn(PORTAL_SWITCHES, name)) {
			flags[PORTAL_SWITCHES[name as keyof typeof PORTAL_SWITCHES]] = true;
		} else if (argument === '--no-motion') {
			flags['motion'] = false;
		} else {
			return undefined;
		}
	}
	return flags as ParsedFlags;
}

/** `Opzione sconosciuta: --usr. Vedi mysign --help. Forse intendevi --user?` (among the command's own flags). */
function unknownFlag(t: Translate, written: string, allowed: readonly FlagName[]): UsageError {
	const guess = suggestion(written.replace(/^-+/, ''), allowed.map(name => FLAGS[name].cli));
	const message = t('cli.unknownFlag', {flag: written});
	return new UsageError(guess ? `${message} ${t('cli.didYouMean', {suggestion: `--${guess}`})}` : message);
}

/** A value flag written last or right before another flag (`demo --data`, `--user --json`). */
function missingValue(argv: readonly string[], flags: ParsedFlags): string | undefined {
	for (let index = 0; index < argv.length; index++) {
		const argument = argv[index]!;
		if (argument === '--') break;
		const name = argument.startsWith('--') && !argument.includes('=') ? flagNameOf(argument) : undefined;
		if (name === undefined) continue;
		const spec: FlagSpec = FLAGS[name];
		if (spec.type !== 'string' || spec.optionalValue || flags[name] !== '') continue;
		const next = argv[index + 1];
		if (next === undefined || next.startsWith('--')) return argument;
	}
	return undefined;
}

/** The command being run, once parsed (its failures exit 3 or 1, see fail()). */
let running = '';

async function main(argv: readonly string[]): Promise<number> {
	// In the bundle the entry file names every chunk by a hash of its content, so it identifies the
	// whole program (see checked-stamp.ts); run from the sources there is no bundle to identify.
	if (import.meta.url.endsWith('.js')) setProgramIdentity(fileURLToPath(import.meta.url));
	const language = preferredLanguage(argv, process.env);
	const t = translator(language);
	const cli = await parseArguments(argv, t);

	const [name = '', ...words] = cli.input;
	running = name;
	const spec = findCommand(name);
	// The help's code loads only off the portal's fast path.
	const help = async () => import('./cli/command-help.js');
	if (!spec) throw (await help()).unknownCommand(t, undefined, [name], COMMANDS);
	if (words.length > 0 && !spec.takesArguments) throw new UsageError(t('cli.unknownCommand', {command: `${name} ${words.join(' ')}`.trim()}));
	// The clock belongs to the data folder: a process's own time would bend the rules for everyone.
	if (flagsIn(argv).includes('--now')) throw new UsageError(t('cli.nowRemoved', {what: '--now'}));
	if (process.env['MYSIGN_NOW']) throw new UsageError(t('cli.nowRemoved', {what: 'MYSIGN_NOW'}));
	// meow fills booleans with false, so presence is judged from argv itself.
	const given = new Set<FlagName>();
	for (const written of flagsIn(argv)) {
		const flag = flagNameOf(written);
		if (flag === undefined || !spec.flags.includes(flag)) throw unknownFlag(t, written, spec.flags);
		given.add(flag);
	}
	if (cli.flags.help) {
		process.stdout.write((await help()).helpFor(t, COMMANDS, name === '' ? [] : [name, ...words], helpWidth()) + '\n');
		return 0;
	}
	if (cli.flags.version) {
		process.stdout.write(cli.version() + '\n');
		return 0;
	}
	if (words.length > 0 && name !== 'completion' && !knownWords(spec, words)) throw (await help()).unknownCommand(t, spec, words);
	if (cli.flags.lang !== undefined && !isLanguage(cli.flags.lang)) throw new UsageError(t('cli.badLang', {lang: cli.flags.lang}));
	const badVariable = badLanguageVariable(process.env);
	if (cli.flags.lang === undefined && badVariable !== undefined) throw new UsageError(`MYSIGN_LANG: ${t('cli.badLang', {lang: badVariable})}`);
	const missing = missingValue(argv, cli.flags);
	if (missing !== undefined || cli.flags.data === '') throw new UsageError(t('cli.missingValue', {flag: missing ?? '--data', command: name === '' ? '' : name}).replace('mysign  ', 'mysign '));
	if (cli.flags.store === '') throw new UsageError(t('cli.missingValue', {flag: '--store', command: name}).replace('mysign  ', 'mysign '));
	// Where the data folder's shared state lives (see store/location.ts): checked before anything is read.
	const store = cli.flags.store ?? process.env['MYSIGN_STORE'];
	const problem = store === undefined || store === '' ? undefined : storeUrlProblem(store);
	if (problem) throw new UsageError(t(problem === 'fileParameter' || problem === 'targetParameter' ? 'cli.storeParameter' : 'errors.store.badUrl', {store: displayUrl(store!)}));
	// Every local user reads a command line (ps, /proc/PID/cmdline): a password goes elsewhere.
	if (cli.flags.store !== undefined && hasPassword(cli.flags.store)) throw new UsageError(t('cli.storePassword', {store: displayUrl(cli.flags.store)}));
	requestStore(store);
	// Every argument is checked before the data folder is looked at (see preflight.ts).
	if (name !== '') (await import('./cli/preflight.js')).checkArguments(t, name, words, cli.flags, Boolean(process.stdin.isTTY && process.stderr.isTTY));
	const refuse = (variable: string, value: string) => new UsageError(t('cli.badEnvironment', {name: variable, value}));
	const display = spec.flags.includes('screenReader') ? displayPreferences(given, cli.flags, process.env, refuse) : {screenReader: false, noMotion: false, highContrast: false};
	return spec.run({t, language, words, flags: cli.flags, display, commands: COMMANDS});
}

/** Commands whose answer is a state (monitoring plugins' convention): an error means "cannot tell", exit 3. */
const CANNOT_TELL = new Set(['status', 'verify']);

/**
 * A failure: 2 for a usage error only; 3 when `status` or `verify` cannot tell; 1 otherwise. With
 * --json, on stderr as `{"error":{"code":"…","message":"…"}}` (the domain error's code, `usage`,
 * or `internal`).
 */
async function fail(argv: readonly string[], error: unknown): Promise<number> {
	const t = translator(preferredLanguage(argv, process.env));
	const message = error instanceof UsageError ? error.message : describeError(t, error);
	const words = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : argv.length);
	if (words.includes('--json')) {
		const code = error instanceof UsageError ? 'usage' : isDomainError(error) ? error.code : 'internal';
		process.stderr.write(JSON.stringify({error: {code, message}}) + '\n');
	} else {
		process.stderr.write(message + '\n');
	}
	if (error instanceof UsageError) return 2;
	// `verify --extract` that cannot write its file has checked the signature: a plain failure.
	if (isDomainError(error) && error.code.startsWith('download.')) return 1;
	return CANNOT_TELL.has(running) ? 3 : 1;
}

const argv = process.argv.slice(2);
ignoreClosedStdout();
main(argv)
	.catch(async (error: unknown) => fail(argv, error))
	.then(code => {
		process.exitCode = code;
	});
