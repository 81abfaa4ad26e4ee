import {readFileSync} from 'node:fs';
import {afterEach, describe, expect, it} from 'vitest';
import {MINUTE} from '../../../source/core/clock.js';
import type {Portal, Session} from '../../../source/core/portal.js';
import {demoPortal, errorCode, lastSmsCode, logIn, MARIO, refusal} from '../../helpers/portal.js';
import {holderDocument, recordFiles} from '../../helpers/data-folder.js';
import {storeOf, challengesOf} from '../../helpers/internals.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function setup() {
	const context = await demoPortal();
	cleanup = context.remove;
	return {...context, session: await logIn(context.portal, MARIO.userId, MARIO.password)};
}



const lastCode = (portal: Portal, userId = MARIO.userId) => lastSmsCode(portal, userId);
const codeOf = (promise: Promise<unknown>) => errorCode(promise);

function startFor(portal: Portal, session: Session, operation = 'test.operation', data: unknown = {value: 1}) {
	return challengesOf(portal).start({userId: session.userId, operation, data, channel: 'sms'});
}

function confirm(portal: Portal, session: Session, challengeId: string, code: string, operation = 'test.operation', data: unknown = {value: 1}) {
	return challengesOf(portal).confirm({challengeId, userId: session.userId, operation, data, code});
}

describe('SMS challenges', () => {
	it('sends the portal wording to the holder and masks the number', async () => {
		const {portal, session} = await setup();
		const challenge = await startFor(portal, session);
		expect(challenge.destination).toBe('+39347*****67');
		const [message] = await portal.phone.messages(MARIO.userId);
		expect(message!.to).toBe('+393471234567');
		expect(message!.text).toMatch(/^Servizio di Firma InfoCert: utilizzare il seguente codice OTP \d{8} generato alle ore 10:00:00$/);
	});

	it('accepts a code once; a second use is refused', async () => {
		const {portal, session} = await setup();
		const challenge = await startFor(portal, session);
		const code = await lastCode(portal);
		await confirm(portal, session, challenge.id, code);
		expect(await codeOf(confirm(portal, session, challenge.id, code))).toBe('otp.used');
	});

	it('refuses a code for another operation or other data', async () => {
		const {portal, session} = await setup();
		const challenge = await startFor(portal, session, 'otp.changePhone', {newPhone: '+393330000000'});
		const code = await lastCode(portal);
		expect(await codeOf(confirm(portal, session, challenge.id, code, 'pin.change', {newPhone: '+393330000000'}))).toBe('otp.wrongOperation');
		expect(await codeOf(confirm(portal, session, challenge.id, code, 'otp.changePhone', {newPhone: '+393339999999'}))).toBe('otp.wrongOperation');
		// A code sent for another operation is simply a wrong code here.
		const other = await startFor(portal, session, 'other.operation', {});
		expect(await codeOf(confirm(portal, session, other.id, code, 'other.operation', {}))).toBe('otp.wrong');
	});

	it('a malformed code (empty, short, long, letters) says how many digits a code has and costs no attempt', async () => {
		const {portal, session} = await setup();
		const challenge = await startFor(portal, session);
		const code = await lastCode(portal);
		for (const malformed of ['', '   ', '123', '1234567', '123456789', 'abcdefgh', `${code.slice(0, 7)}x`]) {
			const refused = await refusal(confirm(portal, session, challenge.id, malformed));
			expect(refused, JSON.stringify(malformed)).toEqual({code: 'otp.malformed', params: {digits: 8}});
		}
		expect((await portal.otp.challengeState(session, challenge.id)).attemptsLeft).toBe(5);
		// A well-formed wrong code is counted as before; the right one still works.
		expect(await errorCode(confirm(portal, session, challenge.id, code === '00000000' ? '11111111' : '00000000'), {withAttempts: true})).toBe('otp.wrong:4');
		await confirm(portal, session, challenge.id, ` ${code} `);
	});

	it('refuses a code after 5 minutes', async () => {
		const {portal, session, clock} = await setup();
		const challenge = await startFor(portal, session);
		const code = await lastCode(portal);
		clock.advance(5 * MINUTE);
		expect(await codeOf(confirm(portal, session, challenge.id, code))).toBe('otp.expired');
	});

	it("refuses another holder's code and another holder's challenge", async () => {
		const {portal, session} = await setup();
		const giulia = await portal.sessions.login('JCPD2841', 'Tramonto!73');
		if (giulia.kind !== 'success') throw new Error('login');
		const mine = await startFor(portal, session);
		await startFor(portal, giulia.session);
		const giuliasCode = await lastCode(portal, 'JCPD2841');
		expect(await codeOf(confirm(portal, session, mine.id, giuliasCode))).toBe('otp.wrong');
		expect(await codeOf(confirm(portal, giulia.session, mine.id, await lastCode(portal)))).toBe('otp.unknown');
	});

	it('"Invia nuovo OTP" sends a new code but does not reset the failures; the 5th wrong code cancels', async () => {
		const {portal, session} = await setup();
		const challenge = await startFor(portal, session);
		for (let index = 0; index < 3; index++) expect(await codeOf(confirm(portal, session, challenge.id, '00000000'))).toBe('otp.wrong');
		const oldCode = await lastCode(portal);
		const resent = await portal.otp.resend(session, challenge.id);
		expect(resent.attemptsLeft).toBe(2);
		const newCode = await lastCode(portal);
		expect((await portal.phone.messages(MARIO.userId)).length).toBe(2);
		if (oldCode !== newCode) expect(await codeOf(confirm(portal, session, challenge.id, oldCode))).toBe('otp.wrong');
		else expect(await codeOf(confirm(portal, session, challenge.id, '11111111'))).toBe('otp.wrong');
		expect(await codeOf(confirm(portal, session, challenge.id, '00000000'))).toBe('otp.cancelled');
		expect(await codeOf(confirm(portal, session, challenge.id, newCode))).toBe('otp.cancelled');
	});

	it('allows 5 resends per 15 minutes', async () => {
		const {portal, session, clock} = await setup();
		// The per-challenge resend limit alone (the per-holder message limit is tested in message-limit.test.ts).
		await storeOf(portal).update(db => {
			db.settings.otpMessagesMax = 20;
		});
		const challenge = await startFor(portal, session);
		for (let index = 0; index < 5; index++) await portal.otp.resend(session, challenge.id);
		expect(await codeOf(portal.otp.resend(session, challenge.id))).toBe('otp.tooManyResends');
		clock.advance(16 * MINUTE);
		// 16 minutes without a key press end the session too: the holder logs in again.
		await portal.otp.resend(await logIn(portal, MARIO.userId, MARIO.password), challenge.id);
	});

	it('keeps no code in db.json or a holder document', async () => {
		const {portal, session, directory} = await setup();
		const codes: string[] = [];
		for (let index = 0; index < 5; index++) {
			await startFor(portal, session);
			codes.push(await lastCode(portal));
		}
		expect(holderDocument(directory, MARIO.userId).challenges.length).toBeGreaterThan(0);
		for (const file of recordFiles(directory)) {
			const text = readFileSync(file, 'utf8');
			for (const code of codes) expect(text, file).not.toContain(code);
		}
	});
});

describe('app channel', () => {
	it('activates with the first code computed from the shown secret, then confirms operations with TOTP', async () => {
		const {portal, session, directory, clock} = await setup();
		expect((await portal.otp.overview(session)).app).toBe('inactive');
		const activation = await portal.otp.startAppActivation(session);
		expect(activation.secret).toMatch(/^[A-Z2-7]{32}$/);
		const {totpCode} = await import('../../../source/core/otp/totp.js');
		expect(await codeOf(portal.otp.confirmAppActivation(session, activation.challenge.id, '12345678'))).toBe('otp.wrong');
		await portal.otp.confirmAppActivation(session, activation.challenge.id, await totpCode(activation.secret, clock.now()));
		const overview = await portal.otp.overview(session);
		expect(overview.app).toBe('active');
		expect(overview.preferred).toBe('app');

		clock.advance(30_000);
		const challenge = await challengesOf(portal).start({userId: session.userId, operation: 'op', data: {}});
		expect(challenge.channel).toBe('app');
		const code = await totpCode(activation.secret, clock.now());
		await challengesOf(portal).confirm({challengeId: challenge.id, userId: session.userId, operation: 'op', data: {}, code});
		// The same step cannot confirm a second operation: "Codice già usato", not counted as a wrong code.
		const second = await challengesOf(portal).start({userId: session.userId, operation: 'op', data: {}});
		expect(await codeOf(challengesOf(portal).confirm({challengeId: second.id, userId: session.userId, operation: 'op', data: {}, code}))).toBe('otp.reused');
		expect((await challengesOf(portal).get(second.id, session.userId)).attemptsLeft).toBe(5);

		// No record file (db.json, the holder documents) holds an app secret.
		for (const file of recordFiles(directory)) {
			const text = readFileSync(file, 'utf8');
			expect(text, file).not.toContain(activation.secret);
			for (const secret of ['NTGEWVND7IZWBFTI4JCV3VCRUO7RRQHO', 'GXKQQPMTBTHFDHA6LASWB3XMKAQNIWIX']) expect(text, file).not.toContain(secret);
		}
	});
});

describe('change of the SMS number', () => {
	it('sends the code to the OLD number and saves the new one only after confirmation', async () => {
		const {portal, session} = await setup();
		expect(await codeOf(portal.otp.startPhoneChange(session, '12345'))).toBe('phone.invalid');
		expect(await codeOf(portal.otp.startPhoneChange(session, '+39 06 1234 5678'))).toBe('phone.invalid');
		expect(await codeOf(portal.otp.startPhoneChange(session, '347 123 4567'))).toBe('phone.same');
		const {newPhone, challenge} = await portal.otp.startPhoneChange(session, '333 987 6543');
		expect(newPhone).toBe('+393339876543');
		const sms = (await portal.phone.messages(MARIO.userId)).at(-1)!;
		expect(sms.to).toBe('+393471234567');
		expect((await portal.otp.overview(session)).phoneMasked).toBe('+39347*****67');
		await portal.otp.confirmPhoneChange(session, challenge.id, newPhone, await lastCode(portal));
		expect((await portal.otp.overview(session)).phoneMasked).toBe('+39333*****43');
		// From now on codes go to the new number only.
		await startFor(portal, session);
		expect((await portal.phone.messages(MARIO.userId)).at(-1)!.to).toBe('+393339876543');
	});
});

describe('push approval on the phone', () => {
	async function giulia() {
		const context = await demoPortal();
		cleanup = context.remove;
		const session = await logIn(context.portal, 'JCPD2841', 'Tramonto!73');
		await context.portal.otp.setPush(session, true);
		return {...context, session};
	}

	it('an approved request confirms the operation without a code, once', async () => {
		const {portal, session} = await giulia();
		const challenge = await challengesOf(portal).start({userId: session.userId, operation: 'pin.change', data: {}});
		expect(challenge.channel).toBe('push');
		const [pending] = await portal.phone.pendingPushes(session.userId);
		expect(pending?.id).toBe(challenge.id);
		await portal.phone.answerPush(session.userId, challenge.id, true);
		expect((await portal.otp.challengeState(session, challenge.id)).state).toBe('approved');
		await challengesOf(portal).confirm({challengeId: challenge.id, userId: session.userId, operation: 'pin.change', data: {}, code: ''});
		expect(await codeOf(challengesOf(portal).confirm({challengeId: challenge.id, userId: session.userId, operation: 'pin.change', data: {}, code: ''}))).toBe('otp.used');
		expect(await portal.phone.pendingPushes(session.userId)).toEqual([]);
	});

	it('a denied request is refused with its own message; an expired one cannot be answered', async () => {
		const {portal, session, clock} = await giulia();
		const denied = await challengesOf(portal).start({userId: session.userId, operation: 'op', data: {}});
		await portal.phone.answerPush(session.userId, denied.id, false);
		expect(await codeOf(challengesOf(portal).confirm({challengeId: denied.id, userId: session.userId, operation: 'op', data: {}, code: ''}))).toBe('otp.denied');
		const late = await challengesOf(portal).start({userId: session.userId, operation: 'op', data: {}});
		clock.advance(5 * MINUTE);
		expect(await codeOf(portal.phone.answerPush(session.userId, late.id, true))).toBe('otp.expired');
	});

	it('without an answer, an empty code is no code: refused as malformed, not counted', async () => {
		const {portal, session} = await giulia();
		const challenge = await challengesOf(portal).start({userId: session.userId, operation: 'op', data: {}});
		expect(await codeOf(challengesOf(portal).confirm({challengeId: challenge.id, userId: session.userId, operation: 'op', data: {}, code: ''}))).toBe('otp.malformed');
		expect((await portal.otp.challengeState(session, challenge.id)).attemptsLeft).toBe(5);
	});

	it('push needs an active app', async () => {
		const {portal, session} = await setup();
		expect(await codeOf(portal.otp.setPush(session, true))).toBe('otp.appNotActive');
	});
});
