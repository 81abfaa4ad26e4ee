import {MINUTE} from '../clock.js';
import type {Database} from '../store/schema.js';

/*
 * Attempt counting for anything guessed: passwords, emergency codes, operator credentials.
 * `settings.loginMaxAttempts` failures lock the key for `loginLockMinutes`, doubling on each
 * repeated lock-out up to `loginLockMaxMinutes`; a success clears it. Call inside a store update.
 */

export function lockedUntil(db: Database, key: string, now: Date): Date | undefined {
	const until = db.loginThrottle[key]?.lockedUntil;
	return until && Date.parse(until) > now.getTime() ? new Date(until) : undefined;
}

export type FailureOutcome = {kind: 'wrong'; attemptsLeft: number} | {kind: 'locked'; until: Date; minutes: number};

export function countFailure(db: Database, key: string, now: Date): FailureOutcome {
	const settings = db.settings;
	const throttle = db.loginThrottle[key] ?? {failures: 0, lockedUntil: null, lockouts: 0};
	throttle.failures += 1;
	throttle.lockedUntil = null;
	db.loginThrottle[key] = throttle;
	const left = settings.loginMaxAttempts - throttle.failures;
	if (left > 0) return {kind: 'wrong', attemptsLeft: left};
	throttle.lockouts += 1;
	throttle.failures = 0;
	const minutes = Math.min(settings.loginLockMinutes * 2 ** (throttle.lockouts - 1), settings.loginLockMaxMinutes);
	const until = new Date(now.getTime() + minutes * MINUTE);
	throttle.lockedUntil = until.toISOString();
	return {kind: 'locked', until, minutes};
}

export function clearFailures(db: Database, key: string): void {
	delete db.loginThrottle[key];
}
