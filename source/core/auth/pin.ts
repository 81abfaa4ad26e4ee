import type {Clock} from '../clock.js';
import {DomainError} from '../errors.js';
import type {Store} from '../store/store.js';
import type {Database} from '../store/schema.js';
import {verifyPeppered} from './hashing.js';
import {recordChange} from '../notify/changes.js';

/*
 * The signing PIN: exactly 8 digits, unrecoverable. Three consecutive wrong PINs, in any
 * operation, block the PIN and the certificate for good ("bloccato definitivamente"); a right
 * PIN before that resets the count. Every refusal says how many attempts are left.
 */

export function assertPinFormat(pin: string, length = 8): void {
	if (!new RegExp(`^\\d{${length}}$`).test(pin)) throw new DomainError('pin.format', {length});
}

/** What a PIN did to the holder's counter (committed whatever it is); `throwUnlessPinRight` turns it into the holder's error. */
export type PinOutcome = {kind: 'ok'} | {kind: 'blocked'} | {kind: 'revoked'} | {kind: 'wrong'; left: number};

/**
 * The first half of a PIN check, on a snapshot and outside the lock: the refusals that count
 * nothing (no holder, a blocked or revoked certificate), then the argon2 verdict. The second
 * half, `countPinIn`, runs in the caller's transaction.
 */
export async function verifyPinOutsideLock(snapshot: Database, pepper: Buffer, userId: string, certificateId: string, pin: string): Promise<boolean> {
	const holder = snapshot.holders.find(entry => entry.userId === userId);
	if (!holder) throw new DomainError('holder.notFound');
	const status = snapshot.certificates.find(entry => entry.id === certificateId)?.status;
	if (status === 'blocked') throw new DomainError('pin.blocked');
	// A revoked certificate's PIN is not counted: a block would overwrite the revocation and drop it from the next CRL.
	if (status === 'revoked') throw new DomainError('pin.revoked');
	// The argon2 check runs outside the lock; the counter is re-read and changed under it.
	return /^\d+$/.test(pin) && verifyPeppered(holder.pinHash, pin, pepper);
}

/**
 * Counts the PIN in the caller's transaction (`right`: `verifyPinOutsideLock`'s verdict): a
 * right one resets the count, a wrong one counts and the last allowed blocks the certificate.
 * The caller commits whatever the outcome, then calls `throwUnlessPinRight`.
 */
export function countPinIn(db: Database, userId: string, certificateId: string, right: boolean, now: Date): PinOutcome {
	const current = db.holders.find(entry => entry.userId === userId);
	if (!current) throw new DomainError('holder.notFound');
	const certificate = db.certificates.find(entry => entry.id === certificateId);
	if (!certificate || certificate.status === 'blocked') return {kind: 'blocked'};
	if (certificate.status === 'revoked') return {kind: 'revoked'};
	if (right) {
		current.pinFailures = 0;
		return {kind: 'ok'};
	}
	current.pinFailures += 1;
	const left = db.settings.pinMaxAttempts - current.pinFailures;
	if (left > 0) return {kind: 'wrong', left};
	certificate.status = 'blocked';
	recordChange(db, {kind: 'pin-blocked', userId, attempts: current.pinFailures}, now, 'holder');
	return {kind: 'blocked'};
}

export function throwUnlessPinRight(outcome: PinOutcome): void {
	if (outcome.kind === 'blocked') throw new DomainError('pin.blocked');
	if (outcome.kind === 'revoked') throw new DomainError('pin.revoked');
	if (outcome.kind === 'wrong') throw new DomainError('pin.wrong', {attemptsLeft: outcome.left});
}

/** A PIN check in a transaction of its own. `clock`: the folder's, which stamps the block when this wrong PIN is the last allowed (notify/changes.ts). */
export async function checkPin(store: Store, pepper: Buffer, userId: string, certificateId: string, pin: string, clock: Clock): Promise<void> {
	const right = await verifyPinOutsideLock(await store.read(), pepper, userId, certificateId, pin);
	throwUnlessPinRight(await store.update(db => countPinIn(db, userId, certificateId, right, clock.now())));
}
