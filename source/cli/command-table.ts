import type {MessageKey} from '../ui/i18n/index.js';
import {RUNNERS, type Runner} from './command-run.js';

/*
 * The one table of the command line: every command with its sub-commands, the flags it accepts
 * (with their types), whether it takes arguments, its help texts (the i18n catalogues: cmd.*,
 * flag.*, flagValue.*, adminHelp.*) and the function that runs it. Parsing (cli.tsx), the help at
 * every level (command-help.ts), the suggestions (suggest.ts), shell completion and the man page
 * (command-docs.ts) are all derived from it, so a flag cannot be accepted without being described.
 * This module loads no command's code: the runners import it when they run.
 */

export interface FlagSpec {
	/** As written on the command line, without the dashes (`--no-motion` for the negated default). */
	readonly cli: string;
	readonly type: 'string' | 'boolean';
	readonly default?: boolean;
	readonly shortFlag?: string;
}

/** Every flag, by the camel-case name the commands read (as meow gives it). */
export const FLAGS = {
	data: {cli: 'data', type: 'string'},
	lang: {cli: 'lang', type: 'string'},
	screenReader: {cli: 'screen-reader', type: 'boolean'},
	motion: {cli: 'no-motion', type: 'boolean', default: true},
	highContrast: {cli: 'high-contrast', type: 'boolean'},
	showSms: {cli: 'show-sms', type: 'boolean'},
	guide: {cli: 'guide', type: 'boolean'},
	showKeys: {cli: 'show-keys', type: 'boolean'},
	reset: {cli: 'reset', type: 'boolean'},
	keepEnrolled: {cli: 'keep-enrolled', type: 'boolean'},
	yes: {cli: 'yes', type: 'boolean'},
	scenario: {cli: 'scenario', type: 'string'},
	user: {cli: 'user', type: 'string'},
	all: {cli: 'all', type: 'boolean'},
	json: {cli: 'json', type: 'boolean'},
	count: {cli: 'count', type: 'string'},
	print: {cli: 'print', type: 'boolean'},
	approve: {cli: 'approve', type: 'boolean'},
	deny: {cli: 'deny', type: 'boolean'},
	passwordStdin: {cli: 'password-stdin', type: 'boolean'},
	pinStdin: {cli: 'pin-stdin', type: 'boolean'},
	otp: {cli: 'otp', type: 'string'},
	sendOtp: {cli: 'send-otp', type: 'boolean'},
	extract: {cli: 'extract', type: 'string'},
	name: {cli: 'name', type: 'string'},
	surname: {cli: 'surname', type: 'string'},
	codiceFiscale: {cli: 'codice-fiscale', type: 'string'},
	phone: {cli: 'phone', type: 'string'},
	email: {cli: 'email', type: 'string'},
	csv: {cli: 'csv', type: 'string'},
	reason: {cli: 'reason', type: 'string'},
	deadline: {cli: 'deadline', type: 'string'},
	pem: {cli: 'pem', type: 'boolean'},
	warnDays: {cli: 'warn-days', type: 'string'},
	group: {cli: 'group', type: 'string'},
	help: {cli: 'help', type: 'boolean', shortFlag: 'h'},
	version: {cli: 'version', type: 'boolean'},
} as const satisfies Record<string, FlagSpec>;

export type FlagName = keyof typeof FLAGS;

/** What `--x` names on the command line, e.g. `--no-motion` → motion, `--codice-fiscale` → codiceFiscale. */
export function flagNameOf(written: string): FlagName | undefined {
	const bare = written.replace(/^-+/, '').split('=')[0]!;
	if (bare === 'h' && written === '-h') return 'help';
	for (const [name, spec] of Object.entries(FLAGS) as [FlagName, FlagSpec][]) {
		if (spec.cli === bare) return name;
		// meow also accepts the positive form of a negated default and `--no-` before a switch.
		if (spec.type === 'boolean' && (spec.cli === `no-${bare}` || `no-${spec.cli}` === bare)) return name;
	}
	return undefined;
}

export interface SubCommand {
	/** The words after the command (`coupon create`). */
	readonly words: string;
	/** Its help: synopsis and description, in lines of at most 80 columns. */
	readonly help: MessageKey;
}

export interface CommandSpec {
	/** '' is the bare `mysign` (the full-screen portal). */
	readonly name: string;
	readonly flags: readonly FlagName[];
	/** Takes words after its name (files, a sub-command, an ID). */
	readonly takesArguments: boolean;
	readonly subcommands?: readonly SubCommand[];
	/** Titles of sub-command groups (`admin coupon --help`). */
	readonly groups?: Readonly<Record<string, MessageKey>>;
	readonly summary: MessageKey;
	readonly usage: MessageKey;
	readonly description: MessageKey;
	readonly example: MessageKey;
	readonly run: Runner;
	/** Listed in the help's command list (the bare portal is the help's first line instead). */
	readonly listed: boolean;
}

const COMMON: readonly FlagName[] = ['data', 'lang'];
const DISPLAY: readonly FlagName[] = ['screenReader', 'motion', 'highContrast'];

function command(name: string, flags: readonly FlagName[], options: Partial<CommandSpec> = {}): CommandSpec {
	const key = name === '' ? 'portal' : name;
	return {
		name,
		// Every command takes --help (-h), listed last.
		flags: flags.includes('help') ? flags : [...flags, 'help'],
		takesArguments: false,
		summary: `cmd.${key}.summary` as MessageKey,
		usage: `cmd.${key}.usage` as MessageKey,
		description: `cmd.${key}.description` as MessageKey,
		example: `cmd.${key}.example` as MessageKey,
		run: RUNNERS[key]!,
		listed: name !== '',
		...options,
	};
}

export const COMMANDS: readonly CommandSpec[] = [
	command('', ['data', 'lang', ...DISPLAY, 'showSms', 'guide', 'showKeys', 'help', 'version']),
	command('demo', [...COMMON, 'reset', 'keepEnrolled', 'yes', 'scenario', 'user', 'all', 'json']),
	command('admin', [...COMMON, 'count', 'name', 'surname', 'codiceFiscale', 'phone', 'email', 'csv', 'reason', 'deadline', 'pem', 'group', 'yes', 'json'], {
		takesArguments: true,
		subcommands: [
			{words: 'enroll', help: 'adminHelp.enroll'},
			{words: 'list', help: 'adminHelp.list'},
			{words: 'show', help: 'adminHelp.show'},
			{words: 'unlock', help: 'adminHelp.unlock'},
			{words: 'revoke', help: 'adminHelp.revoke'},
			{words: 'reactivate', help: 'adminHelp.reactivate'},
			{words: 'reissue', help: 'adminHelp.reissue'},
			{words: 'flag-replacement', help: 'adminHelp.flagReplacement'},
			{words: 'coupon create', help: 'adminHelp.couponCreate'},
			{words: 'coupon list', help: 'adminHelp.couponList'},
			{words: 'rao add', help: 'adminHelp.raoAdd'},
			{words: 'rao list', help: 'adminHelp.raoList'},
			{words: 'init', help: 'adminHelp.init'},
		],
		groups: {coupon: 'adminHelp.couponTitle', rao: 'adminHelp.raoTitle'},
	}),
	command('status', [...COMMON, 'user', 'warnDays', 'json']),
	command('outbox', [...COMMON, 'user', 'json'], {takesArguments: true, subcommands: [{words: 'show', help: 'cmd.outbox.usage'}, {words: 'save', help: 'cmd.outbox.usage'}]}),
	command('crl', [...COMMON, 'json']),
	command('sign', [...COMMON, 'user', 'passwordStdin', 'pinStdin', 'otp', 'sendOtp', 'json'], {takesArguments: true}),
	command('logout', [...COMMON, 'user', 'json']),
	command('verify', [...COMMON, 'extract', 'json'], {takesArguments: true}),
	command('reports', [...COMMON, 'json']),
	command('clock', [...COMMON, 'json'], {takesArguments: true, subcommands: [{words: 'set', help: 'cmd.clock.usage'}, {words: 'advance', help: 'cmd.clock.usage'}, {words: 'reset', help: 'cmd.clock.usage'}]}),
	command('phone', [...COMMON, ...DISPLAY, 'user', 'print', 'json', 'approve', 'deny', 'showKeys']),
	command('help', ['lang'], {takesArguments: true}),
	command('completion', ['lang'], {takesArguments: true, subcommands: [{words: 'bash', help: 'cmd.completion.usage'}, {words: 'zsh', help: 'cmd.completion.usage'}]}),
	command('man', ['lang']),
];

export function findCommand(name: string): CommandSpec | undefined {
	return COMMANDS.find(candidate => candidate.name === name);
}

/** The flags as meow reads them (every flag of every command; each command's own list is checked after). */
export function meowFlags(): Record<FlagName, {type: 'string' | 'boolean'; default?: boolean; shortFlag?: string}> {
	const flags = {} as Record<FlagName, {type: 'string' | 'boolean'; default?: boolean; shortFlag?: string}>;
	for (const [name, spec] of Object.entries(FLAGS) as [FlagName, FlagSpec][]) {
		flags[name] = {type: spec.type, ...(spec.default === undefined ? {} : {default: spec.default}), ...(spec.shortFlag ? {shortFlag: spec.shortFlag} : {})};
	}
	return flags;
}
