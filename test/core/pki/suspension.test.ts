import {spawnSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {DAY} from '../../../source/core/clock.js';
import {demoPortal, ManualClock, MARIO, errorCode, logIn} from '../../helpers/portal.js';
import {storeOf} from '../../helpers/internals.js';
import {romeDay} from '../../helpers/rome-day.js';

const ERC = '40213769';
const IUT = '20547815';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

// openssl checks CRL validity against its own clock, so the portal's clock starts at the real now.
async function setup() {
	const context = await demoPortal(new ManualClock(new Date()));
	cleanup = context.remove;
	const session = await logIn(context.portal, MARIO.userId, MARIO.password);
	const db = await storeOf(context.portal).read();
	const pem = db.certificates.find(entry => entry.userId === MARIO.userId)!.pem;
	const certificateFile = join(context.directory, 'mario.pem');
	writeFileSync(certificateFile, pem);
	return {...context, session, certificateFile};
}

function ddmmyyyy(date: Date): string {
	return romeDay(date);
}

function crlCheck(directory: string, certificateFile: string, at: Date) {
	const pki = join(directory, 'pki');
	return spawnSync('openssl', ['verify', '-crl_check', '-attime', String(Math.floor(at.getTime() / 1000)), '-CAfile', join(pki, 'ca.pem'), '-CRLfile', join(pki, 'crl.pem'), certificateFile], {encoding: 'utf8'});
}


const errorOf = (promise: Promise<unknown>) => errorCode(promise);

describe('online suspension', () => {
	it('keeps the hold on the CRL when the PIN is blocked during the suspension (3 wrong PINs in "Modifica PIN")', async () => {
		const {portal, session, clock, directory, certificateFile} = await setup();
		const end = new Date(clock.now().getTime() + 3 * DAY);
		await portal.certificate.suspend(session, {iut: IUT, erc: ERC, ercAgain: ERC, endDate: ddmmyyyy(end), acceptRevocationEffect: false});
		expect(crlCheck(directory, certificateFile, clock.now()).stdout + crlCheck(directory, certificateFile, clock.now()).stderr).toContain('certificate revoked');
		for (const currentPin of ['00000000', '00000001', '00000002']) await errorOf(portal.pin.startChange(session, {currentPin, newPin: '12345678', newPinAgain: '12345678'}));
		expect((await storeOf(portal).read()).certificates.find(entry => entry.userId === MARIO.userId)!.status).toBe('blocked');
		// A later CRL (another holder's revocation) still holds it until the suspension's end.
		await (await portal.admin.commands()).revoke('JCPD2841', 'unspecified');
		const check = crlCheck(directory, certificateFile, clock.now());
		expect(check.stdout + check.stderr).toContain('certificate revoked');
	});

	it('suspends at once (CRL: certificateHold) and the certificate is active again after the end date', async () => {
		const {portal, session, clock, directory, certificateFile} = await setup();
		expect(crlCheck(directory, certificateFile, clock.now()).stdout).toContain('OK');
		const end = new Date(clock.now().getTime() + 3 * DAY);
		const {until} = await portal.certificate.suspend(session, {iut: IUT, erc: ERC, ercAgain: ERC, endDate: ddmmyyyy(end), acceptRevocationEffect: false});
		expect(ddmmyyyy(until)).toBe(ddmmyyyy(end));
		expect((await portal.certificate.dashboard(session)).certificate?.state).toBe('suspended');
		const held = crlCheck(directory, certificateFile, clock.now());
		expect(held.status).not.toBe(0);
		expect(held.stdout + held.stderr).toContain('certificate revoked');
		const crlText = spawnSync('openssl', ['crl', '-in', join(directory, 'pki', 'crl.pem'), '-noout', '-text'], {encoding: 'utf8'}).stdout;
		expect(crlText).toContain('Certificate Hold');

		clock.set(new Date(until.getTime() + 1000));
		// Days later the old session has timed out: the holder logs in again.
		expect(await errorCode(portal.certificate.dashboard(session))).toBe('auth.sessionExpired');
		expect((await portal.certificate.dashboard(await logIn(portal, MARIO.userId, MARIO.password))).certificate?.state).toBe('active');
		await portal.folder.refreshCertificates();
		expect(crlCheck(directory, certificateFile, clock.now()).stdout).toContain('OK');
		expect((await storeOf(portal).read()).certificates.find(entry => entry.userId === MARIO.userId)?.status).toBe('active');
	});

	it('checks the dates: after today, not after expiry, and equal to expiry only when the revocation effect is accepted', async () => {
		const {portal, session, clock} = await setup();
		const request = (endDate: string, acceptRevocationEffect = false) => portal.certificate.suspend(session, {iut: IUT, erc: ERC, ercAgain: ERC, endDate, acceptRevocationEffect});
		const expiry = new Date((await storeOf(portal).read()).certificates.find(entry => entry.userId === MARIO.userId)!.expiresAt);
		expect(await errorOf(request('31/02/2027'))).toBe('suspend.badDate');
		expect(await errorOf(request('domani'))).toBe('suspend.badDate');
		expect(await errorOf(request(ddmmyyyy(clock.now())))).toBe('suspend.dateNotAfterToday');
		expect(await errorOf(request(ddmmyyyy(new Date(expiry.getTime() + DAY))))).toBe('suspend.dateAfterExpiry');
		expect(await errorOf(request(ddmmyyyy(expiry)))).toBe('suspend.confirmRevocationEffect');
		await request(ddmmyyyy(expiry), true);
		expect(await errorOf(request(ddmmyyyy(expiry), true))).toBe('suspend.notActive');
	});

	it('counts wrong IUT or ERC and locks after 5; the right codes are then refused too', async () => {
		const {portal, session, clock} = await setup();
		const endDate = ddmmyyyy(new Date(clock.now().getTime() + 5 * DAY));
		expect(await errorOf(portal.certificate.suspend(session, {iut: IUT, erc: ERC, ercAgain: '40213760', endDate, acceptRevocationEffect: false}))).toBe('suspend.ercMismatch');
		const codes = [];
		for (let attempt = 0; attempt < 5; attempt++) {
			codes.push(await errorOf(portal.certificate.suspend(session, {iut: attempt % 2 ? '11111111' : IUT, erc: attempt % 2 ? ERC : '00000000', ercAgain: attempt % 2 ? ERC : '00000000', endDate, acceptRevocationEffect: false})));
		}
		expect(codes).toEqual(['suspend.wrongCodes', 'suspend.wrongCodes', 'suspend.wrongCodes', 'suspend.wrongCodes', 'suspend.locked']);
		expect(await errorOf(portal.certificate.suspend(session, {iut: IUT, erc: ERC, ercAgain: ERC, endDate, acceptRevocationEffect: false}))).toBe('suspend.locked');
		expect((await portal.certificate.dashboard(session)).certificate?.state).toBe('active');
		clock.advance(16 * 60_000);
		// 16 idle minutes end the session too: the certificate operation needs a new login.
		expect(await errorOf(portal.certificate.suspend(session, {iut: IUT, erc: ERC, ercAgain: ERC, endDate, acceptRevocationEffect: false}))).toBe('auth.sessionExpired');
		const again = await logIn(portal, MARIO.userId, MARIO.password);
		await portal.certificate.suspend(again, {iut: IUT, erc: ERC, ercAgain: ERC, endDate, acceptRevocationEffect: false});
		const db = JSON.stringify(await storeOf(portal).read());
		expect(db).not.toContain(ERC);
	});
});
