import {MINUTE, type Clock} from '../clock.js';
import {DomainError} from '../errors.js';
import {italianDay, italianWallTime, parseItalianDate} from '../italian-date.js';
import {verifyPeppered} from '../auth/hashing.js';
import {clearFailures, countFailure, lockedUntil} from '../auth/throttle.js';
import type {Store} from '../store/store.js';
import type {Database} from '../store/schema.js';
import {certificateState, currentCertificate, suspensionIsOver} from './record.js';
import {recordChange} from '../notify/changes.js';

/*
 * "Sospendi online il tuo certificato" (seed 003 §8): IUT, emergency code (ERC) twice and the
 * end date. The certificate is suspended at once and active again after the end date; an end
 * date equal to the expiry amounts to a revocation, which the holder must acknowledge.
 * Wrong IUT/ERC attempts are counted and throttled like passwords.
 */

export interface SuspensionRequest {
	iut: string;
	erc: string;
	ercAgain: string;
	/** dd/mm/yyyy, as the form asks. */
	endDate: string;
	/** The holder has read that an end date equal to the expiry is in effect a revocation. */
	acceptRevocationEffect: boolean;
}

export type SuspensionCheck = {kind: 'ok'; until: Date; equalsExpiry: boolean};

/** Parses dd/mm/yyyy; the suspension ends at the end of that day in Italy (23:59:59). */
export function parseEndDate(text: string): Date {
	const date = parseItalianDate(text);
	if (!date) throw new DomainError('suspend.badDate');
	return italianWallTime(date, 23, 59, 59);
}

function sameDay(a: Date, b: Date): boolean {
	return italianDay(a) === italianDay(b);
}

export async function suspend(store: Store, clock: Clock, pepper: Buffer, userId: string, request: SuspensionRequest): Promise<{until: Date}> {
	if (request.erc !== request.ercAgain) throw new DomainError('suspend.ercMismatch');
	const until = parseEndDate(request.endDate);
	const snapshot = await store.read(userId);
	const holder = snapshot.holders.find(entry => entry.userId === userId);
	const record = currentCertificate(snapshot.certificates, userId);
	if (!holder || !record) throw new DomainError('certificate.none');
	const now = clock.now();
	const state = certificateState(record, clock);
	if (state !== 'active') throw new DomainError('suspend.notActive', {state});
	if (until.getTime() <= now.getTime() || sameDay(until, now)) throw new DomainError('suspend.dateNotAfterToday');
	const expiry = new Date(record.expiresAt);
	if (until.getTime() > expiry.getTime() && !sameDay(until, expiry)) throw new DomainError('suspend.dateAfterExpiry');
	const equalsExpiry = sameDay(until, expiry);
	if (equalsExpiry && !request.acceptRevocationEffect) throw new DomainError('suspend.confirmRevocationEffect');

	const key = `erc:${userId}`;
	const lockedAtStart = lockedUntil(snapshot, key, now);
	if (lockedAtStart) throw new DomainError('suspend.locked', {minutes: Math.ceil((lockedAtStart.getTime() - now.getTime()) / MINUTE)});
	// The argon2 check runs outside the lock; the counters are re-read and changed under it.
	const ercRight = await verifyPeppered(holder.ercHash, request.erc.trim(), pepper);
	const iutRight = request.iut.trim() === record.iut;

	const outcome = await store.update(db => {
		const at = clock.now();
		const locked = lockedUntil(db, key, at);
		if (locked) return {kind: 'locked', minutes: Math.ceil((locked.getTime() - at.getTime()) / MINUTE)} as const;
		const certificate = db.certificates.find(entry => entry.id === record.id);
		if (!certificate || certificate.status !== 'active') return {kind: 'changed'} as const;
		if (ercRight && iutRight) {
			clearFailures(db, key);
			certificate.status = 'suspended';
			certificate.revokedAt = at.toISOString();
			certificate.suspendedUntil = (equalsExpiry ? expiry : until).toISOString();
			recordChange(db, {kind: 'certificate-suspended', userId, until: equalsExpiry ? expiry : until, equalsExpiry}, at);
			return {kind: 'ok'} as const;
		}
		const failure = countFailure(db, key, at);
		return failure.kind === 'locked' ? ({kind: 'locked', minutes: failure.minutes} as const) : ({kind: 'wrong', left: failure.attemptsLeft} as const);
	}, userId);
	if (outcome.kind === 'locked') throw new DomainError('suspend.locked', {minutes: outcome.minutes});
	if (outcome.kind === 'changed') throw new DomainError('suspend.notActive', {state: 'suspended'});
	if (outcome.kind === 'wrong') throw new DomainError('suspend.wrongCodes', {attemptsLeft: outcome.left});
	return {until: equalsExpiry ? expiry : until};
}

/** Suspensions whose end date has passed end: the certificate is active again. Returns whether anything changed. */
export function endExpiredSuspensions(db: Database, now: Date): boolean {
	let changed = false;
	for (const certificate of db.certificates) {
		if (suspensionIsOver(certificate, now)) {
			// Nobody acts: the portal noticed the end date passed (no terminal).
			recordChange(db, {kind: 'suspension-ended', userId: certificate.userId, until: new Date(certificate.suspendedUntil!), expired: Date.parse(certificate.expiresAt) <= now.getTime()}, now, {terminal: ''});
			certificate.status = 'active';
			certificate.suspendedUntil = null;
			certificate.revokedAt = null;
			changed = true;
		}
	}
	return changed;
}
