import {createHmac} from 'node:crypto';
import type {Clock} from '../clock.js';
import {MINUTE} from '../clock.js';
import type {Store} from '../store/store.js';
import {nextSequence, type AccessOutcome, type Database, type Holder} from '../store/schema.js';
import {dummyPasswordHash, verifyPassword} from './hashing.js';

export type LoginResult =
	| {kind: 'success'; holder: Holder}
	| {kind: 'invalid'; attemptsLeft: number}
	| {kind: 'locked'; until: Date};

export const MAX_IDENTIFIER_LENGTH = 254;
export const MAX_PASSWORD_LENGTH = 1024;

/** Finds a holder by userID (any case) or e-mail address (any case). */
export function findHolder(db: Database, identifier: string): Holder | undefined {
	const wanted = identifier.trim();
	if (/^jcpd\d{4}$/i.test(wanted)) return db.holders.find(holder => holder.userId === wanted.toUpperCase());
	const email = wanted.toLowerCase();
	return wanted.includes('@') ? db.holders.find(holder => holder.email.toLowerCase() === email) : undefined;
}

/**
 * Login with attempt counting. Unknown identifiers are throttled exactly like real accounts
 * (under a keyed hash of what was typed), get the same answers and create no holder record,
 * so nobody can tell from the portal whether a userID exists.
 * The argon2 check runs outside the store lock; the counters are re-read and changed under it.
 */
export async function login(
	store: Store,
	clock: Clock,
	pepper: Buffer,
	input: {identifier: string; password: string; terminal: string},
): Promise<LoginResult> {
	const snapshot = await store.read();
	const holder = findHolder(snapshot, input.identifier);
	const key = holder ? `user:${holder.userId}` : `anon:${createHmac('sha256', pepper).update(input.identifier.trim().toLowerCase()).digest('hex')}`;

	const lockedAtStart = lockedUntil(snapshot, key, clock.now());
	// Always pay for one argon2 verification, whatever the outcome, so timing reveals nothing.
	const passwordMatches = await verifyPassword(holder?.passwordHash ?? (await dummyPasswordHash()), input.password.slice(0, MAX_PASSWORD_LENGTH));
	const correct = holder !== undefined && passwordMatches && !lockedAtStart;

	return store.update(db => {
		const now = clock.now();
		const settings = db.settings;
		const userId = holder?.userId ?? null;
		const record = (outcome: AccessOutcome) =>
			db.accessLog.push({id: nextSequence(db, 'accessLog'), at: now.toISOString(), userId, outcome, terminal: input.terminal.slice(0, 200)});

		const until = lockedUntil(db, key, now);
		if (until) {
			record('locked');
			return {kind: 'locked', until};
		}
		const throttle = db.loginThrottle[key] ?? {failures: 0, lockedUntil: null, lockouts: 0};
		if (correct) {
			delete db.loginThrottle[key];
			record('success');
			return {kind: 'success', holder: holder!};
		}
		throttle.failures += 1;
		throttle.lockedUntil = null;
		record('wrong-password');
		if (throttle.failures >= settings.loginMaxAttempts) {
			throttle.lockouts += 1;
			throttle.failures = 0;
			const minutes = Math.min(settings.loginLockMinutes * 2 ** (throttle.lockouts - 1), settings.loginLockMaxMinutes);
			const lockEnd = new Date(now.getTime() + minutes * MINUTE);
			throttle.lockedUntil = lockEnd.toISOString();
			db.loginThrottle[key] = throttle;
			return {kind: 'locked', until: lockEnd};
		}
		db.loginThrottle[key] = throttle;
		return {kind: 'invalid', attemptsLeft: settings.loginMaxAttempts - throttle.failures};
	});
}

function lockedUntil(db: Database, key: string, now: Date): Date | undefined {
	const until = db.loginThrottle[key]?.lockedUntil;
	if (!until) return undefined;
	const date = new Date(until);
	return date.getTime() > now.getTime() ? date : undefined;
}
