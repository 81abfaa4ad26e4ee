import {describe, expect, it} from 'vitest';
import {UNKNOWN_LOG_MAX_BYTES} from '../../../source/core/history/access-log.js';
import {UNKNOWN_LOG_MAX_ROWS} from '../../../source/core/store/postgres/access-log.js';
import {accessLogOf} from '../../../source/core/store/postgres/logs.js';
import type {AccessEntry} from '../../../source/core/store/schema.js';
import {GIULIA, MARIO} from '../../helpers/holders.js';
import {LOG_KINDS, logPlaces} from '../../helpers/log-kinds.js';

/*
 * The access log's contract, the same for a folder's files and a PostgreSQL database (see
 * history/access-log.ts and store/postgres/access-log.ts): order, an operation's entries
 * appended again after a crash not doubled, the unknown-identifier log bounded, invalid entries
 * skipped, a holder's log removed.
 */

const entry = (id: number, userId: string | null, outcome: AccessEntry['outcome'] = 'wrong-password', second = id): AccessEntry => ({id, at: new Date(Date.UTC(2026, 10, 20, 9, 0, second)).toISOString(), userId, outcome, terminal: 'tty1'});

const openPlace = logPlaces();

describe.each(LOG_KINDS)('the access log ($name)', kind => {
	const open = async () => {
		const place = await openPlace(kind);
		return {place, log: accessLogOf(place.directory, place.url)};
	};

	it.skipIf(!kind.available)('reads a holder’s entries in the order appended, with their times', async () => {
		const {log} = await open();
		const entries = [entry(1, MARIO.userId, 'success', 30), entry(2, MARIO.userId, 'logout', 10), entry(1, GIULIA.userId), entry(3, MARIO.userId, 'success', 20)];
		await log.append(entries.slice(0, 2));
		await log.append(entries.slice(2));
		const reading = await log.read(MARIO.userId);
		expect(reading.entries).toEqual([entries[0], entries[1], entries[3]]);
		expect(reading.times).toEqual([entries[0], entries[1], entries[3]].map(item => Date.parse(item!.at)));
		expect((await log.read(GIULIA.userId)).entries).toEqual([entries[2]]);
		expect(await log.read('JCPD0000')).toEqual({entries: [], times: []});
	});

	it.skipIf(!kind.available)('adds an operation’s entries appended again (after a crash) only once', async () => {
		const {log} = await open();
		const entries = [entry(101, MARIO.userId), entry(102, MARIO.userId), entry(103, null)];
		await log.append(entries);
		await log.append(entries);
		expect((await log.read(MARIO.userId)).entries.map(item => item.id)).toEqual([101, 102]);
		expect((await log.readUnknown()).map(item => item.id)).toEqual([103]);
		await log.append([entry(104, MARIO.userId)]);
		expect((await log.read(MARIO.userId)).entries.map(item => item.id)).toEqual([101, 102, 104]);
	});

	it.skipIf(!kind.available)('keeps only the newest attempts on unknown identifiers, whatever their number', async () => {
		const {log} = await open();
		const batch = 2000;
		let id = 0;
		for (let round = 0; round < 15; round++) await log.append(Array.from({length: batch}, () => entry(++id, null)));
		const kept = (await log.readUnknown()).map(item => item.id);
		// The folder keeps 1 to 2 MiB (two files), the database UNKNOWN_LOG_MAX_ROWS rows: about the same.
		const lineBytes = JSON.stringify(entry(id, null)).length + 1;
		expect(kept.length).toBeLessThanOrEqual(Math.max(UNKNOWN_LOG_MAX_ROWS, Math.ceil((2 * UNKNOWN_LOG_MAX_BYTES) / lineBytes) + batch));
		expect(kept.length).toBeGreaterThanOrEqual(Math.floor(UNKNOWN_LOG_MAX_BYTES / lineBytes));
		expect(kept.length).toBeLessThan(id);
		// The newest, in order, none missing in between.
		expect(kept).toEqual(Array.from({length: kept.length}, (_, index) => id - kept.length + 1 + index));
	});

	it.skipIf(!kind.available)('skips what is not a valid entry of its holder (a torn line, a hand edit)', async () => {
		const {place, log} = await open();
		await log.append([entry(1, MARIO.userId)]);
		await place.plantAccess(MARIO.userId, 2, '{"id":2,"at":"2026-11-20T09:00:02.000Z","userId":"JCPD7173","outc');
		await place.plantAccess(MARIO.userId, 3, JSON.stringify({...entry(3, MARIO.userId), userId: GIULIA.userId}));
		await place.plantAccess(MARIO.userId, 4, JSON.stringify({...entry(4, MARIO.userId), outcome: 'hacked'}));
		await place.plantAccess(MARIO.userId, 5, JSON.stringify({...entry(5, MARIO.userId), terminal: 'x'.repeat(201)}));
		await place.plantAccess(null, 6, JSON.stringify(entry(6, MARIO.userId)));
		await log.append([entry(7, MARIO.userId), entry(8, null)]);
		expect((await log.read(MARIO.userId)).entries.map(item => item.id)).toEqual([1, 7]);
		expect((await log.readUnknown()).map(item => item.id)).toEqual([8]);
	});

	it.skipIf(!kind.available)('removes one holder’s log (the room reset), or all of them (a new room)', async () => {
		const {log} = await open();
		await log.append([entry(1, MARIO.userId), entry(1, GIULIA.userId), entry(2, null)]);
		await log.remove(MARIO.userId);
		await log.remove('JCPD0000');
		expect((await log.read(MARIO.userId)).entries).toEqual([]);
		expect((await log.read(GIULIA.userId)).entries).toHaveLength(1);
		await log.append([entry(1, MARIO.userId)]);
		expect((await log.read(MARIO.userId)).entries).toHaveLength(1);
		await log.clear();
		expect((await log.read(GIULIA.userId)).entries).toEqual([]);
		expect(await log.readUnknown()).toEqual([]);
	});

	it.skipIf(!kind.available)('refuses what is not a userID', async () => {
		const {log} = await open();
		await expect(log.append([entry(1, '../db')])).rejects.toThrow(/not a userID/);
		await expect(log.read('../db')).rejects.toThrow(/not a userID/);
	});
});
