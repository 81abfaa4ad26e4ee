import type {Clock} from '../clock.js';
import {DomainError} from '../errors.js';
import type {Store} from '../store/store.js';
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

/** `clock`: the folder's, which stamps the block when this wrong PIN is the last allowed (notify/changes.ts). */
export async function checkPin(store: Store, pepper: Buffer, userId: string, certificateId: string, pin: string, clock: Clock): Promise<void> {
	const snapshot = await store.read();
	const holder = snapshot.holders.find(entry => entry.userId === userId);
	if (!holder) throw new DomainError('holder.notFound');
	const status = snapshot.certificates.find(entry => entry.id === certificateId)?.status;
	if (status === 'blocked') throw new DomainError('pin.blocked');
	// A revoked certificate's PIN is not counted: a block would overwrite the revocation and drop it from the next CRL.
	if (status === 'revoked') throw new DomainError('pin.revoked');
	// The argon2 check runs outside the lock; the counter is re-read and changed under it.
	const right = /^\d+$/.test(pin) && (await verifyPeppered(holder.pinHash, pin, pepper));
	const outcome = await store.update(db => {
		const current = db.holders.find(entry => entry.userId === userId)!;
		const certificate = db.certificates.find(entry => entry.id === certificateId);
		if (!certificate || certificate.status === 'blocked') return {kind: 'blocked'} as const;
		if (certificate.status === 'revoked') return {kind: 'revoked'} as const;
		if (right) {
			current.pinFailures = 0;
			return {kind: 'ok'} as const;
		}
		current.pinFailures += 1;
		const left = db.settings.pinMaxAttempts - current.pinFailures;
		if (left > 0) return {kind: 'wrong', left} as const;
		certificate.status = 'blocked';
		recordChange(db, {kind: 'pin-blocked', userId, attempts: current.pinFailures}, clock.now(), 'holder');
		return {kind: 'blocked'} as const;
	});
	if (outcome.kind === 'blocked') throw new DomainError('pin.blocked');
	if (outcome.kind === 'revoked') throw new DomainError('pin.revoked');
	if (outcome.kind === 'wrong') throw new DomainError('pin.wrong', {attemptsLeft: outcome.left});
}
