import {createHash, createHmac, randomInt, randomUUID, timingSafeEqual} from 'node:crypto';
import {DAY, MINUTE, type Clock} from '../clock.js';
import {DomainError} from '../errors.js';
import {requireHolder} from '../holders/identity.js';
import {messagesOf} from '../notify/messages/messages.js';
import type {Outbox} from '../notify/outbox.js';
import type {OtpKeys} from '../keys.js';
import {unseal} from '../sealed.js';
import {assertAppDevice} from './device.js';
import type {Store} from '../store/store.js';
import {nextSequence, type Challenge, type Database, type Holder} from '../store/schema.js';
import {assertOtpMessageAllowed} from './message-limit.js';
import {totpStep} from './totp.js';
import {isWellFormedOtp, OTP_DIGITS} from './format.js';

/*
 * OTP challenges. A challenge is bound to one holder, one operation and a hash of the data
 * being confirmed, and is used at most once. SMS codes are 8 random digits valid 5 minutes;
 * resending does not reset the failure count; the 5th wrong code cancels the operation.
 * App and token codes are TOTP. Every check and counter change happens under the store lock,
 * so two processes racing with the same code cannot both succeed.
 */

export type {OtpKeys} from '../keys.js';

export interface ChallengeView {
	id: string;
	channel: Challenge['channel'];
	/** For push: whether the phone has answered. */
	state: Challenge['state'];
	/** The masked number an SMS went to ("+39347*****67"), if any. */
	destination: string | null;
	expiresAt: Date | null;
	attemptsLeft: number;
}

/** Canonical hash of the data an OTP confirms (key order does not matter). */
export function hashOperationData(data: unknown): string {
	return createHash('sha256').update(canonicalJson(data)).digest('hex');
}

function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value && typeof value === 'object') {
		return `{${Object.keys(value)
			.sort()
			.map(key => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value ?? null);
}

/** "ma****@ex****.it": enough for the holder to recognise the address, not to learn it. */
export function maskEmail(email: string): string {
	const [local = '', domain = ''] = email.split('@');
	const [host = '', ...rest] = domain.split('.');
	const keep = (part: string, count: number) => part.slice(0, count) + '*'.repeat(Math.max(2, part.length - count));
	return `${keep(local, 2)}@${keep(host, 2)}${rest.length > 0 ? '.' + rest.join('.') : ''}`;
}

export function maskPhone(phone: string): string {
	return phone.length <= 7 ? '*'.repeat(phone.length) : phone.slice(0, 6) + '*'.repeat(phone.length - 8) + phone.slice(-2);
}

function codeHash(pepper: Buffer, challengeId: string, code: string): string {
	return createHmac('sha256', pepper).update(`${challengeId}:${code}`).digest('hex');
}

function newSmsCode(): string {
	return String(randomInt(0, 100_000_000)).padStart(8, '0');
}

export class Challenges {
	constructor(
		private readonly store: Store,
		private readonly clock: Clock,
		private readonly outbox: Outbox,
		private readonly keys: OtpKeys,
	) {}

	/**
	 * Starts a challenge for an operation. `channel` defaults to the holder's preferred one;
	 * `smsTo` overrides the destination (e.g. the OLD number when changing it).
	 */
	async start(input: {userId: string; operation: string; data: unknown; channel?: Challenge['channel']; smsTo?: string; smsRecipient?: string; emailTo?: string}): Promise<ChallengeView> {
		return this.store.update(async db => {
			const now = this.clock.now();
			const holder = requireHolder(db, input.userId);
			// Old challenges go, so the file does not grow with every operation.
			db.challenges = db.challenges.filter(challenge => Date.parse(challenge.createdAt) > now.getTime() - DAY);
			const channel = input.channel ?? usableChannel(holder);
			// Refused before anything is stored: no challenge, no message.
			if (channel === 'sms' || channel === 'email') assertOtpMessageAllowed(db, holder.userId, now);
			const id = randomUUID();
			const challenge: Challenge = {
				id,
				userId: holder.userId,
				operation: input.operation,
				dataHash: hashOperationData(input.data),
				channel,
				codeHash: null,
				destination: null,
				recipient: null,
				createdAt: now.toISOString(),
				expiresAt: new Date(now.getTime() + db.settings.otpSmsValidityMinutes * MINUTE).toISOString(),
				failures: 0,
				sends: [],
				state: 'pending',
			};
			if (channel === 'sms') await this.sendSms(db, challenge, input.smsTo ?? holder.phone, now, input.smsRecipient);
			if (channel === 'email') await this.sendEmailCode(db, challenge, input.emailTo ?? holder.email, now);
			db.challenges.push(challenge);
			return view(challenge, db);
		});
	}

	/**
	 * Whether a challenge started now for this holder could send its message (the per-holder
	 * limit); for flows that store their own state before `start`, so a refusal leaves nothing
	 * behind. `start` checks again under the lock.
	 */
	async assertCanStart(userId: string, channel?: Challenge['channel']): Promise<void> {
		const db = await this.store.read();
		const used = channel ?? usableChannel(requireHolder(db, userId));
		if (used === 'sms' || used === 'email') assertOtpMessageAllowed(db, userId, this.clock.now());
	}

	/** "Invia nuovo OTP": a new SMS code, same failure count, at most 5 resends per 15 minutes. */
	async resend(challengeId: string, userId: string): Promise<ChallengeView> {
		return this.store.update(async db => {
			const now = this.clock.now();
			const challenge = pendingChallenge(db, challengeId, userId);
			if ((challenge.channel !== 'sms' && challenge.channel !== 'email') || !challenge.destination) throw new DomainError('otp.notSms');
			const windowStart = now.getTime() - db.settings.otpResendWindowMinutes * MINUTE;
			const recentResends = challenge.sends.slice(1).filter(sent => Date.parse(sent) > windowStart).length;
			if (recentResends >= db.settings.otpMaxResends) throw new DomainError('otp.tooManyResends', {minutes: db.settings.otpResendWindowMinutes});
			assertOtpMessageAllowed(db, userId, now);
			challenge.expiresAt = new Date(now.getTime() + db.settings.otpSmsValidityMinutes * MINUTE).toISOString();
			if (challenge.channel === 'email') await this.sendEmailCode(db, challenge, challenge.destination, now);
			else await this.sendSms(db, challenge, challenge.destination, now);
			return view(challenge, db);
		});
	}

	/**
	 * Checks a code for a challenge. Succeeds once; the operation and data must be those the
	 * challenge was started for. Wrong codes count; the last allowed failure cancels it.
	 */
	async confirm(input: {challengeId: string; userId: string; operation: string; data: unknown; code: string}): Promise<void> {
		const outcome = await this.store.update(async db => {
			const now = this.clock.now();
			const challenge = db.challenges.find(entry => entry.id === input.challengeId && entry.userId === input.userId);
			if (!challenge) throw new DomainError('otp.unknown');
			if (challenge.operation !== input.operation || challenge.dataHash !== hashOperationData(input.data)) throw new DomainError('otp.wrongOperation');
			if (challenge.state === 'confirmed') throw new DomainError('otp.used');
			if (challenge.state === 'cancelled') throw new DomainError('otp.cancelled');
			if (challenge.state === 'denied') throw new DomainError('otp.denied');
			if (challenge.channel !== 'app' && challenge.channel !== 'token' && now.getTime() >= Date.parse(challenge.expiresAt)) return {kind: 'expired'} as const;
			// A push request the phone approved needs no code.
			if (challenge.state === 'approved') {
				challenge.state = 'confirmed';
				return {kind: 'ok'} as const;
			}

			// A code that cannot be one (empty, short, letters) is a typing slip, not a guess: not counted.
			if (!isWellFormedOtp(input.code)) return {kind: 'malformed'} as const;
			const holder = requireHolder(db, input.userId);
			const match = await this.codeMatches(challenge, holder, input.code.trim(), now);
			// A right app/token code of a step already used: not a wrong guess, so not counted.
			if (match === 'reused') return {kind: 'reused'} as const;
			if (match === 'right') {
				challenge.state = 'confirmed';
				return {kind: 'ok'} as const;
			}
			challenge.failures += 1;
			const left = db.settings.otpMaxFailures - challenge.failures;
			if (left <= 0) {
				challenge.state = 'cancelled';
				return {kind: 'cancelled'} as const;
			}
			return {kind: 'wrong', left} as const;
		});
		if (outcome.kind === 'expired') throw new DomainError('otp.expired');
		if (outcome.kind === 'reused') throw new DomainError('otp.reused');
		if (outcome.kind === 'malformed') throw new DomainError('otp.malformed', {digits: OTP_DIGITS});
		if (outcome.kind === 'cancelled') throw new DomainError('otp.cancelled');
		if (outcome.kind === 'wrong') throw new DomainError('otp.wrong', {attemptsLeft: outcome.left});
	}

	/** On the phone: approve or deny a push request ("Approva le operazioni con una notifica"). */
	async answerPush(userId: string, challengeId: string, approve: boolean): Promise<void> {
		await this.store.update(db => {
			const challenge = pendingChallenge(db, challengeId, userId);
			if (challenge.channel !== 'push') throw new DomainError('otp.unknown');
			const holder = db.holders.find(entry => entry.userId === userId);
			if (holder) assertAppDevice(holder, this.store.directory);
			if (this.clock.now().getTime() >= Date.parse(challenge.expiresAt)) throw new DomainError('otp.expired');
			challenge.state = approve ? 'approved' : 'denied';
		});
	}

	/** Push requests waiting for the phone's answer, newest first. */
	async pendingPushes(userId: string): Promise<{id: string; operation: string; createdAt: Date; expiresAt: Date}[]> {
		const now = this.clock.now().getTime();
		return (await this.store.read()).challenges
			.filter(challenge => challenge.userId === userId && challenge.channel === 'push' && challenge.state === 'pending' && Date.parse(challenge.expiresAt) > now)
			.map(challenge => ({id: challenge.id, operation: challenge.operation, createdAt: new Date(challenge.createdAt), expiresAt: new Date(challenge.expiresAt)}))
			.reverse();
	}

	/** The newest challenge still open for this operation and data (e.g. a script's second call after an SMS). */
	async findPending(userId: string, operation: string, data: unknown): Promise<ChallengeView | undefined> {
		const db = await this.store.read();
		const dataHash = hashOperationData(data);
		const now = this.clock.now().getTime();
		const challenge = db.challenges.filter(
			entry => entry.userId === userId && entry.operation === operation && entry.dataHash === dataHash && (entry.state === 'pending' || entry.state === 'approved') && Date.parse(entry.expiresAt) > now,
		).at(-1);
		return challenge ? view(challenge, db) : undefined;
	}

	async get(challengeId: string, userId: string): Promise<ChallengeView> {
		const db = await this.store.read();
		const challenge = db.challenges.find(entry => entry.id === challengeId && entry.userId === userId);
		if (!challenge) throw new DomainError('otp.unknown');
		return view(challenge, db);
	}

	private async codeMatches(challenge: Challenge, holder: Holder, code: string, now: Date): Promise<'right' | 'wrong' | 'reused'> {
		if (!/^\d{8}$/.test(code)) return 'wrong';
		if (challenge.channel === 'sms' || challenge.channel === 'email') {
			if (!challenge.codeHash) return 'wrong';
			return timingSafeEqual(Buffer.from(challenge.codeHash, 'hex'), Buffer.from(codeHash(this.keys.pepper, challenge.id, code), 'hex')) ? 'right' : 'wrong';
		}
		// A push request can also be confirmed by typing the app's current code.
		const authenticator = challenge.channel === 'token' ? holder.otp.token : holder.otp.app;
		if (!authenticator || (authenticator === holder.otp.app && holder.otp.app.status !== 'active' && challenge.operation !== 'otp.activateApp')) return 'wrong';
		const secret = unseal(this.keys.totpKey, authenticator.secret, holder.userId);
		const step = await totpStep(secret, code, now);
		if (step === undefined) return 'wrong';
		// No reuse of a step (DESIGN §2): a code of a step already used, or older, is refused as used.
		if (authenticator.lastStep !== null && step <= authenticator.lastStep) return 'reused';
		authenticator.lastStep = step;
		return 'right';
	}

	/** A code by e-mail (a new recovery address is proved this way): a real .eml in the outbox. */
	private async sendEmailCode(db: Database, challenge: Challenge, address: string, now: Date): Promise<void> {
		const code = newSmsCode();
		challenge.codeHash = codeHash(this.keys.pepper, challenge.id, code);
		challenge.destination = address;
		challenge.recipient = challenge.userId;
		challenge.sends.push(now.toISOString());
		// In the language of the holder who asked (the address is theirs to be).
		const {subject, text} = messagesOf(db, challenge.userId).emailCode({code, minutes: db.settings.otpSmsValidityMinutes});
		const {composeEmail} = await import('../notify/email.js');
		const eml = await composeEmail({from: 'InfoCert <noreply@mysign.local>', to: address, subject, text, date: now});
		await this.outbox.deliverEmail({id: nextSequence(db, 'outbox'), kind: 'email', userId: challenge.userId, to: address, at: now.toISOString(), subject, text}, eml);
	}

	/** `recipient`: whose phone receives it, when not the holder's (an operator's, for a RAO renewal); in the recipient's language (an operator's: Italian). */
	private async sendSms(db: Database, challenge: Challenge, phone: string, now: Date, recipient = challenge.recipient ?? challenge.userId): Promise<void> {
		challenge.recipient = recipient;
		const code = newSmsCode();
		challenge.codeHash = codeHash(this.keys.pepper, challenge.id, code);
		challenge.destination = phone;
		challenge.sends.push(now.toISOString());
		await this.outbox.deliver({id: nextSequence(db, 'outbox'), kind: 'sms', userId: recipient, to: phone, at: now.toISOString(), ...messagesOf(db, recipient).otpSms({code, at: now})});
	}
}

/** The preferred channel (push when the app confirms with notifications), falling back to SMS when the preferred authenticator is not active. */
function usableChannel(holder: Holder): 'sms' | 'app' | 'token' | 'push' {
	if (holder.otp.preferred === 'app' && holder.otp.app?.status === 'active') return holder.otp.push ? 'push' : 'app';
	if (holder.otp.preferred === 'token' && holder.otp.token) return 'token';
	return 'sms';
}

function pendingChallenge(db: Database, challengeId: string, userId: string): Challenge {
	const challenge = db.challenges.find(entry => entry.id === challengeId && entry.userId === userId);
	if (!challenge) throw new DomainError('otp.unknown');
	if (challenge.state === 'confirmed') throw new DomainError('otp.used');
	if (challenge.state !== 'pending') throw new DomainError('otp.cancelled');
	return challenge;
}

function view(challenge: Challenge, db: Database): ChallengeView {
	return {
		id: challenge.id,
		channel: challenge.channel,
		state: challenge.state,
		destination: challenge.destination ? (challenge.channel === 'email' ? maskEmail(challenge.destination) : maskPhone(challenge.destination)) : null,
		expiresAt: challenge.channel === 'app' || challenge.channel === 'token' ? null : new Date(challenge.expiresAt),
		attemptsLeft: db.settings.otpMaxFailures - challenge.failures,
	};
}
