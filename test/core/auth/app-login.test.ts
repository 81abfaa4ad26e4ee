import {afterEach, describe, expect, it} from 'vitest';
import {accessEntries, demoPortal, MARIO, errorCode} from '../../helpers/portal.js';

const GIULIA = 'JCPD2841'; // the demo holder whose MyInfoCert app is active

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function setup() {
	const context = await demoPortal();
	cleanup = context.remove;
	return context;
}


describe('login with the MyInfoCert app', () => {
	it('logs in the terminal that showed the code once the phone approves it, once only', async () => {
		const {portal} = await setup();
		const offer = await portal.offerAppLogin();
		expect(offer.code).toMatch(/^\d{6}$/);
		expect(await portal.pollAppLogin(offer.id)).toEqual({state: 'pending'});
		await portal.answerAppLogin(GIULIA, offer.code, true);
		const result = await portal.pollAppLogin(offer.id);
		expect(result.state).toBe('approved');
		if (result.state === 'approved') expect(result.session.userId).toBe(GIULIA);
		expect((await portal.pollAppLogin(offer.id)).state).toBe('expired');
		const log = await accessEntries(portal, GIULIA);
		expect(log.at(-1)).toMatchObject({userId: GIULIA, outcome: 'app-approved'});
	});

	it('refuses a code older than 8 seconds', async () => {
		const {portal, clock} = await setup();
		const offer = await portal.offerAppLogin();
		clock.advance(8_001);
		expect(await errorCode(portal.answerAppLogin(GIULIA, offer.code, true))).toBe('appLogin.expired');
		expect(await portal.pollAppLogin(offer.id)).toEqual({state: 'expired'});
	});

	it('a denied request logs nobody in', async () => {
		const {portal} = await setup();
		const offer = await portal.offerAppLogin();
		await portal.answerAppLogin(GIULIA, offer.code, false);
		expect(await portal.pollAppLogin(offer.id)).toEqual({state: 'denied'});
	});

	it('needs an active app and a code that was shown', async () => {
		const {portal} = await setup();
		const offer = await portal.offerAppLogin();
		expect(await errorCode(portal.answerAppLogin(MARIO.userId, offer.code, true))).toBe('otp.appNotActive');
		const wrong = offer.code === '000000' ? '000001' : '000000';
		expect(await errorCode(portal.answerAppLogin(GIULIA, wrong, true))).toBe('appLogin.unknownCode');
	});
});
