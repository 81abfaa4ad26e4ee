import {createHash, randomBytes} from 'node:crypto';
import {closeSync, constants, fstatSync, readSync} from 'node:fs';
import {lstat, rename, rm, type FileHandle} from 'node:fs/promises';
import {writeFileAtomic} from '../store/atomic-write.js';
import {createExclusive, ensureRealDirectory, openRegular, openRegularSync, readRegularFile} from '../store/safe-file.js';
import {appendLines} from './jsonl-append.js';
import {join} from 'node:path';
import {z} from 'zod';
import {FileLock} from '../store/lock.js';

/*
 * Every signature attempt, kept out of db.json: one append-only JSON-lines file per holder in
 * `<data>/signatures/`. A holder with 100 000 signatures costs nothing to a PIN change or a
 * login, which rewrite only db.json. Appends take a flock on the holder's file, start on a
 * fresh line and are fsynced; a line torn by a crash is skipped when reading.
 */

const isoDate = z.string().refine(value => !Number.isNaN(Date.parse(value)), 'not an ISO date');

export const signatureOutcomeSchema = z.enum(['success', 'failure']);

export const signatureRecordSchema = z.object({
	at: isoDate,
	/** The document's file name (not its folder). */
	document: z.string().min(1).max(255),
	/** SHA-256 of the document, when it could be read. */
	sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
	size: z.number().int().min(0).nullable(),
	outcome: signatureOutcomeSchema,
	/** For a failure: the error code (an i18n key), e.g. "pin.wrong" or "sign.notActive", or the words of a failure that has none (shown in full in the row's detail). */
	reason: z.string().max(1000).nullable(),
	/** The OTP channel that confirmed it. */
	channel: z.enum(['sms', 'app', 'token', 'push', 'email']).nullable(),
	/** The certificate's X.509 serial (hex) it was signed with. */
	certificateSerial: z.string().regex(/^[0-9a-f]*$/).nullable(),
});

export type SignatureRecord = z.infer<typeof signatureRecordSchema>;
export type SignatureOutcome = z.infer<typeof signatureOutcomeSchema>;

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

/** One file as indexed so far: where each valid record's line is, its time and outcome. */
interface LogColumns {
	file: string;
	ino: number;
	/** Bytes of whole lines indexed so far. */
	consumed: number;
	/** Valid records; the arrays below have room for more. */
	count: number;
	starts: Float64Array;
	ends: Float64Array;
	times: Float64Array;
	/** 1 success, 0 failure. */
	outcomes: Uint8Array;
	ascending: boolean;
	skipped: number;
	/** Lines indexed since the index file was written or read. */
	unsaved: number;
}

/*
 * The index file `<userID>.idx` beside the log keeps the columns of a long log, so that a new
 * process (every terminal that opens «Cronologia firme») reads 25 bytes per record instead of
 * reading and checking every line: 100 000 signatures are 26 MB of JSON lines and 2.5 MB of
 * index. It is a cache: written (atomically, no fsync) by whoever indexed 1 000 new lines, and
 * used only for the same file (inode) whose first and last 4 KB up to the indexed length still
 * hash the same; the lines after it are read as usual. A record read for display must be the
 * one the index says (valid, same time and outcome), or the index is dropped and rebuilt.
 */
const INDEX_MAGIC = 'MSIGIDX1';
const INDEX_HEADER = 96;
const INDEX_EVERY = 1000;
const FINGERPRINT_WINDOW = 4096;

export class SignatureLog {
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
	viewNow(userId: string): (Omit<SignatureLogView, 'records'> & {records(indexes: readonly number[]): SignatureRecord[] | undefined}) | undefined {
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

function emptyColumns(file: string, ino: number): LogColumns {
	return {file, ino, consumed: 0, count: 0, starts: new Float64Array(0), ends: new Float64Array(0), times: new Float64Array(0), outcomes: new Uint8Array(0), ascending: true, skipped: 0, unsaved: 0};
}

function addRecord(columns: LogColumns, start: number, end: number, time: number, success: boolean): void {
	const {count} = columns;
	if (count === columns.times.length) {
		const room = Math.max(1024, count * 2);
		const grow = <T extends Float64Array | Uint8Array>(array: T, make: (length: number) => T): T => {
			const grown = make(room);
			grown.set(array);
			return grown;
		};
		columns.starts = grow(columns.starts, length => new Float64Array(length));
		columns.ends = grow(columns.ends, length => new Float64Array(length));
		columns.times = grow(columns.times, length => new Float64Array(length));
		columns.outcomes = grow(columns.outcomes, length => new Uint8Array(length));
	}
	if (count > 0 && time < columns.times[count - 1]!) columns.ascending = false;
	columns.starts[count] = start;
	columns.ends[count] = end;
	columns.times[count] = time;
	columns.outcomes[count] = success ? 1 : 0;
	columns.count = count + 1;
}

const EMPTY_VIEW: SignatureLogView = {count: 0, times: [], ascending: true, skipped: 0, succeeded: () => false, records: async indexes => (indexes.length === 0 ? [] : undefined)};

const indexFileOf = (file: string) => file.replace(/\.jsonl$/, '.idx');

/** 25 bytes a record: 20 million signatures. A larger index (or a link to /dev/zero) is not read. */
const MAX_INDEX_BYTES = 512 * 1024 * 1024;

/** The records at `indexes`, each read from its line and checked against the columns; undefined if one is not what they say. */
async function readRecords(columns: LogColumns, indexes: readonly number[]): Promise<SignatureRecord[] | undefined> {
	if (indexes.length === 0) return [];
	if (indexes.some(index => !(index >= 0 && index < columns.count))) return undefined;
	let handle;
	try {
		handle = await openRegular(columns.file, constants.O_RDONLY);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw error;
	}
	try {
		if ((await handle.stat()).ino !== columns.ino) return undefined;
		let first = Number.POSITIVE_INFINITY;
		let last = 0;
		let wanted = 0;
		for (const index of indexes) {
			first = Math.min(first, columns.starts[index]!);
			last = Math.max(last, columns.ends[index]!);
			wanted += columns.ends[index]! - columns.starts[index]!;
		}
		// One read for lines close together (a page, or everything); one per line otherwise.
		const together = last - first <= Math.max(1 << 20, wanted * 4);
		const span = together ? await readAt(handle, first, last - first) : undefined;
		const records: SignatureRecord[] = [];
		for (const index of indexes) {
			const start = columns.starts[index]!;
			const end = columns.ends[index]!;
			const bytes = span ? span.subarray(start - first, end - first) : await readAt(handle, start, end - start);
			const record = recordAt(columns, index, bytes);
			if (!record) return undefined;
			records.push(record);
		}
		return records;
	} finally {
		await handle.close();
	}
}

/** `readRecords` with synchronous reads: a page is a dozen short lines, read in one `pread`. */
function readRecordsSync(columns: LogColumns, indexes: readonly number[]): SignatureRecord[] | undefined {
	if (indexes.length === 0) return [];
	if (indexes.some(index => !(index >= 0 && index < columns.count))) return undefined;
	let fd;
	try {
		fd = openRegularSync(columns.file, constants.O_RDONLY);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw error;
	}
	try {
		if (fstatSync(fd).ino !== columns.ino) return undefined;
		const records: SignatureRecord[] = [];
		for (const index of indexes) {
			const start = columns.starts[index]!;
			const length = columns.ends[index]! - start;
			const bytes = Buffer.allocUnsafe(length);
			const record = readSync(fd, bytes, 0, length, start) === length ? recordAt(columns, index, bytes) : undefined;
			if (!record) return undefined;
			records.push(record);
		}
		return records;
	} finally {
		closeSync(fd);
	}
}

/** The record in `bytes` (its line), if it is valid and the one the columns say is at `index`. */
function recordAt(columns: LogColumns, index: number, bytes: Buffer): SignatureRecord | undefined {
	let record: SignatureRecord | undefined;
	try {
		record = checkRecord(JSON.parse(bytes.toString('utf8')));
	} catch {
		return undefined;
	}
	if (!record || Date.parse(record.at) !== columns.times[index] || (record.outcome === 'success' ? 1 : 0) !== columns.outcomes[index]) return undefined;
	return record;
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
	const buffer = Buffer.allocUnsafe(length);
	let read = 0;
	while (read < length) {
		const {bytesRead} = await handle.read(buffer, read, length - read, position + read);
		if (bytesRead === 0) break;
		read += bytesRead;
	}
	return buffer.subarray(0, read);
}

function fingerprintOf(head: Uint8Array, tail: Uint8Array, length: number): Buffer {
	return createHash('sha1').update(head).update(tail).update(String(length)).digest();
}

/** The hash of the first and last 4 KB of the file's first `length` bytes. */
async function fingerprintAt(handle: FileHandle, length: number): Promise<Buffer> {
	const window = Math.min(FINGERPRINT_WINDOW, length);
	return fingerprintOf(await readAt(handle, 0, window), await readAt(handle, length - window, window), length);
}

async function writeIndex(columns: LogColumns, fingerprint: Buffer): Promise<void> {
	const {count} = columns;
	const buffer = Buffer.alloc(INDEX_HEADER + count * 25);
	buffer.write(INDEX_MAGIC, 0, 'latin1');
	const header = [columns.ino, columns.consumed, count, columns.skipped, columns.ascending ? 1 : 0];
	header.forEach((value, index) => buffer.writeDoubleLE(value, 8 + index * 8));
	fingerprint.copy(buffer, 72);
	const doubles = new Float64Array(buffer.buffer, buffer.byteOffset + INDEX_HEADER, count * 3);
	doubles.set(columns.starts.subarray(0, count), 0);
	doubles.set(columns.ends.subarray(0, count), count);
	doubles.set(columns.times.subarray(0, count), 2 * count);
	buffer.set(columns.outcomes.subarray(0, count), INDEX_HEADER + count * 24);
	const file = indexFileOf(columns.file);
	const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
	try {
		const handle = await createExclusive(temporary);
		try {
			await handle.writeFile(buffer);
		} finally {
			await handle.close();
		}
		await rename(temporary, file);
	} catch (error) {
		await rm(temporary, {force: true});
		throw error;
	}
}

/** The columns kept in the index file, if it belongs to this very file (same inode, same first and last 4 KB). */
async function readIndex(file: string, handle: FileHandle, ino: number, size: number): Promise<LogColumns | undefined> {
	let buffer: Buffer;
	try {
		buffer = await readRegularFile(indexFileOf(file), MAX_INDEX_BYTES);
	} catch {
		return undefined;
	}
	if (buffer.length < INDEX_HEADER || buffer.toString('latin1', 0, 8) !== INDEX_MAGIC) return undefined;
	const [indexIno, consumed, count, skipped, ascending] = [0, 1, 2, 3, 4].map(index => buffer.readDoubleLE(8 + index * 8)) as [number, number, number, number, number];
	if (indexIno !== ino || !(consumed <= size) || !Number.isInteger(count) || count < 0 || buffer.length !== INDEX_HEADER + count * 25) return undefined;
	if (!(await fingerprintAt(handle, consumed)).equals(buffer.subarray(72, 92))) return undefined;
	// Copies (aligned for the doubles), with room for what is appended next.
	const doubles = new Float64Array(new Uint8Array(buffer.subarray(INDEX_HEADER, INDEX_HEADER + count * 24)).buffer);
	const room = count + INDEX_EVERY;
	const column = (index: number) => {
		const array = new Float64Array(room);
		array.set(doubles.subarray(index * count, (index + 1) * count));
		return array;
	};
	const outcomes = new Uint8Array(room);
	outcomes.set(buffer.subarray(INDEX_HEADER + count * 24));
	return {
		file,
		ino,
		consumed,
		count,
		starts: column(0),
		ends: column(1),
		times: column(2),
		outcomes,
		ascending: ascending === 1,
		skipped,
		unsaved: 0,
	};
}

/** Indexes the whole lines in `chunk` (each ending in \n), which starts at byte `base` of the file; empty lines are ignored. */
function indexLines(columns: LogColumns, chunk: Buffer, base: number): void {
	// One byte per character: quotes, backslashes and line ends are where they are in the bytes.
	const text = chunk.toString('latin1');
	// Without a backslash or a control character, every string ends at its next quote.
	const plain = !/[\x00-\x09\x0b-\x1f\\]/.test(text);
	for (let start = 0; start < text.length; ) {
		let end = text.indexOf('\n', start);
		if (end === -1) end = text.length;
		if (end > start) {
			columns.unsaved++;
			const line = (plain ? canonicalLine(text, start, end) : undefined) ?? scanLine(chunk, start, end) ?? slowLine(chunk, start, end);
			if (line === undefined) columns.skipped++;
			else addRecord(columns, base + start, base + end, line.time, line.success);
		}
		start = end + 1;
	}
}

const SUCCESS = {time: 0, success: true};
const FAILURE = {time: 0, success: false};

/**
 * The line exactly as `append` writes a record (its fields in the schema's order), in a text
 * without escapes or control characters; undefined for anything else (`scanLine` decides then).
 * The result is shared: read it before the next call.
 */
function canonicalLine(text: string, start: number, end: number): {time: number; success: boolean} | undefined {
	if (!text.startsWith('{"at":"', start) || text.charCodeAt(start + 31) !== QUOTE || !text.startsWith('","document":"', start + 31)) return undefined;
	const time = canonicalTextTime(text, start + 7);
	if (Number.isNaN(time)) return undefined;
	let index = start + 45;
	const documentEnd = text.indexOf('"', index);
	// 1 to 255 UTF-16 units: never more units than UTF-8 bytes, so up to 255 bytes is sure.
	if (documentEnd === -1 || documentEnd >= end || documentEnd === index || documentEnd - index > 255) return undefined;
	if (!text.startsWith(',"sha256":', documentEnd + 1)) return undefined;
	index = nullOrString(text, documentEnd + 11, end);
	if (index === -1 || !text.startsWith(',"size":', index)) return undefined;
	index += 8;
	if (text.startsWith('null', index)) index += 4;
	else {
		if (text.charCodeAt(index) === 0x2d) index++;
		const digits = index;
		for (let code = text.charCodeAt(index); code >= 0x30 && code <= 0x39; code = text.charCodeAt(index)) index++;
		if (index === digits || (text.charCodeAt(digits) === 0x30 && index - digits > 1)) return undefined;
	}
	let result;
	if (text.startsWith(',"outcome":"success"', index)) result = SUCCESS;
	else if (text.startsWith(',"outcome":"failure"', index)) result = FAILURE;
	else return undefined;
	index += 20;
	for (const key of [',"reason":', ',"channel":', ',"certificateSerial":']) {
		if (!text.startsWith(key, index)) return undefined;
		index = nullOrString(text, index + key.length, end);
		if (index === -1) return undefined;
	}
	if (index !== end - 1 || text.charCodeAt(index) !== 0x7d) return undefined;
	result.time = time;
	return result;
}

/** A null or a string (in a plain text) at `index`, within the line: where it ends, or -1. */
function nullOrString(text: string, index: number, end: number): number {
	if (text.startsWith('null', index)) return index + 4;
	if (text.charCodeAt(index) !== QUOTE) return -1;
	const close = text.indexOf('"', index + 1);
	return close === -1 || close >= end ? -1 : close + 1;
}

/** `Date.parse` of a canonical `YYYY-MM-DDTHH:MM:SS.sssZ` at `start`; NaN if it is not one. */
function canonicalTextTime(text: string, start: number): number {
	const at = (offset: number) => text.charCodeAt(start + offset) - 0x30;
	for (const offset of [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22]) {
		const value = at(offset);
		if (value < 0 || value > 9) return Number.NaN;
	}
	if (text.charCodeAt(start + 4) !== 0x2d || text.charCodeAt(start + 7) !== 0x2d || text.charCodeAt(start + 10) !== 0x54 || text.charCodeAt(start + 13) !== 0x3a || text.charCodeAt(start + 16) !== 0x3a || text.charCodeAt(start + 19) !== 0x2e || text.charCodeAt(start + 23) !== 0x5a) return Number.NaN;
	const year = at(0) * 1000 + at(1) * 100 + at(2) * 10 + at(3);
	const month = at(5) * 10 + at(6);
	const day = at(8) * 10 + at(9);
	const hour = at(11) * 10 + at(12);
	const minute = at(14) * 10 + at(15);
	const second = at(17) * 10 + at(18);
	// Where every parser agrees, computed; the rest (29th to 31st, odd values) as Date.parse says.
	if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 28 || hour > 23 || minute > 59 || second > 59) return Date.parse(text.slice(start, start + 24));
	return Date.UTC(year, month - 1, day, hour, minute, second, at(20) * 100 + at(21) * 10 + at(22));
}

/** A line that the fast scan could not vouch for: parsed and checked as a whole. */
function slowLine(bytes: Buffer, start: number, end: number): {time: number; success: boolean} | undefined {
	let value: unknown;
	try {
		value = JSON.parse(bytes.toString('utf8', start, end));
	} catch {
		return undefined;
	}
	const record = checkRecord(value);
	return record ? {time: Date.parse(record.at), success: record.outcome === 'success'} : undefined;
}

const QUOTE = 0x22;
const KEYS = ['at', 'document', 'sha256', 'size', 'outcome', 'reason', 'channel', 'certificateSerial'].map(key => Buffer.from(key, 'latin1'));

/** Which of KEYS the bytes [start, end) spell, or -1. */
function keyAt(bytes: Buffer, start: number, end: number): number {
	search: for (let which = 0; which < KEYS.length; which++) {
		const key = KEYS[which]!;
		if (key.length !== end - start) continue;
		for (let offset = 0; offset < key.length; offset++) if (bytes[start + offset] !== key[offset]) continue search;
		return which;
	}
	return -1;
}

/** Where the string starting after its opening quote at `index` ends (its closing quote); -1 if it has an escape or a control character. */
function stringEnd(bytes: Buffer, index: number, end: number): number {
	for (; index < end; index++) {
		const byte = bytes[index]!;
		if (byte === QUOTE) return index;
		if (byte === 0x5c || byte < 0x20) return -1;
	}
	return -1;
}

const digit = (bytes: Buffer, index: number) => bytes[index]! - 0x30;
const twoDigits = (bytes: Buffer, index: number) => digit(bytes, index) * 10 + digit(bytes, index + 1);

/** `Date.parse` of a canonical `YYYY-MM-DDTHH:MM:SS.sssZ` (days up to 28, where every parser agrees); NaN otherwise. */
function canonicalTime(bytes: Buffer, start: number, end: number): number {
	if (end - start !== 24 || bytes[start + 4] !== 0x2d || bytes[start + 7] !== 0x2d || bytes[start + 10] !== 0x54 || bytes[start + 13] !== 0x3a || bytes[start + 16] !== 0x3a || bytes[start + 19] !== 0x2e || bytes[start + 23] !== 0x5a) return Number.NaN;
	for (const offset of [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22]) {
		const value = digit(bytes, start + offset);
		if (value < 0 || value > 9) return Number.NaN;
	}
	const year = twoDigits(bytes, start) * 100 + twoDigits(bytes, start + 2);
	const month = twoDigits(bytes, start + 5);
	const day = twoDigits(bytes, start + 8);
	const hour = twoDigits(bytes, start + 11);
	const minute = twoDigits(bytes, start + 14);
	const second = twoDigits(bytes, start + 17);
	if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 28 || hour > 23 || minute > 59 || second > 59) return Number.NaN;
	return Date.UTC(year, month - 1, day, hour, minute, second, digit(bytes, start + 20) * 100 + twoDigits(bytes, start + 21));
}

/**
 * The fast path for a line as `append` writes it: one flat JSON object, no spaces, the eight
 * fields once each, strings without escapes, `size` an integer or null. Returns its time and
 * outcome when the line is certainly a valid record (the same verdict as `checkRecord`), or
 * undefined when it cannot tell, and the line is then parsed and checked as a whole.
 */
function scanLine(bytes: Buffer, start: number, end: number): {time: number; success: boolean} | undefined {
	if (bytes[start] !== 0x7b || bytes[end - 1] !== 0x7d) return undefined;
	let seen = 0;
	let time = Number.NaN;
	let success: boolean | undefined;
	let index = start + 1;
	const last = end - 1;
	while (index < last) {
		if (bytes[index] !== QUOTE) return undefined;
		const keyEnd = stringEnd(bytes, index + 1, last);
		if (keyEnd === -1) return undefined;
		const which = keyAt(bytes, index + 1, keyEnd);
		if (which === -1 || seen & (1 << which) || bytes[keyEnd + 1] !== 0x3a) return undefined;
		seen |= 1 << which;
		index = keyEnd + 2;
		const first = bytes[index];
		if (first === QUOTE) {
			const valueEnd = stringEnd(bytes, index + 1, last);
			if (valueEnd === -1) return undefined;
			const length = valueEnd - index - 1;
			if (which === 0) {
				time = canonicalTime(bytes, index + 1, valueEnd);
				if (Number.isNaN(time)) time = Date.parse(bytes.toString('utf8', index + 1, valueEnd));
				if (Number.isNaN(time)) return undefined;
			} else if (which === 1) {
				// 1 to 255 UTF-16 units: never more units than UTF-8 bytes, so up to 255 bytes is sure.
				if (length === 0 || length > 255) return undefined;
			} else if (which === 3) return undefined;
			else if (which === 4) {
				if (length === 7 && bytes.toString('latin1', index + 1, valueEnd) === 'success') success = true;
				else if (length === 7 && bytes.toString('latin1', index + 1, valueEnd) === 'failure') success = false;
				else return undefined;
			}
			index = valueEnd + 1;
		} else if (first === 0x6e) {
			// null: only where a field may be null.
			if (which === 0 || which === 1 || which === 4 || bytes[index + 1] !== 0x75 || bytes[index + 2] !== 0x6c || bytes[index + 3] !== 0x6c) return undefined;
			index += 4;
		} else if (which === 3) {
			// An integer: -?(0|[1-9][0-9]*).
			if (bytes[index] === 0x2d) index++;
			const digits = index;
			while (index < last && bytes[index]! >= 0x30 && bytes[index]! <= 0x39) index++;
			if (index === digits || (bytes[digits] === 0x30 && index - digits > 1)) return undefined;
		} else return undefined;
		if (index === last) break;
		if (bytes[index] !== 0x2c) return undefined;
		index++;
	}
	if (index !== last || seen !== 0xff || success === undefined) return undefined;
	return {time, success};
}

/** One JSON line, checked field by field (a schema library per line costs 10× more at 100 000 lines). */
function checkRecord(value: unknown): SignatureRecord | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const record = value as Record<string, unknown>;
	const nullableString = (key: string) => record[key] === null || typeof record[key] === 'string';
	if (typeof record['at'] !== 'string' || Number.isNaN(Date.parse(record['at']))) return undefined;
	if (typeof record['document'] !== 'string' || record['document'] === '' || record['document'].length > 255) return undefined;
	if (record['outcome'] !== 'success' && record['outcome'] !== 'failure') return undefined;
	if (!nullableString('sha256') || !nullableString('reason') || !nullableString('channel') || !nullableString('certificateSerial')) return undefined;
	if (record['size'] !== null && typeof record['size'] !== 'number') return undefined;
	return value as SignatureRecord;
}
