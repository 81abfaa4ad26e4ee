import {describe, expect, it} from 'vitest';
import {demoCopies} from '../helpers/demo-template.js';
import {errorCode, lastSmsCode, logIn, MARIO} from '../helpers/portal.js';
import {storeOf} from '../helpers/internals.js';

/*
 * First access (issue 16 item 5): a holder with the initial password or without a secret
 * question can do nothing else in the portal until both are set; the core refuses with
 * `account.setupRequired`, whatever front end calls it.
 */

const demoCopy = demoCopies();
const NEW_PASSWORD = 'Ciclamino&58';
const QUESTION = 'Qual è il tuo libro preferito?';

describe('first access: a password of one’s own and a secret question before anything else', () => {
	it('refuses the portal’s other operations until both are set, then allows them; recovery then asks the answer', async () => {
		const {portal} = await demoCopy();
		await storeOf(portal).update(db => {
			const mario = db.holders.find(holder => holder.userId === MARIO.userId)!;
			mario.mustChangePassword = true;
			mario.secretQuestion = null;
		});
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		expect(await portal.certificate.dashboard(session)).toMatchObject({mustChangePassword: true, needsSecretQuestion: true});
		const gated = () => [
			errorCode(portal.pin.startChange(session, {currentPin: MARIO.pin, newPin: '99887766', newPinAgain: '99887766'})),
			errorCode(portal.renewal.begin(session, {acceptConditions: true, confirmData: true, pin: MARIO.pin})),
			errorCode(portal.account.startRecoveryPhoneChange(session, '333 123 4567')),
			errorCode(portal.account.startEmailChange(session, 'mario.nuovo@example.it')),
			errorCode(portal.account.setLanguage(session, 'en')),
			errorCode(portal.history.updateReportSettings(session, {email: '', frequency: 'never'})),
		];
		expect(await Promise.all(gated())).toEqual(Array(6).fill('account.setupRequired'));
		const before = await storeOf(portal).read();

		// The first-access operations answer.
		expect((await portal.account.view(session)).secretQuestion).toBeNull();
		await portal.account.changePassword(session, {current: MARIO.password, next: NEW_PASSWORD, again: NEW_PASSWORD});
		// Still no question: still refused.
		expect(await Promise.all(gated())).toEqual(Array(6).fill('account.setupRequired'));
		expect(await portal.certificate.dashboard(session)).toMatchObject({mustChangePassword: false, needsSecretQuestion: true});
		// Nothing the refused calls asked for was stored or sent.
		const after = await storeOf(portal).read();
		expect(after.challenges).toEqual(before.challenges);
		expect(after.holders.find(holder => holder.userId === MARIO.userId)!.language).toBeNull();

		await portal.account.setSecretQuestion(session, {question: QUESTION, answer: 'Il nome della rosa'});
		expect(await portal.certificate.dashboard(session)).toMatchObject({mustChangePassword: false, needsSecretQuestion: false});
		expect((await portal.account.startRecoveryPhoneChange(session, '333 123 4567')).challenge.channel).toBe('sms');

		// Recovery now has its second factor.
		const {recoveryId} = await portal.recovery.start(MARIO.userId);
		expect(await portal.recovery.confirmCode(recoveryId, await lastSmsCode(portal, MARIO.userId))).toMatchObject({next: 'answer', question: QUESTION});
		expect(await errorCode(portal.recovery.answerQuestion(recoveryId, 'Fido'))).toBe('recovery.wrongAnswer');
		await portal.recovery.answerQuestion(recoveryId, 'il nome della rosa');
	});

	it('a holder with a password of their own but no secret question is held at the question alone', async () => {
		const {portal} = await demoCopy();
		await storeOf(portal).update(db => {
			db.holders.find(holder => holder.userId === MARIO.userId)!.secretQuestion = null;
		});
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		expect(await portal.certificate.dashboard(session)).toMatchObject({mustChangePassword: false, needsSecretQuestion: true});
		expect(await errorCode(portal.account.setLanguage(session, 'en'))).toBe('account.setupRequired');
		await portal.account.setSecretQuestion(session, {question: QUESTION, answer: 'Il Gattopardo'});
		await portal.account.setLanguage(session, 'en');
	});
});
