import {describe, expect, it} from 'vitest';
import {DAY, MINUTE} from '../../../source/core/clock.js';
import {italianDay, italianWallTime} from '../../../source/core/italian-date.js';
import {Portal} from '../../../source/core/portal.js';
import {demoCopies} from '../../helpers/demo-template.js';
import {errorCode, lastSmsCode, logIn, ManualClock, MARIO} from '../../helpers/portal.js';
import {storeOf} from '../../helpers/internals.js';

const demoCopy = demoCopies();
const consents = (pin: string) => ({acceptConditions: true, confirmData: true, pin});
const errorOf = (promise: Promise<unknown>) => errorCode(promise, {withAttempts: true});
const LUCA = {userId: 'JCPD5590', password: 'Montagna_19', pin: '16180339'};

async function setup() {
	const context = await demoCopy();
	return {...context, session: await logIn(context.portal, MARIO.userId, MARIO.password)};
}

/** A second portal on the same folder: another process, as after the first one was killed. */
async function nextPortal(directory: string, clock: ManualClock) {
	const portal = await Portal.open({dataDirectory: directory, clock, terminal: 'test'});
	return {portal, session: await logIn(portal, MARIO.userId, MARIO.password)};
}

const mario = async (portal: Portal) => (await storeOf(portal).read()).holders.find(entry => entry.userId === MARIO.userId)!;
const certificates = async (portal: Portal) => (await storeOf(portal).read()).certificates.filter(entry => entry.userId === MARIO.userId);

describe('renewal: a malformed PIN', () => {
	it('is refused for its format and costs none of the 3 attempts', async () => {
		const {portal, session} = await setup();
		expect(await errorOf(portal.renewal.begin(session, consents('00000000')))).toBe('pin.wrong:2');
		for (const pin of ['123', '', '1234567a', '123456789']) expect(await errorOf(portal.renewal.begin(session, consents(pin)))).toBe('pin.format');
		expect((await mario(portal)).pinFailures).toBe(1);
		expect(await errorOf(portal.renewal.begin(session, consents('00000001')))).toBe('pin.wrong:1');
	});
});

describe('renewal: the progress is stored and resumed at its step', () => {
	it('a renewal left after step 2 resumes at step 3 in another portal, and completes there', async () => {
		const {portal, session, clock, directory} = await setup();
		expect(await portal.renewal.pending(session)).toBeUndefined();
		const {renewalId} = await portal.renewal.begin(session, consents(MARIO.pin));
		await portal.renewal.confirmConsents(session, renewalId, await lastSmsCode(portal, MARIO.userId));
		clock.advance(2 * MINUTE);

		const next = await nextPortal(directory, clock);
		const pending = await next.portal.renewal.pending(next.session);
		expect(pending).toMatchObject({renewalId, kind: 'renewal', step: 'choosePin', challenge: null, withCoupon: false, withRao: false});
		// Another holder sees nothing of it.
		const luca = await logIn(next.portal, LUCA.userId, LUCA.password);
		expect(await next.portal.renewal.pending(luca)).toBeUndefined();

		const challenge = await next.portal.renewal.choosePin(next.session, renewalId, '11223344', '11223344');
		expect(challenge?.channel).toBe('sms');
		expect((await next.portal.renewal.pending(next.session))).toMatchObject({step: 'confirmActivation', challenge: {id: challenge!.id}});
		const done = await next.portal.renewal.activate(next.session, renewalId, await lastSmsCode(next.portal, MARIO.userId));
		const renewed = (await certificates(next.portal)).find(entry => entry.status === 'active')!;
		expect(done.iut).toBe(renewed.iut);
		expect(await next.portal.renewal.pending(next.session)).toBeUndefined();
	});

	it('a renewal left at step 2 resumes there with the same OTP; a cancelled OTP (5 wrong codes) leaves nothing to resume', async () => {
		const {portal, session, clock, directory} = await setup();
		const {renewalId, challenge} = await portal.renewal.begin(session, consents(MARIO.pin));
		const next = await nextPortal(directory, clock);
		expect(await next.portal.renewal.pending(next.session)).toMatchObject({renewalId, step: 'confirmConsents', challenge: {id: challenge.id}});
		for (let attempt = 0; attempt < 5; attempt++) await errorOf(next.portal.renewal.confirmConsents(next.session, renewalId, '00000000'));
		expect(await next.portal.renewal.pending(next.session)).toBeUndefined();
		expect((await storeOf(next.portal).read()).renewals.filter(entry => entry.userId === MARIO.userId && entry.step !== 'done')).toEqual([]);
	});

	it('is bounded in time: resumable for renewalResumeMinutes after it began, then ended and refused', async () => {
		const {portal, session, clock, directory} = await setup();
		const {renewalId} = await portal.renewal.begin(session, consents(MARIO.pin));
		await portal.renewal.confirmConsents(session, renewalId, await lastSmsCode(portal, MARIO.userId));
		const minutes = (await storeOf(portal).read()).settings.renewalResumeMinutes;
		expect(minutes).toBe(30);
		clock.advance((minutes - 1) * MINUTE);
		let next = await nextPortal(directory, clock);
		expect((await next.portal.renewal.pending(next.session))?.step).toBe('choosePin');
		clock.advance(2 * MINUTE);
		next = await nextPortal(directory, clock);
		expect(await errorOf(next.portal.renewal.choosePin(next.session, renewalId, '11223344', '11223344'))).toBe('renewal.expired');
		expect(await next.portal.renewal.pending(next.session)).toBeUndefined();
		// Its secrets go with it.
		expect((await storeOf(next.portal).read()).renewals.find(entry => entry.id === renewalId)).toBeUndefined();
	});
});

describe('renewal: the window is checked at every step', () => {
	/** MARIO at 23:58 (Italian time) of the day before his certificate expires. */
	async function beforeMidnight() {
		const context = await demoCopy();
		const expiry = new Date((await certificates(context.portal))[0]!.expiresAt);
		const [year, month, day] = italianDay(new Date(expiry.getTime() - DAY)).split('-').map(Number) as [number, number, number];
		context.clock.set(italianWallTime({year, month, day}, 23, 58, 0));
		return {...context, session: await logIn(context.portal, MARIO.userId, MARIO.password)};
	}

	it('a renewal begun at 23:58 the day before expiry is refused after midnight at the new PIN, nothing issued, nothing to resume', async () => {
		const {portal, session, clock} = await beforeMidnight();
		expect((await portal.renewal.window(session)).open).toBe(true);
		const {renewalId} = await portal.renewal.begin(session, consents(MARIO.pin));
		await portal.renewal.confirmConsents(session, renewalId, await lastSmsCode(portal, MARIO.userId));
		clock.advance(3 * MINUTE);
		expect(await errorOf(portal.renewal.choosePin(session, renewalId, '11223344', '11223344'))).toBe('renewal.windowClosed');
		expect(await certificates(portal)).toHaveLength(1);
		expect(await portal.renewal.pending(session)).toBeUndefined();
	});

	it('… and at the activation OTP: the old certificate and PIN stay', async () => {
		const {portal, session, clock} = await beforeMidnight();
		const before = await mario(portal);
		const {renewalId} = await portal.renewal.begin(session, consents(MARIO.pin));
		await portal.renewal.confirmConsents(session, renewalId, await lastSmsCode(portal, MARIO.userId));
		await portal.renewal.choosePin(session, renewalId, '11223344', '11223344');
		clock.advance(3 * MINUTE);
		expect(await errorOf(portal.renewal.activate(session, renewalId, await lastSmsCode(portal, MARIO.userId)))).toBe('renewal.windowClosed');
		expect(await certificates(portal)).toMatchObject([{status: 'active'}]);
		expect((await mario(portal)).pinHash).toBe(before.pinHash);
	});
});

describe('renewal: the certificate is checked at every step too', () => {
	it('suspended mid-way (e.g. from another terminal): the next step is refused as not active and the renewal ends', async () => {
		const {portal, session} = await setup();
		const {renewalId} = await portal.renewal.begin(session, consents(MARIO.pin));
		await portal.renewal.confirmConsents(session, renewalId, await lastSmsCode(portal, MARIO.userId));
		const iut = (await certificates(portal))[0]!.iut;
		const end = new Date(portal.now().getTime() + 3 * DAY);
		const endDate = new Intl.DateTimeFormat('it-IT', {timeZone: 'Europe/Rome', day: '2-digit', month: '2-digit', year: 'numeric'}).format(end);
		await portal.certificate.suspend(session, {iut, erc: '40213769', ercAgain: '40213769', endDate, acceptRevocationEffect: false});
		expect(await errorOf(portal.renewal.choosePin(session, renewalId, '11223344', '11223344'))).toBe('renewal.notActive');
		expect(await portal.renewal.pending(session)).toBeUndefined();
	});
});
