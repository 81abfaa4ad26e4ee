import {Account, type AccountView} from '../account/account.js';
import {checkPassword, PASSWORD_SPECIALS, type PasswordContext, type PasswordVerdict} from '../account/password-policy.js';
import {PasswordRecovery, type RecoveryNext} from '../account/recovery.js';
import {SUGGESTED_QUESTIONS} from '../account/secret-question.js';
import type {ChallengeView} from '../otp/challenges.js';
import type {PortalContext} from './context.js';
import type {Session} from './types.js';

/** "Gestisci il tuo account": password, recovery phone, e-mail, secret question, language. */
export class AccountService {
	private readonly accounts: Account;

	constructor(private readonly context: PortalContext) {
		this.accounts = new Account(context.store, context.clock, context.keys.pepper, context.challenges);
	}

	async view(session: Session): Promise<AccountView> {
		await this.context.requireLiveSession(session);
		return this.accounts.view(session.userId);
	}

	/** What the password rules say of a candidate, for the checklist shown while typing. */
	checkPassword(password: string, context: PasswordContext): PasswordVerdict {
		return checkPassword(password, context);
	}

	get passwordSpecials(): string {
		return PASSWORD_SPECIALS;
	}

	get suggestedQuestions(): readonly string[] {
		return SUGGESTED_QUESTIONS;
	}

	/** The holder's names, which a password may not be built from. */
	async passwordContext(session: Session): Promise<PasswordContext> {
		// During first access too: the new password's rules need the holder's names.
		const holder = (await this.context.liveSnapshotDuringSetup(session)).holders.find(entry => entry.userId === session.userId);
		return holder ? {userId: holder.userId, name: holder.name, surname: holder.surname, email: holder.email} : {userId: session.userId};
	}

	async changePassword(session: Session, input: {current: string; next: string; again: string}): Promise<void> {
		await this.context.requireLiveSession(session);
		return this.accounts.changePassword(session.userId, input, this.context.terminal);
	}

	async startRecoveryPhoneChange(session: Session, phone: string): Promise<{phone: string; challenge: ChallengeView}> {
		await this.context.requireSession(session);
		return this.accounts.startPhoneChange(session.userId, phone);
	}

	async confirmRecoveryPhoneChange(session: Session, input: {challengeId: string; phone: string; code: string}): Promise<void> {
		await this.context.requireSession(session);
		return this.accounts.confirmPhoneChange(session.userId, input, this.context.terminal);
	}

	async startEmailChange(session: Session, email: string): Promise<{email: string; challenge: ChallengeView}> {
		await this.context.requireSession(session);
		return this.accounts.startEmailChange(session.userId, email);
	}

	async confirmEmailChange(session: Session, input: {challengeId: string; email: string; code: string}): Promise<void> {
		await this.context.requireSession(session);
		return this.accounts.confirmEmailChange(session.userId, input, this.context.terminal);
	}

	async setSecretQuestion(session: Session, input: {question: string; answer: string}): Promise<void> {
		await this.context.requireLiveSession(session);
		return this.accounts.setSecretQuestion(session.userId, input, this.context.terminal);
	}

	async setLanguage(session: Session, language: 'it' | 'en'): Promise<void> {
		await this.context.requireSession(session);
		return this.accounts.setLanguage(session.userId, language, this.context.terminal);
	}
}

/** "Hai dimenticato la password?" and "Ho dimenticato lo User ID": anonymous by nature. */
export class RecoveryService {
	private readonly recovery: PasswordRecovery;

	constructor(context: PortalContext) {
		const notify = (input: {userId: string; to: string; subject: string; text: string}) => context.notifyHolder(input);
		this.recovery = new PasswordRecovery(context.store, context.clock, context.keys.pepper, context.challenges, notify, context.terminal);
	}

	/** Step 1: the same answer for every userID. */
	start(identifier: string): Promise<{recoveryId: string}> {
		return this.recovery.start(identifier);
	}

	resendCode(recoveryId: string): Promise<void> {
		return this.recovery.resend(recoveryId);
	}

	confirmCode(recoveryId: string, code: string): Promise<RecoveryNext> {
		return this.recovery.confirmCode(recoveryId, code);
	}

	answerQuestion(recoveryId: string, answer: string): Promise<void> {
		return this.recovery.answer(recoveryId, answer);
	}

	/** The new password; the holder then logs in with it (recovery never opens a session). */
	setPassword(recoveryId: string, password: string, again: string): Promise<void> {
		return this.recovery.setPassword(recoveryId, password, again);
	}

	/** "Ho dimenticato lo User ID": sent by e-mail when the codice fiscale and address match. */
	remindUserId(codiceFiscale: string, email: string): Promise<void> {
		return this.recovery.remindUserId(codiceFiscale, email);
	}
}
