import {addRecord, type LogColumns} from './signature-index.js';
import {checkRecord} from './signature-record.js';

/*
 * The byte-level scanner that indexes a signature log: each line's time and outcome, taken
 * without a JSON parse where the line is as `append` writes it, with the same verdict as
 * `checkRecord` (a line it cannot vouch for is parsed and checked as a whole).
 */

/** Indexes the whole lines in `chunk` (each ending in \n), which starts at byte `base` of the file; empty lines are ignored. */
export function indexLines(columns: LogColumns, chunk: Buffer, base: number): void {
	// One byte per character: quotes, backslashes and line ends are where they are in the bytes.
	const text = chunk.toString('latin1');
	// Without a backslash or a control character, every string ends at its next quote.
	const plain = !/[\x00-\x09\x0b-\x1f\\]/.test(text);
	for (let start = 0; start < text.length; ) {
		let end = text.indexOf('\n', start);
		if (end === -1) end = text.length;
		if (end > start) {
			columns.unsaved++;
			const line = (plain ? canonicalLine(text, chunk, start, end) : undefined) ?? scanLine(chunk, start, end) ?? slowLine(chunk, start, end);
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
function canonicalLine(text: string, bytes: Buffer, start: number, end: number): {time: number; success: boolean} | undefined {
	if (!text.startsWith('{"at":"', start) || text.charCodeAt(start + 31) !== QUOTE || !text.startsWith('","document":"', start + 31)) return undefined;
	const time = canonicalTime(bytes, start + 7);
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

/**
 * The scanner's one time parser: `Date.parse` of the 24 bytes at `start` when they are a canonical
 * `YYYY-MM-DDTHH:MM:SS.sssZ` (as `append` writes it); NaN when they are not one (the caller then
 * asks `Date.parse` of the whole string, or gives up). Values where every parser agrees are
 * computed; the rest (a 29th to 31st day, hour 24, a year before 1000, a 0th or 32nd day) go to
 * `Date.parse`, because the schema and `checkRecord` accept what it accepts: V8 reads 30 February
 * as 2 March and refuses a 32nd day, and an index must give every record the time `read` gives it.
 */
export function canonicalTime(bytes: Buffer, start: number): number {
	if (start + 24 > bytes.length || bytes[start + 4] !== 0x2d || bytes[start + 7] !== 0x2d || bytes[start + 10] !== 0x54 || bytes[start + 13] !== 0x3a || bytes[start + 16] !== 0x3a || bytes[start + 19] !== 0x2e || bytes[start + 23] !== 0x5a) return Number.NaN;
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
	if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 28 || hour > 23 || minute > 59 || second > 59) return Date.parse(bytes.toString('latin1', start, start + 24));
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
				if (length === 24) time = canonicalTime(bytes, index + 1);
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
