import {isUserId} from '../holders/user-id.js';
import {createHmac} from 'node:crypto';
import type {Clock} from '../clock.js';
import {NO_HOLDER} from '../store/scope.js';
import type {Store} from '../store/store.js';
import {nextAccessId, type AccessOutcome, type Database, type Holder} from '../store/schema.js';
import {dummyPasswordHash, verifyPassword} from './hashing.js';
import {clearFailures, countFailure, lockedUntil} from './throttle.js';

export type LoginResult =
	| {kind: 'success'; holder: Holder}
	| {kind: 'invalid'; attemptsLeft: number}
	| {kind: 'locked'; until: Date};

export const MAX_IDENTIFIER_LENGTH = 254;
export const MAX_PASSWORD_LENGTH = 1024;

/** Finds a holder by userID (any case) or e-mail address (any case). */
export function findHolder(db: Database, identifier: string): Holder | undefined {
	const wanted = identifier.trim();
	if (isUserId(wanted.toUpperCase())) return db.holders.find(holder => holder.userId === wanted.toUpperCase());
	const email = wanted.toLowerCase();
	return wanted.includes('@') ? db.holders.find(holder => holder.email.toLowerCase() === email) : undefined;
}

/** The holder an identifier names (userID or e-mail address, any case), as a store scope: NO_HOLDER when nobody. */
export async function identifiedScope(store: Store, identifier: string): Promise<string> {
	const wanted = identifier.trim();
	if (isUserId(wanted.toUpperCase())) return wanted.toUpperCase();
	return (wanted.includes('@') ? await store.holderIdByEmail(wanted) : undefined) ?? NO_HOLDER;
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
	const scope = await identifiedScope(store, input.identifier);
	const snapshot = await store.read(scope);
	const holder = findHolder(snapshot, input.identifier);
	const key = holder ? `user:${holder.userId}` : `anon:${createHmac('sha256', pepper).update(input.identifier.trim().toLowerCase()).digest('hex')}`;

	const lockedAtStart = lockedUntil(snapshot, key, clock.now());
	// Always pay for one argon2 verification, whatever the outcome, so timing reveals nothing.
	// An overlong password is wrong, never truncated into a right one; it still costs one verification.
	const overlong = input.password.length > MAX_PASSWORD_LENGTH;
	const passwordMatches = (await verifyPassword(holder?.passwordHash ?? (await dummyPasswordHash()), overlong ? '' : input.password)) && !overlong;
	const correct = holder !== undefined && passwordMatches && !lockedAtStart;

	return store.update(db => {
		const now = clock.now();
		const userId = holder?.userId ?? null;
		const record = (outcome: AccessOutcome) =>
			db.accessLog.push({id: nextAccessId(db, userId), at: now.toISOString(), userId, outcome, terminal: input.terminal.slice(0, 200)});

		const until = lockedUntil(db, key, now);
		if (until) {
			record('locked');
			return {kind: 'locked', until};
		}
		if (correct) {
			clearFailures(db, key);
			record('success');
			return {kind: 'success', holder: holder!};
		}
		record('wrong-password');
		const failure = countFailure(db, key, now);
		return failure.kind === 'locked' ? {kind: 'locked', until: failure.until} : {kind: 'invalid', attemptsLeft: failure.attemptsLeft};
	}, scope);
}
