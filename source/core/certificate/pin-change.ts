import {randomUUID} from 'node:crypto';
import {DAY, type Clock} from '../clock.js';
import {DomainError} from '../errors.js';
import {hashPeppered} from '../auth/hashing.js';
import {assertPinFormat, checkPin} from '../auth/pin.js';
import type {ChallengeView, Challenges} from '../otp/challenges.js';
import {openPrivateKey, sealPrivateKey} from '../pki/holder-key.js';
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
		const certificate = currentCertificate((await this.store.read()).certificates, userId);
		if (!certificate) throw new DomainError('certificate.none');
		// The OTP message limit before anything is counted or stored.
		await this.challenges.assertCanStart(userId);
		await checkPin(this.store, this.pepper, userId, certificate.id, input.currentPin, this.clock);
		const key = await openPrivateKey(certificate.privateKey, input.currentPin, this.pepper);
		if (!key) throw new DomainError('pin.wrong', {attemptsLeft: 0});
		const [newKey, newPinHash] = await Promise.all([sealPrivateKey(key, input.newPin, this.pepper), hashPeppered(input.newPin, this.pepper)]);
		key.fill(0);
		const changeId = randomUUID();
		const now = this.clock.now();
		await this.store.update(db => {
			// Only changes older than a day go: the holder may be changing the PIN in another terminal too, and that change must still confirm.
			db.pinChanges = db.pinChanges.filter(entry => Date.parse(entry.createdAt) > now.getTime() - DAY);
			db.pinChanges.push({id: changeId, userId, certificateId: certificate.id, challengeId: null, newPinHash, newKey, createdAt: now.toISOString()});
		});
		const challenge = await this.challenges.start({userId, operation: OPERATION_PIN_CHANGE, data: {changeId}});
		await this.store.update(db => {
			const change = db.pinChanges.find(entry => entry.id === changeId);
			if (change) change.challengeId = challenge.id;
		});
		return {changeId, challenge};
	}

	async confirm(userId: string, changeId: string, code: string): Promise<void> {
		const change = (await this.store.read()).pinChanges.find(entry => entry.id === changeId && entry.userId === userId);
		if (!change || !change.challengeId) throw new DomainError('pin.changeUnknown');
		await this.challenges.confirm({challengeId: change.challengeId, userId, operation: OPERATION_PIN_CHANGE, data: {changeId}, code});
		await this.store.update(db => {
			const pending = db.pinChanges.find(entry => entry.id === changeId);
			const holder = db.holders.find(entry => entry.userId === userId);
			const certificate = db.certificates.find(entry => entry.id === change.certificateId);
			if (!pending || !holder || !certificate) throw new DomainError('pin.changeUnknown');
			holder.pinHash = pending.newPinHash;
			holder.pinFailures = 0;
			certificate.privateKey = pending.newKey;
			db.pinChanges = db.pinChanges.filter(entry => entry.id !== changeId);
			recordChange(db, {kind: 'pin-changed', userId}, this.clock.now());
		});
	}
}
