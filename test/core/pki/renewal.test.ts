import {spawnSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {DAY} from '../../../source/core/clock.js';
import type {Portal, Session} from '../../../source/core/portal.js';
import {demoPortal, ManualClock, MARIO, errorCode, lastSmsCode, logIn, refusal} from '../../helpers/portal.js';
import {storeOf} from '../../helpers/internals.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function setup(clock = new ManualClock(new Date())) {
	const context = await demoPortal(clock);
	cleanup = context.remove;
	return {...context, session: await logIn(context.portal, MARIO.userId, MARIO.password)};
}



const lastCode = (portal: Portal) => lastSmsCode(portal, MARIO.userId);
const errorOf = (promise: Promise<unknown>) => errorCode(promise, {withAttempts: true});

const consents = (pin: string) => ({acceptConditions: true, confirmData: true, pin});

async function renew(portal: Portal, session: Session, newPin: string) {
	const {renewalId} = await portal.renewal.begin(session, consents(MARIO.pin));
	await portal.renewal.confirmConsents(session, renewalId, await lastCode(portal));
	await portal.renewal.choosePin(session, renewalId, newPin, newPin);
	return portal.renewal.activate(session, renewalId, await lastCode(portal));
}

describe('renewal', () => {
	it('issues a new certificate valid 3 years from today, with a new serial and IUT; the old one goes on the CRL as superseded', async () => {
		const {portal, session, clock, directory} = await setup();
		const before = (await storeOf(portal).read()).certificates.find(entry => entry.userId === MARIO.userId)!;
		const {expiresAt} = await renew(portal, session, '11223344');
		const expected = new Date(clock.now());
		expected.setUTCFullYear(expected.getUTCFullYear() + 3);
		expect(expiresAt.toISOString()).toBe(expected.toISOString());
		const db = await storeOf(portal).read();
		const mine = db.certificates.filter(entry => entry.userId === MARIO.userId);
		expect(mine).toHaveLength(2);
		const renewed = mine.find(entry => entry.id !== before.id)!;
		expect(renewed.certificateSerial).not.toBe(before.certificateSerial);
		expect(renewed.iut).not.toBe(before.iut);
		expect(mine.find(entry => entry.id === before.id)).toMatchObject({status: 'revoked', revocationReason: 'superseded'});
		expect((await portal.certificate.dashboard(session)).certificate?.expiresAt.toISOString()).toBe(expected.toISOString());

		const pki = join(directory, 'pki');
		writeFileSync(join(directory, 'old.pem'), before.pem);
		writeFileSync(join(directory, 'new.pem'), renewed.pem);
		const verify = (file: string) => spawnSync('openssl', ['verify', '-crl_check', '-CAfile', join(pki, 'ca.pem'), '-CRLfile', join(pki, 'crl.pem'), join(directory, file)], {encoding: 'utf8'});
		expect(verify('new.pem').stdout).toContain('OK');
		expect(verify('old.pem').stdout + verify('old.pem').stderr).toContain('certificate revoked');
		const crl = spawnSync('openssl', ['crl', '-in', join(pki, 'crl.pem'), '-noout', '-text'], {encoding: 'utf8'}).stdout;
		expect(crl).toContain('Superseded');
		// The credentials are unchanged; the PIN is the new one.
		expect((await portal.sessions.login(MARIO.userId, MARIO.password)).kind).toBe('success');
		expect(await errorOf(portal.renewal.begin(session, consents(MARIO.pin)))).toBe('renewal.notYet');
	});

	it('is open from 90 days before expiry to the day before, and not on the expiry day or 91 days before', async () => {
		const clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
		const {portal, session} = await setup(clock);
		const expiry = new Date((await storeOf(portal).read()).certificates.find(entry => entry.userId === MARIO.userId)!.expiresAt);
		// Each day asked about in a session of that day (a session lasts minutes, not days).
		const at = async (days: number) => {
			clock.set(new Date(expiry.getTime() - days * DAY));
			return portal.renewal.window(await logIn(portal, MARIO.userId, MARIO.password));
		};
		expect((await at(91)).open).toBe(false);
		expect((await at(90)).open).toBe(true);
		expect((await at(1)).open).toBe(true);
		expect(await at(0)).toEqual({open: false, reason: 'tooLate'});
		clock.set(new Date(expiry.getTime() + DAY));
		// Days later the session has timed out: a certificate operation needs a live one.
		expect(await errorOf(portal.renewal.begin(session, consents(MARIO.pin)))).toBe('auth.sessionExpired');
		expect(await errorOf(portal.renewal.begin(await logIn(portal, MARIO.userId, MARIO.password), consents(MARIO.pin)))).toBe('renewal.tooLate');
	});

	it('needs both consents and the PIN; 3 wrong PINs block the certificate for good', async () => {
		const {portal, session} = await setup();
		expect(await errorOf(portal.renewal.begin(session, {acceptConditions: true, confirmData: false, pin: MARIO.pin}))).toBe('renewal.consentsRequired');
		expect(await errorOf(portal.renewal.begin(session, consents('00000000')))).toBe('pin.wrong:2');
		expect(await errorOf(portal.renewal.begin(session, consents('00000001')))).toBe('pin.wrong:1');
		expect(await errorOf(portal.renewal.begin(session, consents('00000002')))).toBe('pin.blocked');
		expect(await errorOf(portal.renewal.begin(session, consents(MARIO.pin)))).toBe('renewal.notActive');
		expect((await portal.certificate.dashboard(session)).certificate?.state).toBe('blocked');
	});

	it('a right PIN resets the count; a wrong OTP or a PIN mismatch retries that step only', async () => {
		const {portal, session} = await setup();
		expect(await errorOf(portal.renewal.begin(session, consents('00000000')))).toBe('pin.wrong:2');
		const {renewalId} = await portal.renewal.begin(session, consents(MARIO.pin));
		expect((await storeOf(portal).read()).holders.find(entry => entry.userId === MARIO.userId)?.pinFailures).toBe(0);
		expect(await errorOf(portal.renewal.confirmConsents(session, renewalId, '00000000'))).toBe('otp.wrong:4');
		await portal.renewal.confirmConsents(session, renewalId, await lastCode(portal));
		expect(await errorOf(portal.renewal.choosePin(session, renewalId, '1234', '1234'))).toBe('pin.format');
		expect(await errorOf(portal.renewal.choosePin(session, renewalId, '12345678', '12345679'))).toBe('pin.mismatch');
		// The new PIN may equal the old one.
		await portal.renewal.choosePin(session, renewalId, MARIO.pin, MARIO.pin);
		expect(await errorOf(portal.renewal.activate(session, renewalId, '00000000'))).toBe('otp.wrong:4');
		await portal.renewal.activate(session, renewalId, await lastCode(portal));
		expect(await errorOf(portal.renewal.activate(session, renewalId, await lastCode(portal)))).toBe('renewal.wrongStep');
	});
});

describe('renewal with a coupon', () => {
	it('accepts a coupon once; an unknown or used coupon is refused and changes nothing', async () => {
		const {portal, session} = await setup();
		const [code] = await portal.renewal.createCoupons(1);
		expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
		expect(JSON.stringify(await storeOf(portal).read())).not.toContain(code!.replaceAll('-', ''));
		const before = JSON.stringify(await storeOf(portal).read());
		expect(await errorOf(portal.renewal.begin(session, {...consents(MARIO.pin), coupon: 'AAAA-BBBB-CCCC'}))).toBe('coupon.unknown');
		expect(await errorOf(portal.renewal.checkCoupon(session, ''))).toBe('coupon.missing');
		expect(JSON.stringify(await storeOf(portal).read())).toBe(before);

		await portal.renewal.checkCoupon(session, code!.toLowerCase());
		const {renewalId} = await portal.renewal.begin(session, {...consents(MARIO.pin), coupon: code!});
		await portal.renewal.confirmConsents(session, renewalId, await lastCode(portal));
		await portal.renewal.choosePin(session, renewalId, '11223344', '11223344');
		await portal.renewal.activate(session, renewalId, await lastCode(portal));
		const coupon = (await storeOf(portal).read()).coupons[0]!;
		expect(coupon.usedBy).toBe(MARIO.userId);
		expect(await errorOf(portal.renewal.checkCoupon(session, code!))).toBe('coupon.used');
	});
});

describe('renewal with RAO credentials', () => {
	it('needs the operator’s password and the OTP sent to the operator’s phone; the authorisation serves one renewal', async () => {
		const {portal, session} = await setup();
		expect(await errorOf(portal.renewal.raoAuthorize(session, {operatorId: 'RAO0001', password: 'sbagliata'}))).toBe('rao.invalid:4');
		expect(await errorOf(portal.renewal.raoAuthorize(session, {operatorId: 'RAO9999', password: 'Operatore#26'}))).toBe('rao.invalid:4');
		const challenge = await portal.renewal.raoAuthorize(session, {operatorId: 'rao0001', password: 'Operatore#26'});
		expect(challenge.destination).toBe('+39335*****33');
		const sms = (await portal.phone.messages('RAO0001')).at(-1)!;
		expect(await portal.phone.messages(MARIO.userId)).toEqual([]);
		const code = /codice OTP (\d{8})/.exec(sms.text)![1]!;
		expect(await errorOf(portal.renewal.begin(session, {...consents(MARIO.pin), raoApprovalId: 'nessuna'}))).toBe('rao.notAuthorised');
		const approval = await portal.renewal.raoConfirm(session, {operatorId: 'RAO0001', challengeId: challenge.id, code});
		const {renewalId} = await portal.renewal.begin(session, {...consents(MARIO.pin), raoApprovalId: approval});
		expect(renewalId).toBeTruthy();
		expect(await errorOf(portal.renewal.begin(session, {...consents(MARIO.pin), raoApprovalId: approval}))).toBe('rao.notAuthorised');
	});

	it('locks an operator ID after 5 wrong passwords; the right one is then refused too', async () => {
		const {portal, session} = await setup();
		const answers = [];
		for (let attempt = 0; attempt < 5; attempt++) answers.push(await errorOf(portal.renewal.raoAuthorize(session, {operatorId: 'RAO0001', password: 'sbagliata'})));
		expect(answers).toEqual(['rao.invalid:4', 'rao.invalid:3', 'rao.invalid:2', 'rao.invalid:1', 'rao.locked']);
		expect(await errorOf(portal.renewal.raoAuthorize(session, {operatorId: 'RAO0001', password: 'Operatore#26'}))).toBe('rao.locked');
	});

	it('shows the attempts left and when the lock ends, like a holder’s login, for a known and an unknown operator ID alike', async () => {
		const clock = new ManualClock(new Date());
		const {portal, session} = await setup(clock);
		const ends = new Date(clock.now().getTime() + 15 * 60_000);
		const time = new Intl.DateTimeFormat('it-IT', {timeZone: 'Europe/Rome', hour: '2-digit', minute: '2-digit'}).format(ends);
		const date = new Intl.DateTimeFormat('it-IT', {timeZone: 'Europe/Rome', day: '2-digit', month: '2-digit', year: 'numeric'}).format(ends);
		for (const operatorId of ['RAO0001', 'RAO9999']) {
			const answers = [];
			for (let attempt = 0; attempt < 5; attempt++) answers.push(await refusal(portal.renewal.raoAuthorize(session, {operatorId, password: 'sbagliata'})));
			expect(answers.map(answer => [answer.code, answer.params]), operatorId).toEqual([
				['rao.invalid', {attemptsLeft: 4}],
				['rao.invalid', {attemptsLeft: 3}],
				['rao.invalid', {attemptsLeft: 2}],
				['rao.invalid', {attemptsLeft: 1}],
				['rao.locked', {time, date}],
			]);
			expect(await refusal(portal.renewal.raoAuthorize(session, {operatorId, password: 'Operatore#26'}))).toEqual({code: 'rao.locked', params: {time, date}});
		}
		// The typed operator ID is not kept in clear.
		expect(Object.keys((await storeOf(portal).read()).loginThrottle).some(key => key.includes('RAO9999'))).toBe(false);
	});

	it('`admin unlock RAO0001` lifts an operator’s lock-out', async () => {
		const {portal, session} = await setup();
		for (let attempt = 0; attempt < 5; attempt++) await errorOf(portal.renewal.raoAuthorize(session, {operatorId: 'RAO0001', password: 'sbagliata'}));
		expect(await errorOf(portal.renewal.raoAuthorize(session, {operatorId: 'RAO0001', password: 'Operatore#26'}))).toBe('rao.locked');
		const admin = await portal.admin.commands();
		expect(await admin.unlock('rao0001')).toEqual({userId: 'RAO0001', cleared: ['rao:RAO0001']});
		expect(await admin.unlock('RAO0001')).toEqual({userId: 'RAO0001', cleared: []});
		expect((await portal.renewal.raoAuthorize(session, {operatorId: 'RAO0001', password: 'Operatore#26'})).destination).toBe('+39335*****33');
		expect(await errorOf(admin.unlock('RAO9999'))).toBe('admin.unknownUser');
	});
});
