import {createHash, randomBytes, timingSafeEqual} from 'node:crypto';
import type {Clock} from '../clock.js';
import {DomainError} from '../errors.js';
import type {SessionRecord} from '../store/schema.js';
import type {Store} from '../store/store.js';
import {assertLiveSession} from './sessions.js';

/*
 * Command-line sessions: after `mysign sign` logs in, the session (a record like the portal's,
 * with the same idle and maximum times) gets a random 256-bit secret. The holder's token file
 * (see source/cli/session-file.ts) keeps the secret; db.json keeps only its SHA-256, so whoever
 * reads db.json cannot use the session. A secret that matches nothing is `auth.sessionExpired`.
 */

const hashOf = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

/** Gives a live session a new secret and returns it (base64url, 43 characters). */
export async function attachSecret(store: Store, clock: Clock, session: {id: string; userId: string}): Promise<string> {
	const secret = randomBytes(32).toString('base64url');
	await store.update(db => {
		assertLiveSession(db, session, clock.now());
		db.sessions.find(entry => entry.id === session.id)!.secretHash = hashOf(secret);
	}, session.userId);
	return secret;
}

/** The live session of `userId` whose secret this is. */
export async function findBySecret(store: Store, clock: Clock, input: {userId: string; sessionId: string; secret: string}): Promise<SessionRecord> {
	const db = await store.read(input.userId);
	const record = db.sessions.find(entry => entry.id === input.sessionId);
	const expected = Buffer.from(record?.secretHash ?? '', 'hex');
	const given = Buffer.from(hashOf(input.secret), 'hex');
	if (!record || expected.length !== given.length || !timingSafeEqual(expected, given)) throw new DomainError('auth.sessionExpired');
	assertLiveSession(db, {id: record.id, userId: input.userId}, clock.now());
	return record;
}
