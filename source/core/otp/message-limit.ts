import {MINUTE} from '../clock.js';
import {DomainError} from '../errors.js';
import {formatItalianDate, formatItalianTime} from '../italian-date.js';
import type {Database} from '../store/schema.js';

/*
 * One limit on OTP messages per holder (issue 16): at most `otpMessagesMax` codes by SMS or
 * e-mail in any `otpMessagesWindowMinutes`, whatever operation sends them (renewal and its
 * restarts, "Invia nuovo OTP", PIN change, phone and e-mail changes, signing, recovery, the
 * report address). Counted from what was actually sent — the challenges' `sends` — and checked
 * inside the store update that sends, so processes racing cannot exceed it together.
 */

/** When each OTP message of this holder inside the window was sent (ms), oldest first. */
function recentSends(db: Database, userId: string, now: Date): number[] {
	const windowStart = now.getTime() - db.settings.otpMessagesWindowMinutes * MINUTE;
	return db.challenges
		.filter(challenge => challenge.userId === userId && (challenge.channel === 'sms' || challenge.channel === 'email'))
		.flatMap(challenge => challenge.sends.map(sent => Date.parse(sent)))
		.filter(at => at > windowStart && at <= now.getTime())
		.sort((a, b) => a - b);
}

/**
 * Refuses one more message when the limit is reached, with the Italian time (rounded up to the
 * minute) from which the next one is allowed. Call inside a store update, before sending.
 */
export function assertOtpMessageAllowed(db: Database, userId: string, now: Date): void {
	throwWhenFull(db, recentSends(db, userId, now));
}

/** The same limit over a list of send times (an unknown userID's recovery, which sends nothing but must look the same). */
export function assertSendsAllowed(db: Database, sends: readonly number[], now: Date): void {
	const windowStart = now.getTime() - db.settings.otpMessagesWindowMinutes * MINUTE;
	throwWhenFull(db, sends.filter(at => at > windowStart && at <= now.getTime()).sort((a, b) => a - b));
}

function throwWhenFull(db: Database, sends: readonly number[]): void {
	const max = db.settings.otpMessagesMax;
	if (sends.length < max) return;
	// The next message is allowed once the oldest of the last `max` leaves the window.
	const freedAt = sends[sends.length - max]! + db.settings.otpMessagesWindowMinutes * MINUTE;
	const next = new Date(Math.ceil(freedAt / MINUTE) * MINUTE);
	throw new DomainError('otp.messageLimit', {max, minutes: db.settings.otpMessagesWindowMinutes, time: formatItalianTime(next), date: formatItalianDate(next)});
}
