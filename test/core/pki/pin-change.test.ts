import {spawnSync} from 'node:child_process';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {openPrivateKey} from '../../../source/core/pki/holder-key.js';
import type {Portal} from '../../../source/core/portal.js';
import {demoPortal, MARIO, errorCode, lastSmsCode, logIn} from '../../helpers/portal.js';
import {loadOrCreateKey} from '../../../source/core/keys.js';
import {storeOf} from '../../helpers/internals.js';

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
		const {changeId} = await portal.pin.startChange(session, {currentPin: MARIO.pin, newPin: '99887766', newPinAgain: '99887766'});
		const pepper = await loadOrCreateKey(directory, 'pepper');
		const sealed = () => storeOf(portal).read().then(db => db.certificates.find(entry => entry.userId === MARIO.userId)!.privateKey);
		// Nothing changes before the OTP.
		expect(await openPrivateKey(await sealed(), MARIO.pin, pepper)).toBeDefined();
		await portal.pin.confirmChange(session, changeId, await lastCode(portal));
		expect(await openPrivateKey(await sealed(), '99887766', pepper)).toBeDefined();
		expect(await openPrivateKey(await sealed(), MARIO.pin, pepper)).toBeUndefined();
		expect(await errorOf(portal.pin.startChange(session, {currentPin: MARIO.pin, newPin: '12345678', newPinAgain: '12345678'}))).toBe('pin.wrong:2');
		const db = JSON.stringify(await storeOf(portal).read());
		expect(db).not.toContain('99887766');
	});

	it('checks the new PIN and counts a wrong current PIN; 3 in a row block the certificate', async () => {
		const {portal, session} = await setup();
		expect(await errorOf(portal.pin.startChange(session, {currentPin: MARIO.pin, newPin: '1234', newPinAgain: '1234'}))).toBe('pin.format');
		expect(await errorOf(portal.pin.startChange(session, {currentPin: MARIO.pin, newPin: '12345678', newPinAgain: '87654321'}))).toBe('pin.mismatch');
		expect(await portal.pin.attemptsLeft(session)).toBe(3);
		expect(await errorOf(portal.pin.startChange(session, {currentPin: '00000000', newPin: '12345678', newPinAgain: '12345678'}))).toBe('pin.wrong:2');
		expect(await portal.pin.attemptsLeft(session)).toBe(2);
		expect(await errorOf(portal.pin.startChange(session, {currentPin: '00000001', newPin: '12345678', newPinAgain: '12345678'}))).toBe('pin.wrong:1');
		expect(await errorOf(portal.pin.startChange(session, {currentPin: '00000002', newPin: '12345678', newPinAgain: '12345678'}))).toBe('pin.blocked');
		expect(await errorOf(portal.pin.startChange(session, {currentPin: MARIO.pin, newPin: '12345678', newPinAgain: '12345678'}))).toBe('pin.blocked');
		expect((await portal.certificate.dashboard(session)).certificate?.state).toBe('blocked');
	});

	it('on a revoked certificate counts nothing and never turns the revocation into a PIN block (it stays on the CRL)', async () => {
		const {portal, session, directory} = await setup();
		const admin = await portal.admin.commands();
		const {certificateSerial} = await admin.revoke(MARIO.userId, 'keyCompromise');
		for (const currentPin of ['00000000', '00000001', '00000002', '00000003']) {
			expect(await errorOf(portal.pin.startChange(session, {currentPin, newPin: '12345678', newPinAgain: '12345678'}))).toBe('pin.revoked');
		}
		const certificate = (await storeOf(portal).read()).certificates.find(entry => entry.certificateSerial === certificateSerial)!;
		expect([certificate.status, certificate.revocationReason]).toEqual(['revoked', 'keyCompromise']);
		expect((await portal.certificate.dashboard(session)).certificate?.state).toBe('revoked');
		// A later CRL (another holder's revocation) still lists it.
		await admin.revoke('JCPD2841', 'unspecified');
		const crl = spawnSync('openssl', ['crl', '-in', join(directory, 'pki', 'crl.pem'), '-noout', '-text'], {encoding: 'utf8'}).stdout;
		expect(crl).toContain(`Serial Number: ${certificateSerial.toUpperCase()}`);
		// Nothing told the holder their PIN was blocked.
		expect((await portal.mailbox.list({userId: MARIO.userId})).some(message => message.subject?.includes('PIN di firma bloccato'))).toBe(false);
	});
});
