import {MINUTE} from '../clock.js';
import {formatItalianDate, formatItalianTime} from '../italian-date.js';
import type {Database} from '../store/schema.js';

/*
 * Attempt counting for anything guessed: passwords, emergency codes, operator credentials.
 * `settings.loginMaxAttempts` failures lock the key for `loginLockMinutes`, doubling on each
 * repeated lock-out up to `loginLockMaxMinutes`; a success clears it. Call inside a store update.
 *
 * Pruning (issue 17 item 4; also in the README, "Data folder"), applied on every counted failure:
 * - Every counter, a holder's or an operator's as well as an unknown identifier's, is forgotten
 *   once it is not locked and its last failure is older than `loginLockMaxMinutes` (the longest
 *   lock): after a quiet day the next failure starts again from the first lock-out. The same
 *   rule for everyone keeps the answers for an unknown name identical to those for a known one.
 * - Counters of unknown identifiers (keys `anon:…`, `<kind>-anon:…`: keyed hashes of what was
 *   typed) are at most `settings.unknownCountersMax`; beyond it the one failed longest ago goes
 *   first, unlocked ones before locked ones. Forgetting an unknown name's counter harms nobody.
 *   Counters of holders and operators are at most a few per person (login, recovery, answer,
 *   ERC, RAO), so db.json no longer grows with login attempts.
 */

export function lockedUntil(db: Database, key: string, now: Date): Date | undefined {
	const until = db.loginThrottle[key]?.lockedUntil;
	return until && Date.parse(until) > now.getTime() ? new Date(until) : undefined;
}

export type FailureOutcome = {kind: 'wrong'; attemptsLeft: number} | {kind: 'locked'; until: Date; minutes: number};

export function countFailure(db: Database, key: string, now: Date): FailureOutcome {
	const settings = db.settings;
	pruneCounters(db, now);
	const throttle = db.loginThrottle[key] ?? {failures: 0, lockedUntil: null, lockouts: 0, lastFailureAt: null};
	throttle.failures += 1;
	throttle.lockedUntil = null;
	throttle.lastFailureAt = now.toISOString();
	db.loginThrottle[key] = throttle;
	if (isUnknownKey(key)) capUnknownCounters(db, key, now);
	const left = settings.loginMaxAttempts - throttle.failures;
	if (left > 0) return {kind: 'wrong', attemptsLeft: left};
	throttle.lockouts += 1;
	throttle.failures = 0;
	const minutes = Math.min(settings.loginLockMinutes * 2 ** (throttle.lockouts - 1), settings.loginLockMaxMinutes);
	const until = new Date(now.getTime() + minutes * MINUTE);
	throttle.lockedUntil = until.toISOString();
	return {kind: 'locked', until, minutes};
}

/** The end of a lock-out as a message shows it ("Riprova dopo le {time} del {date}"), in Italy's time. */
export function lockParams(until: Date): {time: string; date: string} {
	return {time: formatItalianTime(until), date: formatItalianDate(until)};
}

export function clearFailures(db: Database, key: string): void {
	delete db.loginThrottle[key];
}

/** A counter for an identifier that matched nobody: a keyed hash of what was typed. */
export function isUnknownKey(key: string): boolean {
	return /^([a-z]+-)?anon:/.test(key);
}

/** Forgets counters that are not locked and whose last failure is older than the longest lock. */
export function pruneCounters(db: Database, now: Date): void {
	const horizon = now.getTime() - db.settings.loginLockMaxMinutes * MINUTE;
	for (const [key, throttle] of Object.entries(db.loginThrottle)) {
		if (throttle.lockedUntil && Date.parse(throttle.lockedUntil) > now.getTime()) continue;
		// A counter from before `lastFailureAt` was kept is dated by this first write after the upgrade.
		if (throttle.lastFailureAt === null) throttle.lastFailureAt = now.toISOString();
		else if (Date.parse(throttle.lastFailureAt) < horizon) delete db.loginThrottle[key];
	}
}

/** Keeps at most `unknownCountersMax` unknown-identifier counters; the one just counted (`current`) stays. */
function capUnknownCounters(db: Database, current: string, now: Date): void {
	const unknown = Object.entries(db.loginThrottle).filter(([key]) => key !== current && isUnknownKey(key));
	const excess = unknown.length + 1 - db.settings.unknownCountersMax;
	if (excess <= 0) return;
	const locked = (lockedUntil: string | null) => (lockedUntil !== null && Date.parse(lockedUntil) > now.getTime() ? 1 : 0);
	const last = (at: string | null) => (at === null ? 0 : Date.parse(at));
	unknown.sort(([, a], [, b]) => locked(a.lockedUntil) - locked(b.lockedUntil) || last(a.lastFailureAt) - last(b.lastFailureAt));
	for (const [key] of unknown.slice(0, excess)) delete db.loginThrottle[key];
}
