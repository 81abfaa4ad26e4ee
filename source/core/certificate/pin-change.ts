import {randomUUID} from 'node:crypto';
import {DAY, type Clock} from '../clock.js';
import {DomainError} from '../errors.js';
import {hashPeppered} from '../auth/hashing.js';
import {assertPinFormat, countPinIn, throwUnlessPinRight, verifyPinOutsideLock} from '../auth/pin.js';
import {throwUnlessConfirmed, type ChallengeView, type Challenges} from '../otp/challenges.js';
import {openPrivateKey, sealPrivateKey, type SealedKey} from '../pki/holder-key.js';
import type {Store} from '../store/store.js';
import {currentCertificate} from './record.js';
import {recordChange} from '../notify/changes.js';

/*
 * "PIN di firma" → "Modifica PIN" (seed 003 §6): current PIN, new PIN twice, then an OTP.
 * The wrong current PIN counts toward the block. The signing key is re-sealed under the new
 * PIN before the OTP and swapped in only once the OTP confirms it, so no PIN is ever stored.
 */

export const OPERATION_PIN_CHANGE = 'pin.change';

export class PinChanges {
	constructor(
		private readonly store: Store,
		private readonly clock: Clock,
		private readonly pepper: Buffer,
		private readonly challenges: Challenges,
	) {}

	async start(userId: string, input: {currentPin: string; newPin: string; newPinAgain: string}): Promise<{changeId: string; challenge: ChallengeView}> {
		// A current PIN that cannot be one (letters, escape sequences, 1 MB) is refused as such, not counted toward the block.
		assertPinFormat(input.currentPin);
		assertPinFormat(input.newPin);
		if (input.newPin !== input.newPinAgain) throw new DomainError('pin.mismatch');
		const snapshot = await this.store.read(userId);
		const certificate = currentCertificate(snapshot.certificates, userId);
		if (!certificate) throw new DomainError('certificate.none');
		// The OTP message limit before anything is counted or stored.
		this.challenges.assertCanStartIn(snapshot, userId, this.clock.now());
		// The PIN verified outside the lock; only a right one opens the key, re-sealed under the new PIN before the write.
		const verdict = await verifyPinOutsideLock(snapshot, this.pepper, userId, certificate.id, input.currentPin);
		const sealed = verdict.right ? await this.resealed(certificate.privateKey, input.currentPin, input.newPin) : undefined;
		const changeId = randomUUID();
		// One write: the PIN counted and, when right, the change stored with its challenge; the SMS leaves once committed.
		const outcome = await this.store.update(async (db, transaction) => {
			const now = this.clock.now();
			// The PIN counted first (never verified and left uncounted), then the limit again under the lock.
			const pin = await countPinIn(db, userId, certificate.id, verdict, now);
			const refused = pin.kind === 'ok' ? this.challenges.refusalToStartIn(db, userId, now) : undefined;
			if (pin.kind !== 'ok' || refused) return {pin, refused};
			// Right only under the lock (a change to this very PIN committed meanwhile): the key, re-sealed
			// with that change, is opened here. Rare; it costs two more argon2 rounds under the lock.
			const current = db.certificates.find(entry => entry.id === certificate.id);
			const resealed = sealed ?? (current ? await this.resealed(current.privateKey, input.currentPin, input.newPin) : undefined);
			if (!resealed) return {pin, refused};
			const [newKey, newPinHash] = resealed;
			const started = this.challenges.startIn(db, now, {userId, operation: OPERATION_PIN_CHANGE, data: {changeId}});
			transaction.afterCommit(started.send);
			// Only changes older than a day go: the holder may be changing the PIN in another terminal too, and that change must still confirm.
			db.pinChanges = db.pinChanges.filter(entry => Date.parse(entry.createdAt) > now.getTime() - DAY);
			db.pinChanges.push({id: changeId, userId, certificateId: certificate.id, challengeId: started.challenge.id, newPinHash, newKey, createdAt: now.toISOString()});
			return {pin, challenge: started.challenge};
		}, userId);
		throwUnlessPinRight(outcome.pin);
		if (outcome.refused) throw outcome.refused;
		// The PIN matched its hash but did not open the key: it changed in between.
		if (!outcome.challenge) throw new DomainError('pin.changedMeanwhile');
		return {changeId, challenge: outcome.challenge};
	}

	/** The signing key opened with the current PIN and sealed under the new one, with the new PIN's hash; undefined if it does not open. */
	private async resealed(privateKey: SealedKey, currentPin: string, newPin: string): Promise<[SealedKey, string] | undefined> {
		const key = await openPrivateKey(privateKey, currentPin, this.pepper);
		if (!key) return undefined;
		try {
			return await Promise.all([sealPrivateKey(key, newPin, this.pepper), hashPeppered(newPin, this.pepper)]);
		} finally {
			key.fill(0);
		}
	}

	async confirm(userId: string, changeId: string, code: string): Promise<void> {
		const change = (await this.store.read(userId)).pinChanges.find(entry => entry.id === changeId && entry.userId === userId);
		if (!change || !change.challengeId) throw new DomainError('pin.changeUnknown');
		// The code and the new PIN in one write.
		const outcome = await this.store.update(async db => {
			const confirmed = await this.challenges.confirmIn(db, this.clock.now(), {challengeId: change.challengeId!, userId, operation: OPERATION_PIN_CHANGE, data: {changeId}, code});
			if (confirmed.kind !== 'ok') return confirmed;
			const pending = db.pinChanges.find(entry => entry.id === changeId);
			const holder = db.holders.find(entry => entry.userId === userId);
			const certificate = db.certificates.find(entry => entry.id === change.certificateId);
			if (!pending || !holder || !certificate) throw new DomainError('pin.changeUnknown');
			holder.pinHash = pending.newPinHash;
			holder.pinFailures = 0;
			certificate.privateKey = pending.newKey;
			db.pinChanges = db.pinChanges.filter(entry => entry.id !== changeId);
			recordChange(db, {kind: 'pin-changed', userId}, this.clock.now());
			return confirmed;
		}, userId);
		throwUnlessConfirmed(outcome);
	}
}
