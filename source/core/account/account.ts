import type {Clock} from '../clock.js';
import {DomainError} from '../errors.js';
import {requireHolder} from '../holders/identity.js';
import {hashPassword, hashPeppered, verifyPassword} from '../auth/hashing.js';
import {MAX_PASSWORD_LENGTH} from '../auth/login.js';
import {clearFailures, countFailure, lockedUntil} from '../auth/throttle.js';
import {maskEmail, maskPhone, type ChallengeView, type Challenges} from '../otp/challenges.js';
import {normalizeMobileNumber} from '../otp/phone-number.js';
import {findForbiddenCharacter} from '../text/sanitize.js';
import {nextAccessId, type AccessOutcome, type Database, type Holder} from '../store/schema.js';
import type {Store} from '../store/store.js';
import {checkPassword, type PasswordVerdict} from './password-policy.js';
import {ANSWER_MAX_LENGTH, ANSWER_MIN_LENGTH, normaliseAnswer, QUESTION_MAX_LENGTH} from './secret-question.js';
import {recordChange} from '../notify/changes.js';

/*
 * "Gestisci il tuo account" (seed 003 §9): password, recovery mobile number, recovery e-mail,
 * secret question and the interface language. A new number or address is proved by a code
 * sent to it. Every change goes to the access log and is notified to the holder by e-mail
 * (a new address or number: the old one is told too), in the same store update (notify/changes.ts).
 */

export const OPERATION_RECOVERY_PHONE = 'account.recoveryPhone';
export const OPERATION_EMAIL = 'account.email';

export interface AccountView {
	userId: string;
	name: string;
	surname: string;
	/** The number password recovery uses, masked. */
	phoneMasked: string;
	emailMasked: string;
	secretQuestion: string | null;
	language: 'it' | 'en' | null;
	mustChangePassword: boolean;
}

/** Sends a composed e-mail (subject and whole text, signature included: see notify/messages/) to a holder. */
export type Notify = (input: {userId: string; to: string; subject: string; text: string}) => Promise<void>;

export function logAccountEvent(db: Database, userId: string | null, outcome: AccessOutcome, terminal: string, now: Date): void {
	db.accessLog.push({id: nextAccessId(db, userId), at: now.toISOString(), userId, outcome, terminal: terminal.slice(0, 200)});
}

/** Refuses a new password that breaks a rule, with the first rule broken (or the refusal) as the reason. */
export function assertAcceptablePassword(password: string, again: string, holder: Holder): void {
	if (password !== again) throw new DomainError('account.passwordMismatch');
	const verdict: PasswordVerdict = checkPassword(password, {userId: holder.userId, name: holder.name, surname: holder.surname, email: holder.email});
	if (verdict.ok) return;
	const broken = Object.entries(verdict.rules).find(([, met]) => !met)?.[0];
	throw new DomainError('account.passwordWeak', {rule: broken ?? verdict.refusal ?? 'common'});
}

export class Account {
	constructor(
		private readonly store: Store,
		private readonly clock: Clock,
		private readonly pepper: Buffer,
		private readonly challenges: Challenges,
	) {}

	async view(userId: string): Promise<AccountView> {
		const holder = requireHolder(await this.store.read(userId), userId);
		return {
			userId: holder.userId,
			name: holder.name,
			surname: holder.surname,
			phoneMasked: maskPhone(holder.recoveryPhone ?? holder.phone),
			emailMasked: maskEmail(holder.email),
			secretQuestion: holder.secretQuestion?.question ?? null,
			language: holder.language,
			mustChangePassword: holder.mustChangePassword,
		};
	}

	/** "Modifica password": the current one (counted like a login), the new one twice under the rules. */
	async changePassword(userId: string, input: {current: string; next: string; again: string}, terminal: string): Promise<void> {
		const snapshot = await this.store.read(userId);
		const holder = requireHolder(snapshot, userId);
		assertAcceptablePassword(input.next, input.again, holder);
		const key = `user:${userId}`;
		const now = this.clock.now();
		const locked = lockedUntil(snapshot, key, now);
		if (locked) throw new DomainError('auth.locked');
		const overlong = input.current.length > MAX_PASSWORD_LENGTH;
		const [matches, same] = await Promise.all([verifyPassword(holder.passwordHash, overlong ? '' : input.current), verifyPassword(holder.passwordHash, input.next)]);
		const right = matches && !overlong;
		if (right && same) throw new DomainError('account.passwordSame');
		const passwordHash = right ? await hashPassword(input.next) : undefined;
		const outcome = await this.store.update(db => {
			const at = this.clock.now();
			if (lockedUntil(db, key, at)) return {kind: 'locked'} as const;
			if (!passwordHash) {
				const failure = countFailure(db, key, at);
				logAccountEvent(db, userId, failure.kind === 'locked' ? 'locked' : 'wrong-password', terminal, at);
				return failure.kind === 'locked' ? ({kind: 'locked'} as const) : ({kind: 'wrong', left: failure.attemptsLeft} as const);
			}
			clearFailures(db, key);
			const current = requireHolder(db, userId);
			current.passwordHash = passwordHash;
			current.mustChangePassword = false;
			recordChange(db, {kind: 'password-changed', userId}, at, {terminal});
			return {kind: 'ok'} as const;
		}, userId);
		if (outcome.kind === 'locked') throw new DomainError('auth.locked');
		if (outcome.kind === 'wrong') throw new DomainError('account.wrongPassword', {attemptsLeft: outcome.left});
	}

	/** "Cellulare": the new recovery number gets a code; it is saved once the code is confirmed. */
	async startPhoneChange(userId: string, input: string): Promise<{phone: string; challenge: ChallengeView}> {
		const phone = await normalizeMobileNumber(input);
		const holder = requireHolder(await this.store.read(userId), userId);
		if ((holder.recoveryPhone ?? holder.phone) === phone) throw new DomainError('phone.same');
		const challenge = await this.challenges.start({userId, operation: OPERATION_RECOVERY_PHONE, data: {phone}, channel: 'sms', smsTo: phone});
		return {phone, challenge};
	}

	async confirmPhoneChange(userId: string, input: {challengeId: string; phone: string; code: string}, terminal: string): Promise<void> {
		// The code and the new number in one write.
		await this.challenges.confirmAnd({challengeId: input.challengeId, userId, operation: OPERATION_RECOVERY_PHONE, data: {phone: input.phone}, code: input.code}, (db, now) => {
			const holder = requireHolder(db, userId);
			const oldPhone = holder.recoveryPhone ?? holder.phone;
			holder.recoveryPhone = input.phone;
			// The e-mail to the holder, and an SMS to the number recovery used until now.
			recordChange(db, {kind: 'phone-changed', userId, oldPhone, newPhone: input.phone}, now, {terminal});
		});
	}

	/** "Indirizzo Email di recupero": a code goes to the new address; saved once confirmed. */
	async startEmailChange(userId: string, input: string): Promise<{email: string; challenge: ChallengeView}> {
		const email = input.trim().toLowerCase();
		// No spaces, controls, escape sequences, bidi or zero-width characters (\p{C}) anywhere in an address.
		if (!/^[^\s@\p{C}]{1,64}@[^\s@\p{C}]+\.[^\s@\p{C}]{2,}$/u.test(email) || email.length > 254) throw new DomainError('report.badEmail');
		const db = await this.store.read(userId);
		const holder = requireHolder(db, userId);
		if (holder.email.toLowerCase() === email) throw new DomainError('account.emailSame');
		// The e-mail address is also a login name: it must stay unique.
		if (![undefined, userId].includes(await this.store.holderIdByEmail(email))) throw new DomainError('account.emailTaken');
		const challenge = await this.challenges.start({userId, operation: OPERATION_EMAIL, data: {email}, channel: 'email', emailTo: email});
		return {email, challenge};
	}

	async confirmEmailChange(userId: string, input: {challengeId: string; email: string; code: string}, terminal: string): Promise<void> {
		await this.challenges.confirm({challengeId: input.challengeId, userId, operation: OPERATION_EMAIL, data: {email: input.email}, code: input.code});
		await this.store.update(async db => {
			// Under the lock: the index (holders/index.json) is current.
			if (![undefined, userId].includes(await this.store.holderIdByEmail(input.email))) throw new DomainError('account.emailTaken');
			const holder = requireHolder(db, userId);
			const oldEmail = holder.email;
			holder.email = input.email;
			// The old address is told (and the new one).
			recordChange(db, {kind: 'email-changed', userId, oldEmail, newEmail: input.email}, this.clock.now(), {terminal});
		}, userId);
	}

	/** "Domanda Segreta": a question (from the list or the holder's own) and its answer. */
	async setSecretQuestion(userId: string, input: {question: string; answer: string}, terminal: string): Promise<void> {
		const question = input.question.trim();
		const answer = normaliseAnswer(input.answer);
		if (question.length < 5 || question.length > QUESTION_MAX_LENGTH) throw new DomainError('account.questionLength', {max: QUESTION_MAX_LENGTH});
		if (answer.length < ANSWER_MIN_LENGTH || answer.length > ANSWER_MAX_LENGTH) throw new DomainError('account.answerLength', {min: ANSWER_MIN_LENGTH, max: ANSWER_MAX_LENGTH});
		if (findForbiddenCharacter(question) !== undefined || findForbiddenCharacter(answer) !== undefined) throw new DomainError('input.controlCharacters', {field: 'Domanda Segreta'});
		const answerHash = await hashPeppered(answer, this.pepper);
		await this.store.update(db => {
			const holder = requireHolder(db, userId);
			holder.secretQuestion = {question, answerHash};
			recordChange(db, {kind: 'secret-question-changed', userId}, this.clock.now(), {terminal});
		}, userId);
	}

	/** The interface language, and the language of every SMS and e-mail sent to the holder from now on (see notify/messages/). */
	async setLanguage(userId: string, language: 'it' | 'en', terminal: string): Promise<void> {
		await this.store.update(db => {
			requireHolder(db, userId).language = language;
			logAccountEvent(db, userId, 'language-changed', terminal, this.clock.now());
		}, userId);
	}
}
