import {DomainError} from '../errors.js';
import type {Database} from '../store/schema.js';

/*
 * First access: an enrolled holder replaces the initial password, and every holder without a
 * secret question sets one (password recovery always asks for the SMS code AND the answer).
 * Until both are done the facade refuses every other holder operation with
 * `account.setupRequired`; the portal shows the first-access screen instead.
 */

export function firstAccessPending(db: Database, userId: string): {password: boolean; question: boolean} | undefined {
	const holder = db.holders.find(entry => entry.userId === userId);
	if (!holder || (!holder.mustChangePassword && holder.secretQuestion !== null)) return undefined;
	return {password: holder.mustChangePassword, question: holder.secretQuestion === null};
}

export function assertFirstAccessDone(db: Database, userId: string): void {
	if (firstAccessPending(db, userId)) throw new DomainError('account.setupRequired');
}
