import {appendFileSync, mkdirSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {SignatureLog, type SignatureRecord} from '../../source/core/history/signature-log.js';
import {canonicalTime} from '../../source/core/history/signature-scan.js';

/*
 * The signature log's one time parser. A record's time comes from the scanner when the log is
 * indexed and from `Date.parse` when a record is read (the schema's check): they must agree on
 * every string, also an out-of-range day (V8 reads 30 February as 2 March, refuses a 32nd day).
 */

const TIMES = [
	'2026-01-15T10:20:30.456Z',
	'2024-02-29T23:59:59.999Z',
	'2026-02-29T10:00:00.000Z',
	'2026-02-30T10:00:00.000Z',
	'2026-02-31T10:00:00.000Z',
	'2026-04-31T08:00:00.000Z',
	'2026-01-32T10:00:00.000Z',
	'2026-01-00T10:00:00.000Z',
	'2026-13-01T10:00:00.000Z',
	'2026-00-10T10:00:00.000Z',
	'2026-01-01T24:00:00.000Z',
	'2026-01-01T23:60:00.000Z',
	'0999-01-01T00:00:00.000Z',
];

describe('the signature log’s time parser', () => {
	it('gives what Date.parse gives for every canonical time, out-of-range days included', () => {
		for (const time of TIMES) {
			const parsed = canonicalTime(Buffer.from(`"${time}"`, 'latin1'), 1);
			if (Number.isNaN(Date.parse(time))) expect(parsed, time).toBeNaN();
			else expect(parsed, time).toBe(Date.parse(time));
		}
		// Not the canonical shape: NaN, and the caller decides.
		expect(canonicalTime(Buffer.from('2026-01-15T10:20:30+0100'), 0)).toBeNaN();
		expect(canonicalTime(Buffer.from('2026-01-15T10:20:30.45'), 0)).toBeNaN();
	});

	it('indexes a 30 February as read() reads it, on the fast, the scanning and the slow path, and skips a 32nd day', async () => {
		const folder = await mkdtemp(join(tmpdir(), 'mysign-sigtime-'));
		try {
			const log = new SignatureLog(folder);
			const record = (at: string, document: string): SignatureRecord => ({at, document, sha256: null, size: 10, outcome: 'success', reason: null, channel: 'sms', certificateSerial: 'ab'});
			// Fast path: the lines exactly as append writes them.
			await log.append('U1', ['2026-02-30T10:00:00.000Z', '2026-04-31T08:00:00.000Z', '2026-01-15T10:20:30.456Z'].map(at => record(at, 'a.pdf')));
			mkdirSync(log.directory, {recursive: true});
			const file = log.fileOf('U1');
			// Scanning path: the same fields in another order.
			appendFileSync(file, '{"document":"b.pdf","outcome":"success","at":"2026-02-31T10:00:00.000Z","sha256":null,"size":1,"reason":null,"channel":null,"certificateSerial":null}\n');
			// Slow path: an escape in a string (the whole chunk is then scanned, this line parsed).
			appendFileSync(file, JSON.stringify(record('2026-02-29T10:00:00.000Z', 'c\\"d.pdf')) + '\n');
			// Out of range for Date.parse too: not a record, on any path.
			appendFileSync(file, JSON.stringify(record('2026-01-32T10:00:00.000Z', 'e.pdf')) + '\n');
			appendFileSync(file, '{"document":"f.pdf","outcome":"success","at":"2026-01-00T10:00:00.000Z","sha256":null,"size":1,"reason":null,"channel":null,"certificateSerial":null}\n');

			const expected = ['2026-02-30T10:00:00.000Z', '2026-04-31T08:00:00.000Z', '2026-01-15T10:20:30.456Z', '2026-02-31T10:00:00.000Z', '2026-02-29T10:00:00.000Z'].map(at => Date.parse(at));
			const view = await log.view('U1');
			expect(view.count).toBe(5);
			expect(view.skipped).toBe(2);
			expect(Array.from(view.times)).toEqual(expected);
			// A fresh reader (no cache) reads the records the index points at, with the same times.
			const reading = await new SignatureLog(folder).read('U1');
			expect(reading.records.map(entry => entry.at)).toEqual(['2026-02-30T10:00:00.000Z', '2026-04-31T08:00:00.000Z', '2026-01-15T10:20:30.456Z', '2026-02-31T10:00:00.000Z', '2026-02-29T10:00:00.000Z']);
			expect(reading.times).toEqual(expected);
			expect(new Date(reading.times[0]!).toISOString()).toBe('2026-03-02T10:00:00.000Z');
			expect(await view.records([0, 3, 4])).toEqual([reading.records[0], reading.records[3], reading.records[4]]);
		} finally {
			await rm(folder, {recursive: true, force: true});
		}
	});
});
