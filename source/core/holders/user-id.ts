import {randomInt} from 'node:crypto';
import {DomainError} from '../errors.js';

/*
 * A holder's userID: "JCPD" and 4 to 8 digits. New ones are drawn at random among the 4-digit
 * numbers (JCPD1000–JCPD9999) while fewer than half of those are taken, then among the 5-digit
 * ones, and so on: short IDs for a room, room for ~100 million holders, and a random draw that
 * never needs more than two tries on average. Existing IDs never change.
 */

/** The accepted form (any case where a user types it; stored upper-case). */
export const USER_ID_PATTERN = /^JCPD\d{4,8}$/;
export const MIN_DIGITS = 4;
export const MAX_DIGITS = 8;

export function isUserId(text: string): boolean {
	return USER_ID_PATTERN.test(text);
}

/** A userID not in `taken`: random, with the fewest digits whose numbers are less than half used. */
export function newUserId(taken: ReadonlySet<string>): string {
	for (let digits = MIN_DIGITS; digits <= MAX_DIGITS; digits++) {
		const low = 10 ** (digits - 1);
		const high = 10 ** digits;
		let used = 0;
		for (const userId of taken) if (userId.length === 4 + digits) used++;
		if (used * 2 >= high - low) continue;
		for (;;) {
			const userId = `JCPD${randomInt(low, high)}`;
			if (!taken.has(userId)) return userId;
		}
	}
	throw new DomainError('enroll.full');
}
