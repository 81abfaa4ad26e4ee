import {createHash, createHmac, randomInt, randomUUID, timingSafeEqual} from 'node:crypto';
import {DAY, MINUTE, type Clock} from '../clock.js';
import {DomainError} from '../errors.js';
import {requireHolder} from '../holders/identity.js';
import {messagesOf} from '../notify/messages/messages.js';
import type {OutboxStore} from '../notify/outbox.js';
import type {OtpKeys} from '../keys.js';
import {unseal} from '../sealed.js';
import {assertAppDevice} from './device.js';
import type {AfterCommit, Store} from '../store/store.js';
import {nextSequence, type Challenge, type Database, type Holder} from '../store/schema.js';
import {assertOtpMessageAllowed} from './message-limit.js';
import {totpStep} from './totp.js';
import {undelivered} from './undelivered.js';
import {isWellFormedOtp, OTP_DIGITS} from './format.js';

/*
 * OTP challenges. A challenge is bound to one holder, one operation and a hash of the data
 * being confirmed, and is used at most once. SMS codes are 8 random digits valid 5 minutes;
 * resending does not reset the failure count; the 5th wrong code cancels the operation.
 * App and token codes are TOTP. Every check and counter change happens under the store lock,
 * so two processes racing with the same code cannot both succeed.
 */

export type {OtpKeys} from '../keys.js';

export interface ConfirmInput {
	challengeId: string;
	userId: string;
	operation: string;
	data: unknown;
	code: string;
}

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

/** What starts a challenge: see `Challenges.start`. */
export interface StartInput {
	userId: string;
	operation: string;
	data: unknown;
	channel?: Challenge['channel'];
	smsTo?: string;
	smsRecipient?: string;
	emailTo?: string;
}

/** A challenge started inside the caller's transaction, and its message, to send once that transaction commits. */
export interface Started {
	challenge: ChallengeView;
	/** Writes the SMS or e-mail with the code to the outbox: give it to `Transaction.afterCommit` (nothing to send for app, token or push). */
	send: AfterCommit;
}

/** What a code did to its challenge, committed whatever it is; `throwUnlessConfirmed` turns it into the holder's error. */
export type ConfirmOutcome = {kind: 'ok'} | {kind: 'expired'} | {kind: 'reused'} | {kind: 'malformed'} | {kind: 'cancelled'} | {kind: 'wrong'; left: number};

export function throwUnlessConfirmed(outcome: ConfirmOutcome): void {
	if (outcome.kind === 'expired') throw new DomainError('otp.expired');
	if (outcome.kind === 'reused') throw new DomainError('otp.reused');
	if (outcome.kind === 'malformed') throw new DomainError('otp.malformed', {digits: OTP_DIGITS});
	if (outcome.kind === 'cancelled') throw new DomainError('otp.cancelled');
	if (outcome.kind === 'wrong') throw new DomainError('otp.wrong', {attemptsLeft: outcome.left});
}

const NOTHING_TO_SEND: AfterCommit = async () => undefined;

function newSmsCode(): string {
	return String(randomInt(0, 100_000_000)).padStart(8, '0');
}

export class Challenges {
	constructor(
		private readonly store: Store,
		private readonly clock: Clock,
		private readonly outbox: OutboxStore,
		private readonly keys: OtpKeys,
	) {}

	/**
	 * Starts a challenge for an operation, in a transaction of its own. `channel` defaults to the
	 * holder's preferred one; `smsTo` overrides the destination (e.g. the OLD number when changing it).
	 */
	async start(input: StartInput): Promise<ChallengeView> {
		return this.store.update((db, transaction) => {
			const started = this.startIn(db, this.clock.now(), input);
			transaction.afterCommit(started.send);
			return started.challenge;
		}, input.userId);
	}

	/**
	 * `start` inside the caller's transaction (`db` the draft of `Store.update`, `now` the clock's
	 * time there), so a step stores its own record and the challenge in one write: the caller
	 * gives `send` to `afterCommit`, and the code leaves only once the challenge is committed.
	 * Refused (the per-holder message limit) before anything is changed.
	 */
	startIn(db: Database, now: Date, input: StartInput): Started {
		const holder = requireHolder(db, input.userId);
		// Old challenges go, so the file does not grow with every operation.
		db.challenges = db.challenges.filter(challenge => Date.parse(challenge.createdAt) > now.getTime() - DAY);
		const channel = input.channel ?? usableChannel(holder);
		// Refused before anything is stored (the caller's transaction is not committed): no challenge, no message.
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
		let send = NOTHING_TO_SEND;
		if (channel === 'sms') send = this.smsCode(db, challenge, input.smsTo ?? holder.phone, now, input.smsRecipient);
		if (channel === 'email') send = this.emailCode(db, challenge, input.emailTo ?? holder.email, now);
		db.challenges.push(challenge);
		return {challenge: view(challenge, db), send};
	}

	/**
	 * Whether a challenge started now for this holder could send its message (the per-holder
	 * limit); for flows that store their own state before `start`, so a refusal leaves nothing
	 * behind. `start` checks again under the lock.
	 */
	async assertCanStart(userId: string, channel?: Challenge['channel']): Promise<void> {
		this.assertCanStartIn(await this.store.read(userId), userId, this.clock.now(), channel);
	}

	/** `assertCanStart` on a snapshot or a transaction's draft: for a step that must be refused before it counts or stores anything. */
	/**
	 * assertCanStartIn's refusal as a value, for a step that must commit what it counted (a PIN
	 * verified outside the lock is always counted) even when no code may be sent.
	 */
	refusalToStartIn(db: Database, userId: string, now: Date): DomainError | undefined {
		try {
			this.assertCanStartIn(db, userId, now);
			return undefined;
		} catch (error) {
			if (error instanceof DomainError) return error;
			throw error;
		}
	}

	assertCanStartIn(db: Database, userId: string, now: Date, channel?: Challenge['channel']): void {
		const used = channel ?? usableChannel(requireHolder(db, userId));
		if (used === 'sms' || used === 'email') assertOtpMessageAllowed(db, userId, now);
	}

	/** "Invia nuovo OTP": a new SMS code, same failure count, at most 5 resends per 15 minutes. */
	async resend(challengeId: string, userId: string): Promise<ChallengeView> {
		return this.store.update((db, transaction) => {
			const now = this.clock.now();
			const challenge = pendingChallenge(db, challengeId, userId);
			if ((challenge.channel !== 'sms' && challenge.channel !== 'email') || !challenge.destination) throw new DomainError('otp.notSms');
			const windowStart = now.getTime() - db.settings.otpResendWindowMinutes * MINUTE;
			const recentResends = challenge.sends.slice(1).filter(sent => Date.parse(sent) > windowStart).length;
			if (recentResends >= db.settings.otpMaxResends) throw new DomainError('otp.tooManyResends', {minutes: db.settings.otpResendWindowMinutes});
			assertOtpMessageAllowed(db, userId, now);
			challenge.expiresAt = new Date(now.getTime() + db.settings.otpSmsValidityMinutes * MINUTE).toISOString();
			transaction.afterCommit(challenge.channel === 'email' ? this.emailCode(db, challenge, challenge.destination, now) : this.smsCode(db, challenge, challenge.destination, now));
			return view(challenge, db);
		}, userId);
	}

	/**
	 * Checks a code for a challenge. Succeeds once; the operation and data must be those the
	 * challenge was started for. Wrong codes count; the last allowed failure cancels it.
	 */
	async confirm(input: ConfirmInput): Promise<void> {
		throwUnlessConfirmed(await this.store.update(db => this.confirmIn(db, this.clock.now(), input), input.userId));
	}

	/**
	 * `confirm`, and when the code is right `apply` in the same write: the operation is done with
	 * its code (a wrong code is counted and committed, then thrown). If `apply` throws, nothing
	 * is committed and the code is still unused.
	 */
	async confirmAnd<R>(input: ConfirmInput, apply: (db: Database, now: Date) => R): Promise<R> {
		const outcome = await this.store.update(async db => {
			const now = this.clock.now();
			const confirmed = await this.confirmIn(db, now, input);
			return confirmed.kind === 'ok' ? {confirmed, applied: {result: apply(db, now)}} : {confirmed};
		}, input.userId);
		throwUnlessConfirmed(outcome.confirmed);
		if (!outcome.applied) throw new Error('a confirmed code was not applied');
		return outcome.applied.result;
	}

	/**
	 * `confirm` inside the caller's transaction: a step that goes on when the code is right does
	 * so in the same write. Whatever the outcome, the caller commits (a wrong code counts) and
	 * then calls `throwUnlessConfirmed`; an unknown, used or mismatched challenge throws here.
	 */
	async confirmIn(db: Database, now: Date, input: ConfirmInput): Promise<ConfirmOutcome> {
		const challenge = db.challenges.find(entry => entry.id === input.challengeId && entry.userId === input.userId);
		if (!challenge) throw new DomainError('otp.unknown');
		if (challenge.operation !== input.operation || challenge.dataHash !== hashOperationData(input.data)) throw new DomainError('otp.wrongOperation');
		if (challenge.state === 'confirmed') throw new DomainError('otp.used');
		if (challenge.state === 'cancelled') throw new DomainError('otp.cancelled');
		if (challenge.state === 'denied') throw new DomainError('otp.denied');
		if (challenge.channel !== 'app' && challenge.channel !== 'token' && now.getTime() >= Date.parse(challenge.expiresAt)) return {kind: 'expired'};
		// A push request the phone approved needs no code.
		if (challenge.state === 'approved') {
			challenge.state = 'confirmed';
			return {kind: 'ok'};
		}

		// A code that cannot be one (empty, short, letters) is a typing slip, not a guess: not counted.
		if (!isWellFormedOtp(input.code)) return {kind: 'malformed'};
		const holder = requireHolder(db, input.userId);
		const match = await this.codeMatches(challenge, holder, input.code.trim(), now);
		// A right app/token code of a step already used: not a wrong guess, so not counted.
		if (match === 'reused') return {kind: 'reused'};
		if (match === 'right') {
			challenge.state = 'confirmed';
			return {kind: 'ok'};
		}
		challenge.failures += 1;
		const left = db.settings.otpMaxFailures - challenge.failures;
		if (left <= 0) {
			challenge.state = 'cancelled';
			return {kind: 'cancelled'};
		}
		return {kind: 'wrong', left};
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
		}, userId);
	}

	/** Push requests waiting for the phone's answer, newest first. */
	async pendingPushes(userId: string): Promise<{id: string; operation: string; createdAt: Date; expiresAt: Date}[]> {
		const now = this.clock.now().getTime();
		return (await this.store.read(userId)).challenges
			.filter(challenge => challenge.userId === userId && challenge.channel === 'push' && challenge.state === 'pending' && Date.parse(challenge.expiresAt) > now)
			.map(challenge => ({id: challenge.id, operation: challenge.operation, createdAt: new Date(challenge.createdAt), expiresAt: new Date(challenge.expiresAt)}))
			.reverse();
	}

	/** The newest challenge still open for this operation and data (e.g. a script's second call after an SMS). */
	async findPending(userId: string, operation: string, data: unknown): Promise<ChallengeView | undefined> {
		const db = await this.store.read(userId);
		const dataHash = hashOperationData(data);
		const now = this.clock.now().getTime();
		const challenge = db.challenges.filter(
			entry => entry.userId === userId && entry.operation === operation && entry.dataHash === dataHash && (entry.state === 'pending' || entry.state === 'approved') && Date.parse(entry.expiresAt) > now,
		).at(-1);
		return challenge ? view(challenge, db) : undefined;
	}

	async get(challengeId: string, userId: string): Promise<ChallengeView> {
		const db = await this.store.read(userId);
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

	/**
	 * A code by e-mail (a new recovery address is proved this way): records the send in the draft
	 * (its hash, its outbox number) and returns the delivery of the real .eml, for after the commit.
	 * The code itself lives only in that closure until it is in the outbox.
	 */
	private emailCode(db: Database, challenge: Challenge, address: string, now: Date): AfterCommit {
		const code = newSmsCode();
		challenge.codeHash = codeHash(this.keys.pepper, challenge.id, code);
		challenge.destination = address;
		challenge.recipient = challenge.userId;
		challenge.sends.push(now.toISOString());
		// In the language of the holder who asked (the address is theirs to be).
		const {subject, text} = messagesOf(db, challenge.userId).emailCode({code, minutes: db.settings.otpSmsValidityMinutes});
		const message = {id: nextSequence(db, 'outbox'), kind: 'email', userId: challenge.userId, to: address, at: now.toISOString(), subject, text} as const;
		return undelivered(async () => {
			const {composeEmail} = await import('../notify/email.js');
			const eml = await composeEmail({from: 'InfoCert <noreply@mysign.local>', to: address, subject, text, date: now});
			await this.outbox.deliverEmail(message, eml);
		}, this.outbox.describe(message));
	}

	/** `emailCode` for an SMS. `recipient`: whose phone receives it, when not the holder's (an operator's, for a RAO renewal); in the recipient's language (an operator's: Italian). */
	private smsCode(db: Database, challenge: Challenge, phone: string, now: Date, recipient = challenge.recipient ?? challenge.userId): AfterCommit {
		challenge.recipient = recipient;
		const code = newSmsCode();
		challenge.codeHash = codeHash(this.keys.pepper, challenge.id, code);
		challenge.destination = phone;
		challenge.sends.push(now.toISOString());
		const message = {id: nextSequence(db, 'outbox'), kind: 'sms', userId: recipient, to: phone, at: now.toISOString(), ...messagesOf(db, recipient).otpSms({code, at: now})} as const;
		return undelivered(() => this.outbox.deliver(message), this.outbox.describe(message));
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
