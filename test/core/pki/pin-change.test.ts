import {afterEach, describe, expect, it} from 'vitest';
import {openPrivateKey} from '../../../source/core/pki/holder-key.js';
import type {Portal} from '../../../source/core/portal.js';
import {demoPortal, MARIO, errorCode, lastSmsCode, logIn} from '../../helpers/portal.js';
import {loadOrCreateKey} from '../../../source/core/keys.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function setup() {
	const context = await demoPortal();
	cleanup = context.remove;
	return {...context, session: await logIn(context.portal, MARIO.userId, MARIO.password)};
}



const lastCode = (portal: Portal) => lastSmsCode(portal, MARIO.userId);
const errorOf = (promise: Promise<unknown>) => errorCode(promise, {withAttempts: true});

describe('"Modifica PIN"', () => {
	it('re-seals the signing key under the new PIN once the OTP confirms it', async () => {
		const {portal, session, directory} = await setup();
		const {changeId} = await portal.startPinChange(session, {currentPin: MARIO.pin, newPin: '99887766', newPinAgain: '99887766'});
		const pepper = await loadOrCreateKey(directory, 'pepper');
		const sealed = () => portal.store.read().then(db => db.certificates.find(entry => entry.userId === MARIO.userId)!.privateKey);
		// Nothing changes before the OTP.
		expect(await openPrivateKey(await sealed(), MARIO.pin, pepper)).toBeDefined();
		await portal.confirmPinChange(session, changeId, await lastCode(portal));
		expect(await openPrivateKey(await sealed(), '99887766', pepper)).toBeDefined();
		expect(await openPrivateKey(await sealed(), MARIO.pin, pepper)).toBeUndefined();
		expect(await errorOf(portal.startPinChange(session, {currentPin: MARIO.pin, newPin: '12345678', newPinAgain: '12345678'}))).toBe('pin.wrong:2');
		const db = JSON.stringify(await portal.store.read());
		expect(db).not.toContain('99887766');
	});

	it('checks the new PIN and counts a wrong current PIN; 3 in a row block the certificate', async () => {
		const {portal, session} = await setup();
		expect(await errorOf(portal.startPinChange(session, {currentPin: MARIO.pin, newPin: '1234', newPinAgain: '1234'}))).toBe('pin.format');
		expect(await errorOf(portal.startPinChange(session, {currentPin: MARIO.pin, newPin: '12345678', newPinAgain: '87654321'}))).toBe('pin.mismatch');
		expect(await portal.pinAttemptsLeft(session)).toBe(3);
		expect(await errorOf(portal.startPinChange(session, {currentPin: '00000000', newPin: '12345678', newPinAgain: '12345678'}))).toBe('pin.wrong:2');
		expect(await portal.pinAttemptsLeft(session)).toBe(2);
		expect(await errorOf(portal.startPinChange(session, {currentPin: '00000001', newPin: '12345678', newPinAgain: '12345678'}))).toBe('pin.wrong:1');
		expect(await errorOf(portal.startPinChange(session, {currentPin: '00000002', newPin: '12345678', newPinAgain: '12345678'}))).toBe('pin.blocked');
		expect(await errorOf(portal.startPinChange(session, {currentPin: MARIO.pin, newPin: '12345678', newPinAgain: '12345678'}))).toBe('pin.blocked');
		expect((await portal.dashboard(session)).certificate?.state).toBe('blocked');
	});
});
