import {createHmac, randomInt, randomUUID} from 'node:crypto';
import type {Clock} from '../clock.js';
import {DomainError} from '../errors.js';
import {NO_HOLDER} from '../store/scope.js';
import type {Store} from '../store/store.js';
import {nextAccessId} from '../store/schema.js';
import {assertAppDevice} from '../otp/device.js';

/*
 * "Hai l'App MyInfoCert?" (seeds 000–002): the login screen shows a QR code and a short code
 * that change every few seconds; the holder's phone approves the one it scanned, and the
 * terminal that showed it logs in. A code older than its lifetime, or denied, logs nobody in.
 */

export interface AppLoginOffer {
	id: string;
	/** Six digits to type on the phone instead of scanning. */
	code: string;
	/** What the QR code holds. */
	uri: string;
	expiresAt: Date;
}

export type AppLoginState = {state: 'pending' | 'expired' | 'denied'} | {state: 'approved'; userId: string};

export class AppLogin {
	constructor(
		private readonly store: Store,
		private readonly clock: Clock,
		private readonly pepper: Buffer,
		private readonly terminal: string,
	) {}

	private hash(code: string): string {
		return createHmac('sha256', this.pepper).update(`app-login:${code}`).digest('hex');
	}

	async offer(): Promise<AppLoginOffer> {
		const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
		return this.store.update(db => {
			const now = this.clock.now();
			db.loginRequests = db.loginRequests.filter(request => Date.parse(request.expiresAt) > now.getTime() - 60_000);
			const id = randomUUID();
			const expiresAt = new Date(now.getTime() + db.settings.appLoginCodeSeconds * 1000);
			db.loginRequests.push({id, codeHash: this.hash(code), createdAt: now.toISOString(), expiresAt: expiresAt.toISOString(), state: 'pending', userId: null});
			return {id, code, uri: `myinfocert://login?code=${code}`, expiresAt};
		}, NO_HOLDER);
	}

	/** On the phone: approve (or deny) the request whose code was scanned or typed. The app must be active. */
	async answer(userId: string, code: string, approve: boolean): Promise<void> {
		await this.store.update(db => {
			const now = this.clock.now();
			const holder = db.holders.find(entry => entry.userId === userId);
			if (!holder || holder.otp.app?.status !== 'active') throw new DomainError('otp.appNotActive');
			assertAppDevice(holder, this.store.directory);
			const request = db.loginRequests.find(entry => entry.codeHash === this.hash(code.trim()) && entry.state === 'pending');
			if (!request) throw new DomainError('appLogin.unknownCode');
			if (now.getTime() >= Date.parse(request.expiresAt)) throw new DomainError('appLogin.expired');
			request.state = approve ? 'approved' : 'denied';
			request.userId = userId;
		}, userId);
	}

	/** On the terminal: has the offer been answered? An approval is consumed once and logged. */
	async poll(id: string): Promise<AppLoginState> {
		const snapshot = (await this.store.read(NO_HOLDER)).loginRequests.find(entry => entry.id === id);
		if (!snapshot) return {state: 'expired'};
		if (snapshot.state === 'pending') return this.clock.now().getTime() >= Date.parse(snapshot.expiresAt) ? {state: 'expired'} : {state: 'pending'};
		if (snapshot.state === 'denied') return {state: 'denied'};
		return this.store.update(db => {
			const request = db.loginRequests.find(entry => entry.id === id);
			if (!request || request.state !== 'approved' || !request.userId) return {state: 'expired'} as const;
			request.state = 'consumed';
			const now = this.clock.now();
			db.accessLog.push({id: nextAccessId(db, request.userId), at: now.toISOString(), userId: request.userId, outcome: 'app-approved', terminal: this.terminal.slice(0, 200)});
			return {state: 'approved', userId: request.userId} as const;
		}, snapshot.userId ?? NO_HOLDER);
	}
}
