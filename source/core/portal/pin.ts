import {assertLiveSession} from '../account/sessions.js';
import type {ChallengeView} from '../otp/challenges.js';
import type {PortalContext} from './context.js';
import type {Session} from './types.js';

/** "PIN di firma": the PIN change and the attempts left. */
export class PinService {
	constructor(private readonly context: PortalContext) {}

	/** "Modifica PIN", step 1: current PIN (counted), new PIN twice; an OTP confirms it. */
	async startChange(session: Session, input: {currentPin: string; newPin: string; newPinAgain: string}): Promise<{changeId: string; challenge: ChallengeView}> {
		await this.context.requireSession(session);
		const {PinChanges} = await import('../certificate/pin-change.js');
		return new PinChanges(this.context.store, this.context.clock, this.context.keys.pepper, this.context.challenges).start(session.userId, input);
	}

	async confirmChange(session: Session, changeId: string, code: string): Promise<void> {
		await this.context.requireSession(session);
		const {PinChanges} = await import('../certificate/pin-change.js');
		return new PinChanges(this.context.store, this.context.clock, this.context.keys.pepper, this.context.challenges).confirm(session.userId, changeId, code);
	}

	/** Signing-PIN attempts left before the certificate is blocked (shown by every PIN prompt). */
	async attemptsLeft(session: Session): Promise<number> {
		const db = await this.context.store.read(session.userId);
		assertLiveSession(db, session, this.context.clock.now());
		const holder = db.holders.find(entry => entry.userId === session.userId);
		return db.settings.pinMaxAttempts - (holder?.pinFailures ?? 0);
	}
}
