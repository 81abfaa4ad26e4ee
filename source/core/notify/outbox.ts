import {readdirSync} from 'node:fs';
import {readdir, unlink} from 'node:fs/promises';
import {join} from 'node:path';
import {z} from 'zod';
import {removeStrayTemporaries, writeFileAtomic} from '../store/atomic-write.js';
import {ensureRealDirectory, isRealDirectory, readRegularFile} from '../store/safe-file.js';

/** The largest message record read (a text of a megabyte is still shown, sanitised); larger ones are skipped. */
const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/*
 * The outbox: every SMS and e-mail the portal sends is a file in `<data>/outbox/` (0600 in a
 * 0700 folder; 0660 in a group's 2770 folder), named by a sequence number the store hands out,
 * so every process sees the same order. The phone companion and `mysign outbox` read it.
 */

export const outboxMessageSchema = z.object({
	id: z.number().int().positive(),
	kind: z.enum(['sms', 'email']),
	userId: z.string().nullable(),
	to: z.string(),
	at: z.string(),
	subject: z.string().optional(),
	text: z.string(),
	/** E-mails: the .eml file beside this record, and the names of its attachments. */
	eml: z.string().optional(),
	attachments: z.array(z.string()).optional(),
});

export type OutboxMessage = z.infer<typeof outboxMessageSchema>;

export class Outbox {
	readonly directory: string;

	constructor(dataDirectory: string) {
		this.directory = join(dataDirectory, 'outbox');
	}

	/**
	 * Once per process: temp files of senders killed mid-write. Only those whose process (the pid in
	 * the name) no longer runs go, so a live sender's temp file is never touched, with or without the
	 * store lock (e-mails are composed and written after it). Processes sharing a folder must share
	 * a pid namespace (one machine, as the store's flock requires).
	 */
	private cleaned: Promise<unknown> | undefined;

	private async prepare(): Promise<void> {
		ensureRealDirectory(this.directory);
		await this.removeStrayTemporaries();
	}

	/**
	 * Removes the temp files of senders killed mid-write. The store calls it with its own first
	 * cleanup, so a start that sends nothing still leaves no stray behind.
	 */
	async removeStrayTemporaries(): Promise<void> {
		// No outbox yet, or something else in its place: nothing to clean (a delivery reports the latter).
		if (!isRealDirectoryOrNot(this.directory)) return;
		await (this.cleaned ??= removeStrayTemporaries(this.directory).catch(() => 0));
	}

	/**
	 * The store hands out each number once, so files already bearing it are what a sender killed
	 * before its database write left: a message never sent. They go, so no two messages share an id.
	 */
	private async clearNumber(id: number, keep: string): Promise<void> {
		const number = String(id).padStart(8, '0');
		for (const name of [`${number}.sms.json`, `${number}.email.json`, `${number}.email.eml`]) {
			if (name !== keep) await unlink(join(this.directory, name)).catch(() => undefined);
		}
	}

	/** Writes one message atomically (temp file, fsync, rename). */
	async deliver(message: OutboxMessage): Promise<void> {
		await this.prepare();
		const name = `${String(message.id).padStart(8, '0')}.${message.kind}.json`;
		if (!message.eml) await this.clearNumber(message.id, name);
		await writeFileAtomic(join(this.directory, name), JSON.stringify(message, null, '\t') + '\n');
	}

	/** An e-mail: the real message as `<id>.email.eml` and its record for listing. */
	async deliverEmail(message: OutboxMessage, eml: Buffer): Promise<void> {
		await this.prepare();
		const name = `${String(message.id).padStart(8, '0')}.email.eml`;
		await this.clearNumber(message.id, name);
		await writeFileAtomic(join(this.directory, name), eml);
		await this.deliver({...message, kind: 'email', eml: name});
	}

	/**
	 * The path of an e-mail's .eml file: only its own, `<id>.email.eml` beside its record. A record
	 * is a file anyone of a shared folder's group can write, so its `eml` cannot name another path
	 * ("../db.json", another folder's file) for `outbox show` / `save` or a room reset to read.
	 */
	emlPath(message: OutboxMessage): string | undefined {
		return message.eml !== undefined && message.eml === `${String(message.id).padStart(8, '0')}.email.eml` ? join(this.directory, message.eml) : undefined;
	}

	/** The highest message number in the folder (0: none): where numbering goes on when outbox.sequence is missing. */
	highestNumber(): number {
		let names: string[];
		try {
			// A folder that is missing or not one (a link, a file: delivery refuses it, after the commit) holds none.
			names = isRealDirectory(this.directory) ? readdirSync(this.directory) : [];
		} catch {
			names = [];
		}
		let highest = 0;
		for (const name of names) {
			const match = /^(\d{8})\./.exec(name);
			if (match) highest = Math.max(highest, Number(match[1]));
		}
		return highest;
	}

	/** Messages in sending order, optionally only those of one holder. Unreadable files are skipped. */
	async list(filter: {userId?: string; kind?: OutboxMessage['kind']} = {}): Promise<OutboxMessage[]> {
		let names: string[];
		try {
			// A link in place of the folder is refused (file.notDirectory), not listed.
			if (!isRealDirectory(this.directory)) return [];
			names = await readdir(this.directory);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
			throw error;
		}
		const messages: OutboxMessage[] = [];
		for (const name of names.filter(entry => /^\d{8}\.(sms|email)\.json$/.test(entry)).sort()) {
			try {
				// Never through a link, never a FIFO, bounded.
				const parsed = outboxMessageSchema.safeParse(JSON.parse((await readRegularFile(join(this.directory, name), MAX_RECORD_BYTES)).toString('utf8')));
				if (!parsed.success) continue;
				if (filter.userId && parsed.data.userId !== filter.userId) continue;
				if (filter.kind && parsed.data.kind !== filter.kind) continue;
				messages.push(parsed.data);
			} catch {
				// a message being replaced or damaged is skipped, not fatal
			}
		}
		return messages;
	}
}

function isRealDirectoryOrNot(folder: string): boolean {
	try {
		return isRealDirectory(folder);
	} catch {
		return false;
	}
}
