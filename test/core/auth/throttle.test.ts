import {describe, expect, it} from 'vitest';
import {MINUTE} from '../../../source/core/clock.js';
import {countFailure, lockedUntil} from '../../../source/core/auth/throttle.js';
import {emptyDatabase, type Database} from '../../../source/core/store/schema.js';

/*
 * The pruning rule of the attempt counters (auth/throttle.ts, README "Data folder"): quiet
 * counters are forgotten after the longest lock, for everyone alike; unknown-identifier
 * counters are capped, oldest first, locked ones last.
 */

const START = new Date('2026-11-20T09:00:00.000Z');
const at = (minutes: number) => new Date(START.getTime() + minutes * MINUTE);
const anon = (index: number) => `anon:${index.toString(16).padStart(64, '0')}`;

function database(): Database {
	const db = emptyDatabase();
	db.settings.unknownCountersMax = 10;
	return db;
}

describe('attempt counters', () => {
	it('are capped for unknown identifiers: the one failed longest ago goes first, never a holder’s', () => {
		const db = database();
		countFailure(db, 'user:JCPD7173', at(0));
		for (let index = 0; index < 15; index++) countFailure(db, anon(index), at(index + 1));
		const keys = Object.keys(db.loginThrottle);
		expect(keys.filter(key => key.startsWith('anon:'))).toEqual(Array.from({length: 10}, (_, index) => anon(index + 5)));
		expect(keys).toContain('user:JCPD7173');
	});

	it('evict unlocked unknown counters before locked ones, and never the one just counted', () => {
		const db = database();
		for (let attempt = 0; attempt < 5; attempt++) countFailure(db, anon(0), at(0));
		expect(lockedUntil(db, anon(0), at(1))).toEqual(at(15));
		for (let index = 1; index <= 12; index++) countFailure(db, anon(index), at(index));
		expect(lockedUntil(db, anon(0), at(13))).toEqual(at(15));
		expect(Object.keys(db.loginThrottle)).toHaveLength(10);
		expect(db.loginThrottle[anon(12)]?.failures).toBe(1);
	});

	it('are forgotten, known or unknown, once unlocked and quiet for the longest lock; the next lock-out is the first again', () => {
		for (const key of ['user:JCPD7173', anon(1)]) {
			const db = database();
			for (let attempt = 0; attempt < 5; attempt++) countFailure(db, key, at(0));
			expect(db.loginThrottle[key]?.lockouts).toBe(1);
			// Within a day of quiet the lock-out is remembered (the next one lasts 30 minutes) ...
			for (let attempt = 0; attempt < 4; attempt++) expect(countFailure(db, key, at(60)).kind, key).toBe('wrong');
			expect(countFailure(db, key, at(60))).toMatchObject({kind: 'locked', minutes: 30});
			// ... after a quiet day it is not: 4 attempts left, and a 15-minute lock.
			expect(countFailure(db, key, at(90 + 24 * 60 + 1))).toEqual({kind: 'wrong', attemptsLeft: 4});
			expect(db.loginThrottle[key]?.lockouts).toBe(0);
		}
	});

	it('keep a lock until it ends, however old the failures', () => {
		const db = database();
		db.settings.loginLockMinutes = 3 * 24 * 60;
		db.settings.loginLockMaxMinutes = 3 * 24 * 60;
		for (let attempt = 0; attempt < 5; attempt++) countFailure(db, 'user:JCPD7173', at(0));
		countFailure(db, anon(1), at(2 * 24 * 60));
		expect(lockedUntil(db, 'user:JCPD7173', at(2 * 24 * 60))).toEqual(at(3 * 24 * 60));
	});

	it('date a counter from an older file (no lastFailureAt) at the first write, and keep it until then + the longest lock', () => {
		const db = database();
		db.loginThrottle['user:JCPD7173'] = {failures: 3, lockedUntil: null, lockouts: 1, lastFailureAt: null};
		countFailure(db, anon(1), at(0));
		expect(db.loginThrottle['user:JCPD7173']).toEqual({failures: 3, lockedUntil: null, lockouts: 1, lastFailureAt: at(0).toISOString()});
		countFailure(db, anon(2), at(24 * 60 + 1));
		expect(db.loginThrottle['user:JCPD7173']).toBeUndefined();
	});
});
