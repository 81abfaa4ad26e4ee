import {execFileSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {MINUTE} from '../../../source/core/clock.js';
import {totpCode} from '../../../source/core/otp/totp.js';
import {demoPortal, GIULIA, logIn, MARIO, refusal} from '../../helpers/portal.js';
import {storeOf, challengesOf} from '../../helpers/internals.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function setup() {
	const context = await demoPortal();
	cleanup = context.remove;
	return {...context, session: await logIn(context.portal, MARIO.userId, MARIO.password)};
}

const RENEWAL = {acceptConditions: true, confirmData: true, pin: MARIO.pin};
const PIN_CHANGE = {currentPin: MARIO.pin, newPin: '99887766', newPinAgain: '99887766'};

describe('one limit on OTP messages per holder (5 in 15 minutes), whatever sends them', () => {
	it('2 renewal restarts + 2 PIN changes + 1 "Invia nuovo OTP": the sixth message is refused with the time of the next, and nothing is stored', async () => {
		const {portal, session, clock, directory} = await setup();
		await portal.renewal.begin(session, RENEWAL);
		clock.advance(MINUTE);
		// Cancelling and starting again sends a new SMS each time: each counts.
		await portal.renewal.begin(session, RENEWAL);
		clock.advance(MINUTE);
		await portal.pin.startChange(session, PIN_CHANGE);
		clock.advance(MINUTE);
		const change = await portal.pin.startChange(session, PIN_CHANGE);
		clock.advance(MINUTE);
		await portal.otp.resend(session, change.challenge.id);
		clock.advance(MINUTE);
		expect(await portal.phone.messages(MARIO.userId)).toHaveLength(5);

		const before = await storeOf(portal).read();
		// The first SMS went at 10:00 Italian time (09:00 UTC): the next is allowed from 10:15.
		const expected = {code: 'otp.messageLimit', params: {max: 5, minutes: 15, time: '10:15', date: '24/11/2026'}};
		expect(await refusal(portal.renewal.begin(session, RENEWAL))).toEqual(expected);
		// A wrong PIN is not even looked at (and not counted): the limit comes first.
		expect(await refusal(portal.renewal.begin(session, {...RENEWAL, pin: '00000000'}))).toEqual(expected);
		expect(await refusal(portal.pin.startChange(session, {...PIN_CHANGE, currentPin: '00000000'}))).toEqual(expected);
		expect(await refusal(portal.otp.resend(session, change.challenge.id))).toEqual(expected);
		expect(await refusal(portal.otp.startPhoneChange(session, '347 000 1111'))).toEqual(expected);
		expect(await refusal(portal.account.startRecoveryPhoneChange(session, '347 000 2222'))).toEqual(expected);
		expect(await refusal(portal.account.startEmailChange(session, 'mario.nuovo@example.it'))).toEqual(expected);
		expect(await refusal(portal.recovery.start(MARIO.userId))).toEqual(expected);
		const file = join(directory, 'contratto.txt');
		writeFileSync(file, 'Contratto\n');
		expect(await refusal(portal.signing.requestOtp(session, await portal.signing.inspect([file]), MARIO.pin))).toEqual(expected);

		const after = await storeOf(portal).read();
		expect(after.challenges).toEqual(before.challenges);
		expect(after.renewals).toEqual(before.renewals);
		expect(after.pinChanges).toEqual(before.pinChanges);
		expect(after.recoveries).toEqual(before.recoveries);
		expect(after.holders.find(holder => holder.userId === MARIO.userId)!.pinFailures).toBe(0);
		expect(await portal.mailbox.list()).toHaveLength(5);

		// Another holder's messages are not limited by MARIO's.
		const giulia = await logIn(portal, GIULIA.userId, GIULIA.password);
		expect((await portal.otp.startPhoneChange(giulia, '348 000 3333')).challenge.channel).toBe('sms');

		// At 10:15 the first message leaves the window: one more, then the next from 10:16.
		clock.set(new Date('2026-11-24T09:15:00Z'));
		const again = await logIn(portal, MARIO.userId, MARIO.password);
		const renewal = await portal.renewal.begin(again, RENEWAL);
		expect(renewal.challenge.channel).toBe('sms');
		expect(await refusal(portal.pin.startChange(again, PIN_CHANGE))).toEqual({code: 'otp.messageLimit', params: {max: 5, minutes: 15, time: '10:16', date: '24/11/2026'}});
	});

	it('the numbers are in the settings object', async () => {
		const {portal, session} = await setup();
		expect(await portal.folder.settings()).toMatchObject({otpMessagesMax: 5, otpMessagesWindowMinutes: 15});
		await storeOf(portal).update(db => {
			db.settings.otpMessagesMax = 2;
			db.settings.otpMessagesWindowMinutes = 60;
		});
		await portal.pin.startChange(session, PIN_CHANGE);
		await portal.pin.startChange(session, PIN_CHANGE);
		expect(await refusal(portal.pin.startChange(session, PIN_CHANGE))).toEqual({code: 'otp.messageLimit', params: {max: 2, minutes: 60, time: '11:00', date: '24/11/2026'}});
	});

	it('app and token codes are not messages: they are not limited', async () => {
		const {portal, clock} = await setup();
		const giulia = await logIn(portal, GIULIA.userId, GIULIA.password);
		for (let index = 0; index < 7; index++) {
			clock.advance(1000);
			expect((await challengesOf(portal).start({userId: GIULIA.userId, operation: 'op', data: {index}, channel: 'app'})).channel).toBe('app');
		}
		expect(await portal.phone.messages(giulia.userId)).toHaveLength(0);
	});
});

describe('a TOTP code already used in its 30 s window', () => {
	const APP_SECRET = 'NTGEWVND7IZWBFTI4JCV3VCRUO7RRQHO';
	const oathtool = (at: Date) => execFileSync('oathtool', ['--totp', '-b', '-d', '8', '--now', at.toISOString().replace('T', ' ').replace(/\.\d+Z/, ' UTC'), APP_SECRET], {encoding: 'utf8'}).trim();

	it('is answered "Codice già usato" and costs no attempt; the next code works', async () => {
		const {portal, clock} = await setup();
		const start = (index: number) => challengesOf(portal).start({userId: GIULIA.userId, operation: 'op', data: {index}, channel: 'app'});
		const confirm = (challengeId: string, index: number, code: string) => challengesOf(portal).confirm({challengeId, userId: GIULIA.userId, operation: 'op', data: {index}, code});
		const code = oathtool(clock.now());
		expect(await totpCode(APP_SECRET, clock.now())).toBe(code);
		await confirm((await start(1)).id, 1, code);

		const second = await start(2);
		for (let attempt = 0; attempt < 6; attempt++) expect(await refusal(confirm(second.id, 2, code))).toEqual({code: 'otp.reused', params: {}});
		// Not a wrong guess: six tries of the used code left the five attempts intact.
		expect((await challengesOf(portal).get(second.id, GIULIA.userId)).attemptsLeft).toBe(5);
		expect((await storeOf(portal).read()).challenges.find(challenge => challenge.id === second.id)!.failures).toBe(0);
		// A wrong code still counts.
		expect(await refusal(confirm(second.id, 2, code === '12345678' ? '87654321' : '12345678'))).toMatchObject({code: 'otp.wrong', params: {attemptsLeft: 4}});

		clock.advance(30_000);
		await confirm(second.id, 2, oathtool(clock.now()));
	});
});
