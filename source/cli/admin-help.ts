import type {MessageKey, Translate} from '../ui/i18n/index.js';
import {UsageError} from './usage.js';

/*
 * `mysign admin --help`, `mysign admin coupon --help`, `mysign admin rao --help` and
 * `mysign admin <command> --help`: the operator commands, each with its synopsis and what it
 * does. Every text is in the i18n catalogues (adminHelp.*), in lines of at most 80 columns, so
 * a later command table can take them over as they are.
 */

/** The sub-commands in the order the help lists them, with their catalogue entry. */
export const ADMIN_HELP: readonly {words: string; key: MessageKey}[] = [
	{words: 'enroll', key: 'adminHelp.enroll'},
	{words: 'list', key: 'adminHelp.list'},
	{words: 'show', key: 'adminHelp.show'},
	{words: 'unlock', key: 'adminHelp.unlock'},
	{words: 'revoke', key: 'adminHelp.revoke'},
	{words: 'reactivate', key: 'adminHelp.reactivate'},
	{words: 'reissue', key: 'adminHelp.reissue'},
	{words: 'flag-replacement', key: 'adminHelp.flagReplacement'},
	{words: 'coupon create', key: 'adminHelp.couponCreate'},
	{words: 'coupon list', key: 'adminHelp.couponList'},
	{words: 'rao add', key: 'adminHelp.raoAdd'},
	{words: 'rao list', key: 'adminHelp.raoList'},
	{words: 'init', key: 'adminHelp.init'},
];

const GROUPS: Record<string, MessageKey> = {coupon: 'adminHelp.couponTitle', rao: 'adminHelp.raoTitle'};

/** The help for `admin WORDS… --help`; an unknown word is a usage error, as without --help. */
export function adminHelp(t: Translate, words: readonly string[]): string {
	const joined = words.join(' ');
	let title: MessageKey;
	let entries: typeof ADMIN_HELP;
	if (joined === '') {
		title = 'adminHelp.title';
		entries = ADMIN_HELP;
	} else if (GROUPS[joined]) {
		title = GROUPS[joined];
		entries = ADMIN_HELP.filter(entry => entry.words.startsWith(`${joined} `));
	} else {
		// A command, perhaps with its operand (`admin show JCPD7173 --help`).
		const entry = ADMIN_HELP.find(candidate => joined === candidate.words || joined.startsWith(`${candidate.words} `));
		if (!entry) throw new UsageError(t('cli.unknownCommand', {command: `admin ${joined}`}));
		title = 'adminHelp.commandTitle';
		entries = [entry];
	}
	return [t(title), ...entries.map(entry => t(entry.key)), '', t('adminHelp.options')].join('\n');
}
