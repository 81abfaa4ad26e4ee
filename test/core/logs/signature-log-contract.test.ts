import {describe, expect, it} from 'vitest';
import type {SignatureRecord} from '../../../source/core/history/signature-log.js';
import {signatureLogOf} from '../../../source/core/store/postgres/logs.js';
import {GIULIA, MARIO} from '../../helpers/holders.js';
import {LOG_KINDS, logPlaces} from '../../helpers/log-kinds.js';

/*
 * The signature log's contract, the same for a folder's files and a PostgreSQL database (see
 * history/signature-log.ts and store/postgres/signature-log.ts): records in the order appended,
 * views as columns whose records are read when asked for, a replaced history, invalid records
 * skipped, what the room reset asks (count, has).
 */

const record = (second: number, outcome: SignatureRecord['outcome'] = 'success', document = `doc-${second}.pdf`): SignatureRecord => ({
	at: new Date(Date.UTC(2026, 10, 20, 9, 0, second)).toISOString(),
	document,
	sha256: null,
	size: 1000 + second,
	outcome,
	reason: outcome === 'failure' ? 'pin.wrong' : null,
	channel: 'sms',
	certificateSerial: 'ab12',
});

const openPlace = logPlaces();

describe.each(LOG_KINDS)('the signature log ($name)', kind => {
	const open = async () => {
		const place = await openPlace(kind);
		return {place, log: signatureLogOf(place.directory, place.url)};
	};

	it.skipIf(!kind.available)('reads a holder’s records in the order appended, with their times', async () => {
		const {log} = await open();
		const records = [record(30), record(10, 'failure'), record(20)];
		await log.append(MARIO.userId, records.slice(0, 2));
		await log.append(GIULIA.userId, [record(5)]);
		await log.append(MARIO.userId, records.slice(2));
		const reading = await log.read(MARIO.userId);
		expect(reading.records).toEqual(records);
		expect(reading.times).toEqual(records.map(item => Date.parse(item.at)));
		expect(reading.skipped).toBe(0);
		expect((await log.read(GIULIA.userId)).records).toEqual([record(5)]);
		expect(await log.read('JCPD0000')).toEqual({records: [], times: [], skipped: 0});
	});

	it.skipIf(!kind.available)('views a log as columns, reads the records asked for, and sees what another process appended since', async () => {
		const {place, log} = await open();
		const records = [record(1), record(3, 'failure'), record(2)];
		await log.append(MARIO.userId, records);
		const view = await log.view(MARIO.userId);
		expect(view.count).toBe(3);
		expect(Array.from(view.times)).toEqual(records.map(item => Date.parse(item.at)));
		expect(view.ascending).toBe(false);
		expect([0, 1, 2].map(index => view.succeeded(index))).toEqual([true, false, true]);
		expect(await view.records([2, 0])).toEqual([records[2], records[0]]);
		expect(await view.records([])).toEqual([]);
		expect(await view.records([3])).toBeUndefined();
		// Another process (its own instance) appends: a new view has it, the old one keeps its length.
		await signatureLogOf(place.directory, place.url).append(MARIO.userId, [record(4)]);
		const later = await log.view(MARIO.userId);
		expect(later.count).toBe(4);
		expect(await later.records([3])).toEqual([record(4)]);
		expect(view.count).toBe(3);
		expect(view.times).toHaveLength(3);
		expect(await view.records([1])).toEqual([records[1]]);
		// `viewNow` answers from what this process holds, or leaves it to `view`.
		const now = log.viewNow(MARIO.userId);
		if (now) expect(now.records([3])).toEqual([record(4)]);
		const empty = await log.view(GIULIA.userId);
		expect(empty.count).toBe(0);
		expect(await empty.records([])).toEqual([]);
	});

	it.skipIf(!kind.available)('replaces a holder’s history (the demo data set): a view of the old one reads nothing of it', async () => {
		const {place, log} = await open();
		await log.append(MARIO.userId, [record(1), record(2)]);
		const old = await log.view(MARIO.userId);
		const replacement = [record(7, 'failure', 'nuovo.pdf'), record(8)];
		// Replaced by another process: this one's cache must notice.
		await signatureLogOf(place.directory, place.url).replace(MARIO.userId, replacement);
		expect(await old.records([0])).toBeUndefined();
		const view = await log.view(MARIO.userId);
		expect(view.count).toBe(2);
		expect(await view.records([0, 1])).toEqual(replacement);
		expect((await log.read(MARIO.userId)).records).toEqual(replacement);
		await log.replace(MARIO.userId, []);
		expect((await log.view(MARIO.userId)).count).toBe(0);
		expect(await log.count(MARIO.userId)).toBe(0);
	});

	it.skipIf(!kind.available)('skips what is not a valid record (a torn line, a hand edit) and counts it', async () => {
		const {place, log} = await open();
		await log.append(MARIO.userId, [record(1)]);
		await place.plantSignature(MARIO.userId, '{"at":"2026-11-20T09:00:02.000Z","document":"torn');
		await place.plantSignature(MARIO.userId, JSON.stringify({...record(3), outcome: 'maybe'}));
		await place.plantSignature(MARIO.userId, JSON.stringify({...record(4), document: ''}));
		await log.append(MARIO.userId, [record(5)]);
		const reading = await log.read(MARIO.userId);
		expect(reading.records).toEqual([record(1), record(5)]);
		expect(reading.skipped).toBe(3);
		const view = await log.view(MARIO.userId);
		expect([view.count, view.skipped]).toEqual([2, 3]);
		expect(await view.records([0, 1])).toEqual([record(1), record(5)]);
		expect(await log.count(MARIO.userId)).toBe(5);
	});

	it.skipIf(!kind.available)('refuses an invalid record or userID, writing nothing', async () => {
		const {log} = await open();
		await expect(log.append(MARIO.userId, [record(1), {...record(2), sha256: 'nope'}])).rejects.toThrow();
		await expect(log.replace(MARIO.userId, [{...record(2), document: ''}])).rejects.toThrow();
		await expect(log.append('../db', [record(1)])).rejects.toThrow(/not a userID/);
		expect(await log.has(MARIO.userId)).toBe(false);
	});

	it.skipIf(!kind.available)('says whether a holder has a log and how many records it keeps; clear empties every one', async () => {
		const {log} = await open();
		expect(await log.has(MARIO.userId)).toBe(false);
		expect(await log.count(MARIO.userId)).toBe(0);
		await log.append(MARIO.userId, [record(1), record(2)]);
		await log.append(GIULIA.userId, [record(1)]);
		expect(await log.has(MARIO.userId)).toBe(true);
		expect(await log.count(MARIO.userId)).toBe(2);
		await log.view(MARIO.userId);
		await log.clear();
		expect(await log.has(MARIO.userId)).toBe(false);
		expect(await log.has(GIULIA.userId)).toBe(false);
		expect((await log.view(MARIO.userId)).count).toBe(0);
		await log.append(MARIO.userId, [record(9)]);
		expect((await log.read(MARIO.userId)).records).toEqual([record(9)]);
	});
});
