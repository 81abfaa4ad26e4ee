import type {ChallengeView} from '../otp/challenges.js';
import type {AppActivation, OtpOverview} from '../otp/service.js';
import type {OtpChannel} from '../store/schema.js';
import type {PortalContext} from './context.js';
import type {Session} from './types.js';

/** "Codici OTP": the channels, the app's activation, push, the OTP phone, and a challenge's resend and state. */
export class OtpAreaService {
	constructor(private readonly context: PortalContext) {}

	async overview(session: Session): Promise<OtpOverview> {
		await this.context.requireSession(session);
		return this.context.otp.overview(session.userId);
	}

	async startAppActivation(session: Session): Promise<AppActivation> {
		await this.context.requireSession(session);
		return this.context.otp.startAppActivation(session.userId);
	}

	async confirmAppActivation(session: Session, challengeId: string, code: string): Promise<void> {
		await this.context.requireSession(session);
		return this.context.otp.confirmAppActivation(session.userId, challengeId, code);
	}

	async setPreferredChannel(session: Session, channel: OtpChannel): Promise<void> {
		await this.context.requireSession(session);
		return this.context.otp.setPreferred(session.userId, channel);
	}

	async setPush(session: Session, enabled: boolean): Promise<void> {
		await this.context.requireSession(session);
		return this.context.otp.setPush(session.userId, enabled);
	}

	async startPhoneChange(session: Session, newNumber: string): Promise<{newPhone: string; challenge: ChallengeView}> {
		await this.context.requireSession(session);
		return this.context.otp.startPhoneChange(session.userId, newNumber);
	}

	async confirmPhoneChange(session: Session, challengeId: string, newPhone: string, code: string): Promise<void> {
		await this.context.requireSession(session);
		return this.context.otp.confirmPhoneChange(session.userId, challengeId, newPhone, code);
	}

	/** "Invia nuovo OTP": the same challenge, a new code (the failure count stays). */
	async resend(session: Session, challengeId: string): Promise<ChallengeView> {
		await this.context.requireSession(session);
		return this.context.challenges.resend(challengeId, session.userId);
	}

	/** The state of a challenge (a push request the phone may have answered). */
	async challengeState(session: Session, challengeId: string): Promise<ChallengeView> {
		await this.context.requireSession(session);
		return this.context.challenges.get(challengeId, session.userId);
	}
}
