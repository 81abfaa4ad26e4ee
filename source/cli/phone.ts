import {newestSmsCode, type Portal, toDisplayText} from '../core/index.js';
import type {Display} from '../ui/display.js';
import {formatTimeWithSeconds, type Language, type Translate} from '../ui/i18n/index.js';
import {cliDateTime, isoFromStored, isoWithOffset, jsonDocument} from './time.js';
import {operationLabel} from '../ui/phone/operations.js';
import {UsageError} from './usage.js';

/*
 * `mysign phone --user ID`: the holder's phone. Full screen on a terminal; `--print [--json]`
 * prints what it shows (the newest codes, the requests waiting, the SMS) and exits;
 * `--approve` / `--deny` answer the newest confirmation request waiting, as the app's buttons
 * do, for scripts. Approving is the app's act: the core lets only the OS user who activated the
 * app do it (core/otp/device.ts).
 */

export interface PhoneOptions {
	t: Translate;
	language: Language;
	/** Opens the data folder's portal (after the flags are checked). */
	open: () => Promise<Portal>;
	user: string | undefined;
	print: boolean;
	json: boolean;
	approve: boolean;
	deny: boolean;
	display: Display;
	showKeys: boolean;
}

/** Exit codes: 0 shown or answered; 1 nothing to answer (or refused by the core, reported by the caller); 2 usage. */
export async function phoneCommand(flags: PhoneOptions): Promise<number> {
	const {t} = flags;
	if (!flags.user) throw new UsageError(t('phone.needUser'));
	if (flags.approve && flags.deny) throw new UsageError(t('phone.cli.oneAnswer'));
	if ((flags.approve || flags.deny) && flags.print) throw new UsageError(t('phone.cli.answerNotPrint'));
	const portal = await flags.open();
	const options = {...flags, portal};
	const userId = flags.user.trim().toUpperCase();
	const name = await portal.phone.holderName(userId);
	if (!name) throw new UsageError(t('phone.unknownUser', {userId: flags.user}));
	if (options.approve || options.deny) return answer(options, userId);
	if (options.print) return print(options, userId, name);
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		process.stderr.write(t('cli.noTty') + '\n');
		return 2;
	}
	// Keys typed while the data loads are not echoed over the screen; Ink keeps raw mode from here.
	process.stdin.setRawMode(true);
	process.once('exit', () => process.stdin.setRawMode(false));
	const {runPhone} = await import('../ui/run.js');
	return runPhone({portal, language: options.language, display: options.display, userId, name, showKeys: options.showKeys});
}

type Opened = PhoneOptions & {portal: Portal};

async function requests(options: Opened, userId: string) {
	return (await options.portal.phone.pendingPushes(userId)).map(request => ({
		id: request.id,
		operation: request.operation,
		label: operationLabel(options.t, request.operation),
		createdAt: isoWithOffset(request.createdAt),
		expiresAt: isoWithOffset(request.expiresAt),
	}));
}

async function answer(options: Opened, userId: string): Promise<number> {
	const {t, portal} = options;
	const [request] = await requests(options, userId);
	if (!request) {
		const text = t('phone.cli.nothingPending', {userId});
		// --json: the error shape every command uses on stderr; stdout stays empty.
		process.stderr.write((options.json ? jsonDocument({error: {code: 'phone.nothingPending', message: text}}) : text) + '\n');
		return 1;
	}
	// Refusals (another OS user's app, an expired request) are domain errors: the caller prints them, exit 1.
	await portal.phone.answerPush(userId, request.id, options.approve);
	if (options.json) process.stdout.write(jsonDocument({userId, answered: options.approve ? 'approved' : 'denied', request}) + '\n');
	else process.stdout.write(t(options.approve ? 'phone.cli.approved' : 'phone.cli.denied', {operation: request.label}) + '\n');
	return 0;
}

async function print(options: Opened, userId: string, name: string): Promise<number> {
	const {t, portal, language} = options;
	const messages = await portal.phone.messages(userId);
	const authenticators = await portal.phone.authenticatorReadings(userId);
	const pending = await requests(options, userId);
	const sms = newestSmsCode(messages);
	const app = authenticators.find(reading => reading.device === 'app');
	const token = authenticators.find(reading => reading.device === 'token');
	if (options.json) {
		const code = {
			sms: sms?.code ?? null,
			smsAt: sms ? isoWithOffset(sms.at) : null,
			app: app?.code ?? null,
			token: token?.code ?? null,
			secondsLeft: app?.secondsLeft ?? token?.secondsLeft ?? null,
		};
		process.stdout.write(jsonDocument({userId, code, pendingRequests: pending, messages: [...messages].reverse().map(message => ({...message, at: isoFromStored(message.at)})), authenticators}) + '\n');
		return 0;
	}
	const lines = [t('phone.title', {name})];
	lines.push(sms ? `${t('phone.newestCode', {code: sms.code})} (${t('phone.newestCodeAt', {time: formatTimeWithSeconds(language, sms.at)})})` : t('phone.noSmsCode'));
	if (!app) lines.push(t('phone.noAuthenticator'));
	for (const reading of authenticators) lines.push(`${reading.device === 'app' ? t('phone.authenticator') : t('phone.token')}: ${t('phone.codeLine', {code: reading.code, seconds: reading.secondsLeft})}`);
	lines.push('');
	if (pending.length === 0) lines.push(t('phone.pushNone'));
	else {
		lines.push(t('phone.cli.pending'));
		for (const request of pending) lines.push(`  ${request.label}  ${t('phone.pushExpires', {time: cliDateTime(language, new Date(request.expiresAt))})}`);
	}
	lines.push('', t('phone.inbox'));
	if (messages.length === 0) lines.push(t('phone.empty'));
	for (const message of [...messages].reverse()) lines.push(`${cliDateTime(language, new Date(message.at))}  ${toDisplayText(message.to)}  ${toDisplayText(message.text)}`);
	process.stdout.write(lines.join('\n') + '\n');
	return 0;
}
