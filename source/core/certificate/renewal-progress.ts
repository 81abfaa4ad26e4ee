import {certificateLifecycle} from './lifecycle.js';
import {MINUTE} from '../clock.js';
import {DomainError} from '../errors.js';
import type {ChallengeView} from '../otp/challenges.js';
import type {Database, Renewal} from '../store/schema.js';
import {certificateState, currentCertificate} from './record.js';
import {renewalWindow, windowError} from './renewal-window.js';

/*
 * A renewal's progress is stored in the core (db.renewals), tied to its holder: a renewal left
 * mid-way (Esc, a lost connection, a killed portal) can be resumed at its step by the next
 * portal, for `renewalResumeMinutes` after it began (seed 004: retry a step "senza dover rifare
 * l'intera procedura"), and only while what it was begun under still holds: the same current
 * certificate, and for a renewal the renewal window (checked at every step, not only at the
 * start). Anything else ends it.
 */

export type ResumableStep = 'confirmConsents' | 'choosePin' | 'securityInfo' | 'confirmActivation';

/** What the next visit is offered: the step to resume at and, for an OTP step, its challenge. */
export interface PendingRenewal {
	renewalId: string;
	kind: 'renewal' | 'replacement';
	step: ResumableStep;
	challenge: ChallengeView | null;
	withCoupon: boolean;
	withRao: boolean;
	startedAt: Date;
	resumableUntil: Date;
}

export function resumableUntil(renewal: Renewal, db: Database): Date {
	return new Date(Date.parse(renewal.createdAt) + db.settings.renewalResumeMinutes * MINUTE);
}

/** The holder's renewal not yet done (at most one: `begin` drops the others). */
export function openRenewal(db: Database, userId: string): Renewal | undefined {
	return db.renewals.find(entry => entry.userId === userId && entry.step !== 'done');
}

/**
 * Why this renewal can no longer go on at `now`, or undefined when it can. The error is the
 * one the holder is shown; every step asks this first, and the last one again under the lock.
 */
export function renewalClosed(db: Database, renewal: Renewal, now: Date): DomainError | undefined {
	if (renewal.step === 'done') return new DomainError('renewal.wrongStep');
	if (now.getTime() >= resumableUntil(renewal, db).getTime()) return new DomainError('renewal.expired', {minutes: db.settings.renewalResumeMinutes});
	const certificate = currentCertificate(db.certificates, renewal.userId);
	if (!certificate || certificate.id !== renewal.certificateId) return new DomainError('renewal.unknown');
	const clock = {now: () => now};
	const state = certificateState(certificate, clock);
	if (renewal.kind === 'renewal') {
		// Begun the day before expiry, finished after midnight: the renewal's rule no longer
		// holds. Refused, nothing issued; the holder is sent to "Richiedi nuovo certificato".
		const window = renewalWindow(certificate, now, db.settings.renewalWindowDays, state);
		if (window.open) return undefined;
		// Suspended or blocked meanwhile: the usual refusal for that state.
		return window.reason === 'tooLate' ? new DomainError('renewal.windowClosed') : windowError(window);
	}
	const holder = db.holders.find(entry => entry.userId === renewal.userId);
	// The same rule as the dashboard's "N" (flagged, expiry day, expired; never a blocked PIN or a revocation).
	if (!holder || !certificateLifecycle(certificate, holder, now, db.settings.renewalWindowDays).replacementAllowed) return new DomainError('replacement.notAllowed');
	return undefined;
}

/** Removes the holder's unfinished renewal `renewalId` (its secrets with it). */
export function dropRenewal(db: Database, userId: string, renewalId: string): void {
	db.renewals = db.renewals.filter(entry => entry.id !== renewalId || entry.userId !== userId || entry.step === 'done');
}
