import {createHash} from 'node:crypto';
import {constants} from 'node:fs';
import {readdir, unlink} from 'node:fs/promises';
import {join} from 'node:path';
import {DomainError} from '../../errors.js';
import {outboxFileName, outboxMessageSchema, type KeptEmail, type OutboxFilter, type OutboxMessage, type OutboxStore} from '../../notify/outbox.js';
import {removeStrayTemporaries, writeFileAtomic} from '../atomic-write.js';
import {ensureRealDirectory, folderModes, isRealDirectory, openRegular} from '../safe-file.js';
import {displayUrl} from './database.js';
import {query, transaction} from './queries.js';

/*
 * The outbox in PostgreSQL (mysign_outbox), for servers sharing one database: one row per
 * message, its record (the JSON a folder's `<id>.<kind>.json` holds) and, for an e-mail, the .eml
 * bytes. Numbers come from the store's counter, as with a folder. Rows are checked on reading as
 * files are: one that is not a valid record of its own number and kind is skipped.
 *
 * `mysign outbox` and the attachments read an e-mail from a file: `emlPath` writes the row's .eml
 * into this server's `<data>/outbox/` when asked, with the folder's care (a real folder, never
 * through a link, atomic, 0600, or 0660 in a group's folder) and only when the file there is not
 * already those very bytes (a SHA-256 computed by the database: nothing else is transferred).
 */

/** As the folder's: a larger record is skipped. */
const MAX_RECORD_BYTES = 16 * 1024 * 1024;
/** An e-mail with its PDF is well under 16 MB (the mailbox reads no more). */
const MAX_EML_BYTES = 16 * 1024 * 1024;
/** What this server's outbox folder holds: .eml files written on demand and their temporary files. */
const CACHED_FILE = /^\d{8}\.email\.eml(\.\d+\.[0-9a-f]+\.tmp)?$/;

export class PostgresOutbox implements OutboxStore {
	/** This server's folder for the .eml files asked for (`emlPath`); the messages are in the database. */
	readonly directory: string;
	private cleaned: Promise<unknown> | undefined;

	constructor(
		dataDirectory: string,
		private readonly url: string,
	) {
		this.directory = join(dataDirectory, 'outbox');
	}

	describe(message: Pick<OutboxMessage, 'id' | 'kind'>): string {
		return `${displayUrl(this.url)} (mysign_outbox ${message.id})`;
	}

	/** One row, all or nothing; a row of the same number (a sender killed before its commit) is replaced, its .eml kept only if the record names one. */
	async deliver(message: OutboxMessage): Promise<void> {
		await query(
			this.url,
			`INSERT INTO mysign_outbox (id, user_id, kind, record) VALUES ($1, $2, $3, $4)
			 ON CONFLICT (id) DO UPDATE SET user_id = EXCLUDED.user_id, kind = EXCLUDED.kind, record = EXCLUDED.record,
			 eml = CASE WHEN $5 THEN mysign_outbox.eml END`,
			[message.id, message.userId, message.kind, JSON.stringify(message), Boolean(message.eml)],
		);
	}

	/** The record and the .eml in one row, written together. */
	async deliverEmail(message: OutboxMessage, eml: Buffer): Promise<void> {
		const record: OutboxMessage = {...message, kind: 'email', eml: outboxFileName(message.id, 'email.eml')};
		await query(
			this.url,
			`INSERT INTO mysign_outbox (id, user_id, kind, record, eml) VALUES ($1, $2, 'email', $3, $4)
			 ON CONFLICT (id) DO UPDATE SET user_id = EXCLUDED.user_id, kind = EXCLUDED.kind, record = EXCLUDED.record, eml = EXCLUDED.eml`,
			[record.id, record.userId, JSON.stringify(record), eml],
		);
	}

	async delivered(message: Pick<OutboxMessage, 'id' | 'kind'>): Promise<boolean> {
		const {rowCount} = await query(this.url, 'SELECT 1 FROM mysign_outbox WHERE id = $1 AND kind = $2', [message.id, message.kind]);
		return (rowCount ?? 0) > 0;
	}

	async hasEml(message: OutboxMessage): Promise<boolean> {
		if (!ownEml(message)) return false;
		const {rowCount} = await query(this.url, `SELECT 1 FROM mysign_outbox WHERE id = $1 AND kind = 'email' AND eml IS NOT NULL`, [message.id]);
		return (rowCount ?? 0) > 0;
	}

	async emlPath(message: OutboxMessage): Promise<string | undefined> {
		const name = ownEml(message);
		if (!name) return undefined;
		const {rows} = await query<{digest: Buffer}>(
			this.url,
			`SELECT sha256(eml) AS digest FROM mysign_outbox WHERE id = $1 AND kind = 'email' AND octet_length(eml) <= $2`,
			[message.id, MAX_EML_BYTES],
		);
		const digest = rows[0]?.digest;
		if (!digest) return undefined;
		// A real folder (never a planted link), with the data folder's modes.
		ensureRealDirectory(this.directory);
		const file = join(this.directory, name);
		if (await holds(file, digest, folderModes(this.directory).file)) return file;
		const {rows: found} = await query<{eml: Buffer}>(this.url, `SELECT eml FROM mysign_outbox WHERE id = $1 AND kind = 'email' AND eml IS NOT NULL`, [message.id]);
		const eml = found[0]?.eml;
		if (!eml) return undefined;
		await this.removeStrayTemporaries();
		// A temp file and a rename: a link or anything else at the name is replaced, never written through.
		await writeFileAtomic(file, eml);
		return file;
	}

	async list(filter: OutboxFilter = {}): Promise<OutboxMessage[]> {
		const {rows} = await query<{id: string; kind: string; record: string | null}>(
			this.url,
			`SELECT id, kind, CASE WHEN octet_length(record) <= $3 THEN record END AS record FROM mysign_outbox
			 WHERE ($1::text IS NULL OR user_id = $1) AND ($2::text IS NULL OR kind = $2) ORDER BY id`,
			[filter.userId || null, filter.kind ?? null, MAX_RECORD_BYTES],
		);
		const messages: OutboxMessage[] = [];
		for (const row of rows) {
			let value: unknown;
			try {
				value = row.record === null ? undefined : JSON.parse(row.record);
			} catch {
				continue;
			}
			const parsed = outboxMessageSchema.safeParse(value);
			// The record of its own row only (its number and kind), and of the holder asked for.
			if (!parsed.success || String(parsed.data.id) !== row.id || parsed.data.kind !== row.kind) continue;
			if (filter.userId && parsed.data.userId !== filter.userId) continue;
			messages.push(parsed.data);
		}
		return messages;
	}

	/** The database's counter is the store's, committed with its documents: never missing beside the rows. */
	highestNumber(): number {
		return 0;
	}

	/** The temp files of this server's processes killed while writing an .eml (see the folder's). */
	async removeStrayTemporaries(): Promise<void> {
		let present: boolean;
		try {
			present = isRealDirectory(this.directory);
		} catch {
			present = false;
		}
		if (present) await (this.cleaned ??= removeStrayTemporaries(this.directory).catch(() => 0));
	}

	/**
	 * In one transaction: each kept e-mail's row copied under its new number, then every other row
	 * numbered before `fence` deleted (what other servers sent since the reset's commit stays).
	 */
	async restart(kept: readonly KeptEmail[], fence: number): Promise<void> {
		await transaction(this.url, async client => {
			for (const {original, renumbered} of kept) {
				const record: OutboxMessage = {...renumbered, kind: 'email', eml: outboxFileName(renumbered.id, 'email.eml')};
				const {rowCount} = await client.query(
					`INSERT INTO mysign_outbox (id, user_id, kind, record, eml)
					 SELECT $1, $2, 'email', $3, eml FROM mysign_outbox WHERE id = $4 AND kind = 'email' AND eml IS NOT NULL
					 ON CONFLICT (id) DO UPDATE SET user_id = EXCLUDED.user_id, kind = EXCLUDED.kind, record = EXCLUDED.record, eml = EXCLUDED.eml`,
					[record.id, record.userId, JSON.stringify(record), original.id],
				);
				if (!ownEml(original) || rowCount !== 1) throw new DomainError('outbox.unknown', {id: original.id});
			}
			await client.query('DELETE FROM mysign_outbox WHERE id < $2 AND id <> ALL($1::bigint[])', [kept.map(({renumbered}) => renumbered.id), fence]);
		});
		await this.forgetFiles();
	}

	/** Every message gone, and the numbering restarts (as a folder's outbox/ and outbox.sequence removed). */
	async clear(): Promise<void> {
		await transaction(this.url, async client => {
			await client.query('DELETE FROM mysign_outbox');
			await client.query(`DELETE FROM mysign_counters WHERE name = 'outbox'`);
		});
		await this.forgetFiles();
	}

	/** The .eml files this server wrote: their numbers now name other messages, or none. */
	private async forgetFiles(): Promise<void> {
		let names: string[];
		try {
			// Never through a link put in place of the folder.
			names = isRealDirectory(this.directory) ? await readdir(this.directory) : [];
		} catch {
			return;
		}
		for (const name of names.filter(entry => CACHED_FILE.test(entry))) await unlink(join(this.directory, name)).catch(() => undefined);
	}
}

/** The record's own .eml name, `<id>.email.eml`, or undefined (a record naming none, or another file: see the folder's). */
function ownEml(message: OutboxMessage): string | undefined {
	const name = outboxFileName(message.id, 'email.eml');
	return message.eml === name ? name : undefined;
}

/** Whether `file` is a regular file (not a link) of this mode holding bytes of this SHA-256. */
async function holds(file: string, digest: Buffer, mode: number): Promise<boolean> {
	let handle;
	try {
		handle = await openRegular(file, constants.O_RDONLY);
	} catch {
		return false;
	}
	try {
		const stat = await handle.stat();
		if ((stat.mode & 0o7777) !== mode || stat.size > MAX_EML_BYTES) return false;
		return createHash('sha256').update(await handle.readFile()).digest().equals(digest);
	} catch {
		return false;
	} finally {
		await handle.close();
	}
}
