import {existsSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {loadOrCreateKey} from '../../../source/core/keys.js';
import {openPrivateKey} from '../../../source/core/pki/holder-key.js';
import {Portal} from '../../../source/core/portal.js';
import {OPERATION_SIGN} from '../../../source/core/signing/signer.js';
import {Store} from '../../../source/core/store/store.js';
import {demoPortal, lastSmsCode, logIn, MARIO, refusal} from '../../helpers/portal.js';
import {storeOf} from '../../helpers/internals.js';

/*
 * A PIN is checked (argon2) on a snapshot outside the lock and counted under it. A PIN change
 * committed in between (the holder, in another terminal) replaces the hash the PIN was found
 * right or wrong against: under the lock the PIN is checked again against the current hash.
 * The old PIN is then wrong (no operation with a just-replaced PIN), the new one right, and a
 * change to the same PIN (re-hashed with a new salt) still lets the right PIN through.
 */

let cleanup: (() => void) | undefined;
afterEach(() => {
	vi.restoreAllMocks();
	cleanup?.();
});

const NEW_PIN = '55501234';

async function setup() {
	const context = await demoPortal();
	cleanup = context.remove;
	const path = join(context.directory, 'contratto.txt');
	writeFileSync(path, 'Contratto di prova\r\n');
	const session = await logIn(context.portal, MARIO.userId, MARIO.password);
	// The holder's other terminal, a portal of its own on the same folder.
	const other = await Portal.open({dataDirectory: context.directory, clock: context.clock, terminal: 'other'});
	return {...context, path, session, other, documents: await context.portal.signing.inspect([path])};
}

/** A whole PIN change (current PIN, new PIN, the OTP from the SMS), confirmed in the other terminal. */
async function changePin(other: Portal, from: string, to: string): Promise<void> {
	const session = await logIn(other, MARIO.userId, MARIO.password);
	const {changeId} = await other.pin.startChange(session, {currentPin: from, newPin: to, newPinAgain: to});
	await other.pin.confirmChange(session, changeId, await lastSmsCode(other, MARIO.userId));
}

/**
 * The next locked write (the one that counts the PIN, its argon2 check already done on the
 * snapshot) first waits for `meanwhile` to commit: the race, staged deterministically.
 */
function beforeNextLockedWrite(meanwhile: () => Promise<void>): {ran: () => boolean} {
	const real = Store.prototype.update;
	let ran = false;
	const spy = vi.spyOn(Store.prototype, 'update').mockImplementation(async function (this: Store, change) {
		spy.mockRestore();
		await meanwhile();
		ran = true;
		return real.call(this, change as never);
	});
	return {ran: () => ran};
}

const holderOf = async (portal: Portal) => (await storeOf(portal).read()).holders.find(holder => holder.userId === MARIO.userId)!;
const signChallenges = async (portal: Portal) => (await storeOf(portal).read()).challenges.filter(entry => entry.userId === MARIO.userId && entry.operation === OPERATION_SIGN).length;

describe('a PIN change committed between the PIN check and the lock', () => {
	it('the old PIN, found right against the old hash, is counted wrong: no OTP for the signature, attempts left shown', async () => {
		const {portal, other, session, documents} = await setup();
		const challengesBefore = await signChallenges(portal);
		const race = beforeNextLockedWrite(() => changePin(other, MARIO.pin, NEW_PIN));
		expect(await refusal(portal.signing.requestOtp(session, documents, MARIO.pin))).toEqual({code: 'pin.wrong', params: {attemptsLeft: 2}});
		expect(race.ran()).toBe(true);
		expect((await holderOf(portal)).pinFailures).toBe(1);
		expect(await signChallenges(portal)).toBe(challengesBefore);
	});

	it('the old PIN at the signature itself (step 2) is refused, and no .p7m is written', async () => {
		const {portal, other, session, documents, path} = await setup();
		const challenge = await portal.signing.requestOtp(session, documents, MARIO.pin);
		const code = await lastSmsCode(portal, MARIO.userId);
		const race = beforeNextLockedWrite(() => changePin(other, MARIO.pin, NEW_PIN));
		expect(await refusal(portal.signing.sign(session, {documents, pin: MARIO.pin, challengeId: challenge.id, code}))).toEqual({code: 'pin.wrong', params: {attemptsLeft: 2}});
		expect(race.ran()).toBe(true);
		expect(existsSync(`${path}.p7m`)).toBe(false);
	});

	it('the new PIN at the signature itself (step 2): counted right, and the key opened is the one sealed under it', async () => {
		const {portal, other, session, documents, path} = await setup();
		const challenge = await portal.signing.requestOtp(session, documents, MARIO.pin);
		const code = await lastSmsCode(portal, MARIO.userId);
		// The change commits after step 2 has read the certificate (and its key, sealed under the old PIN).
		const race = beforeNextLockedWrite(() => changePin(other, MARIO.pin, NEW_PIN));
		await portal.signing.sign(session, {documents, pin: NEW_PIN, challengeId: challenge.id, code});
		expect(race.ran()).toBe(true);
		expect((await holderOf(portal)).pinFailures).toBe(0);
		expect(existsSync(`${path}.p7m`)).toBe(true);
	});

	it('the new PIN, found wrong against the old hash, is counted right and the signature goes through', async () => {
		const {portal, other, session, documents, path} = await setup();
		const race = beforeNextLockedWrite(() => changePin(other, MARIO.pin, NEW_PIN));
		const challenge = await portal.signing.requestOtp(session, documents, NEW_PIN);
		expect(race.ran()).toBe(true);
		expect((await holderOf(portal)).pinFailures).toBe(0);
		await portal.signing.sign(session, {documents, pin: NEW_PIN, challengeId: challenge.id, code: await lastSmsCode(portal, MARIO.userId)});
		expect(existsSync(`${path}.p7m`)).toBe(true);
	});

	it('a change to the same PIN (a new salt, a new hash) still lets the right PIN through', async () => {
		const {portal, other, session, documents} = await setup();
		const hashBefore = (await holderOf(portal)).pinHash;
		const race = beforeNextLockedWrite(() => changePin(other, MARIO.pin, MARIO.pin));
		const challenge = await portal.signing.requestOtp(session, documents, MARIO.pin);
		expect(race.ran()).toBe(true);
		const holder = await holderOf(portal);
		expect(holder.pinHash).not.toBe(hashBefore);
		expect(holder.pinFailures).toBe(0);
		expect(challenge.id).toBeTruthy();
	});

	it('"Modifica PIN": the old PIN is counted wrong; the new one, right only under the lock, re-seals the key there', async () => {
		const {portal, other, session, directory} = await setup();
		beforeNextLockedWrite(() => changePin(other, MARIO.pin, NEW_PIN));
		expect(await refusal(portal.pin.startChange(session, {currentPin: MARIO.pin, newPin: '11223344', newPinAgain: '11223344'}))).toEqual({code: 'pin.wrong', params: {attemptsLeft: 2}});
		expect((await storeOf(portal).read()).pinChanges).toEqual([]);

		// Back to the demo PIN, then the change to NEW_PIN races a change that types NEW_PIN as the current one.
		await changePin(other, NEW_PIN, MARIO.pin);
		beforeNextLockedWrite(() => changePin(other, MARIO.pin, NEW_PIN));
		const {changeId} = await portal.pin.startChange(session, {currentPin: NEW_PIN, newPin: '11223344', newPinAgain: '11223344'});
		await portal.pin.confirmChange(session, changeId, await lastSmsCode(portal, MARIO.userId));
		const pepper = await loadOrCreateKey(directory, 'pepper');
		const db = await storeOf(portal).read();
		expect(await openPrivateKey(db.certificates.find(entry => entry.userId === MARIO.userId && entry.status !== 'revoked')!.privateKey, '11223344', pepper)).toBeDefined();
		expect(db.holders.find(holder => holder.userId === MARIO.userId)!.pinFailures).toBe(0);
	});
});
