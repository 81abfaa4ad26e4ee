import type {Clock} from '../clock.js';
import {DomainError} from '../errors.js';
import type {Store} from '../store/store.js';
import type {Database} from '../store/schema.js';
import {verifyPeppered} from './hashing.js';
import {recordChange} from '../notify/changes.js';
import type {SealedKey} from '../pki/holder-key.js';

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
 * A PIN's verdict outside the lock, with the hash it was checked against. Under the lock
 * (`countPinIn`) it counts as it is only if that hash is still the holder's: a PIN change
 * committed meanwhile replaced it, and the PIN is then checked again against the new one.
 */
export interface PinVerdict {
	readonly right: boolean;
	readonly checkedHash: string;
	/** The same PIN checked against another hash (argon2); the PIN itself stays in this closure. */
	readonly recheck: (hash: string) => Promise<boolean>;
}

/**
 * The first half of a PIN check, on a snapshot and outside the lock: the refusals that count
 * nothing (no holder, a blocked or revoked certificate), then the argon2 verdict. The second
 * half, `countPinIn`, runs in the caller's transaction.
 */
export async function verifyPinOutsideLock(snapshot: Database, pepper: Buffer, userId: string, certificateId: string, pin: string): Promise<PinVerdict> {
	const holder = snapshot.holders.find(entry => entry.userId === userId);
	if (!holder) throw new DomainError('holder.notFound');
	const status = snapshot.certificates.find(entry => entry.id === certificateId)?.status;
	if (status === 'blocked') throw new DomainError('pin.blocked');
	// A revoked certificate's PIN is not counted: a block would overwrite the revocation and drop it from the next CRL.
	if (status === 'revoked') throw new DomainError('pin.revoked');
	const recheck = async (hash: string) => /^\d+$/.test(pin) && verifyPeppered(hash, pin, pepper);
	// The argon2 check runs outside the lock; the counter is re-read and changed under it.
	return {right: await recheck(holder.pinHash), checkedHash: holder.pinHash, recheck};
}

/**
 * Counts the PIN in the caller's transaction (`verdict`: `verifyPinOutsideLock`'s): a right one
 * resets the count, a wrong one counts and the last allowed blocks the certificate. If the
 * holder's PIN hash is no longer the one the verdict was found on (a PIN change committed
 * between the snapshot and the lock), the PIN is verified again against the current hash and
 * that verdict counts: the old PIN is then wrong, and the same PIN re-hashed (a change to the
 * same digits gets a new salt) or the new one is right. The caller commits whatever the
 * outcome, then calls `throwUnlessPinRight`.
 */
export async function countPinIn(db: Database, userId: string, certificateId: string, verdict: PinVerdict, now: Date): Promise<PinOutcome> {
	const current = db.holders.find(entry => entry.userId === userId);
	if (!current) throw new DomainError('holder.notFound');
	const certificate = db.certificates.find(entry => entry.id === certificateId);
	if (!certificate || certificate.status === 'blocked') return {kind: 'blocked'};
	if (certificate.status === 'revoked') return {kind: 'revoked'};
	// The rare path (a PIN change won the race) costs one argon2 verification (~30 ms) under the
	// lock, so every other process waits for it; the common path costs nothing more.
	const right = current.pinHash === verdict.checkedHash ? verdict.right : await verdict.recheck(current.pinHash);
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

/**
 * A PIN check in a transaction of its own. `clock`: the folder's, which stamps the block when this
 * wrong PIN is the last allowed (notify/changes.ts). Returns the certificate's sealed key as the
 * lock saw it, with the PIN hash the PIN was counted against: a PIN change commits both at once,
 * so the key returned opens with a PIN found right (a key read before may be sealed under the old one).
 */
export async function checkPin(store: Store, pepper: Buffer, userId: string, certificateId: string, pin: string, clock: Clock): Promise<SealedKey> {
	const verdict = await verifyPinOutsideLock(await store.read(userId), pepper, userId, certificateId, pin);
	const {outcome, sealed} = await store.update(async db => ({
		outcome: await countPinIn(db, userId, certificateId, verdict, clock.now()),
		sealed: db.certificates.find(entry => entry.id === certificateId)?.privateKey,
	}), userId);
	throwUnlessPinRight(outcome);
	if (!sealed) throw new DomainError('pin.blocked');
	return sealed;
}
