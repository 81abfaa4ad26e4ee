import {constants} from 'node:fs';
import {rename, rm, unlink} from 'node:fs/promises';
import {ensureRealDirectory, readRegularFile} from '../store/safe-file.js';
import {join} from 'node:path';
import {accessOutcomeSchema, type AccessEntry, type AccessOutcome} from '../store/schema.js';
import {appendLines, openRegularFile} from './jsonl-append.js';

/*
 * "Visualizza accessi", kept out of db.json (issue 17 item 4): logins, lock-outs, logouts and
 * account events go to one append-only JSON-lines file per holder, `<data>/access/<userID>.jsonl`,
 * like the signature log. The rule, also in the README ("Data folder"):
 *
 * - Code records an event by pushing it to `db.accessLog` inside a store update, as before; the
 *   store commits them with db.json and appends them here (fsynced) right after; the next write
 *   drops them from db.json, appending them first if a crash came in between (lines already at
 *   the end of a file are not written twice). So db.json holds at most one operation's entries,
 *   and an operation that did not commit is never logged. A db.json from before this change
 *   moves its entries here on its first write (the database version is unchanged).
 * - Attempts on identifiers that match nobody have no holder to be shown to; they are kept only
 *   for an operator investigating a guessing attack, in `<data>/access/unknown.jsonl`, which is
 *   rotated to `unknown.1.jsonl` (replacing the previous one) when it passes 1 MiB: at most about
 *   2 MiB in all, whatever the number of attempts. They hold the time, outcome and terminal,
 *   never what was typed.
 * - A holder's file grows with that holder's own events (about 110 bytes each) and is never
 *   rewritten; it is read once per process and then only from where the last read stopped.
 *
 * A store in PostgreSQL keeps the same log in its database (store/postgres/access-log.ts): both
 * are an `AccessLogStore`, chosen by store/postgres/logs.ts.
 */

/** When `unknown.jsonl` passes this size it becomes `unknown.1.jsonl`. */
export const UNKNOWN_LOG_MAX_BYTES = 1 << 20;

const OUTCOMES: ReadonlySet<string> = new Set(accessOutcomeSchema.options);

/** Attempts that failed ("Fallito" under "Esito"). */
const FAILED: ReadonlySet<AccessOutcome> = new Set<AccessOutcome>(['wrong-password', 'locked', 'recovery-failed', 'pin-blocked']);
/** A session's end (logout, timeouts, the portal closed): neither a success nor a failure, its own kind. */
export const SESSION_ENDS: ReadonlySet<AccessOutcome> = new Set<AccessOutcome>(['logout', 'session-idle', 'session-expired', 'session-closed']);

/** How "Esito" counts an access entry: true "Riuscito", false "Fallito", undefined neither (a session's end). */
export function accessSucceeded(outcome: AccessOutcome): boolean | undefined {
	if (SESSION_ENDS.has(outcome)) return undefined;
	return !FAILED.has(outcome);
}

/** A holder's entries, oldest first, and `Date.parse` of each one's time. */
export interface AccessLogReading {
	entries: readonly AccessEntry[];
	times: readonly number[];
}

/** What the store and the portal do with an access log, a folder's (`AccessLog`) or a database's (store/postgres/access-log.ts). */
export interface AccessLogStore {
	/**
	 * Appends entries (in order) to their holders' logs, or to the unknown-identifier log. The store
	 * appends an operation's entries again after a crash: an entry already there is not added twice.
	 */
	append(entries: readonly AccessEntry[]): Promise<void>;
	/** A holder's entries, oldest first; shared with a cache: callers must not change them. */
	read(userId: string): Promise<AccessLogReading>;
	/** The attempts on identifiers that match nobody still kept (the bounded log), oldest first. */
	readUnknown(): Promise<AccessEntry[]>;
	/** A holder's log goes (the room reset). */
	remove(userId: string): Promise<void>;
	/** Every log goes (a new demo room). */
	clear(): Promise<void>;
}

/** The unknown-identifier log read whole: at most two files of about 1 MiB, a batch besides. */
const MAX_UNKNOWN_BYTES = 64 * 1024 * 1024;

interface Cached {
	ino: number;
	consumed: number;
	entries: AccessEntry[];
	times: number[];
}

export class AccessLog implements AccessLogStore {
	readonly directory: string;
	private readonly cache = new Map<string, Cached>();

	constructor(dataDirectory: string) {
		this.directory = join(dataDirectory, 'access');
	}

	fileOf(userId: string): string {
		if (!/^[A-Z0-9]{1,16}$/.test(userId)) throw new Error(`not a userID: ${userId}`);
		return join(this.directory, `${userId}.jsonl`);
	}

	get unknownFile(): string {
		return join(this.directory, 'unknown.jsonl');
	}

	/** Appends entries (in order) to their holders' files, or to the unknown-identifier file. Call under the database lock. */
	async append(entries: readonly AccessEntry[]): Promise<void> {
		if (entries.length === 0) return;
		const groups = new Map<string, string[]>();
		for (const entry of entries) {
			const file = entry.userId === null ? this.unknownFile : this.fileOf(entry.userId);
			const lines = groups.get(file) ?? [];
			lines.push(lineOf(entry));
			groups.set(file, lines);
		}
		// A real folder (never a planted link), with the data folder's modes (private or a group's).
		ensureRealDirectory(this.directory);
		for (const [file, lines] of groups) {
			// Lines a crash left appended can only be these very lines (db.json holds nothing else): the end of the file is read as far as they reach.
			const {size, tail} = await readEnd(file, Buffer.byteLength(lines.join('')));
			const text = lines.filter(line => !tail.has(line)).join('');
			if (text === '') continue;
			if (file === this.unknownFile && size >= UNKNOWN_LOG_MAX_BYTES) await rename(file, join(this.directory, 'unknown.1.jsonl'));
			await appendLines(file, text);
		}
	}

	/** A holder's entries, oldest first, and their times in ms; shared with the cache: callers must not change them. */
	async read(userId: string): Promise<AccessLogReading> {
		const file = this.fileOf(userId);
		let handle;
		try {
			handle = await openRegularFile(file, constants.O_RDONLY);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {entries: [], times: []};
			throw error;
		}
		try {
			const {ino, size} = await handle.stat();
			let cached = this.cache.get(file);
			if (!cached || cached.ino !== ino || size < cached.consumed) {
				cached = {ino, consumed: 0, entries: [], times: []};
				this.cache.set(file, cached);
			}
			if (size > cached.consumed) {
				const buffer = Buffer.allocUnsafe(size - cached.consumed);
				let read = 0;
				while (read < buffer.length) {
					const {bytesRead} = await handle.read(buffer, read, buffer.length - read, cached.consumed + read);
					if (bytesRead === 0) break;
					read += bytesRead;
				}
				// Whole lines only; a line still being written is taken next time.
				const end = buffer.lastIndexOf(0x0a, read - 1) + 1;
				for (const line of buffer.toString('utf8', 0, end).split('\n')) {
					const entry = line === '' ? undefined : parseLine(line, userId);
					if (!entry) continue;
					cached.entries.push(entry);
					cached.times.push(Date.parse(entry.at));
				}
				cached.consumed += end;
			}
			return cached;
		} finally {
			await handle.close();
		}
	}

	/** `unknown.1.jsonl` (the rotated one), then `unknown.jsonl`. */
	async readUnknown(): Promise<AccessEntry[]> {
		const entries: AccessEntry[] = [];
		for (const file of [join(this.directory, 'unknown.1.jsonl'), this.unknownFile]) {
			let text: string;
			try {
				text = (await readRegularFile(file, MAX_UNKNOWN_BYTES)).toString('utf8');
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
				throw error;
			}
			for (const line of text.split('\n')) {
				const entry = line === '' ? undefined : parseLine(line, null);
				if (entry) entries.push(entry);
			}
		}
		return entries;
	}

	async remove(userId: string): Promise<void> {
		const file = this.fileOf(userId);
		this.cache.delete(file);
		await unlink(file).catch((error: NodeJS.ErrnoException) => {
			if (error.code !== 'ENOENT') throw error;
		});
	}

	async clear(): Promise<void> {
		this.cache.clear();
		await rm(this.directory, {recursive: true, force: true});
	}
}

/** One entry's line, its fields always in the same order (so a line written twice is recognised). */
export function lineOf(entry: AccessEntry): string {
	return JSON.stringify({id: entry.id, at: entry.at, userId: entry.userId, outcome: entry.outcome, terminal: entry.terminal}) + '\n';
}

/** The file's size and its whole lines within its last `window` bytes (each with its newline). */
async function readEnd(file: string, window: number): Promise<{size: number; tail: Set<string>}> {
	let handle;
	try {
		handle = await openRegularFile(file, constants.O_RDONLY);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {size: 0, tail: new Set()};
		throw error;
	}
	try {
		const {size} = await handle.stat();
		const length = Math.min(size, window + 1);
		const buffer = Buffer.alloc(length);
		await handle.read(buffer, 0, length, size - length);
		const lines = buffer.toString('utf8').split('\n');
		// The first piece may be the end of a longer line (unless the whole file was read); the last is empty or torn.
		return {size, tail: new Set(lines.slice(length === size ? 0 : 1, -1).map(line => line + '\n'))};
	} finally {
		await handle.close();
	}
}

/** A line checked field by field (a torn or hand-edited line is skipped); the file's holder must be the entry's (null: the unknown-identifier log). */
export function parseLine(line: string, userId: string | null): AccessEntry | undefined {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch {
		return undefined;
	}
	if (typeof value !== 'object' || value === null) return undefined;
	const entry = value as Record<string, unknown>;
	if (!Number.isInteger(entry['id']) || (entry['id'] as number) < 1) return undefined;
	if (typeof entry['at'] !== 'string' || Number.isNaN(Date.parse(entry['at']))) return undefined;
	if (entry['userId'] !== userId || typeof entry['outcome'] !== 'string' || !OUTCOMES.has(entry['outcome'])) return undefined;
	if (typeof entry['terminal'] !== 'string' || entry['terminal'].length > 200) return undefined;
	return {id: entry['id'] as number, at: entry['at'], userId, outcome: entry['outcome'] as AccessEntry['outcome'], terminal: entry['terminal']};
}
