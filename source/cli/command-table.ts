import type {MessageKey} from '../ui/i18n/index.js';
import {RUNNERS} from './command-run.js';

/*
 * The one table of the command line: every command with its sub-commands, the flags it accepts
 * (with their types), whether it takes arguments, its help texts (the i18n catalogues: cmd.*,
 * flag.*, flagValue.*, adminHelp.*) and the function that runs it. Parsing (cli.tsx), the help at
 * every level (command-help.ts), the suggestions (suggest.ts), shell completion and the man page
 * (command-docs.ts) are all derived from it, so a flag cannot be accepted without being described.
 * This module loads no command's code: the runners import it when they run.
 */

export {FLAGS, flagNameOf, type FlagName, type FlagSpec} from './command-flags.js';
import {FLAGS, type FlagName, type FlagSpec} from './command-flags.js';

export type {CommandSpec, SubCommand} from './command-types.js';
import type {CommandSpec} from './command-types.js';

const COMMON: readonly FlagName[] = ['data', 'store', 'lang'];
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
	command('', ['data', 'store', 'lang', ...DISPLAY, 'showSms', 'guide', 'showKeys', 'help', 'version']),
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
			{words: 'migrate', help: 'adminHelp.migrate'},
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

/**
 * Whether the words start with one of the command's sub-commands (always so for a command without
 * any). Here, not with the help (command-help.ts), which then loads only when something is refused.
 */
export function knownWords(spec: CommandSpec, words: readonly string[]): boolean {
	const joined = words.join(' ');
	return !spec.subcommands || words.length === 0 || spec.subcommands.some(entry => joined === entry.words || joined.startsWith(`${entry.words} `));
}

/** The flags as meow reads them (every flag of every command; each command's own list is checked after). */
export function meowFlags(): Record<FlagName, {type: 'string' | 'boolean'; default?: boolean; shortFlag?: string}> {
	const flags = {} as Record<FlagName, {type: 'string' | 'boolean'; default?: boolean; shortFlag?: string}>;
	for (const [name, spec] of Object.entries(FLAGS) as [FlagName, FlagSpec][]) {
		flags[name] = {type: spec.type, ...(spec.default === undefined ? {} : {default: spec.default}), ...(spec.shortFlag ? {shortFlag: spec.shortFlag} : {})};
	}
	return flags;
}
