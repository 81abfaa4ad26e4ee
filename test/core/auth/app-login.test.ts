import {afterEach, describe, expect, it} from 'vitest';
import {Store} from '../../../source/core/store/store.js';
import {totpCode} from '../../../source/core/otp/totp.js';
import {accessEntries, demoPortal, MARIO, errorCode, logIn} from '../../helpers/portal.js';
import {challengesOf} from '../../helpers/internals.js';

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
		const offer = await portal.sessions.offerAppLogin();
		expect(offer.code).toMatch(/^\d{6}$/);
		expect(await portal.sessions.pollAppLogin(offer.id)).toEqual({state: 'pending'});
		await portal.phone.answerAppLogin(GIULIA, offer.code, true);
		const result = await portal.sessions.pollAppLogin(offer.id);
		expect(result.state).toBe('approved');
		if (result.state === 'approved') expect(result.session.userId).toBe(GIULIA);
		expect((await portal.sessions.pollAppLogin(offer.id)).state).toBe('expired');
		const log = await accessEntries(portal, GIULIA);
		expect(log.at(-1)).toMatchObject({userId: GIULIA, outcome: 'app-approved'});
	});

	it('refuses a code older than 8 seconds', async () => {
		const {portal, clock} = await setup();
		const offer = await portal.sessions.offerAppLogin();
		clock.advance(8_001);
		expect(await errorCode(portal.phone.answerAppLogin(GIULIA, offer.code, true))).toBe('appLogin.expired');
		expect(await portal.sessions.pollAppLogin(offer.id)).toEqual({state: 'expired'});
	});

	it('a denied request logs nobody in', async () => {
		const {portal} = await setup();
		const offer = await portal.sessions.offerAppLogin();
		await portal.phone.answerAppLogin(GIULIA, offer.code, false);
		expect(await portal.sessions.pollAppLogin(offer.id)).toEqual({state: 'denied'});
	});

	it('needs an active app and a code that was shown', async () => {
		const {portal} = await setup();
		const offer = await portal.sessions.offerAppLogin();
		expect(await errorCode(portal.phone.answerAppLogin(MARIO.userId, offer.code, true))).toBe('otp.appNotActive');
		const wrong = offer.code === '000000' ? '000001' : '000000';
		expect(await errorCode(portal.phone.answerAppLogin(GIULIA, wrong, true))).toBe('appLogin.unknownCode');
	});
});

describe('the MyInfoCert app is a device: the OS user who activated it', () => {
	it("another OS user's phone cannot approve the holder's login or push requests; the activating user can", async () => {
		const {portal, directory} = await setup();
		const me = process.getuid!();
		const setDevice = (device: number | null) =>
			new Store(directory).update(db => {
				db.holders.find(holder => holder.userId === GIULIA)!.otp.app!.device = device;
			});
		// GIULIA's app activated by someone else on the server.
		await setDevice(me + 1);
		const offer = await portal.sessions.offerAppLogin();
		expect(await errorCode(portal.phone.answerAppLogin(GIULIA, offer.code, true))).toBe('phone.notYourDevice');
		expect(await portal.sessions.pollAppLogin(offer.id)).toEqual({state: 'pending'});
		const session = await logIn(portal, GIULIA, 'Tramonto!73');
		const push = await challengesOf(portal).start({userId: GIULIA, operation: 'test', data: {}, channel: 'push'});
		expect(await errorCode(portal.phone.answerPush(GIULIA, push.id, true))).toBe('phone.notYourDevice');
		expect((await portal.otp.challengeState(session, push.id)).state).toBe('pending');
		// Activated by this user: both work.
		await setDevice(me);
		await portal.phone.answerAppLogin(GIULIA, offer.code, true);
		expect((await portal.sessions.pollAppLogin(offer.id)).state).toBe('approved');
		await portal.phone.answerPush(GIULIA, push.id, true);
		expect((await portal.otp.challengeState(session, push.id)).state).toBe('approved');
	});

	it('an app activated in the portal records the OS user who did it', async () => {
		const {portal, directory, clock} = await setup();
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		const activation = await portal.otp.startAppActivation(session);
		const code = await totpCode(activation.secret, clock.now());
		await portal.otp.confirmAppActivation(session, activation.challenge.id, code);
		const app = (await new Store(directory).read()).holders.find(holder => holder.userId === MARIO.userId)!.otp.app!;
		expect(app).toMatchObject({status: 'active', device: process.getuid!()});
	});
});
