import type {Clock} from '../clock.js';
import {DomainError} from '../errors.js';
import {requireHolder} from '../holders/identity.js';
import {seal, unseal} from '../sealed.js';
import type {Store} from '../store/store.js';
import type {OtpChannel} from '../store/schema.js';
import {maskPhone, type ChallengeView, type Challenges, type OtpKeys} from './challenges.js';
import {normalizeMobileNumber} from './phone-number.js';
import {newTotpSecret, otpauthUri} from './totp.js';
import {thisDevice} from './device.js';
import {recordChange} from '../notify/changes.js';

/** "Codici OTP" (seed 003 §4): the holder's channels, app activation and the change of SMS number. */

export interface OtpOverview {
	preferred: OtpChannel;
	phoneMasked: string;
	app: 'inactive' | 'pending' | 'active';
	push: boolean;
	token: {serial: string} | null;
}

export interface AppActivation {
	/** Shown once, for those who cannot scan the QR code. */
	secret: string;
	uri: string;
	challenge: ChallengeView;
}

export const OPERATION_ACTIVATE_APP = 'otp.activateApp';
export const OPERATION_CHANGE_PHONE = 'otp.changePhone';

export class OtpService {
	constructor(
		private readonly store: Store,
		private readonly clock: Clock,
		private readonly keys: OtpKeys,
		readonly challenges: Challenges,
	) {}

	async overview(userId: string): Promise<OtpOverview> {
		const holder = requireHolder(await this.store.read(userId), userId);
		return {
			preferred: holder.otp.preferred,
			phoneMasked: maskPhone(holder.phone),
			app: holder.otp.app ? holder.otp.app.status : 'inactive',
			push: holder.otp.push,
			token: holder.otp.token ? {serial: holder.otp.token.serial} : null,
		};
	}

	/** "Attiva": a new secret for the app; it becomes active once the first code it shows is confirmed. */
	async startAppActivation(userId: string): Promise<AppActivation> {
		const secret = newTotpSecret();
		// The pending app and its challenge in one write (an app challenge sends nothing).
		const challenge = await this.store.update((db, transaction) => {
			const holder = requireHolder(db, userId);
			if (holder.otp.app?.status === 'active') throw new DomainError('otp.appAlreadyActive');
			holder.otp.app = {status: 'pending', secret: seal(this.keys.totpKey, secret, userId), lastStep: null, activatedAt: null, device: null};
			const started = this.challenges.startIn(db, this.clock.now(), {userId, operation: OPERATION_ACTIVATE_APP, data: {userId}, channel: 'app'});
			transaction.afterCommit(started.send);
			return started.challenge;
		}, userId);
		return {secret, uri: otpauthUri(secret, userId), challenge};
	}

	async confirmAppActivation(userId: string, challengeId: string, code: string): Promise<void> {
		// The code and the activation in one write.
		await this.challenges.confirmAnd({challengeId, userId, operation: OPERATION_ACTIVATE_APP, data: {userId}, code}, (db, now) => {
			const holder = requireHolder(db, userId);
			if (!holder.otp.app) throw new DomainError('otp.noApp');
			holder.otp.app.status = 'active';
			// The app now lives with the OS user who activated it: only they may approve with it.
			holder.otp.app.device = thisDevice();
			holder.otp.app.activatedAt = now.toISOString();
			holder.otp.preferred = 'app';
			recordChange(db, {kind: 'otp-app-activated', userId}, now);
		});
	}

	async setPreferred(userId: string, channel: OtpChannel): Promise<void> {
		await this.store.update(db => {
			const holder = requireHolder(db, userId);
			if (channel === 'app' && holder.otp.app?.status !== 'active') throw new DomainError('otp.appNotActive');
			if (channel === 'token' && !holder.otp.token) throw new DomainError('otp.noApp');
			if (holder.otp.preferred === channel) return;
			holder.otp.preferred = channel;
			recordChange(db, {kind: 'otp-channel-changed', userId, channel}, this.clock.now());
		}, userId);
	}

	async setPush(userId: string, enabled: boolean): Promise<void> {
		await this.store.update(db => {
			const holder = requireHolder(db, userId);
			if (enabled && holder.otp.app?.status !== 'active') throw new DomainError('otp.appNotActive');
			if (holder.otp.push === enabled) return;
			holder.otp.push = enabled;
			recordChange(db, {kind: 'otp-push-changed', userId, enabled}, this.clock.now());
		}, userId);
	}

	/** "Modifica numero": the code goes to the OLD number, which must still work. */
	async startPhoneChange(userId: string, newNumberInput: string): Promise<{newPhone: string; challenge: ChallengeView}> {
		const newPhone = await normalizeMobileNumber(newNumberInput);
		const holder = requireHolder(await this.store.read(userId), userId);
		if (holder.phone === newPhone) throw new DomainError('phone.same');
		const challenge = await this.challenges.start({userId, operation: OPERATION_CHANGE_PHONE, data: {newPhone}, channel: 'sms', smsTo: holder.phone});
		return {newPhone, challenge};
	}

	/** Saves the new number only once the code sent to the old one is confirmed. */
	async confirmPhoneChange(userId: string, challengeId: string, newPhone: string, code: string): Promise<void> {
		await this.challenges.confirmAnd({challengeId, userId, operation: OPERATION_CHANGE_PHONE, data: {newPhone}, code}, (db, now) => {
			const holder = requireHolder(db, userId);
			const oldPhone = holder.phone;
			holder.phone = newPhone;
			// The e-mail to the holder, and an SMS to the old number, which stops receiving the codes.
			recordChange(db, {kind: 'otp-phone-changed', userId, oldPhone, newPhone}, now);
		});
	}

	/** The demo phone's authenticator: the secret of the holder's app (or token), for the companion to show codes. */
	async authenticatorSecret(userId: string, device: 'app' | 'token'): Promise<string | undefined> {
		const holder = requireHolder(await this.store.read(userId), userId);
		const authenticator = device === 'app' ? holder.otp.app : holder.otp.token;
		return authenticator ? unseal(this.keys.totpKey, authenticator.secret, userId) : undefined;
	}
}

