import type {Translate} from '../ui/i18n/index.js';
import {UsageError} from './usage.js';

/*
 * The words of `mysign admin …`, on their own: the argument checks (preflight.ts) read them
 * before anything else loads, and admin.ts (the commands, with the table-printing libraries)
 * loads only when a command runs.
 */

export const ADMIN_COMMANDS = ['enroll', 'coupon create', 'coupon list', 'unlock', 'revoke', 'reactivate', 'flag-replacement', 'list', 'show', 'rao add', 'rao list', 'init', 'migrate', 'reissue'] as const;

/** Splits `admin WORDS…` into the command and its operand (a userID), refusing anything else. */
export function parseAdminWords(t: Translate, words: readonly string[]): {command: (typeof ADMIN_COMMANDS)[number]; operand: string | undefined} {
	const joined = words.join(' ');
	const command = ADMIN_COMMANDS.find(name => joined === name || joined.startsWith(`${name} `));
	if (!command) throw new UsageError(t('cli.unknownCommand', {command: `admin ${joined}`.trim()}));
	const rest = words.slice(command.split(' ').length);
	const takesUser = ['unlock', 'revoke', 'reactivate', 'flag-replacement', 'show', 'reissue'].includes(command);
	if (rest.length > (takesUser ? 1 : 0)) throw new UsageError(t('cli.unknownCommand', {command: `admin ${joined}`}));
	return {command, operand: rest[0]};
}
