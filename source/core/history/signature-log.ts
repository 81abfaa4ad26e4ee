import {closeSync, constants, existsSync, fstatSync, readSync} from 'node:fs';
import {lstat, rm} from 'node:fs/promises';
import {join} from 'node:path';
import {writeFileAtomic} from '../store/atomic-write.js';
import {FileLock} from '../store/lock.js';
import {ensureRealDirectory, openRegular, openRegularSync} from '../store/safe-file.js';
import {appendLines} from './jsonl-append.js';
import {addRecord, emptyColumns, FINGERPRINT_WINDOW, fingerprintAt, fingerprintOf, INDEX_EVERY, indexFileOf, type LogColumns, readIndex, readRecords, readRecordsSync, writeIndex} from './signature-index.js';
import {signatureRecordSchema, type SignatureRecord} from './signature-record.js';
import {indexLines} from './signature-scan.js';

export type {SignatureOutcome, SignatureRecord} from './signature-record.js';

/*
 * Every signature attempt, kept out of db.json: one append-only JSON-lines file per holder in
 * `<data>/signatures/`. A holder with 100 000 signatures costs nothing to a PIN change or a
 * login, which rewrite only db.json. Appends take a flock on the holder's file, start on a
 * fresh line and are fsynced; a line torn by a crash is skipped when reading. A store in
 * PostgreSQL keeps the log in its database instead (store/postgres/signature-log.ts): both are a
 * `SignatureLogStore`, chosen by store/postgres/logs.ts.
 */

export interface SignatureLogReading {
	/** Oldest first, as appended; shared with the cache: callers must not change them. */
	records: readonly SignatureRecord[];
	/** `Date.parse(record.at)` of each record. */
	times: readonly number[];
	/** Lines that were not valid records (a torn last line after a crash, or a hand edit). */
	skipped: number;
}

/**
 * A holder's log as columns, for «Cronologia firme»: the time and outcome of every valid record;
 * the records themselves are read from their lines only when shown (a page is a dozen of 100 000).
 * Shared with the cache: callers must not change it.
 */
export interface SignatureLogView {
	/** Valid records, oldest first as appended. */
	readonly count: number;
	/** `Date.parse(record.at)` of each record. */
	readonly times: ArrayLike<number>;
	/** Whether every time is at or after the one before (logs are appended as things happen). */
	readonly ascending: boolean;
	readonly skipped: number;
	succeeded(index: number): boolean;
	/**
	 * The records at these indexes, read from their lines. Undefined when the file no longer has
	 * them where the view says (replaced or edited in place since): read a new view.
	 */
	records(indexes: readonly number[]): Promise<SignatureRecord[] | undefined>;
}

/** `SignatureLogView` whose `records` answers at once (see `SignatureLog.viewNow`). */
export type SignatureLogViewNow = Omit<SignatureLogView, 'records'> & {records(indexes: readonly number[]): SignatureRecord[] | undefined};

/** What the portal does with the signature log, a folder's (`SignatureLog`) or a database's (store/postgres/signature-log.ts). */
export interface SignatureLogStore {
	/** Appends records for one holder, durably, after those already there. */
	append(userId: string, records: readonly SignatureRecord[]): Promise<void>;
	/** Replaces a holder's whole history (the demo data set). */
	replace(userId: string, records: readonly SignatureRecord[]): Promise<void>;
	/** All valid records of a holder, oldest first, their times, and how many were not valid. */
	read(userId: string): Promise<SignatureLogReading>;
	/** The same records as columns; a record is read when asked for. */
	view(userId: string): Promise<SignatureLogView>;
	/** `view` without waiting, when this process can answer at once; undefined otherwise (then call `view`). */
	viewNow(userId: string): SignatureLogViewNow | undefined;
	/** How many records the holder's log keeps, valid or not (0: none): a room reset keeps a history nobody added to. */
	count(userId: string): Promise<number>;
	/** Whether the holder has a log at all (an empty one included). */
	has(userId: string): Promise<boolean>;
	/** Every holder's log goes (a new demo room). */
	clear(): Promise<void>;
}

export class SignatureLog implements SignatureLogStore {
	readonly directory: string;
	private readonly cache = new Map<string, LogColumns>();

	constructor(dataDirectory: string) {
		this.directory = join(dataDirectory, 'signatures');
	}

	fileOf(userId: string): string {
		if (!/^[A-Z0-9]{1,16}$/.test(userId)) throw new Error(`not a userID: ${userId}`);
		return join(this.directory, `${userId}.jsonl`);
	}

	/** Appends records for one holder, durably, under that holder's file lock. */
	async append(userId: string, records: readonly SignatureRecord[]): Promise<void> {
		if (records.length === 0) return;
		for (const record of records) signatureRecordSchema.parse(record);
		ensureRealDirectory(this.directory);
		const file = this.fileOf(userId);
		const lines = records.map(record => JSON.stringify(record) + '\n').join('');
		await new FileLock(`${file}.lock`).with(() => appendLines(file, lines));
	}

	/** Replaces a holder's whole history (the demo data set). */
	async replace(userId: string, records: readonly SignatureRecord[]): Promise<void> {
		ensureRealDirectory(this.directory);
		const file = this.fileOf(userId);
		await new FileLock(`${file}.lock`).with(async () => {
			const lines = records.map(record => JSON.stringify(signatureRecordSchema.parse(record)) + '\n');
			const content = Buffer.from(lines.join(''));
			await writeFileAtomic(file, content);
			this.cache.delete(file);
			await rm(indexFileOf(file), {force: true});
			if (records.length < INDEX_EVERY) return;
			// The index of what was just written, so that the first reader need not build it.
			const columns = emptyColumns(file, (await lstat(file)).ino);
			columns.consumed = content.length;
			let offset = 0;
			for (const [index, line] of lines.entries()) {
				const length = Buffer.byteLength(line);
				addRecord(columns, offset, offset + length - 1, Date.parse(records[index]!.at), records[index]!.outcome === 'success');
				offset += length;
			}
			await writeIndex(columns, fingerprintOf(content.subarray(0, FINGERPRINT_WINDOW), content.subarray(Math.max(0, content.length - FINGERPRINT_WINDOW)), content.length)).catch(() => undefined);
		});
	}

	/**
	 * All records of a holder in the order they were appended, and their times in ms. Kept in
	 * memory per process: a later call reads only what was appended since, so a holder with
	 * 100 000 signatures costs one full read per process, not one per page or filter.
	 */
	async read(userId: string): Promise<SignatureLogReading> {
		for (let attempt = 0; ; attempt++) {
			const view = await this.view(userId);
			const records = await view.records(Array.from({length: view.count}, (_, index) => index));
			if (records) return {records, times: Array.from(records, record => Date.parse(record.at)), skipped: view.skipped};
			if (attempt === 2) throw new Error(`the signature log of ${userId} keeps changing while it is read`);
		}
	}

	/**
	 * The same records as `read`, as columns: each line's time and outcome are taken when the
	 * file is indexed (checked as strictly as `read` checks them), a record is read when asked for.
	 */
	async view(userId: string): Promise<SignatureLogView> {
		const columns = await this.columns(this.fileOf(userId));
		return columns ? this.viewOf(columns) : EMPTY_VIEW;
	}

	/** The holder's file indexed up to its last whole line; undefined when there is none. */
	private async columns(file: string): Promise<LogColumns | undefined> {
		let handle;
		try {
			handle = await openRegular(file, constants.O_RDONLY);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
			throw error;
		}
		try {
			const {ino, size} = await handle.stat();
			let cached = this.cache.get(file);
			// A replaced (other inode) or shortened file is indexed again from the start (or the index file).
			if (!cached || cached.ino !== ino || size < cached.consumed) {
				cached = (await readIndex(file, handle, ino, size)) ?? emptyColumns(file, ino);
				this.cache.set(file, cached);
			}
			if (size > cached.consumed) {
				const base = cached.consumed;
				const tail = Buffer.allocUnsafe(size - base);
				let read = 0;
				while (read < tail.length) {
					const {bytesRead} = await handle.read(tail, read, tail.length - read, base + read);
					if (bytesRead === 0) break;
					read += bytesRead;
				}
				// Only whole lines are taken; a line still being written is read next time. Lines that
				// another reader in this process (`viewNow`, or a second `view`) indexed meanwhile are not taken twice.
				const end = tail.lastIndexOf(0x0a, read - 1) + 1;
				if (end > 0 && cached.consumed === base) {
					indexLines(cached, tail.subarray(0, end), cached.consumed);
					cached.consumed += end;
				}
			}
			if (cached.unsaved >= INDEX_EVERY) {
				cached.unsaved = 0;
				// A cache: a folder that cannot take it (read-only) just goes without.
				await writeIndex(cached, await fingerprintAt(handle, cached.consumed)).catch(() => undefined);
			}
			return cached;
		} finally {
			await handle.close();
		}
	}

	/**
	 * `view` without waiting, for a log this process has already opened (a filter change in
	 * «Cronologia firme» draws its result in the same frame as the choice): lines appended since
	 * are indexed as `view` does, with synchronous reads. Undefined when the log was never opened
	 * here, was replaced or shortened, or is gone: call `view`. `records` of the result is
	 * synchronous too (undefined when the file changed under the view).
	 */
	viewNow(userId: string): SignatureLogViewNow | undefined {
		const file = this.fileOf(userId);
		const cached = this.cache.get(file);
		if (!cached) return undefined;
		let fd;
		try {
			fd = openRegularSync(file, constants.O_RDONLY);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
			throw error;
		}
		try {
			const {ino, size} = fstatSync(fd);
			if (cached.ino !== ino || size < cached.consumed) return undefined;
			if (size > cached.consumed) {
				const tail = Buffer.allocUnsafe(size - cached.consumed);
				let read = 0;
				while (read < tail.length) {
					const bytesRead = readSync(fd, tail, read, tail.length - read, cached.consumed + read);
					if (bytesRead === 0) break;
					read += bytesRead;
				}
				// Only whole lines; the index file is left to the next `view` (it writes it after 1 000 new lines).
				const end = tail.lastIndexOf(0x0a, read - 1) + 1;
				if (end > 0) {
					indexLines(cached, tail.subarray(0, end), cached.consumed);
					cached.consumed += end;
				}
			}
		} finally {
			closeSync(fd);
		}
		return {...this.viewOf(cached), records: indexes => readRecordsSync(cached, indexes)};
	}

	/** The file's lines that are not empty: the valid records and the skipped ones. */
	async count(userId: string): Promise<number> {
		const view = await this.view(userId);
		return view.count + view.skipped;
	}

	async has(userId: string): Promise<boolean> {
		return existsSync(this.fileOf(userId));
	}

	async clear(): Promise<void> {
		this.cache.clear();
		await rm(this.directory, {recursive: true, force: true});
	}

	private viewOf(columns: LogColumns): SignatureLogView {
		return {
			count: columns.count,
			times: columns.times.subarray(0, columns.count),
			ascending: columns.ascending,
			skipped: columns.skipped,
			succeeded: index => columns.outcomes[index] === 1,
			records: async indexes => {
				const records = await readRecords(columns, indexes);
				if (!records && this.cache.get(columns.file) === columns) {
					// The file changed under the index: start again from its lines.
					this.cache.delete(columns.file);
					await rm(indexFileOf(columns.file), {force: true});
				}
				return records;
			},
		};
	}
}

const EMPTY_VIEW: SignatureLogView = {count: 0, times: [], ascending: true, skipped: 0, succeeded: () => false, records: async indexes => (indexes.length === 0 ? [] : undefined)};
