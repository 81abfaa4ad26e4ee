import {createHash, randomBytes} from 'node:crypto';
import {closeSync, constants, fstatSync, readSync} from 'node:fs';
import {rename, rm, type FileHandle} from 'node:fs/promises';
import {createExclusive, openRegular, openRegularSync, readRegularFile} from '../store/safe-file.js';
import {checkRecord, type SignatureRecord} from './signature-record.js';

/** One file as indexed so far: where each valid record's line is, its time and outcome. */
export interface LogColumns {
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
export const INDEX_EVERY = 1000;
export const FINGERPRINT_WINDOW = 4096;

export function emptyColumns(file: string, ino: number): LogColumns {
	return {file, ino, consumed: 0, count: 0, starts: new Float64Array(0), ends: new Float64Array(0), times: new Float64Array(0), outcomes: new Uint8Array(0), ascending: true, skipped: 0, unsaved: 0};
}

export function addRecord(columns: LogColumns, start: number, end: number, time: number, success: boolean): void {
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

export const indexFileOf = (file: string) => file.replace(/\.jsonl$/, '.idx');

/** 25 bytes a record: 20 million signatures. A larger index (or a link to /dev/zero) is not read. */
const MAX_INDEX_BYTES = 512 * 1024 * 1024;

/** The records at `indexes`, each read from its line and checked against the columns; undefined if one is not what they say. */
export async function readRecords(columns: LogColumns, indexes: readonly number[]): Promise<SignatureRecord[] | undefined> {
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
export function readRecordsSync(columns: LogColumns, indexes: readonly number[]): SignatureRecord[] | undefined {
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

export function fingerprintOf(head: Uint8Array, tail: Uint8Array, length: number): Buffer {
	return createHash('sha1').update(head).update(tail).update(String(length)).digest();
}

/** The hash of the first and last 4 KB of the file's first `length` bytes. */
export async function fingerprintAt(handle: FileHandle, length: number): Promise<Buffer> {
	const window = Math.min(FINGERPRINT_WINDOW, length);
	return fingerprintOf(await readAt(handle, 0, window), await readAt(handle, length - window, window), length);
}

export async function writeIndex(columns: LogColumns, fingerprint: Buffer): Promise<void> {
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
export async function readIndex(file: string, handle: FileHandle, ino: number, size: number): Promise<LogColumns | undefined> {
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
