import {createHmac, randomInt, randomUUID} from 'node:crypto';
import type {Clock} from '../clock.js';
import {DomainError} from '../errors.js';
import {NO_HOLDER} from '../store/scope.js';
import type {Store} from '../store/store.js';
import type {Database} from '../store/schema.js';

/*
 * "Rinnova con Coupon": single-use codes an operator creates. The store keeps only an HMAC of
 * each code; a coupon is checked when the renewal starts and spent, under the lock, when the
 * new certificate is issued, so it can never pay for two renewals.
 */

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function normalizeCoupon(code: string): string {
	return code.trim().toUpperCase().replace(/[\s-]/g, '');
}

export function couponHash(pepper: Buffer, code: string): string {
	return createHmac('sha256', pepper).update(`coupon:${normalizeCoupon(code)}`).digest('hex');
}

function newCode(): string {
	let code = '';
	for (let index = 0; index < 12; index++) code += ALPHABET[randomInt(ALPHABET.length)];
	return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

export async function createCoupons(store: Store, clock: Clock, pepper: Buffer, count: number): Promise<string[]> {
	const codes = Array.from({length: count}, newCode);
	await store.update(db => {
		for (const code of codes) db.coupons.push({id: randomUUID(), codeHash: couponHash(pepper, code), createdAt: clock.now().toISOString(), usedAt: null, usedBy: null});
	}, NO_HOLDER);
	return codes;
}

/** The coupon's id if the code is known and unused; otherwise a clear refusal. */
export function findUsableCoupon(db: Database, pepper: Buffer, code: string): string {
	if (normalizeCoupon(code) === '') throw new DomainError('coupon.missing');
	const coupon = db.coupons.find(entry => entry.codeHash === couponHash(pepper, code));
	if (!coupon) throw new DomainError('coupon.unknown');
	if (coupon.usedAt) throw new DomainError('coupon.used');
	return coupon.id;
}
