import type {Translate} from '../ui/i18n/index.js';
import {USER_ID_PATTERN} from '../core/index.js';
import type {AdminFlags} from './admin.js';
import {parseAdminWords} from './admin-words.js';
import {UsageError} from './usage.js';

/*
 * The command line's own checks, made before the data folder is looked at: a mistake in the
 * arguments exits 2 with its message and the folder stays exactly as it was (opening it may
 * already write, e.g. to end a suspension that is over). The commands keep their checks for
 * whoever calls them directly; these only make sure none of them is reached with arguments
 * they would refuse.
 */

/** The flags it checks: the admin command's operands, and those of status, sign and demo. */
export interface PreflightFlags extends Omit<AdminFlags, 'json' | 'pem'> {
	user?: string;
	warnDays?: string;
	otp?: string;
	sendOtp?: boolean;
	pinStdin?: boolean;
	scenario?: string;
}

const HOLDER_ID = USER_ID_PATTERN;
/** `admin unlock` also clears an operator's (RAO) login lock; operators have a phone and messages too. */
const ACCOUNT_ID = /^(JCPD\d{4,8}|RAO\d{4})$/;

function required(t: Translate, value: string | undefined, what: string): string {
	if (value === undefined || value.trim() === '') throw new UsageError(t('admin.missing', {what}));
	return value;
}

/** A userID as the commands read it (trimmed, any case), refused here when it cannot name anyone. */
function userId(t: Translate, value: string, pattern = HOLDER_ID): void {
	if (!pattern.test(value.trim().toUpperCase())) throw new UsageError(t(pattern === HOLDER_ID ? 'cli.badUserId' : 'cli.badAccountId', {value}));
}

export function checkArguments(t: Translate, command: string, words: readonly string[], flags: PreflightFlags, interactive: boolean): void {
	switch (command) {
		case 'demo': {
			if (flags.scenario !== undefined && flags.user !== undefined) userId(t, flags.user);
			return;
		}
		case 'status': {
			userId(t, required(t, flags.user, '--user'));
			if (flags.warnDays !== undefined && !/^\d{1,4}$/.test(flags.warnDays)) throw new UsageError(t('admin.badWarnDays', {value: flags.warnDays}));
			return;
		}
		case 'phone': {
			if (!flags.user) throw new UsageError(t('phone.needUser'));
			// An operator's phone too: the RAO's codes arrive there.
			userId(t, flags.user, ACCOUNT_ID);
			return;
		}
		case 'outbox': {
			const length = words[0] === 'show' ? 2 : 3;
			if (words.length > 0 && ((words[0] !== 'save' && words[0] !== 'show') || words.length !== length || !/^\d+$/.test(words[1]!) || Number(words[1]) < 1)) {
				const usage = words[0] === 'save' ? t('admin.outboxSaveUsage') : words[0] === 'show' ? t('outbox.showUsage') : undefined;
				throw new UsageError(usage ?? t('cli.unknownCommand', {command: `outbox ${words.join(' ')}`}));
			}
			if (flags.user !== undefined) userId(t, flags.user, ACCOUNT_ID);
			return;
		}
		case 'verify': {
			if (!words[0]) throw new UsageError(t('verify.needFile'));
			if (words.length > 1) throw new UsageError(t('cli.unknownCommand', {command: `verify ${words.join(' ')}`}));
			return;
		}
		case 'sign': {
			if (!flags.user) throw new UsageError(t('sign.cli.needUser'));
			userId(t, flags.user);
			if (words.length === 0) throw new UsageError(t('sign.cli.needFiles'));
			if (flags.otp !== undefined && !/^\d{8}$/.test(flags.otp.trim())) throw new UsageError(t('sign.cli.badOtp'));
			if (flags.sendOtp) return;
			if (!flags.pinStdin && !interactive) throw new UsageError(t('sign.cli.needPin'));
			if (flags.otp === undefined && !interactive) throw new UsageError(t('sign.cli.needOtp'));
			return;
		}
		case 'admin': {
			checkAdmin(t, words, flags);
			return;
		}
		default:
	}
}

function checkAdmin(t: Translate, words: readonly string[], flags: PreflightFlags): void {
	const {command, operand} = parseAdminWords(t, words);
	switch (command) {
		case 'unlock': {
			userId(t, required(t, operand, 'USER (es. JCPD7173)'), ACCOUNT_ID);
			return;
		}
		case 'revoke':
		case 'reactivate':
		case 'show':
		case 'flag-replacement': {
			userId(t, required(t, operand, 'USER (es. JCPD7173)'));
			if (command === 'revoke') required(t, flags.reason, '--reason (keyCompromise, cessationOfOperation, unspecified)');
			if (command === 'flag-replacement') required(t, flags.deadline, '--deadline gg/mm/aaaa');
			return;
		}
		case 'coupon create': {
			const countText = flags.count ?? '1';
			const count = Number(countText);
			if (!/^\d+$/.test(countText) || count < 1 || count > 1000) throw new UsageError(t('cli.badCount', {value: countText}));
			return;
		}
		case 'enroll': {
			const fields = [flags.name, flags.surname, flags.codiceFiscale, flags.phone, flags.email];
			if (flags.csv !== undefined) {
				if (fields.some(value => value !== undefined)) throw new UsageError(t('admin.csvOrFields'));
				required(t, flags.csv, '--csv FILE');
				return;
			}
			required(t, flags.name, '--name');
			required(t, flags.surname, '--surname');
			required(t, flags.codiceFiscale, '--codice-fiscale');
			required(t, flags.phone, '--phone');
			required(t, flags.email, '--email');
			return;
		}
		case 'rao add': {
			required(t, flags.name, '--name');
			required(t, flags.phone, '--phone');
			return;
		}
		default:
	}
}
