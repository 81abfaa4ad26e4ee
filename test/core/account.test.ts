import {readFileSync} from 'node:fs';
import {simpleParser} from 'mailparser';
import {describe, expect, it} from 'vitest';
import {Portal, type OutboxMessage} from '../../source/core/portal.js';
import {demoCopies} from '../helpers/demo-template.js';
import {errorCode, lastSmsCode, logIn, MARIO, GIULIA, accessEntries, accessOutcomes} from '../helpers/portal.js';
import {storeOf} from '../helpers/internals.js';

const demoCopy = demoCopies();
const errorOf = (promise: Promise<unknown>) => errorCode(promise, {withAttempts: true});
const NEW_PASSWORD = 'Ciclamino&58';

async function marioLoggedIn() {
	const context = await demoCopy();
	const session = await logIn(context.portal, MARIO.userId, MARIO.password);
	return {...context, session};
}

async function emailsTo(portal: Portal, address: string): Promise<OutboxMessage[]> {
	return (await portal.mailbox.list({kind: 'email'})).filter(message => message.to === address);
}

/** The code in the newest e-mail to `address`, read from the real .eml as a mail client shows it. */
async function lastEmailCode(portal: Portal, address: string): Promise<{code: string; message: OutboxMessage}> {
	const message = (await emailsTo(portal, address)).at(-1);
	if (!message) throw new Error(`no e-mail to ${address}`);
	const parsed = await simpleParser(readFileSync((await portal.mailbox.emlPath(message))!));
	expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : undefined).toBe(address);
	const code = /inserisci il codice (\d{8})/.exec(parsed.text ?? '')?.[1];
	if (!code) throw new Error(`no code in the e-mail to ${address}: ${parsed.text}`);
	return {code, message};
}

describe('"Modifica password"', () => {
	it('a wrong current password is counted with the login attempts and says how many are left; mismatch and weak are not counted', async () => {
		const {portal, session} = await marioLoggedIn();
		expect(await errorOf(portal.account.changePassword(session, {current: 'Sbagliata&1', next: NEW_PASSWORD, again: NEW_PASSWORD}))).toBe('account.wrongPassword:4');
		expect(await errorOf(portal.account.changePassword(session, {current: 'Sbagliata&2', next: NEW_PASSWORD, again: NEW_PASSWORD}))).toBe('account.wrongPassword:3');
		// Refused before the current password is even checked: nothing counted.
		expect(await errorOf(portal.account.changePassword(session, {current: 'Sbagliata&3', next: NEW_PASSWORD, again: 'Ciclamino&59'}))).toBe('account.passwordMismatch');
		expect(await errorOf(portal.account.changePassword(session, {current: 'Sbagliata&3', next: 'ciclamino&58', again: 'ciclamino&58'}))).toBe('account.passwordWeak');
		// The same counter as the login form: the third failure there leaves two.
		const login = await portal.sessions.login(MARIO.userId, 'Sbagliata&4');
		expect(login).toEqual({kind: 'invalid', attemptsLeft: 2});
		expect(await accessOutcomes(portal)).toEqual(['success', 'wrong-password', 'wrong-password', 'wrong-password']);
		// Still the old password: nothing changed.
		expect((await portal.sessions.login(MARIO.userId, MARIO.password)).kind).toBe('success');
		expect((await portal.sessions.login(MARIO.userId, NEW_PASSWORD)).kind).toBe('invalid');
	});

	it('the 5th wrong current password locks the account: even the right one is then refused', async () => {
		const {portal, session} = await marioLoggedIn();
		const answers: (string | undefined)[] = [];
		for (let attempt = 0; attempt < 5; attempt++) answers.push(await errorOf(portal.account.changePassword(session, {current: `Sbagliata&${attempt}`, next: NEW_PASSWORD, again: NEW_PASSWORD})));
		expect(answers).toEqual(['account.wrongPassword:4', 'account.wrongPassword:3', 'account.wrongPassword:2', 'account.wrongPassword:1', 'auth.locked']);
		expect(await errorOf(portal.account.changePassword(session, {current: MARIO.password, next: NEW_PASSWORD, again: NEW_PASSWORD}))).toBe('auth.locked');
		expect((await portal.sessions.login(MARIO.userId, MARIO.password)).kind).toBe('locked');
	});

	it('refuses the current password as the new one', async () => {
		const {portal, session} = await marioLoggedIn();
		expect(await errorOf(portal.account.changePassword(session, {current: MARIO.password, next: MARIO.password, again: MARIO.password}))).toBe('account.passwordSame');
	});

	it('names the first broken rule of a weak password', async () => {
		const {portal, session} = await marioLoggedIn();
		const reason = await portal.account.changePassword(session, {current: MARIO.password, next: 'Ciclamino58', again: 'Ciclamino58'}).then(
			() => undefined,
			(error: {code: string; params: Record<string, unknown>}) => `${error.code}:${String(error.params['rule'])}`,
		);
		expect(reason).toBe('account.passwordWeak:special');
	});

	it('success: the new password works, the old does not; access log "password-changed"; a notice e-mail without the password', async () => {
		const {portal, session} = await marioLoggedIn();
		const before = (await portal.mailbox.list()).length;
		await portal.account.changePassword(session, {current: MARIO.password, next: NEW_PASSWORD, again: NEW_PASSWORD});
		expect((await portal.sessions.login(MARIO.userId, MARIO.password)).kind).toBe('invalid');
		expect((await portal.sessions.login(MARIO.email, NEW_PASSWORD)).kind).toBe('success');
		expect(await accessOutcomes(portal)).toEqual(['success', 'password-changed', 'wrong-password', 'success']);
		const log = (await accessEntries(portal)).find(entry => entry.outcome === 'password-changed')!;
		expect(log.terminal).toBe('test');

		const sent = (await portal.mailbox.list()).slice(before);
		expect(sent.map(message => [message.kind, message.to, message.userId, message.subject])).toEqual([['email', MARIO.email, MARIO.userId, 'InfoCert MySign: password modificata']]);
		const eml = readFileSync((await portal.mailbox.emlPath(sent[0]!))!, 'utf8');
		for (const secret of [MARIO.password, NEW_PASSWORD]) expect(eml + sent[0]!.text).not.toContain(secret);
	});

	it('clears the forced first-access change', async () => {
		const {portal, session} = await marioLoggedIn();
		await storeOf(portal).update(db => {
			db.holders.find(holder => holder.userId === MARIO.userId)!.mustChangePassword = true;
		});
		expect((await portal.certificate.dashboard(session)).mustChangePassword).toBe(true);
		expect((await portal.account.view(session)).mustChangePassword).toBe(true);
		await portal.account.changePassword(session, {current: MARIO.password, next: NEW_PASSWORD, again: NEW_PASSWORD});
		expect((await portal.certificate.dashboard(session)).mustChangePassword).toBe(false);
	});
});

describe('"Cellulare" (recovery number)', () => {
	const NEW_PHONE = '+393331234567';

	it('sends the code to the NEW number, saves the number only once the code is right, shows it masked', async () => {
		const {portal, session} = await marioLoggedIn();
		expect((await portal.account.view(session)).phoneMasked).toBe('+39347*****67');
		const {phone, challenge} = await portal.account.startRecoveryPhoneChange(session, '333 123 4567');
		expect(phone).toBe(NEW_PHONE);
		expect(challenge).toMatchObject({channel: 'sms', destination: '+39333*****67', attemptsLeft: 5});
		const sms = (await portal.phone.messages(MARIO.userId)).at(-1)!;
		expect(sms.to).toBe(NEW_PHONE);
		const code = await lastSmsCode(portal, MARIO.userId);

		// Not saved yet: the view and the recovery still use the old number.
		expect((await portal.account.view(session)).phoneMasked).toBe('+39347*****67');
		expect(await errorOf(portal.account.confirmRecoveryPhoneChange(session, {challengeId: challenge.id, phone, code: code === '00000000' ? '11111111' : '00000000'}))).toBe('otp.wrong:4');
		expect((await storeOf(portal).read()).holders.find(holder => holder.userId === MARIO.userId)!.recoveryPhone).toBeNull();
		// The code is bound to the number it was sent to.
		expect(await errorOf(portal.account.confirmRecoveryPhoneChange(session, {challengeId: challenge.id, phone: '+393339999999', code}))).toBe('otp.wrongOperation');

		await portal.account.confirmRecoveryPhoneChange(session, {challengeId: challenge.id, phone, code});
		expect((await portal.account.view(session)).phoneMasked).toBe('+39333*****67');
		expect(await errorOf(portal.account.confirmRecoveryPhoneChange(session, {challengeId: challenge.id, phone, code}))).toBe('otp.used');
		expect((await accessOutcomes(portal)).at(-1)).toBe('phone-changed');
		const notice = (await emailsTo(portal, MARIO.email)).at(-1)!;
		expect(notice.subject).toBe('InfoCert MySign: cellulare di recupero modificato');
		expect(notice.text).toContain('+39333*****67');

		// Password recovery now texts the new number; the signing OTP number is another setting.
		await portal.recovery.start(MARIO.userId);
		expect((await portal.phone.messages(MARIO.userId)).at(-1)!.to).toBe(NEW_PHONE);
		expect((await storeOf(portal).read()).holders.find(holder => holder.userId === MARIO.userId)!.phone).toBe('+393471234567');
	});

	it('refuses the number already in use and an invalid number', async () => {
		const {portal, session} = await marioLoggedIn();
		expect(await errorOf(portal.account.startRecoveryPhoneChange(session, '+39 347 123 4567'))).toBe('phone.same');
		expect(await errorOf(portal.account.startRecoveryPhoneChange(session, '12'))).toBe('phone.invalid');
		expect(await portal.phone.messages(MARIO.userId)).toEqual([]);
	});
});

describe('"Indirizzo Email di recupero"', () => {
	const NEW_EMAIL = 'mario.nuovo@example.org';

	it('the code goes by e-mail to the new address; once confirmed the old address is told and the new one is a login name', async () => {
		const {portal, session} = await marioLoggedIn();
		const {email, challenge} = await portal.account.startEmailChange(session, '  Mario.Nuovo@Example.ORG ');
		expect(email).toBe(NEW_EMAIL);
		expect(challenge).toMatchObject({channel: 'email', destination: 'ma*********@ex*****.org', attemptsLeft: 5});
		expect(await portal.phone.messages(MARIO.userId)).toEqual([]);
		const {code, message} = await lastEmailCode(portal, NEW_EMAIL);
		expect(message).toMatchObject({kind: 'email', userId: MARIO.userId, subject: 'InfoCert MySign: codice di verifica'});
		expect(message.text).toContain(`inserisci il codice ${code}`);

		// Not yet: the new address is not a login name, the view shows the old one.
		expect((await portal.sessions.login(NEW_EMAIL, MARIO.password)).kind).toBe('invalid');
		expect((await portal.account.view(session)).emailMasked).toBe('ma*********@ex*****.it');
		expect(await errorOf(portal.account.confirmEmailChange(session, {challengeId: challenge.id, email, code: code === '00000000' ? '11111111' : '00000000'}))).toBe('otp.wrong:4');
		expect(await errorOf(portal.account.confirmEmailChange(session, {challengeId: challenge.id, email: 'altro@example.org', code}))).toBe('otp.wrongOperation');

		const before = (await portal.mailbox.list()).length;
		await portal.account.confirmEmailChange(session, {challengeId: challenge.id, email, code});
		const sent = (await portal.mailbox.list()).slice(before);
		expect(sent.map(entry => [entry.kind, entry.to, entry.subject])).toEqual([
			['email', MARIO.email, 'InfoCert MySign: indirizzo e-mail modificato'],
			['email', NEW_EMAIL, 'InfoCert MySign: indirizzo e-mail modificato'],
		]);
		// The old address learns that it changed, not where to (masked).
		expect(sent[0]!.text).toContain('ma*********@ex*****.org');
		expect(sent[0]!.text).not.toContain(NEW_EMAIL);

		expect((await portal.account.view(session)).emailMasked).toBe('ma*********@ex*****.org');
		expect((await portal.sessions.login(NEW_EMAIL.toUpperCase(), MARIO.password)).kind).toBe('success');
		expect((await portal.sessions.login(MARIO.email, MARIO.password)).kind).toBe('invalid');
		// (The failed logins with an address that is nobody's are logged without a holder.)
		expect(await accessOutcomes(portal)).toEqual(['success', 'email-changed', 'success']);
		// The password rules now judge the new local part.
		expect((await portal.account.passwordContext(session)).email).toBe(NEW_EMAIL);
	});

	it("refuses the current address, another holder's address (any case) and malformed addresses", async () => {
		const {portal, session} = await marioLoggedIn();
		expect(await errorOf(portal.account.startEmailChange(session, 'MARIO.ROSSI@example.it'))).toBe('account.emailSame');
		expect(await errorOf(portal.account.startEmailChange(session, 'Giulia.Bianchi@Example.it'))).toBe('account.emailTaken');
		for (const bad of ['mario', 'mario@', '@example.it', 'mario rossi@example.it', 'mario@example']) expect(await errorOf(portal.account.startEmailChange(session, bad)), bad).toBe('report.badEmail');
		expect(await portal.mailbox.list({kind: 'email'})).toEqual([]);
	});

	it('refuses at confirmation an address another holder took in the meantime', async () => {
		const {portal, session} = await marioLoggedIn();
		const giulia = await logIn(portal, GIULIA.userId, GIULIA.password);
		const shared = 'condiviso@example.org';
		const mario = await portal.account.startEmailChange(session, shared);
		const marioCode = (await lastEmailCode(portal, shared)).code;
		const theirs = await portal.account.startEmailChange(giulia, shared);
		await portal.account.confirmEmailChange(giulia, {challengeId: theirs.challenge.id, email: shared, code: (await lastEmailCode(portal, shared)).code});
		expect(await errorOf(portal.account.confirmEmailChange(session, {challengeId: mario.challenge.id, email: shared, code: marioCode}))).toBe('account.emailTaken');
		expect((await portal.account.view(session)).emailMasked).toBe('ma*********@ex*****.it');
		expect((await portal.sessions.login(shared, GIULIA.password)).kind).toBe('success');
	});
});

describe('"Domanda Segreta"', () => {
	it('a question of the holder\'s own: saved with the answer hashed, normalised for case and spaces in recovery', async () => {
		const {portal, session} = await marioLoggedIn();
		const question = 'Come si chiamava il mio primo gatto?';
		await portal.account.setSecretQuestion(session, {question: `  ${question} `, answer: '  Micio   BELLO '});
		expect((await portal.account.view(session)).secretQuestion).toBe(question);
		const stored = (await storeOf(portal).read()).holders.find(holder => holder.userId === MARIO.userId)!.secretQuestion!;
		expect(stored.question).toBe(question);
		expect(stored.answerHash).toMatch(/^\$argon2id\$/);
		expect(JSON.stringify(stored).toLowerCase()).not.toContain('micio');
		expect((await accessOutcomes(portal)).at(-1)).toBe('secret-question-changed');
		expect((await emailsTo(portal, MARIO.email)).at(-1)!.subject).toBe('InfoCert MySign: domanda segreta modificata');

		const {recoveryId} = await portal.recovery.start(MARIO.userId);
		expect(await portal.recovery.confirmCode(recoveryId, await lastSmsCode(portal, MARIO.userId))).toMatchObject({next: 'answer', question, context: {userId: MARIO.userId}});
		// The old answer is gone.
		expect(await errorOf(portal.recovery.answerQuestion(recoveryId, 'Fido'))).toBe('recovery.wrongAnswer:4');
		await portal.recovery.answerQuestion(recoveryId, 'micio bello');
	});

	it('a proposed question, for a holder who had none', async () => {
		const {portal} = await demoCopy();
		// The demo holders all have one now; an older database may hold a holder without.
		await storeOf(portal).update(db => {
			db.holders.find(holder => holder.userId === GIULIA.userId)!.secretQuestion = null;
		});
		const session = await logIn(portal, GIULIA.userId, GIULIA.password);
		expect((await portal.account.view(session)).secretQuestion).toBeNull();
		const question = Portal.suggestedQuestions[4]!;
		expect(question).toBe('Qual è il tuo libro preferito?');
		await portal.account.setSecretQuestion(session, {question, answer: 'I Promessi Sposi'});
		expect((await portal.account.view(session)).secretQuestion).toBe(question);
		expect((await accessOutcomes(portal, GIULIA.userId)).at(-1)).toBe('secret-question-changed');
		expect((await emailsTo(portal, GIULIA.email)).at(-1)!.subject).toBe('InfoCert MySign: domanda segreta modificata');

		const {recoveryId} = await portal.recovery.start(GIULIA.userId);
		expect(await portal.recovery.confirmCode(recoveryId, await lastSmsCode(portal, GIULIA.userId))).toMatchObject({next: 'answer', question, context: {userId: GIULIA.userId}});
		await portal.recovery.answerQuestion(recoveryId, 'i promessi  sposi');
	});

	it('the demo answer "Fido" is matched as "  FIDO "', async () => {
		const {portal} = await demoCopy();
		const {recoveryId} = await portal.recovery.start(MARIO.userId);
		await portal.recovery.confirmCode(recoveryId, await lastSmsCode(portal, MARIO.userId));
		await portal.recovery.answerQuestion(recoveryId, '  FIDO ');
	});

	it('refuses a too short question or answer and control characters; nothing saved', async () => {
		const {portal, session} = await marioLoggedIn();
		expect(await errorOf(portal.account.setSecretQuestion(session, {question: 'Boh?', answer: 'Fido'}))).toBe('account.questionLength');
		expect(await errorOf(portal.account.setSecretQuestion(session, {question: 'x'.repeat(201), answer: 'Fido'}))).toBe('account.questionLength');
		expect(await errorOf(portal.account.setSecretQuestion(session, {question: 'Il mio colore?', answer: '  x  '}))).toBe('account.answerLength');
		expect(await errorOf(portal.account.setSecretQuestion(session, {question: 'Il mio colore?', answer: 'r'.repeat(101)}))).toBe('account.answerLength');
		expect(await errorOf(portal.account.setSecretQuestion(session, {question: 'Il mio colore?\u001b[2J', answer: 'rosso'}))).toBe('input.controlCharacters');
		expect((await portal.account.view(session)).secretQuestion).toBe('Come si chiamava il tuo primo animale domestico?');
		expect(await accessOutcomes(portal)).toEqual(['success']);
	});
});

describe('language', () => {
	it('is saved for the holder and logged', async () => {
		const {portal, session} = await marioLoggedIn();
		expect((await portal.account.view(session)).language).toBeNull();
		await portal.account.setLanguage(session, 'en');
		expect((await portal.account.view(session)).language).toBe('en');
		expect((await portal.certificate.dashboard(session)).language).toBe('en');
		// A new portal (another run of the program) sees it too.
		const again = await Portal.open({dataDirectory: storeOf(portal).directory, clock: portal, terminal: 'other'});
		expect((await again.certificate.dashboard(session)).language).toBe('en');
		await portal.account.setLanguage(session, 'it');
		expect((await portal.account.view(session)).language).toBe('it');
		expect(await accessOutcomes(portal)).toEqual(['success', 'language-changed', 'language-changed']);
	});
});
