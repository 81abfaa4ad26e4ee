import {randomInt} from 'node:crypto';
import type {Clock} from '../clock.js';
import {DomainError} from '../errors.js';
import {hashPassword} from '../auth/hashing.js';
import {clearFailures} from '../auth/throttle.js';
import {certificateState, currentCertificate, type CertificateState} from '../certificate/record.js';
import {OPERATOR_ONLY_STATES} from '../certificate/lifecycle.js';
import {parseItalianDate, italianWallTime} from '../italian-date.js';
import {normalizeMobileNumber} from '../otp/phone-number.js';
import type {CertificationAuthority} from '../pki/authority.js';
import type {CertificateRecord, Database, Holder} from '../store/schema.js';
import {NO_HOLDER} from '../store/scope.js';
import type {Store} from '../store/store.js';
import {assertPlainText} from '../holders/identity.js';
import {enroll, type Deliver, type EnrolledHolder, type EnrollmentInput, type EnrollmentProgress} from './enrollment.js';
import {OPERATOR_TERMINAL, recordChange} from '../notify/changes.js';
import {calendarDaysUntil} from '../certificate/lifecycle.js';
import {reissue, type ReissueInput, type ReissueResult} from './reissue.js';

/*
 * Operator (RAO) commands behind `mysign admin`: enrolment, unlocking a login, revocation,
 * reactivation after a suspension, flagging for replacement, listing and showing holders, and
 * adding operators. Every argument is checked before the store is touched, so a refused
 * command leaves db.json byte for byte as it was; each returns what it changed.
 */

export const REVOCATION_REASONS = ['keyCompromise', 'cessationOfOperation', 'unspecified'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

export interface HolderSummary {
	userId: string;
	name: string;
	surname: string;
	email: string;
	state: CertificateState | 'none';
	expiresAt: Date | null;
	locked: boolean;
	mustChangePassword: boolean;
	replacementDeadline: Date | null;
}

export interface HolderDetails extends HolderSummary {
	codiceFiscale: string;
	phone: string;
	iut: string | null;
	certificateSerial: string | null;
	serial: string | null;
	/** While suspended: when the suspension began (the CRL's hold date) and its end. */
	suspendedAt: Date | null;
	suspendedUntil: Date | null;
	/** Only for a revoked certificate: when and why (a suspension is not a revocation). */
	revokedAt: Date | null;
	revocationReason: string | null;
	pinFailures: number;
	otpChannel: string;
	pem: string | null;
}

/** `admin coupon list`: a coupon as stored (its code was shown once and is kept only as an HMAC). */
export interface CouponSummary {
	id: string;
	createdAt: Date;
	used: boolean;
	usedAt: Date | null;
	usedBy: string | null;
}

/** `admin rao list`: a registration officer (never the password hash). */
export interface OperatorSummary {
	userId: string;
	name: string;
	phone: string;
	createdAt: Date;
	locked: boolean;
}

export interface CertificateStatusReport {
	userId: string;
	state: CertificateState | 'none';
	expiresAt: Date | null;
	daysLeft: number | null;
}

/** The store scope of what the operator typed: that holder's document (or none, when it is no userID). */
function scopeOf(userId: string): string {
	return userId.trim().toUpperCase();
}

function holderOf(db: Database, userId: string): Holder {
	const holder = db.holders.find(entry => entry.userId === scopeOf(userId));
	if (!holder) throw new DomainError('admin.unknownUser', {userId: userId.trim()});
	return holder;
}

function certificateOf(db: Database, userId: string): CertificateRecord {
	const certificate = currentCertificate(db.certificates, userId);
	if (!certificate) throw new DomainError('certificate.none');
	return certificate;
}

const THROTTLE_KEYS = (userId: string) => [`user:${userId}`, `recovery:${userId}`, `answer:${userId}`, `erc:${userId}`];

export class Admin {
	constructor(
		private readonly store: Store,
		private readonly clock: Clock,
		private readonly pepper: Buffer,
		private readonly authority: () => Promise<CertificationAuthority>,
		private readonly publishCrl: () => Promise<void>,
		private readonly deliverRegistration: Deliver,
	) {}

	enroll(inputs: readonly EnrollmentInput[], options: {numbered: boolean; progress?: EnrollmentProgress}): Promise<EnrolledHolder[]> {
		return this.authority().then(authority => enroll(this.store, this.clock, this.pepper, authority, inputs, this.deliverRegistration, options));
	}

	/** A new certificate, PIN and ERC for a holder whose PIN is blocked or whose certificate was revoked (see reissue.ts). */
	reissue(input: ReissueInput): Promise<ReissueResult> {
		return reissue(this.store, this.clock, this.pepper, this.authority, this.publishCrl, this.deliverRegistration, input);
	}

	/**
	 * Lifts login, recovery and ERC lock-outs, or an operator's (RAO…) lock-out. A blocked PIN
	 * stays blocked (`pinBlocked`: only `admin reissue` helps).
	 */
	async unlock(userId: string): Promise<{userId: string; cleared: string[]; pinBlocked?: boolean}> {
		const snapshot = await this.store.read(scopeOf(userId));
		const operator = snapshot.operators.find(entry => entry.userId === userId.trim().toUpperCase());
		if (operator) {
			return this.store.update(db => {
				const cleared = [`rao:${operator.userId}`].filter(key => key in db.loginThrottle);
				for (const key of cleared) clearFailures(db, key);
				return {userId: operator.userId, cleared};
			}, NO_HOLDER);
		}
		const holder = holderOf(snapshot, userId);
		const certificate = currentCertificate(snapshot.certificates, holder.userId);
		const pinBlocked = certificate !== undefined && certificate.status === 'blocked';
		return this.store.update(db => {
			const cleared = THROTTLE_KEYS(holder.userId).filter(key => key in db.loginThrottle);
			for (const key of cleared) clearFailures(db, key);
			return {userId: holder.userId, cleared, pinBlocked};
		}, scopeOf(userId));
	}

	/** Revokes the current certificate for good and reissues the CRL. */
	async revoke(userId: string, reason: string): Promise<{userId: string; certificateSerial: string; reason: RevocationReason}> {
		if (!(REVOCATION_REASONS as readonly string[]).includes(reason)) throw new DomainError('admin.badReason', {value: reason, allowed: REVOCATION_REASONS.join(', ')});
		const snapshot = await this.store.read(scopeOf(userId));
		const holder = holderOf(snapshot, userId);
		const certificate = certificateOf(snapshot, holder.userId);
		if (certificate.status === 'revoked') throw new DomainError('admin.alreadyRevoked', {userId: holder.userId});
		// The CA first: a revocation stored with no CRL to publish it would say one thing and do another.
		await this.authority();
		await this.store.update(db => {
			const target = db.certificates.find(entry => entry.id === certificate.id)!;
			target.status = 'revoked';
			target.revokedAt = this.clock.now().toISOString();
			target.revocationReason = reason as RevocationReason;
			target.suspendedUntil = null;
			recordChange(db, {kind: 'certificate-revoked', userId: holder.userId, reason}, this.clock.now(), OPERATOR_TERMINAL);
		}, scopeOf(userId));
		await this.publishCrl();
		return {userId: holder.userId, certificateSerial: certificate.certificateSerial, reason: reason as RevocationReason};
	}

	/** Ends a suspension before its end date (the holder asked the operator) and reissues the CRL. */
	async reactivate(userId: string): Promise<{userId: string; certificateSerial: string}> {
		const snapshot = await this.store.read(scopeOf(userId));
		const holder = holderOf(snapshot, userId);
		const certificate = certificateOf(snapshot, holder.userId);
		if (certificate.status !== 'suspended') throw new DomainError('admin.notSuspended', {userId: holder.userId, state: certificateState(certificate, this.clock)});
		await this.authority();
		await this.store.update(db => {
			const target = db.certificates.find(entry => entry.id === certificate.id)!;
			target.status = 'active';
			target.suspendedUntil = null;
			target.revokedAt = null;
			recordChange(db, {kind: 'certificate-reactivated', userId: holder.userId}, this.clock.now(), OPERATOR_TERMINAL);
		}, scopeOf(userId));
		await this.publishCrl();
		return {userId: holder.userId, certificateSerial: certificate.certificateSerial};
	}

	/** The holder must request a new certificate ("Richiedi nuovo certificato") by `deadline` (dd/mm/yyyy). */
	async flagReplacement(userId: string, deadline: string): Promise<{userId: string; deadline: Date}> {
		const day = parseItalianDate(deadline) ?? (/^\d{4}-\d{2}-\d{2}$/.test(deadline) ? parseItalianDate(deadline.split('-').reverse().join('/')) : undefined);
		if (!day) throw new DomainError('admin.badDate', {value: deadline});
		const until = italianWallTime(day, 23, 59, 59);
		if (until.getTime() <= this.clock.now().getTime()) throw new DomainError('admin.dateNotFuture', {value: deadline});
		const holder = holderOf(await this.store.read(scopeOf(userId)), userId);
		await this.store.update(db => {
			db.holders.find(entry => entry.userId === holder.userId)!.replacementDeadline = until.toISOString();
			// The portal's "Richiedi nuovo certificato" asks for the PIN: not offered for a blocked PIN or a revoked certificate.
			const certificate = currentCertificate(db.certificates, holder.userId);
			const byOperator = certificate !== undefined && OPERATOR_ONLY_STATES.includes(certificateState(certificate, this.clock));
			recordChange(db, {kind: 'replacement-flagged', userId: holder.userId, deadline: until, byOperator}, this.clock.now(), OPERATOR_TERMINAL);
		}, holder.userId);
		return {userId: holder.userId, deadline: until};
	}

	async list(): Promise<HolderSummary[]> {
		const db = await this.store.read();
		return db.holders.map(holder => this.summary(db, holder));
	}

	async show(userId: string): Promise<HolderDetails> {
		const db = await this.store.read(scopeOf(userId));
		const holder = holderOf(db, userId);
		const certificate = currentCertificate(db.certificates, holder.userId);
		const summary = this.summary(db, holder);
		// The record keeps a suspension's start in revokedAt (the CRL's hold date): shown as what it is.
		const suspended = certificate?.status === 'suspended' && summary.state === 'suspended';
		const revoked = certificate?.status === 'revoked';
		return {
			...summary,
			codiceFiscale: holder.codiceFiscale,
			phone: holder.phone,
			iut: certificate?.iut ?? null,
			certificateSerial: certificate?.certificateSerial ?? null,
			serial: certificate?.serial ?? null,
			suspendedAt: suspended && certificate.revokedAt ? new Date(certificate.revokedAt) : null,
			suspendedUntil: suspended && certificate.suspendedUntil ? new Date(certificate.suspendedUntil) : null,
			revokedAt: revoked && certificate.revokedAt ? new Date(certificate.revokedAt) : null,
			revocationReason: revoked ? (certificate.revocationReason ?? null) : null,
			pinFailures: holder.pinFailures,
			otpChannel: holder.otp.preferred,
			pem: certificate?.pem ?? null,
		};
	}

	private summary(db: Database, holder: Holder): HolderSummary {
		const certificate = currentCertificate(db.certificates, holder.userId);
		const now = this.clock.now().getTime();
		const lock = db.loginThrottle[`user:${holder.userId}`]?.lockedUntil;
		return {
			userId: holder.userId,
			name: holder.name,
			surname: holder.surname,
			email: holder.email,
			state: certificate ? certificateState(certificate, this.clock) : 'none',
			expiresAt: certificate ? new Date(certificate.expiresAt) : null,
			locked: lock !== null && lock !== undefined && Date.parse(lock) > now,
			mustChangePassword: holder.mustChangePassword,
			replacementDeadline: holder.replacementDeadline ? new Date(holder.replacementDeadline) : null,
		};
	}

	/** `admin coupon list`: every coupon, oldest first. */
	async coupons(): Promise<CouponSummary[]> {
		const db = await this.store.read(NO_HOLDER);
		return db.coupons
			.map(coupon => ({id: coupon.id, createdAt: new Date(coupon.createdAt), used: coupon.usedAt !== null, usedAt: coupon.usedAt ? new Date(coupon.usedAt) : null, usedBy: coupon.usedBy}))
			.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
	}

	/** `admin rao list`: the registration officers, and whether one is locked out. */
	async operators(): Promise<OperatorSummary[]> {
		const db = await this.store.read(NO_HOLDER);
		const now = this.clock.now().getTime();
		return db.operators.map(operator => {
			const lock = db.loginThrottle[`rao:${operator.userId}`]?.lockedUntil;
			return {userId: operator.userId, name: operator.name, phone: operator.phone, createdAt: new Date(operator.createdAt), locked: lock !== null && lock !== undefined && Date.parse(lock) > now};
		});
	}

	/** `mysign status`: the certificate's state and the Italian calendar days to its expiry day (as the dashboard counts them: 0 on the day itself). */
	async status(userId: string): Promise<CertificateStatusReport> {
		const db = await this.store.read(scopeOf(userId));
		const holder = holderOf(db, userId);
		const certificate = currentCertificate(db.certificates, holder.userId);
		if (!certificate) return {userId: holder.userId, state: 'none', expiresAt: null, daysLeft: null};
		const expiresAt = new Date(certificate.expiresAt);
		return {userId: holder.userId, state: certificateState(certificate, this.clock), expiresAt, daysLeft: calendarDaysUntil(expiresAt, this.clock.now())};
	}

	/** A new registration officer; the password is shown once and stored only as a hash. */
	async addOperator(input: {name: string; phone: string}): Promise<{userId: string; name: string; phone: string; password: string}> {
		const name = input.name.trim();
		if (name === '') throw new DomainError('enroll.missingField', {field: 'name'});
		assertPlainText(name, 'name', 200);
		let phone: string;
		try {
			phone = await normalizeMobileNumber(input.phone);
		} catch {
			throw new DomainError('enroll.badPhone', {value: input.phone});
		}
		const password = `Rao-${randomInt(100_000, 1_000_000)}-${String.fromCharCode(65 + randomInt(0, 26))}${String.fromCharCode(97 + randomInt(0, 26))}!`;
		const passwordHash = await hashPassword(password);
		const userId = await this.store.update(db => {
			let id: string;
			do id = `RAO${String(randomInt(1, 10_000)).padStart(4, '0')}`;
			while (db.operators.some(operator => operator.userId === id));
			db.operators.push({userId: id, name, passwordHash, phone, createdAt: this.clock.now().toISOString()});
			return id;
		}, NO_HOLDER);
		return {userId, name, phone, password};
	}
}
