import {DAY} from '../clock.js';
import {DomainError} from '../errors.js';
import {formatItalianDate, italianDay} from '../italian-date.js';
import type {CertificateRecord} from '../store/schema.js';

/** "Rinnova firma" is open from `windowDays` days before expiry until the day before (seeds 003 §7, 004). */
export type RenewalWindow = {open: true; daysLeft: number} | {open: false; reason: 'notYet'; opensOn: Date} | {open: false; reason: 'tooLate' | 'notActive'};

/** Whole Italian calendar days from `now` to the expiry day. */
function daysUntil(expiry: Date, now: Date): number {
	return Math.round((Date.parse(italianDay(expiry)) - Date.parse(italianDay(now))) / DAY);
}

export function renewalWindow(certificate: CertificateRecord, now: Date, windowDays: number, state: string): RenewalWindow {
	if (state !== 'active') return {open: false, reason: state === 'expired' ? 'tooLate' : 'notActive'};
	const expiry = new Date(certificate.expiresAt);
	const days = daysUntil(expiry, now);
	if (days < 1) return {open: false, reason: 'tooLate'};
	if (days > windowDays) return {open: false, reason: 'notYet', opensOn: new Date(expiry.getTime() - windowDays * DAY)};
	return {open: true, daysLeft: days};
}

export function windowError(window: Exclude<RenewalWindow, {open: true}>): DomainError {
	if (window.reason === 'notYet') return new DomainError('renewal.notYet', {date: formatItalianDate(window.opensOn)});
	return new DomainError(window.reason === 'tooLate' ? 'renewal.tooLate' : 'renewal.notActive');
}
