import type {PendingRenewal, Renewals, RenewalWindow} from '../certificate/renewal.js';
import type {ChallengeView} from '../otp/challenges.js';
import {assertFolderOperator} from '../operator.js';
import {NO_HOLDER} from '../store/scope.js';
import type {PortalContext} from './context.js';
import type {Session} from './types.js';

/** "Rinnova firma digitale" (with a coupon or RAO credentials) and "Richiedi nuovo certificato". */
export class RenewalService {
	private service: Promise<Renewals> | undefined;

	constructor(private readonly context: PortalContext) {}

	/** The renewal procedure, loaded on first use (it needs the PKI libraries). */
	private renewals(): Promise<Renewals> {
		this.service ??= (async () => {
			const {Renewals} = await import('../certificate/renewal.js');
			const context = this.context;
			return new Renewals(
				context.store,
				context.clock,
				context.keys.pepper,
				context.challenges,
				() => context.authority(),
				() => context.publishCrl(),
				envelope => context.sendEnvelope(envelope),
			);
		})();
		return this.service;
	}

	async window(session: Session): Promise<RenewalWindow> {
		await this.context.requireSession(session);
		return (await this.renewals()).window(session.userId);
	}

	/** "Rinnova con Coupon": checks a coupon before the consents (it is spent only at activation). */
	async checkCoupon(session: Session, code: string): Promise<void> {
		await this.context.requireSession(session);
		const {findUsableCoupon} = await import('../certificate/coupons.js');
		findUsableCoupon(await this.context.store.read(NO_HOLDER), this.context.keys.pepper, code);
	}

	/** Operators: new single-use renewal coupons; the codes are shown once and stored only as HMACs. */
	async createCoupons(count: number): Promise<string[]> {
		assertFolderOperator(this.context.store.directory);
		const {createCoupons} = await import('../certificate/coupons.js');
		return createCoupons(this.context.store, this.context.clock, this.context.keys.pepper, count);
	}

	/** "Rinnova con credenziali RAO": the operator's userID and password; an OTP goes to the operator's phone. */
	async raoAuthorize(session: Session, input: {operatorId: string; password: string}): Promise<ChallengeView> {
		await this.context.requireSession(session);
		return (await this.renewals()).raoAuthorize(session.userId, input);
	}

	async raoConfirm(session: Session, input: {operatorId: string; challengeId: string; code: string}): Promise<string> {
		await this.context.requireSession(session);
		return (await this.renewals()).raoConfirm(session.userId, input);
	}

	async begin(session: Session, input: {acceptConditions: boolean; confirmData: boolean; pin: string; coupon?: string; raoApprovalId?: string}): Promise<{renewalId: string; challenge: ChallengeView}> {
		await this.context.requireSession(session);
		return (await this.renewals()).begin(session.userId, input);
	}

	/** A renewal (or new certificate) left mid-way that the holder can resume at its step, if any. */
	async pending(session: Session): Promise<PendingRenewal | undefined> {
		await this.context.requireSession(session);
		return (await this.renewals()).pending(session.userId);
	}

	async confirmConsents(session: Session, renewalId: string, code: string): Promise<void> {
		await this.context.requireSession(session);
		return (await this.renewals()).confirmConsents(session.userId, renewalId, code);
	}

	/** The new PIN; returns the activation OTP, or undefined when a replacement asks for the security information first. */
	async choosePin(session: Session, renewalId: string, pin: string, pinAgain: string): Promise<ChallengeView | undefined> {
		await this.context.requireSession(session);
		return (await this.renewals()).choosePin(session.userId, renewalId, pin, pinAgain);
	}

	/** "Richiedi nuovo certificato": flagged, expired or expiry day, while the PIN works (certificate/lifecycle.ts). */
	async replacementStatus(session: Session): Promise<{allowed: boolean; deadline: Date | null}> {
		await this.context.requireSession(session);
		return (await this.renewals()).replacementAllowed(session.userId);
	}

	async beginReplacement(session: Session, input: {acceptConditions: boolean; pin: string}): Promise<{renewalId: string; challenge: ChallengeView}> {
		await this.context.requireSession(session);
		return (await this.renewals()).begin(session.userId, {...input, confirmData: true}, 'replacement');
	}

	async securityInfo(session: Session, renewalId: string, input: {passphrase: string; passphraseAgain: string; useCodiceFiscale: boolean}): Promise<ChallengeView> {
		await this.context.requireSession(session);
		return (await this.renewals()).securityInfo(session.userId, renewalId, input);
	}

	/** Issues the new certificate; its new IUT is returned to be shown in full (the holder needs it to suspend). */
	async activate(session: Session, renewalId: string, code: string): Promise<{expiresAt: Date; iut: string}> {
		await this.context.requireSession(session);
		return (await this.renewals()).activate(session.userId, renewalId, code);
	}
}
