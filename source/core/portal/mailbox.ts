import {basename, join} from 'node:path';
import {DomainError, isDomainError} from '../errors.js';
import type {OutboxFilter, OutboxMessage} from '../notify/outbox.js';
import {readRegularFile} from '../store/safe-file.js';
import {writeNewFile, type PortalContext} from './context.js';

export interface OutboxAttachment {
	name: string;
	size: number;
	contentType: string;
}

/** An e-mail with its PDF is well under 16 MB; never read through a link or from a FIFO. */
const MAX_EML_BYTES = 16 * 1024 * 1024;

/**
 * The outbox as `mysign outbox` reads it: every SMS and e-mail the portal sent (open to every
 * user of the folder, like the outbox files themselves: see README), and an e-mail's attachments.
 */
export class MailboxService {
	constructor(private readonly context: PortalContext) {}

	list(filter: OutboxFilter = {}): Promise<OutboxMessage[]> {
		return this.context.outbox.list(filter);
	}

	/** The message's own .eml file (e-mails only), never a path the record names elsewhere; written on demand when the outbox is in a database. */
	emlPath(message: OutboxMessage): Promise<string | undefined> {
		return this.context.outbox.emlPath(message);
	}

	/** An e-mail's attachments as its .eml file holds them. */
	async attachments(message: OutboxMessage): Promise<OutboxAttachment[]> {
		const eml = await this.emlPath(message);
		if (!eml) return [];
		return (await parsedEml(eml)).attachments.map((attachment, index) => ({name: attachment.filename ?? `allegato-${index + 1}`, size: attachment.size ?? attachment.content.length, contentType: attachment.contentType}));
	}

	/** Writes an e-mail's attachments into `directory` (never over existing files); returns their paths. */
	async saveAttachments(messageId: number, directory: string): Promise<string[]> {
		const message = (await this.context.outbox.list({kind: 'email'})).find(entry => entry.id === messageId);
		const eml = message ? await this.context.outbox.emlPath(message) : undefined;
		if (!message || !eml) throw new DomainError('outbox.unknown', {id: messageId});
		const parsed = await parsedEml(eml);
		const written: string[] = [];
		for (const [index, attachment] of parsed.attachments.entries()) {
			// Only the file's own name, made safe: an attachment name cannot choose the folder.
			const safe = basename(attachment.filename ?? '').replace(/[^\w.-]/g, '_');
			const name = /^\.*$/.test(safe) ? `allegato-${index + 1}` : safe;
			// 0600: an attachment (a registration envelope, opened by a codice fiscale anyone can work
			// out) is no more readable than the outbox's .eml, even saved into a world-readable home.
			try {
				written.push(await writeNewFile(join(directory, name), attachment.content, 0o600));
			} catch (error) {
				// A partial failure says exactly what was done: the files saved stay, and are named.
				if (written.length === 0 || !isDomainError(error)) throw error;
				const path = String(error.params['path'] ?? join(directory, name));
				const reason = error.code === 'download.exists' ? 'EEXIST' : String(error.params['reason'] ?? error.code);
				throw new DomainError('outbox.savedPartly', {saved: written.join(', '), path, reason, left: parsed.attachments.length - index - 1});
			}
		}
		return written;
	}
}

/** A message's .eml, read bounded and never through a link, then parsed. */
async function parsedEml(eml: string) {
	const {simpleParser} = await import('mailparser');
	return simpleParser(await readRegularFile(eml, MAX_EML_BYTES));
}
