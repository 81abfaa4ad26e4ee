import {NO_HOLDER} from '../store/scope.js';
import {nextSequence, type Database} from '../store/schema.js';
import type {OutboxMessage, OutboxStore} from './outbox.js';

/*
 * Real RFC 5322 messages (.eml) for the outbox, with attachments, built by nodemailer's
 * MailComposer (loaded on demand).
 */

export interface EmailInput {
	from: string;
	to: string;
	subject: string;
	text: string;
	date: Date;
	attachments?: {filename: string; content: Buffer; contentType: string}[];
}

export async function composeEmail(input: EmailInput): Promise<Buffer> {
	const {default: MailComposer} = await import('nodemailer/lib/mail-composer/index.js');
	const composer = new MailComposer({
		from: input.from,
		to: input.to,
		subject: input.subject,
		text: input.text,
		date: input.date,
		attachments: input.attachments?.map(attachment => ({filename: attachment.filename, content: attachment.content, contentType: attachment.contentType})),
	});
	return new Promise((resolve, reject) => composer.compile().build((error, message) => (error ? reject(error) : resolve(message))));
}

/** The Store's `update`, by shape: store.ts delivers queued e-mails through this module, so it does not import the Store. */
interface SequenceStore {
	update<R>(change: (db: Database) => R | Promise<R>, scope?: string): Promise<R>;
}

/** Composes an e-mail and drops it in the outbox under the next outbox number. */
export async function sendEmail(
	store: SequenceStore,
	outbox: OutboxStore,
	input: Omit<EmailInput, 'from' | 'date'> & {userId: string | null; at: Date},
): Promise<OutboxMessage> {
	const eml = await composeEmail({...input, from: 'InfoCert <noreply@mysign.local>', date: input.at});
	const id = await store.update(db => nextSequence(db, 'outbox'), NO_HOLDER);
	const message: OutboxMessage = {
		id,
		kind: 'email',
		userId: input.userId,
		to: input.to,
		at: input.at.toISOString(),
		subject: input.subject,
		text: input.text,
		attachments: input.attachments?.map(attachment => attachment.filename),
	};
	await outbox.deliverEmail(message, eml);
	return message;
}
