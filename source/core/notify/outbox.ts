import {existsSync, lstatSync, readdirSync} from 'node:fs';
import {readdir, rename, rm, unlink} from 'node:fs/promises';
import {basename, join} from 'node:path';
import {z} from 'zod';
import {removeStrayTemporaries, writeFileAtomic} from '../store/atomic-write.js';
import {ensureRealDirectory, isRealDirectory, readRegularFile} from '../store/safe-file.js';

/** The largest message record read (a text of a megabyte is still shown, sanitised); larger ones are skipped. */
const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/*
 * The outbox: every SMS and e-mail the portal sends is a file in `<data>/outbox/` (0600 in a
 * 0700 folder; 0660 in a group's 2770 folder), named by a sequence number the store hands out,
 * so every process sees the same order. The phone companion and `mysign outbox` read it. A store
 * in PostgreSQL keeps the messages in its database (store/postgres/outbox.ts): both are an
 * `OutboxStore`, chosen by store/postgres/logs.ts.
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

export interface OutboxFilter {
	userId?: string;
	kind?: OutboxMessage['kind'];
}

/** An e-mail the room reset keeps: sent again as `renumbered` (a new number, the same .eml). */
export interface KeptEmail {
	original: OutboxMessage;
	/** The new record, without `eml` (the outbox names the .eml itself). */
	renumbered: OutboxMessage;
}

/**
 * What the portal does with an outbox, a folder's (`Outbox`) or a database's
 * (store/postgres/outbox.ts). Numbers are handed out by the store, each once.
 */
export interface OutboxStore {
	/** Where a message is kept, for an error saying it could not be written (a file, or a row of a database named without its password). */
	describe(message: Pick<OutboxMessage, 'id' | 'kind'>): string;
	/** Writes one message (an SMS, or an e-mail's record): readers see all of it or nothing. */
	deliver(message: OutboxMessage): Promise<void>;
	/** An e-mail: its real message (the .eml bytes) and its record for listing. */
	deliverEmail(message: OutboxMessage, eml: Buffer): Promise<void>;
	/** Whether this message (number and kind) is in the outbox already. */
	delivered(message: Pick<OutboxMessage, 'id' | 'kind'>): Promise<boolean>;
	/** Whether the e-mail's own .eml is there (a regular file, never a link or a FIFO; a database row that has one). */
	hasEml(message: OutboxMessage): Promise<boolean>;
	/**
	 * A file holding the e-mail's .eml (only its own, never a path its record names elsewhere), for
	 * `mysign outbox` and the attachments; undefined for an SMS or a record naming something else.
	 */
	emlPath(message: OutboxMessage): Promise<string | undefined>;
	/** Messages in sending order, optionally only those of one holder or kind; invalid ones skipped. */
	list(filter?: OutboxFilter): Promise<OutboxMessage[]>;
	/** The highest message number kept here (0: none), where numbering goes on when its counter is missing. */
	highestNumber(): number;
	/** Leftovers of senders killed mid-write (nothing to do in a database). */
	removeStrayTemporaries(): Promise<void>;
	/** The room reset: every message goes but these e-mails, each sent again under its new number with its .eml. */
	/** The room reset's outbox: `kept` under their new numbers, every other message numbered before `fence` gone. */
	restart(kept: readonly KeptEmail[], fence: number): Promise<void>;
	/** Every message goes (a new demo room). */
	clear(): Promise<void>;
}

/** What the outbox folder holds: message records, e-mails, and the temporary files of a write (see atomic-write.ts). */
const OUTBOX_FILE = /^\d{8}\.(sms\.json|email\.json|email\.eml)(\.\d+\.[0-9a-f]+\.tmp)?$/;

/** `<id>.<kind>.json` or `<id>.email.eml`: a message's own file names. */
export const outboxFileName = (id: number, suffix: 'sms.json' | 'email.json' | 'email.eml') => `${String(id).padStart(8, '0')}.${suffix}`;

export class Outbox implements OutboxStore {
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
		for (const name of [outboxFileName(id, 'sms.json'), outboxFileName(id, 'email.json'), outboxFileName(id, 'email.eml')]) {
			if (name !== keep) await unlink(join(this.directory, name)).catch(() => undefined);
		}
	}

	describe(message: Pick<OutboxMessage, 'id' | 'kind'>): string {
		return join(this.directory, outboxFileName(message.id, `${message.kind}.json`));
	}

	async delivered(message: Pick<OutboxMessage, 'id' | 'kind'>): Promise<boolean> {
		return existsSync(this.describe(message));
	}

	/** Writes one message atomically (temp file, fsync, rename). */
	async deliver(message: OutboxMessage): Promise<void> {
		await this.prepare();
		const name = outboxFileName(message.id, `${message.kind}.json`);
		if (!message.eml) await this.clearNumber(message.id, name);
		await writeFileAtomic(join(this.directory, name), JSON.stringify(message, null, '\t') + '\n');
	}

	/** An e-mail: the real message as `<id>.email.eml` and its record for listing. */
	async deliverEmail(message: OutboxMessage, eml: Buffer): Promise<void> {
		await this.prepare();
		const name = outboxFileName(message.id, 'email.eml');
		await this.clearNumber(message.id, name);
		await writeFileAtomic(join(this.directory, name), eml);
		await this.deliver({...message, kind: 'email', eml: name});
	}

	/**
	 * The path of an e-mail's .eml file: only its own, `<id>.email.eml` beside its record. A record
	 * is a file anyone of a shared folder's group can write, so its `eml` cannot name another path
	 * ("../db.json", another folder's file) for `outbox show` / `save` or a room reset to read.
	 */
	async emlPath(message: OutboxMessage): Promise<string | undefined> {
		return this.ownEml(message);
	}

	private ownEml(message: OutboxMessage): string | undefined {
		return message.eml !== undefined && message.eml === outboxFileName(message.id, 'email.eml') ? join(this.directory, message.eml) : undefined;
	}

	async hasEml(message: OutboxMessage): Promise<boolean> {
		const path = this.ownEml(message);
		try {
			return path !== undefined && lstatSync(path).isFile();
		} catch {
			return false;
		}
	}

	/**
	 * The kept e-mails' .eml files are renamed to their new numbers (no copy to write and fsync),
	 * every other file of the outbox goes, then the new records are written. The folder is checked
	 * again here, not only when listed: a link put in place of outbox/ meanwhile (a group member may
	 * rename entries of a shared folder) is refused, never emptied. Only the outbox's own files go,
	 * one by one: nothing else is ever deleted, even through a link swapped in after the check.
	 */
	async restart(kept: readonly KeptEmail[], fence: number): Promise<void> {
		const keep = new Map<string, string>();
		for (const {original, renumbered} of kept) {
			const eml = this.ownEml(original);
			if (eml) keep.set(basename(eml), outboxFileName(renumbered.id, 'email.eml'));
		}
		const names = isRealDirectory(this.directory) ? await readdir(this.directory) : [];
		// Numbered at or after the fence: sent since the reset's commit, kept.
		for (const name of names.filter(entry => OUTBOX_FILE.test(entry) && Number(entry.slice(0, 8)) < fence)) {
			const file = join(this.directory, name);
			const renamed = keep.get(name);
			await (renamed ? rename(file, join(this.directory, renamed)) : unlink(file).catch(() => undefined));
		}
		// Eight at a time: each record is fsynced.
		for (let start = 0; start < kept.length; start += 8) {
			await Promise.all(kept.slice(start, start + 8).map(({renumbered}) => this.deliver({...renumbered, kind: 'email', eml: outboxFileName(renumbered.id, 'email.eml')})));
		}
	}

	async clear(): Promise<void> {
		await rm(this.directory, {recursive: true, force: true});
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
	async list(filter: OutboxFilter = {}): Promise<OutboxMessage[]> {
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
