import {mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {DAY} from '../../../source/core/clock.js';
import {recordChange} from '../../../source/core/notify/changes.js';
import {totpCode} from '../../../source/core/otp/totp.js';
import type {OutboxMessage, Portal, Session} from '../../../source/core/portal.js';
import {accessEntries, demoPortal, GIULIA, lastSmsCode, logIn, ManualClock, MARIO} from '../../helpers/portal.js';
import {globalDocument, holderDocument, readDatabase} from '../../helpers/data-folder.js';
import {storeOf} from '../../helpers/internals.js';

/*
 * Issue 18, "Silent changes": after each change to a certificate, a credential or a channel the
 * holder's access log (`access/<userID>.jsonl`, "Visualizza accessi") has the entry and the
 * outbox the e-mail (and, where a number changed, an SMS to the old one). No notice holds a
 * secret; the renewal's and the new certificate's carry the new IUT in full.
 */

const MARIO_ERC = '40213769';
const MARIO_IUT = '20547815';
const LUCA = {userId: 'JCPD5590', password: 'Montagna_19', pin: '16180339', email: 'luca.verdi@example.it'};

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

// Real time: the demo's MARIO is inside his renewal window now (as in the renewal tests).
async function setup(userId = MARIO.userId, password = MARIO.password) {
	const context = await demoPortal(new ManualClock(new Date()));
	cleanup = context.remove;
	return {...context, session: await logIn(context.portal, userId, password)};
}

/** What a change adds: the outbox messages after `mark`, and the access-log entries after `entries`. */
async function since(portal: Portal, userId: string, mark: {messages: number; entries: number}) {
	const messages = (await portal.mailbox.list()).slice(mark.messages);
	const entries = (await accessEntries(portal, userId)).slice(mark.entries);
	return {messages, entries};
}

async function mark(portal: Portal, userId: string) {
	return {messages: (await portal.mailbox.list()).length, entries: (await accessEntries(portal, userId)).length};
}

/** Runs a change and checks it left exactly one access-log entry of `kind` and an e-mail to `to` with `subject`; returns the new messages. */
async function expectNotified(portal: Portal, userId: string, change: () => Promise<unknown>, expected: {kind: string; to: string; subject: string; terminal?: string}): Promise<OutboxMessage[]> {
	const before = await mark(portal, userId);
	await change();
	const {messages, entries} = await since(portal, userId, before);
	expect(entries.map(entry => entry.outcome)).toEqual([expected.kind]);
	if (expected.terminal !== undefined) expect(entries[0]!.terminal).toBe(expected.terminal);
	const email = messages.find(message => message.kind === 'email' && message.subject === expected.subject);
	expect(email, `no e-mail «${expected.subject}» among ${JSON.stringify(messages.map(message => message.subject ?? message.text))}`).toBeDefined();
	expect(email).toMatchObject({userId, to: expected.to});
	// A real .eml beside the record, to the same address.
	expect(readFileSync((await portal.mailbox.emlPath(email!))!, 'utf8')).toContain(`To: ${expected.to}`);
	return messages;
}

/** No notice carries a secret the holder typed or holds. */
function expectNoSecrets(messages: readonly OutboxMessage[], secrets: readonly string[]): void {
	for (const message of messages) for (const secret of secrets) expect(message.text).not.toContain(secret);
}

async function renew(portal: Portal, session: Session, newPin: string) {
	const {renewalId} = await portal.renewal.begin(session, {acceptConditions: true, confirmData: true, pin: MARIO.pin});
	await portal.renewal.confirmConsents(session, renewalId, await lastSmsCode(portal, MARIO.userId));
	await portal.renewal.choosePin(session, renewalId, newPin, newPin);
	await portal.renewal.activate(session, renewalId, await lastSmsCode(portal, MARIO.userId));
}

const currentIut = async (portal: Portal, userId: string) => (await storeOf(portal).read()).certificates.filter(entry => entry.userId === userId).at(-1)!.iut;

function ddmmyyyy(date: Date): string {
	return new Intl.DateTimeFormat('it-IT', {timeZone: 'Europe/Rome', day: '2-digit', month: '2-digit', year: 'numeric'}).format(date);
}

describe('every change is recorded and e-mailed', () => {
	it('a renewal: the entry, and an e-mail with the new IUT in full (no PIN)', async () => {
		const {portal, session} = await setup();
		const messages = await expectNotified(portal, MARIO.userId, () => renew(portal, session, '11223344'), {kind: 'certificate-renewed', to: MARIO.email, subject: 'InfoCert MySign: certificato rinnovato', terminal: 'test'});
		const iut = await currentIut(portal, MARIO.userId);
		expect(iut).not.toBe(MARIO_IUT);
		const email = messages.find(message => message.subject === 'InfoCert MySign: certificato rinnovato')!;
		expect(email.text).toContain(`(IUT) è: ${iut}`);
		expect(readFileSync((await portal.mailbox.emlPath(email))!, 'utf8')).toContain(iut);
		expectNoSecrets(messages.filter(message => message.kind === 'email'), [MARIO.pin, '11223344', MARIO_ERC, MARIO.password]);
	});

	it('a PIN change, then a PIN blocked by three wrong PINs (recorded once, as a failure)', async () => {
		const {portal, session} = await setup();
		const messages = await expectNotified(
			portal,
			MARIO.userId,
			async () => {
				const {changeId} = await portal.pin.startChange(session, {currentPin: MARIO.pin, newPin: '99887766', newPinAgain: '99887766'});
				await portal.pin.confirmChange(session, changeId, await lastSmsCode(portal, MARIO.userId));
			},
			{kind: 'pin-changed', to: MARIO.email, subject: 'InfoCert MySign: PIN di firma modificato'},
		);
		expectNoSecrets(messages, [MARIO.pin, '99887766']);
		const wrong = () => portal.pin.startChange(session, {currentPin: '00000000', newPin: '12345678', newPinAgain: '12345678'}).catch(() => undefined);
		await wrong();
		await wrong();
		await expectNotified(portal, MARIO.userId, wrong, {kind: 'pin-blocked', to: MARIO.email, subject: 'InfoCert MySign: PIN di firma bloccato'});
		// Already blocked: a fourth attempt changes nothing, so tells nothing.
		const before = await mark(portal, MARIO.userId);
		await wrong();
		expect((await since(portal, MARIO.userId, before)).entries).toEqual([]);
		// Shown as a failure in "Visualizza accessi".
		const failures = await portal.history.accesses(session, {from: '', to: '', period: 'all', outcome: 'failure', order: 'newest'}, {page: 1, pageSize: 10});
		expect(failures.items.map(entry => entry.outcome)).toEqual(['pin-blocked']);
	});

	it('a suspension, its automatic end, an operator’s reactivation, replacement flag and revocation', async () => {
		const {portal, session, clock} = await setup();
		const end = new Date(clock.now().getTime() + 3 * DAY);
		const suspension = {iut: MARIO_IUT, erc: MARIO_ERC, ercAgain: MARIO_ERC, endDate: ddmmyyyy(end), acceptRevocationEffect: false};
		const suspended = await expectNotified(portal, MARIO.userId, () => portal.certificate.suspend(session, suspension), {kind: 'certificate-suspended', to: MARIO.email, subject: 'InfoCert MySign: certificato sospeso'});
		expect(suspended[0]!.text).toContain(`La sospensione termina il ${ddmmyyyy(end)}`);
		expectNoSecrets(suspended, [MARIO_ERC]);
		// The end date passes: whichever process notices it ends the suspension, and the holder is told.
		clock.advance(4 * DAY);
		await expectNotified(portal, MARIO.userId, () => portal.folder.refreshCertificates(), {kind: 'suspension-ended', to: MARIO.email, subject: 'InfoCert MySign: certificato di nuovo attivo', terminal: ''});
		const again = await logIn(portal, MARIO.userId, MARIO.password);
		await portal.certificate.suspend(again, {...suspension, endDate: ddmmyyyy(new Date(clock.now().getTime() + 3 * DAY))});
		const admin = await portal.admin.commands();
		await expectNotified(portal, MARIO.userId, () => admin.reactivate(MARIO.userId), {kind: 'certificate-reactivated', to: MARIO.email, subject: 'InfoCert MySign: certificato riattivato', terminal: 'mysign admin'});
		await expectNotified(portal, MARIO.userId, () => admin.flagReplacement(MARIO.userId, ddmmyyyy(new Date(clock.now().getTime() + 10 * DAY))), {
			kind: 'replacement-flagged',
			to: MARIO.email,
			subject: 'InfoCert MySign: richiedi un nuovo certificato',
		});
		const revoked = await expectNotified(portal, MARIO.userId, () => admin.revoke(MARIO.userId, 'keyCompromise'), {kind: 'certificate-revoked', to: MARIO.email, subject: 'InfoCert MySign: certificato revocato', terminal: 'mysign admin'});
		expect(revoked[0]!.text).toContain('compromissione della chiave');
	});

	it('a new certificate ("Richiedi nuovo certificato"): the e-mail with the new IUT comes before the envelope', async () => {
		const {portal, session, clock} = await setup(LUCA.userId, LUCA.password);
		const token = async () => {
			const reading = (await portal.phone.authenticatorReadings(LUCA.userId)).find(entry => entry.device === 'token')!;
			clock.advance(30_000);
			return reading.code;
		};
		const messages = await expectNotified(
			portal,
			LUCA.userId,
			async () => {
				const {renewalId} = await portal.renewal.beginReplacement(session, {acceptConditions: true, pin: LUCA.pin});
				await portal.renewal.confirmConsents(session, renewalId, await token());
				await portal.renewal.choosePin(session, renewalId, '55667788', '55667788');
				await portal.renewal.securityInfo(session, renewalId, {passphrase: '', passphraseAgain: '', useCodiceFiscale: true});
				await portal.renewal.activate(session, renewalId, await token());
			},
			{kind: 'certificate-issued', to: LUCA.email, subject: 'InfoCert MySign: nuovo certificato emesso'},
		);
		expect(messages.map(message => message.subject)).toEqual(['InfoCert MySign: nuovo certificato emesso', 'InfoCert: il tuo nuovo certificato di firma remota - Busta Cifrata (ERC)']);
		expect(messages[0]!.text).toContain(`(IUT) del nuovo certificato è: ${await currentIut(portal, LUCA.userId)}`);
		expectNoSecrets(messages.slice(0, 1), [LUCA.pin, '55667788']);
	});

	it('an OTP number change: an e-mail, and an SMS to the old number without any code', async () => {
		const {portal, session} = await setup();
		const oldPhone = (await storeOf(portal).read()).holders.find(holder => holder.userId === MARIO.userId)!.phone;
		const messages = await expectNotified(
			portal,
			MARIO.userId,
			async () => {
				const {newPhone, challenge} = await portal.otp.startPhoneChange(session, '+393351112233');
				await portal.otp.confirmPhoneChange(session, challenge.id, newPhone, await lastSmsCode(portal, MARIO.userId));
			},
			{kind: 'otp-phone-changed', to: MARIO.email, subject: 'InfoCert MySign: numero per i codici OTP modificato'},
		);
		const notice = messages.filter(message => message.kind === 'sms').at(-1)!;
		expect(notice.to).toBe(oldPhone);
		expect(notice.text).toContain('+39335*****33');
		expect(notice.text).not.toMatch(/\d{8}/);
	});

	it('an app activation, a change of OTP channel and of push notifications; nothing when nothing changes', async () => {
		const {portal, session, clock} = await setup();
		await expectNotified(
			portal,
			MARIO.userId,
			async () => {
				const activation = await portal.otp.startAppActivation(session);
				await portal.otp.confirmAppActivation(session, activation.challenge.id, await totpCode(activation.secret, clock.now()));
			},
			{kind: 'otp-app-activated', to: MARIO.email, subject: 'InfoCert MySign: app MyInfoCert attivata'},
		);
		await expectNotified(portal, MARIO.userId, () => portal.otp.setPreferredChannel(session, 'sms'), {kind: 'otp-channel-changed', to: MARIO.email, subject: 'InfoCert MySign: canale OTP modificato'});
		await expectNotified(portal, MARIO.userId, () => portal.otp.setPush(session, true), {kind: 'otp-push-changed', to: MARIO.email, subject: 'InfoCert MySign: notifiche push attivate'});
		const before = await mark(portal, MARIO.userId);
		await portal.otp.setPreferredChannel(session, 'sms');
		await portal.otp.setPush(session, true);
		expect(await since(portal, MARIO.userId, before)).toEqual({messages: [], entries: []});
	});

	it('report settings: the account address is told, and the old report address when it changes', async () => {
		const {portal, session} = await setup(GIULIA.userId, GIULIA.password);
		const confirm = async (email: string) => {
			const update = await portal.history.updateReportSettings(session, {email, frequency: 'each'});
			if (update.kind !== 'confirm') throw new Error('expected a code to the new address');
			const code = /codice (\d{8})/.exec((await portal.mailbox.list({kind: 'email'})).at(-1)!.text)![1]!;
			await portal.history.confirmReportAddress(session, {challengeId: update.challenge.id, email, frequency: 'each', code});
		};
		await expectNotified(portal, GIULIA.userId, () => confirm('studio@esempio.it'), {kind: 'report-changed', to: GIULIA.email, subject: 'InfoCert MySign: impostazioni dei report modificate'});
		const messages = await expectNotified(portal, GIULIA.userId, () => confirm('archivio@esempio.it'), {kind: 'report-changed', to: GIULIA.email, subject: 'InfoCert MySign: impostazioni dei report modificate'});
		expect(messages.filter(message => message.subject === 'InfoCert MySign: impostazioni dei report modificate').map(message => message.to)).toEqual([GIULIA.email, 'studio@esempio.it']);
	});

	it('a recovery-number change: an e-mail, and an SMS to the number recovery used until now', async () => {
		const {portal, session} = await setup();
		const oldPhone = (await storeOf(portal).read()).holders.find(holder => holder.userId === MARIO.userId)!.phone;
		const messages = await expectNotified(
			portal,
			MARIO.userId,
			async () => {
				const {phone, challenge} = await portal.account.startRecoveryPhoneChange(session, '+393351112233');
				await portal.account.confirmRecoveryPhoneChange(session, {challengeId: challenge.id, phone, code: await lastSmsCode(portal, MARIO.userId)});
			},
			{kind: 'phone-changed', to: MARIO.email, subject: 'InfoCert MySign: cellulare di recupero modificato'},
		);
		// Besides the code sent to the new number: the notice to the old one, with no code.
		const notices = messages.filter(message => message.kind === 'sms' && !message.text.includes('codice OTP'));
		expect(notices.map(message => message.to)).toEqual([oldPhone]);
		expect(notices[0]!.text).toContain('+39335*****33');
	});
});

describe('a record before an effect', () => {
	it('the notice is committed with the change in the holder’s document; if the outbox write fails it is delivered by the next write, once', async () => {
		const {portal, directory} = await setup();
		const outbox = join(directory, 'outbox');
		// The outbox cannot be written: a file in place of the folder.
		mkdirSync(outbox, {recursive: true});
		renameSync(outbox, `${outbox}.away`);
		writeFileSync(outbox, '');
		await storeOf(portal).update(db => recordChange(db, {kind: 'pin-changed', userId: MARIO.userId}, portal.now()));
		// Mario's notice is committed in his document, with the change it announces.
		const onDisk = holderDocument(directory, MARIO.userId);
		expect(onDisk.notices.map(message => message.subject)).toEqual(['InfoCert MySign: PIN di firma modificato']);
		expect(globalDocument(directory).notices).toEqual([]);
		expect((await accessEntries(portal)).at(-1)!.outcome).toBe('pin-changed');
		// The folder is back: the next operation (any) delivers it first, and drops it from the data folder.
		unlinkSync(outbox);
		renameSync(`${outbox}.away`, outbox);
		await storeOf(portal).update(() => undefined);
		const delivered = (await portal.mailbox.list()).filter(message => message.subject === 'InfoCert MySign: PIN di firma modificato');
		expect(delivered).toHaveLength(1);
		expect(holderDocument(directory, MARIO.userId).notices).toEqual([]);
		expect((await readDatabase(directory)).notices).toEqual([]);
		await storeOf(portal).update(() => undefined);
		expect((await portal.mailbox.list()).filter(message => message.subject === 'InfoCert MySign: PIN di firma modificato')).toHaveLength(1);
	});
});

describe('an operator flags a holder whose PIN is blocked or whose certificate is revoked', () => {
	for (const state of ['pin-blocked', 'revoked'] as const) {
		it(`${state}: the e-mail names the operator's path, not «Richiedi nuovo certificato», which the portal does not offer then`, async () => {
			const {portal, clock} = await setup();
			const admin = await portal.admin.commands();
			if (state === 'pin-blocked') await portal.demo.applyScenario(MARIO.userId, 'pin-blocked');
			else await admin.revoke(MARIO.userId, 'keyCompromise');
			const messages = await expectNotified(portal, MARIO.userId, () => admin.flagReplacement(MARIO.userId, ddmmyyyy(new Date(clock.now().getTime() + 10 * DAY))), {
				kind: 'replacement-flagged',
				to: MARIO.email,
				subject: 'InfoCert MySign: richiedi un nuovo certificato',
			});
			const text = messages.find(message => message.kind === 'email')!.text;
			expect(text).not.toContain('Richiedi nuovo certificato');
			expect(text).toContain('l’operatore di registrazione (RAO)');
		});
	}
});
