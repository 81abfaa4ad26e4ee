import {createHmac, randomUUID} from 'node:crypto';
import {MINUTE, type Clock} from '../clock.js';
import {DomainError} from '../errors.js';
import {hashPassword, verifyPassword, verifyPeppered} from '../auth/hashing.js';
import {findHolder, identifiedScope} from '../auth/login.js';
import {clearFailures, countFailure, lockedUntil} from '../auth/throttle.js';
import type {Challenges} from '../otp/challenges.js';
import {isWellFormedOtp, OTP_DIGITS} from '../otp/format.js';
import {assertOtpMessageAllowed, assertSendsAllowed} from '../otp/message-limit.js';
import type {Database, Recovery} from '../store/schema.js';
import {NO_HOLDER} from '../store/scope.js';
import type {Store} from '../store/store.js';
import {assertAcceptablePassword, logAccountEvent, type Notify} from './account.js';
import {recordChange} from '../notify/changes.js';
import {messagesFor} from '../notify/messages/messages.js';
import type {PasswordContext} from './password-policy.js';
import {normaliseAnswer} from './secret-question.js';

/*
 * "Hai dimenticato la password?" (seeds 000/001): userID → a code by SMS to the registered
 * number → the secret answer → a new password under the same rules. Always two factors: a
 * holder without a secret question is refused after the right code (`recovery.noSecretQuestion`:
 * log in and set one, or ask the operator); only someone holding the phone gets that far, and
 * the phone's SMS already told them the userID exists. It never logs anybody in, and an unknown
 * userID walks the same steps with the same messages and limits (its code is simply never
 * right), so the procedure does not reveal who is registered.
 * "Ho dimenticato lo User ID": codice fiscale and e-mail → the userID by e-mail, same answer
 * whether they match or not. Everything is throttled like a password.
 */

export const OPERATION_RECOVERY = 'account.recoverPassword';
const RECOVERY_MINUTES = 15;

/** After the code: the secret question, and the names the new password may not contain (for the checklist). */
export type RecoveryNext = {next: 'answer'; question: string; context: PasswordContext};

export class PasswordRecovery {
	constructor(
		private readonly store: Store,
		private readonly clock: Clock,
		private readonly pepper: Buffer,
		private readonly challenges: Challenges,
		private readonly notify: Notify,
		private readonly terminal: string,
	) {}

	private anonymousKey(kind: string, text: string): string {
		return `${kind}-anon:${createHmac('sha256', this.pepper).update(text.trim().toLowerCase()).digest('hex')}`;
	}

	/** Step 1: the userID (or e-mail). The answer is the same whether it exists or not. */
	async start(identifier: string): Promise<{recoveryId: string}> {
		const scope = await identifiedScope(this.store, identifier.slice(0, 254));
		const snapshot = await this.store.read(scope);
		const holder = findHolder(snapshot, identifier.slice(0, 254));
		const key = holder ? `recovery:${holder.userId}` : this.anonymousKey('recovery', identifier);
		const recoveryId = randomUUID();
		const now = this.clock.now();
		// One write: the count, the recovery and its challenge; the SMS leaves once they are committed.
		await this.store.update((db, transaction) => {
			const locked = lockedUntil(db, key, now);
			if (locked) throw new DomainError('recovery.locked', {minutes: Math.ceil((locked.getTime() - now.getTime()) / MINUTE)});
			// The holder's one limit on OTP messages; an unknown userID's "messages" are limited alike.
			if (holder) assertOtpMessageAllowed(db, holder.userId, now);
			else assertSendsAllowed(db, this.anonymousSends(db, key), now);
			// Each start sends an SMS: starts are counted, so nobody can flood a holder's phone.
			countFailure(db, key, now);
			db.recoveries = db.recoveries.filter(entry => Date.parse(entry.expiresAt) > now.getTime());
			const codeExpiresAt = holder ? null : new Date(now.getTime() + db.settings.otpSmsValidityMinutes * MINUTE).toISOString();
			const started = holder ? this.challenges.startIn(db, now, {userId: holder.userId, operation: OPERATION_RECOVERY, data: {recoveryId}, channel: 'sms', smsTo: holder.recoveryPhone ?? holder.phone}) : undefined;
			if (started) transaction.afterCommit(started.send);
			db.recoveries.push({
				id: recoveryId,
				userId: holder?.userId ?? null,
				challengeId: started?.challenge.id ?? null,
				step: 'code',
				failures: 0,
				createdAt: now.toISOString(),
				expiresAt: new Date(now.getTime() + RECOVERY_MINUTES * MINUTE).toISOString(),
				sends: holder ? [] : [now.toISOString()],
				codeExpiresAt,
				anonymousKey: holder ? null : key,
			});
		}, scope);
		return {recoveryId};
	}

	private async recovery(recoveryId: string, step: Recovery['step']): Promise<{recovery: Recovery; db: Database}> {
		// Recoveries belong to no holder's document; the holder's part is read once the recovery names them.
		const found = (await this.store.read(NO_HOLDER)).recoveries.find(entry => entry.id === recoveryId);
		const db = await this.store.read(found?.userId ?? NO_HOLDER);
		const recovery = db.recoveries.find(entry => entry.id === recoveryId);
		if (!recovery || Date.parse(recovery.expiresAt) <= this.clock.now().getTime() || recovery.step === 'cancelled') throw new DomainError('recovery.expired');
		if (recovery.step !== step) throw new DomainError('recovery.expired');
		return {recovery, db};
	}

	/** "Invia nuovo codice": a new SMS for the same recovery (for an unknown userID, the same limits and nothing sent). */
	async resend(recoveryId: string): Promise<void> {
		const {recovery} = await this.recovery(recoveryId, 'code');
		if (recovery.userId && recovery.challengeId) return void (await this.challenges.resend(recovery.challengeId, recovery.userId));
		await this.store.update(db => {
			const now = this.clock.now();
			const current = db.recoveries.find(entry => entry.id === recoveryId)!;
			if (current.failures >= db.settings.otpMaxFailures) throw new DomainError('otp.cancelled');
			const windowStart = now.getTime() - db.settings.otpResendWindowMinutes * MINUTE;
			if (current.sends.slice(1).filter(sent => Date.parse(sent) > windowStart).length >= db.settings.otpMaxResends) {
				throw new DomainError('otp.tooManyResends', {minutes: db.settings.otpResendWindowMinutes});
			}
			if (current.anonymousKey) assertSendsAllowed(db, this.anonymousSends(db, current.anonymousKey), now);
			current.sends.push(now.toISOString());
			current.codeExpiresAt = new Date(now.getTime() + db.settings.otpSmsValidityMinutes * MINUTE).toISOString();
		}, recovery.userId ?? NO_HOLDER);
	}

	/** Step 2: the code from the SMS. */
	async confirmCode(recoveryId: string, code: string): Promise<RecoveryNext> {
		const {recovery} = await this.recovery(recoveryId, 'code');
		if (!recovery.userId || !recovery.challengeId) {
			// An unknown userID: the code is never right, with the same checks, in the same order, as a real one.
			const outcome = await this.store.update(db => {
				const current = db.recoveries.find(entry => entry.id === recoveryId)!;
				if (current.failures >= db.settings.otpMaxFailures) return {kind: 'cancelled'} as const;
				if (current.codeExpiresAt && this.clock.now().getTime() >= Date.parse(current.codeExpiresAt)) return {kind: 'expired'} as const;
				if (!isWellFormedOtp(code)) return {kind: 'malformed'} as const;
				current.failures += 1;
				const left = db.settings.otpMaxFailures - current.failures;
				return left <= 0 ? ({kind: 'cancelled'} as const) : ({kind: 'wrong', left} as const);
			}, NO_HOLDER);
			if (outcome.kind === 'wrong') throw new DomainError('otp.wrong', {attemptsLeft: outcome.left});
			if (outcome.kind === 'malformed') throw new DomainError('otp.malformed', {digits: OTP_DIGITS});
			throw new DomainError(outcome.kind === 'expired' ? 'otp.expired' : 'otp.cancelled');
		}
		await this.challenges.confirm({challengeId: recovery.challengeId, userId: recovery.userId, operation: OPERATION_RECOVERY, data: {recoveryId}, code});
		const next = await this.store.update(db => {
			const current = db.recoveries.find(entry => entry.id === recoveryId)!;
			const holder = db.holders.find(entry => entry.userId === recovery.userId);
			// Two factors always: without a secret question the phone alone does not reset the password.
			if (!holder?.secretQuestion) {
				current.step = 'cancelled';
				return undefined;
			}
			current.step = 'answer';
			const context: PasswordContext = {userId: holder.userId, name: holder.name, surname: holder.surname, email: holder.email};
			return {next: 'answer', question: holder.secretQuestion.question, context} as const;
		}, recovery.userId);
		if (!next) throw new DomainError('recovery.noSecretQuestion');
		return next;
	}

	/** An unknown identifier's recovery "messages" in every recovery started for it (ms). */
	private anonymousSends(db: Database, key: string): number[] {
		return db.recoveries.filter(entry => entry.anonymousKey === key).flatMap(entry => entry.sends.map(sent => Date.parse(sent)));
	}

	/** Step 3: the answer, throttled like a password. */
	async answer(recoveryId: string, answer: string): Promise<void> {
		const {recovery, db: snapshot} = await this.recovery(recoveryId, 'answer');
		const holder = snapshot.holders.find(entry => entry.userId === recovery.userId);
		if (!holder?.secretQuestion) throw new DomainError('recovery.expired');
		const key = `answer:${holder.userId}`;
		const now = this.clock.now();
		const locked = lockedUntil(snapshot, key, now);
		if (locked) throw new DomainError('recovery.locked', {minutes: Math.ceil((locked.getTime() - now.getTime()) / MINUTE)});
		const right = await verifyPeppered(holder.secretQuestion.answerHash, normaliseAnswer(answer), this.pepper);
		const outcome = await this.store.update(db => {
			const at = this.clock.now();
			// Checked again under the lock: guesses from elsewhere may have locked the key or cancelled
			// this recovery while the answer was being checked. Counting on would lift the lock-out.
			const lockedNow = lockedUntil(db, key, at);
			if (lockedNow) return {kind: 'locked', minutes: Math.ceil((lockedNow.getTime() - at.getTime()) / MINUTE)} as const;
			if (db.recoveries.find(entry => entry.id === recoveryId)?.step !== 'answer') return {kind: 'expired'} as const;
			if (right) {
				clearFailures(db, key);
				db.recoveries.find(entry => entry.id === recoveryId)!.step = 'password';
				return {kind: 'ok'} as const;
			}
			logAccountEvent(db, holder.userId, 'recovery-failed', this.terminal, at);
			const failure = countFailure(db, key, at);
			if (failure.kind === 'locked') db.recoveries.find(entry => entry.id === recoveryId)!.step = 'cancelled';
			return failure.kind === 'locked' ? ({kind: 'locked', minutes: failure.minutes} as const) : ({kind: 'wrong', left: failure.attemptsLeft} as const);
		}, holder.userId);
		if (outcome.kind === 'locked') throw new DomainError('recovery.locked', {minutes: outcome.minutes});
		if (outcome.kind === 'expired') throw new DomainError('recovery.expired');
		if (outcome.kind === 'wrong') throw new DomainError('recovery.wrongAnswer', {attemptsLeft: outcome.left});
	}

	/** Last step: the new password, twice. The holder then logs in with it; no session is opened here. */
	async setPassword(recoveryId: string, password: string, again: string): Promise<void> {
		const {recovery, db: snapshot} = await this.recovery(recoveryId, 'password');
		const holder = snapshot.holders.find(entry => entry.userId === recovery.userId);
		if (!holder) throw new DomainError('recovery.expired');
		assertAcceptablePassword(password, again, holder);
		// The password being recovered is not a new one: refused as in "Modifica password".
		if (await verifyPassword(holder.passwordHash, password)) throw new DomainError('account.passwordSame');
		const passwordHash = await hashPassword(password);
		await this.store.update(db => {
			const now = this.clock.now();
			const current = db.recoveries.find(entry => entry.id === recoveryId);
			if (!current || current.step !== 'password') throw new DomainError('recovery.expired');
			const target = db.holders.find(entry => entry.userId === holder.userId)!;
			target.passwordHash = passwordHash;
			target.mustChangePassword = false;
			current.step = 'done';
			// A recovered password also lifts a login lock-out, and ends every open session.
			clearFailures(db, `user:${target.userId}`);
			clearFailures(db, `recovery:${target.userId}`);
			for (const session of db.sessions) {
				if (session.userId === target.userId && session.endedAt === null) {
					session.endedAt = now.toISOString();
					session.endReason = 'ended-by-holder';
				}
			}
			recordChange(db, {kind: 'password-recovered', userId: target.userId}, now, {terminal: this.terminal});
		}, holder.userId);
	}

	/** "Ho dimenticato lo User ID": the userID goes by e-mail when codice fiscale and e-mail match one holder. */
	async remindUserId(codiceFiscale: string, email: string): Promise<void> {
		const cf = codiceFiscale.trim().toUpperCase();
		const address = email.trim().toLowerCase();
		const key = this.anonymousKey('userid', cf);
		const now = this.clock.now();
		const scope = (await this.store.holderIdByEmail(address)) ?? NO_HOLDER;
		const holder = await this.store.update(db => {
			const locked = lockedUntil(db, key, now);
			if (locked) throw new DomainError('recovery.locked', {minutes: Math.ceil((locked.getTime() - now.getTime()) / MINUTE)});
			countFailure(db, key, now);
			const match = db.holders.find(entry => entry.codiceFiscale === cf && entry.email.toLowerCase() === address);
			if (match) logAccountEvent(db, match.userId, 'userid-reminder', this.terminal, now);
			return match;
		}, scope);
		if (holder) {
			await this.notify({userId: holder.userId, to: holder.email, ...messagesFor(holder.language).userIdReminder({name: holder.name, surname: holder.surname, userId: holder.userId})});
		}
	}

}
