import {createHmac, randomInt, randomUUID} from 'node:crypto';
import type {Clock} from '../clock.js';
import {DomainError} from '../errors.js';
import {dummyPasswordHash, hashPeppered, verifyPassword} from '../auth/hashing.js';
import {assertPinFormat, countPinIn, throwUnlessPinRight, verifyPinOutsideLock} from '../auth/pin.js';
import {clearFailures, countFailure, lockedUntil, lockParams} from '../auth/throttle.js';
import {throwUnlessConfirmed, type ChallengeView, type Challenges, type StartInput} from '../otp/challenges.js';
import type {CertificationAuthority} from '../pki/authority.js';
import {newKeyPair} from '../pki/authority.js';
import {sealPrivateKey} from '../pki/holder-key.js';
import type {Store, Transaction} from '../store/store.js';
import type {Database, Renewal} from '../store/schema.js';
import {findUsableCoupon} from './coupons.js';
import {certificateState, currentCertificate, newCertificateRecord, newUniqueIut} from './record.js';
import {dropRenewal, openRenewal, renewalClosed, resumableUntil, type PendingRenewal} from './renewal-progress.js';
import {renewalWindow, windowError, type RenewalWindow} from './renewal-window.js';

export {renewalWindow, type PendingRenewal, type RenewalWindow};
import {recordChange} from '../notify/changes.js';
import {certificateLifecycle} from './lifecycle.js';

/*
 * "Rinnova firma" (seeds 000, 001, 003 §7, 004): 1 Consensi (declaration, conditions, data
 * unchanged, PIN) → 2 Conferma l'operazione (OTP) → 3 Attiva il certificato (new PIN twice,
 * may equal the old) → 4 Conferma l'operazione (OTP). Open from 90 days before expiry until
 * the day before. The new certificate has a new X.509 serial and IUT and is valid 3 years
 * from the renewal; the old one is revoked as superseded. Each step is checked here, in order,
 * and an error at a step lets the holder retry that step. The progress is stored: a renewal
 * left mid-way resumes at its step (see renewal-progress.ts), and every step checks again that
 * the renewal can still go on (window, certificate, time since it began).
 */

export const OPERATION_RENEWAL_CONSENTS = 'renewal.consents';
export const OPERATION_RENEWAL_ACTIVATE = 'renewal.activate';
export const OPERATION_RENEWAL_RAO = 'renewal.rao';

/** What the replacement procedure sends: the e-mail with the envelope (seed 002). */
/** Sends the envelope's e-mail to the holder, in their saved language (`language`). */
export type SendEnvelope = (input: {userId: string; to: string; name: string; surname: string; language: 'it' | 'en' | null; pdf: Buffer; at: Date}) => Promise<void>;

export class Renewals {
	constructor(
		private readonly store: Store,
		private readonly clock: Clock,
		private readonly pepper: Buffer,
		private readonly challenges: Challenges,
		private readonly authority: () => Promise<CertificationAuthority>,
		private readonly publishCrl: () => Promise<void>,
		private readonly sendEnvelope: SendEnvelope,
	) {}

	/** "Richiedi nuovo certificato": flagged, expired or on the expiry day, unless the PIN is blocked or the certificate revoked. */
	async replacementAllowed(userId: string): Promise<{allowed: boolean; deadline: Date | null}> {
		return this.replacementAllowedIn(await this.store.read(userId), userId);
	}

	private replacementAllowedIn(db: Database, userId: string): {allowed: boolean; deadline: Date | null} {
		const holder = db.holders.find(entry => entry.userId === userId);
		const certificate = currentCertificate(db.certificates, userId);
		if (!holder || !certificate) return {allowed: false, deadline: null};
		const deadline = holder.replacementDeadline ? new Date(holder.replacementDeadline) : null;
		// Flagged, expired or expiry day, and the PIN still usable (lifecycle.ts decides for the dashboard too).
		return {allowed: certificateLifecycle(certificate, holder, this.clock.now(), db.settings.renewalWindowDays).replacementAllowed, deadline};
	}

	async window(userId: string): Promise<RenewalWindow> {
		return this.windowIn(await this.store.read(userId), userId);
	}

	private windowIn(db: Database, userId: string): RenewalWindow {
		const certificate = currentCertificate(db.certificates, userId);
		if (!certificate) throw new DomainError('certificate.none');
		return renewalWindow(certificate, this.clock.now(), db.settings.renewalWindowDays, certificateState(certificate, this.clock));
	}

	/**
	 * "Rinnova con credenziali RAO": an operator authorises the renewal with their userID and
	 * password, then an OTP sent to the operator's own phone.
	 */
	async raoAuthorize(userId: string, input: {operatorId: string; password: string}): Promise<ChallengeView> {
		const window = await this.window(userId);
		if (!window.open) throw windowError(window);
		const operatorId = input.operatorId.trim().toUpperCase();
		const snapshot = await this.store.read(userId);
		const operator = snapshot.operators.find(entry => entry.userId === operatorId);
		// Counted like a holder's login: an unknown operator ID under a keyed hash of what was typed (see auth/throttle.ts).
		const key = operator ? `rao:${operator.userId}` : `rao-anon:${createHmac('sha256', this.pepper).update(operatorId).digest('hex')}`;
		const lockedAtStart = lockedUntil(snapshot, key, this.clock.now());
		if (lockedAtStart) throw new DomainError('rao.locked', lockParams(lockedAtStart));
		// Same answer and cost for an unknown operator and a wrong password; both are counted.
		const passwordMatches = await verifyPassword(operator?.passwordHash ?? (await dummyPasswordHash()), input.password);
		const right = operator !== undefined && passwordMatches;
		// The count and the operator's OTP in one write; the SMS leaves once it is committed.
		const outcome = await this.store.update((db, transaction) => {
			const now = this.clock.now();
			const until = lockedUntil(db, key, now);
			if (until) return {kind: 'locked', until} as const;
			if (!right) return countFailure(db, key, now);
			if (!operator) throw new Error('an unknown operator ID was accepted');
			clearFailures(db, key);
			const started = this.challenges.startIn(db, now, {userId, operation: OPERATION_RENEWAL_RAO, data: {userId, operatorId}, channel: 'sms', smsTo: operator.phone, smsRecipient: operatorId});
			transaction.afterCommit(started.send);
			return {kind: 'ok', challenge: started.challenge} as const;
		}, userId);
		// The holder login's answers: attempts left, then the time the lock ends.
		if (outcome.kind === 'locked') throw new DomainError('rao.locked', lockParams(outcome.until));
		if (outcome.kind === 'wrong') throw new DomainError('rao.invalid', {attemptsLeft: outcome.attemptsLeft});
		return outcome.challenge;
	}

	/** The operator's OTP: records the authorisation the next renewal of this holder will use. */
	async raoConfirm(userId: string, input: {operatorId: string; challengeId: string; code: string}): Promise<string> {
		const operatorId = input.operatorId.trim().toUpperCase();
		const id = randomUUID();
		// The code and the authorisation in one write.
		await this.challenges.confirmAnd({challengeId: input.challengeId, userId, operation: OPERATION_RENEWAL_RAO, data: {userId, operatorId}, code: input.code}, (db, now) => {
			db.raoApprovals.push({id, userId, operatorId, at: now.toISOString(), usedAt: null});
		});
		return id;
	}

	/**
	 * Step 1, "Consensi": both consents and the current PIN; then an OTP confirms them. Checked on
	 * one snapshot, the PIN verified outside the lock, then one write: the PIN counted, the
	 * renewal stored with its challenge, the SMS sent once that is committed.
	 */
	async begin(
		userId: string,
		input: {acceptConditions: boolean; confirmData: boolean; pin: string; coupon?: string; raoApprovalId?: string},
		kind: 'renewal' | 'replacement' = 'renewal',
	): Promise<{renewalId: string; challenge: ChallengeView}> {
		const snapshot = await this.store.read(userId);
		const couponId = input.coupon === undefined ? null : findUsableCoupon(snapshot, this.pepper, input.coupon);
		if (input.raoApprovalId !== undefined) {
			const approval = snapshot.raoApprovals.find(entry => entry.id === input.raoApprovalId && entry.userId === userId);
			if (!approval || approval.usedAt) throw new DomainError('rao.notAuthorised');
		}
		if (!input.acceptConditions || (kind === 'renewal' && !input.confirmData)) throw new DomainError(kind === 'renewal' ? 'renewal.consentsRequired' : 'replacement.consentsRequired');
		if (kind === 'renewal') {
			const window = this.windowIn(snapshot, userId);
			if (!window.open) throw windowError(window);
		} else if (!this.replacementAllowedIn(snapshot, userId).allowed) {
			throw new DomainError('replacement.notAllowed');
		}
		// A PIN that cannot be right (`123`) is refused for what it is, before it costs one of the attempts.
		assertPinFormat(input.pin);
		const certificate = currentCertificate(snapshot.certificates, userId)!;
		// The OTP message limit first: a refusal stores nothing (no renewal, no spent approval, no PIN counted).
		this.challenges.assertCanStartIn(snapshot, userId, this.clock.now());
		const verdict = await verifyPinOutsideLock(snapshot, this.pepper, userId, certificate.id, input.pin);
		const renewalId = randomUUID();
		const outcome = await this.store.update(async (db, transaction) => {
			const now = this.clock.now();
			// The PIN counted first (never verified and left uncounted), then the limit again under the lock.
			const pin = await countPinIn(db, userId, certificate.id, verdict, now);
			const refused = pin.kind === 'ok' ? this.challenges.refusalToStartIn(db, userId, now) : undefined;
			if (pin.kind !== 'ok' || refused) return {pin, refused};
			if (input.raoApprovalId !== undefined) {
				const approval = db.raoApprovals.find(entry => entry.id === input.raoApprovalId);
				// Spent meanwhile by another terminal: the right PIN still resets the count.
				if (!approval || approval.usedAt) return {pin, raoRefused: true};
				approval.usedAt = now.toISOString();
			}
			db.renewals = db.renewals.filter(entry => entry.userId !== userId || entry.step === 'done');
			// The renewal is stored with its challenge: never a renewal waiting for a code without one.
			const challenge = this.startIn(db, transaction, now, {userId, operation: OPERATION_RENEWAL_CONSENTS, data: {renewalId}});
			db.renewals.push({
				id: renewalId,
				userId,
				certificateId: certificate.id,
				kind,
				step: 'confirmConsents',
				challengeId: challenge.id,
				newPinHash: null,
				newKey: null,
				newPublicKey: null,
				couponId,
				newErcHash: null,
				newIut: null,
				envelope: null,
				raoApprovalId: input.raoApprovalId ?? null,
				createdAt: now.toISOString(),
			});
			return {pin, challenge};
		}, userId);
		throwUnlessPinRight(outcome.pin);
		if (outcome.refused) throw outcome.refused;
		if (!outcome.challenge) throw new DomainError('rao.notAuthorised');
		return {renewalId, challenge: outcome.challenge};
	}

	/** Step 2: the OTP that confirms the consents. */
	async confirmConsents(userId: string, renewalId: string, code: string): Promise<void> {
		const renewal = await this.renewal(userId, renewalId, 'confirmConsents');
		// The code and the step in one write: a right code moves the renewal on at once.
		const outcome = await this.store.update(async db => {
			const result = await this.challenges.confirmIn(db, this.clock.now(), {challengeId: renewal.challengeId!, userId, operation: OPERATION_RENEWAL_CONSENTS, data: {renewalId}, code});
			if (result.kind === 'ok') this.find(db, userId, renewalId).step = 'choosePin';
			return result;
		}, userId);
		throwUnlessConfirmed(outcome);
	}

	/** Step 3, "Attiva il certificato": the new PIN twice. The new key is made now and sealed under it. */
	async choosePin(userId: string, renewalId: string, pin: string, pinAgain: string): Promise<ChallengeView | undefined> {
		const current = await this.renewal(userId, renewalId, 'choosePin');
		assertPinFormat(pin);
		if (pin !== pinAgain) throw new DomainError('pin.mismatch');
		const keys = await newKeyPair();
		const [newKey, newPinHash] = await Promise.all([sealPrivateKey(keys.privateKey, pin, this.pepper), hashPeppered(pin, this.pepper)]);
		if (current.kind !== 'replacement') await this.challenges.assertCanStart(userId);
		// The key, the step and the activation OTP in one write (a refused OTP leaves the renewal at this step).
		return this.store.update((db, transaction) => {
			const renewal = this.find(db, userId, renewalId);
			renewal.newKey = newKey;
			renewal.newPinHash = newPinHash;
			renewal.newPublicKey = keys.publicKey.toString('base64');
			// A replacement asks for the envelope's passphrase before the last OTP.
			if (current.kind === 'replacement') {
				renewal.step = 'securityInfo';
				return undefined;
			}
			renewal.step = 'confirmActivation';
			return this.startIn(db, transaction, this.clock.now(), {userId, operation: OPERATION_RENEWAL_ACTIVATE, data: {renewalId}}, renewal);
		}, userId);
	}

	/**
	 * Replacement phase 4, "Informazioni di sicurezza": the passphrase that will open the
	 * envelope (or the codice fiscale). The new ERC is made now and sealed into the envelope at once.
	 */
	async securityInfo(userId: string, renewalId: string, input: {passphrase: string; passphraseAgain: string; useCodiceFiscale: boolean}): Promise<ChallengeView> {
		await this.renewal(userId, renewalId, 'securityInfo');
		const holder = (await this.store.read(userId)).holders.find(entry => entry.userId === userId)!;
		let passphrase = holder.codiceFiscale;
		// Both a passphrase and the tick: which one the holder meant is not ours to guess (nothing is discarded silently).
		if (input.useCodiceFiscale && (input.passphrase !== '' || input.passphraseAgain !== '')) throw new DomainError('replacement.passphraseAndCf');
		if (!input.useCodiceFiscale) {
			if (input.passphrase.length < 8 || input.passphrase.length > 128) throw new DomainError('replacement.passphraseLength');
			if (input.passphrase !== input.passphraseAgain) throw new DomainError('replacement.passphraseMismatch');
			passphrase = input.passphrase;
		}
		const erc = String(randomInt(10_000_000, 100_000_000));
		// The new certificate's IUT is chosen now: the ERC is used with it, so the envelope carries it.
		const iut = await newUniqueIut(this.store);
		const {buildEnvelopePdf} = await import('../notify/envelope.js');
		const [pdf, newErcHash] = await Promise.all([
			buildEnvelopePdf({holderName: `${holder.name} ${holder.surname}`, userId, erc, passphrase, issuedAt: this.clock.now(), iut}),
			hashPeppered(erc, this.pepper),
		]);
		await this.challenges.assertCanStart(userId);
		return this.store.update((db, transaction) => {
			const renewal = this.find(db, userId, renewalId);
			renewal.newErcHash = newErcHash;
			renewal.newIut = iut;
			renewal.envelope = pdf.toString('base64');
			renewal.step = 'confirmActivation';
			return this.startIn(db, transaction, this.clock.now(), {userId, operation: OPERATION_RENEWAL_ACTIVATE, data: {renewalId}}, renewal);
		}, userId);
	}

	/** Step 4: the OTP that activates the new certificate. Issues it and supersedes the old one. */
	async activate(userId: string, renewalId: string, code: string): Promise<{expiresAt: Date; iut: string}> {
		const renewal = await this.renewal(userId, renewalId, 'confirmActivation');
		await this.challenges.confirm({challengeId: renewal.challengeId!, userId, operation: OPERATION_RENEWAL_ACTIVATE, data: {renewalId}, code});
		const db = await this.store.read(userId);
		const holder = db.holders.find(entry => entry.userId === userId)!;
		const old = db.certificates.find(entry => entry.id === renewal.certificateId)!;
		const now = this.clock.now();
		const expiresAt = new Date(now);
		expiresAt.setUTCFullYear(expiresAt.getUTCFullYear() + db.settings.certificateValidityYears);
		const iut = renewal.newIut ?? (await newUniqueIut(this.store));
		const authority = await this.authority();
		const issued = await authority.issueFor(
			{givenName: holder.name, surname: holder.surname, codiceFiscale: holder.codiceFiscale, iut},
			{notBefore: now, notAfter: expiresAt},
			Buffer.from(renewal.newPublicKey!, 'base64'),
		);
		await this.store.update(current => {
			const entry = this.find(current, userId, renewalId);
			if (entry.step !== 'confirmActivation') throw new DomainError('renewal.wrongStep');
			// Checked again at the moment of issue: midnight may have passed since the step began.
			const closed = renewalClosed(current, entry, this.clock.now());
			if (closed) throw closed;
			if (entry.couponId) {
				// Spent here, under the lock: a coupon pays for one renewal only.
				const coupon = current.coupons.find(candidate => candidate.id === entry.couponId);
				if (!coupon) throw new DomainError('coupon.unknown');
				if (coupon.usedAt) throw new DomainError('coupon.used');
				coupon.usedAt = now.toISOString();
				coupon.usedBy = userId;
			}
			const previous = current.certificates.find(certificate => certificate.id === old.id)!;
			previous.status = 'revoked';
			previous.revokedAt = now.toISOString();
			previous.revocationReason = 'superseded';
			current.certificates.push(newCertificateRecord({userId, codiceFiscale: holder.codiceFiscale, iut, issued, privateKey: entry.newKey!, activatedAt: now, expiresAt}));
			const owner = current.holders.find(candidate => candidate.userId === userId)!;
			owner.pinHash = entry.newPinHash!;
			owner.pinFailures = 0;
			if (entry.kind === 'replacement') {
				owner.ercHash = entry.newErcHash!;
				owner.replacementDeadline = null;
			}
			// The holder is told, with the new IUT, in this same step (the envelope, if any, follows).
			recordChange(current, entry.kind === 'replacement' ? {kind: 'certificate-issued', userId, iut, expiresAt, envelope: entry.envelope !== null} : {kind: 'certificate-renewed', userId, iut, expiresAt}, now);
			entry.step = 'done';
			entry.newKey = null;
			entry.newPinHash = null;
			entry.newErcHash = null;
		}, userId);
		if (renewal.kind === 'replacement' && renewal.envelope) {
			await this.sendEnvelope({userId, to: holder.email, name: holder.name, surname: holder.surname, language: holder.language, pdf: Buffer.from(renewal.envelope, 'base64'), at: now});
			await this.store.update(current => {
				this.find(current, userId, renewalId).envelope = null;
			}, userId);
		}
		await this.publishCrl();
		return {expiresAt, iut};
	}

	/** A challenge started in this transaction (its message sent after the commit), recorded on `renewal` when given. */
	private startIn(db: Database, transaction: Transaction, now: Date, input: StartInput, renewal?: Renewal): ChallengeView {
		const started = this.challenges.startIn(db, now, input);
		transaction.afterCommit(started.send);
		if (renewal) renewal.challengeId = started.challenge.id;
		return started.challenge;
	}

	/** The renewal at `step`, if it can still go on now; one that cannot is ended (nothing to resume) and the reason thrown. */
	private async renewal(userId: string, renewalId: string, step: string) {
		const db = await this.store.read(userId);
		const renewal = db.renewals.find(entry => entry.id === renewalId && entry.userId === userId);
		if (!renewal) throw new DomainError('renewal.unknown');
		if (renewal.step !== step) throw new DomainError('renewal.wrongStep');
		const closed = renewalClosed(db, renewal, this.clock.now());
		if (closed) {
			await this.store.update(current => dropRenewal(current, userId, renewalId), userId);
			throw closed;
		}
		return renewal;
	}

	/**
	 * The holder's renewal left mid-way, if it can be resumed: its step and, for an OTP step,
	 * the challenge to answer (a new one when the stored one cannot be answered any more).
	 * One that cannot go on (too old, window closed, OTP cancelled) is ended here.
	 */
	async pending(userId: string): Promise<PendingRenewal | undefined> {
		const db = await this.store.read(userId);
		const renewal = openRenewal(db, userId);
		if (!renewal) return undefined;
		if (renewalClosed(db, renewal, this.clock.now())) {
			await this.store.update(current => dropRenewal(current, userId, renewal.id), userId);
			return undefined;
		}
		let step = renewal.step as PendingRenewal['step'];
		let challenge: ChallengeView | null = null;
		if (step === 'confirmConsents' || step === 'confirmActivation') {
			const operation = step === 'confirmConsents' ? OPERATION_RENEWAL_CONSENTS : OPERATION_RENEWAL_ACTIVATE;
			const stored = renewal.challengeId ? await this.challenges.get(renewal.challengeId, userId).catch(() => undefined) : undefined;
			if (stored?.state === 'cancelled' || stored?.state === 'denied') {
				// Five wrong codes (or a denied push) cancel the operation (seed 003 §6): nothing to resume.
				await this.store.update(current => dropRenewal(current, userId, renewal.id), userId);
				return undefined;
			}
			if (stored?.state === 'confirmed' && step === 'confirmConsents') {
				// The OTP was right but the portal stopped before the step was recorded.
				await this.store.update(current => {
					const entry = this.find(current, userId, renewal.id);
					if (entry.step === 'confirmConsents') entry.step = 'choosePin';
				}, userId);
				step = 'choosePin';
			} else if (stored && stored.state !== 'confirmed') {
				challenge = stored;
			} else {
				// An activation OTP used without the certificate issued, or a challenge no longer kept: a new code, recorded in the same write.
				const restart = (current: Database, transaction: Transaction) => this.startIn(current, transaction, this.clock.now(), {userId, operation, data: {renewalId: renewal.id}}, this.find(current, userId, renewal.id));
				challenge = await this.store.update(restart, userId);
			}
		}
		return {
			renewalId: renewal.id,
			kind: renewal.kind,
			step,
			challenge,
			withCoupon: renewal.couponId !== null,
			withRao: renewal.raoApprovalId !== null,
			startedAt: new Date(renewal.createdAt),
			resumableUntil: resumableUntil(renewal, db),
		};
	}

	private find(db: Database, userId: string, renewalId: string) {
		const renewal = db.renewals.find(entry => entry.id === renewalId && entry.userId === userId);
		if (!renewal) throw new DomainError('renewal.unknown');
		return renewal;
	}
}
