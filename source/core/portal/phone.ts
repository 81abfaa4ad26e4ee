import {AppLogin} from '../auth/app-login.js';
import type {OutboxMessage} from '../notify/outbox.js';
import {secondsLeft, totpCode} from '../otp/totp.js';
import type {PortalContext} from './context.js';
import type {AuthenticatorReading} from './types.js';

/** The phone companion: acts as the holder's own phone (SMS inbox, authenticator app, push requests). */
export class PhoneService {
	private readonly appLogin: AppLogin;

	constructor(private readonly context: PortalContext) {
		this.appLogin = new AppLogin(context.store, context.clock, context.keys.pepper, context.terminal);
	}

	messages(userId: string): Promise<OutboxMessage[]> {
		return this.context.outbox.list({userId, kind: 'sms'});
	}

	async authenticatorReadings(userId: string): Promise<AuthenticatorReading[]> {
		const {store, clock, otp} = this.context;
		const readings: AuthenticatorReading[] = [];
		// An operator's phone has no MyInfoCert app or token here: SMS only.
		if (!(await store.read(userId)).holders.some(holder => holder.userId === userId)) return readings;
		for (const device of ['app', 'token'] as const) {
			const secret = await otp.authenticatorSecret(userId, device);
			if (secret) readings.push({device, code: await totpCode(secret, clock.now()), secondsLeft: secondsLeft(clock.now())});
		}
		return readings;
	}

	pendingPushes(userId: string): Promise<{id: string; operation: string; createdAt: Date; expiresAt: Date}[]> {
		return this.context.challenges.pendingPushes(userId);
	}

	answerPush(userId: string, challengeId: string, approve: boolean): Promise<void> {
		return this.context.challenges.answerPush(userId, challengeId, approve);
	}

	/** "Accedi con l'app": the holder's answer to the code the login screen shows. */
	answerAppLogin(userId: string, code: string, approve: boolean): Promise<void> {
		return this.appLogin.answer(userId, code, approve);
	}

	/** The name of a holder (or an operator, whose phone receives RAO codes); undefined when unknown. */
	async holderName(userId: string): Promise<string | undefined> {
		const db = await this.context.store.read(userId);
		const holder = db.holders.find(entry => entry.userId === userId);
		return holder ? `${holder.name} ${holder.surname}` : db.operators.find(entry => entry.userId === userId)?.name;
	}
}
