import {isDomainError, DomainError, type OutboxMessage, type Portal, toDisplayText} from '../core/index.js';
import {describeError, type Language, type Translate} from '../ui/i18n/index.js';
import {cliDateTime, isoFromStored, jsonDocument} from './time.js';
import {UsageError} from './usage.js';

/*
 * `mysign outbox [--user ID]` (one line per message), `mysign outbox show N` (a message's full
 * text, sanitised line by line for the terminal, and its attachments with their sizes) and
 * `mysign outbox save N DIR` (an e-mail's attachments into a folder, never over a file).
 * Times: Italian time with its zone; in `--json` ISO 8601 with the Italian offset.
 */

const out = (text: string) => process.stdout.write(text + '\n');

function asUsage(t: Translate, error: unknown): never {
	// A folder that cannot be written (missing, not a folder) is a run-time failure (exit 1), not a usage error.
	if (isDomainError(error) && /^(outbox|download)\./.test(error.code) && error.code !== 'download.failed' && error.code !== 'outbox.savedPartly') throw new UsageError(describeError(t, error));
	throw error;
}

/** The message number of `show N` / `save N …`, refused unless a positive integer. */
function messageNumber(t: Translate, text: string | undefined, usage: 'admin.outboxSaveUsage' | 'outbox.showUsage'): number {
	if (text === undefined || !/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(t(usage));
	return Number(text);
}

/** A record as `--json` gives it: the time with its offset, the .eml's path. */
async function shownRecord(portal: Portal, message: OutboxMessage) {
	return {...message, at: isoFromStored(message.at), eml: message.eml ? await portal.mailbox.emlPath(message) : undefined};
}

async function show(t: Translate, language: Language, portal: Portal, id: number, json: boolean): Promise<number> {
	const message = (await portal.mailbox.list()).find(entry => entry.id === id);
	// `show` prints an SMS as well as an e-mail: the refusal says "message", not "e-mail".
	if (!message) return asUsage(t, new DomainError('outbox.noMessage', {id}));
	const attachments = await portal.mailbox.attachments(message);
	if (json) {
		out(jsonDocument({...(await shownRecord(portal, message)), attachments}));
		return 0;
	}
	const at = new Date(message.at);
	const lines = [
		t('outbox.show.title', {id, kind: t(message.kind === 'sms' ? 'outbox.kind.sms' : 'outbox.kind.email'), time: Number.isNaN(at.getTime()) ? message.at : cliDateTime(language, at)}),
		t('outbox.show.to', {to: message.to}) + (message.userId ? ` (${toDisplayText(message.userId, 20)})` : ''),
	];
	if (message.subject !== undefined) lines.push(t('outbox.show.subject', {subject: message.subject}));
	// Line by line: the text keeps its lines, each cleared of escapes and control characters.
	lines.push('', ...message.text.split(/\r?\n/).map(line => toDisplayText(line)));
	if (message.kind === 'email') {
		lines.push('');
		if (attachments.length === 0) lines.push(t('outbox.show.noAttachments'));
		else {
			const size = new Intl.NumberFormat(language === 'it' ? 'it-IT' : 'en-GB');
			lines.push(t('outbox.show.attachments', {count: attachments.length}));
			for (const attachment of attachments) lines.push(`  ${toDisplayText(attachment.name, 60)}  ${t('outbox.show.size', {size: size.format(attachment.size)})}`);
			lines.push(t('outbox.show.saveHint', {id}));
		}
	}
	out(lines.join('\n'));
	return 0;
}

/** `mysign outbox [--user ID]`, `mysign outbox show N` and `mysign outbox save N DIR`. */
export async function outboxCommand(t: Translate, language: Language, portal: Portal, words: readonly string[], options: {user: string | undefined; json: boolean}): Promise<number> {
	if (words[0] === 'show') {
		if (words.length !== 2) throw new UsageError(t('outbox.showUsage'));
		return show(t, language, portal, messageNumber(t, words[1], 'outbox.showUsage'), options.json);
	}
	if (words[0] === 'save') {
		if (words.length !== 3) throw new UsageError(t('admin.outboxSaveUsage'));
		const id = messageNumber(t, words[1], 'admin.outboxSaveUsage');
		const written = await portal.mailbox.saveAttachments(id, words[2]!).catch((error: unknown) => asUsage(t, error));
		out(options.json ? jsonDocument({saved: written}) : written.length === 0 ? t('admin.noAttachments', {id}) : written.map(file => t('admin.saved', {file: toDisplayText(file)})).join('\n'));
		return 0;
	}
	if (words.length > 0) throw new UsageError(t('cli.unknownCommand', {command: `outbox ${words.join(' ')}`}));
	const messages = await portal.mailbox.list(options.user ? {userId: options.user.trim().toUpperCase()} : {});
	if (options.json) {
		// One at a time: from a database, each .eml is written to this server's outbox/ in turn.
		const shown = [];
		for (const message of messages) shown.push(await shownRecord(portal, message));
		out(jsonDocument({messages: shown}));
		return 0;
	}
	if (messages.length === 0) out(t('phone.empty'));
	for (const message of messages) {
		const what = message.kind === 'sms' ? `SMS  ${toDisplayText(message.text, 100)}` : `MAIL ${toDisplayText(message.subject ?? '', 70)}${message.attachments?.length ? `  [${message.attachments.map(name => toDisplayText(name, 40)).join(', ')}]` : ''}`;
		const at = new Date(message.at);
		const time = Number.isNaN(at.getTime()) ? toDisplayText(message.at, 21) : cliDateTime(language, at);
		out(`${String(message.id).padStart(5)}  ${time.padEnd(21)}  ${toDisplayText(message.to, 32).padEnd(24)}  ${what}`);
	}
	return 0;
}
