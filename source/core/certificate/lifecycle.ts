import {DAY} from '../clock.js';
import {italianDay} from '../italian-date.js';
import type {CertificateRecord, Holder} from '../store/schema.js';
import {certificateState, type CertificateState} from './record.js';

/*
 * Where a certificate is in its life, as the dashboard tells it, and the next step that exists
 * from there. One place decides both, so the dashboard, "Richiedi nuovo certificato" and the
 * operator's `admin reissue` cannot disagree:
 *
 * - active: nothing to do; expiring (inside the renewal window, up to the day before expiry):
 *   "Rinnova firma";
 * - expiry day, expired, or flagged by an operator: "Richiedi nuovo certificato" in the portal,
 *   whose phase 1 asks for the signing PIN, so only while the PIN still works;
 * - PIN blocked or revoked: the holder cannot authenticate a new certificate with the PIN (it is
 *   blocked for good, seed 003 §6) or the certificate was withdrawn by an operator: the operator
 *   path, `mysign admin reissue`, after re-identifying the holder;
 * - suspended: it becomes active again after its end date, or an operator reactivates it.
 */

export type CertificatePhase = 'active' | 'expiring' | 'expiryDay' | 'expired' | 'suspended' | 'revoked' | 'blocked';

export type NextStep = 'none' | 'renew' | 'replacement' | 'operatorReissue' | 'waitSuspension';

export interface Lifecycle {
	phase: CertificatePhase;
	/** Whole Italian calendar days to the expiry day (0 on the day itself, negative after). */
	daysLeft: number;
	next: NextStep;
	/** "Richiedi nuovo certificato" is offered (and its phase 1 accepts a start). */
	replacementAllowed: boolean;
	/** The operator flagged the holder for replacement (deadline), whatever the state. */
	flagged: boolean;
}

/** Whole Italian calendar days from `now` to the day of `expiry`. */
export function calendarDaysUntil(expiry: Date, now: Date): number {
	return Math.round((Date.parse(italianDay(expiry)) - Date.parse(italianDay(now))) / DAY);
}

/** States the portal cannot lead out of: only an operator's `admin reissue` gives a new certificate. */
export const OPERATOR_ONLY_STATES: readonly CertificateState[] = ['blocked', 'revoked'];

export function certificateLifecycle(certificate: CertificateRecord, holder: Pick<Holder, 'replacementDeadline'>, now: Date, windowDays: number): Lifecycle {
	const state = certificateState(certificate, {now: () => now});
	const daysLeft = calendarDaysUntil(new Date(certificate.expiresAt), now);
	const flagged = holder.replacementDeadline !== null;
	let phase: CertificatePhase = state;
	if (state === 'active' && daysLeft <= 0) phase = 'expiryDay';
	else if (state === 'active' && daysLeft <= windowDays) phase = 'expiring';
	if (OPERATOR_ONLY_STATES.includes(state)) return {phase, daysLeft, next: 'operatorReissue', replacementAllowed: false, flagged};
	const replacementAllowed = flagged || phase === 'expired' || phase === 'expiryDay';
	const next: NextStep = replacementAllowed ? 'replacement' : phase === 'expiring' ? 'renew' : phase === 'suspended' ? 'waitSuspension' : 'none';
	return {phase, daysLeft, next, replacementAllowed, flagged};
}
