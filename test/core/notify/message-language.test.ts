import {afterEach, describe, expect, it} from 'vitest';
import type {OutboxMessage, Portal, Session} from '../../../source/core/portal.js';
import {otpCodeIn} from '../../../source/core/otp/phone-codes.js';
import {demoCopies} from '../../helpers/demo-template.js';
import {demoPortal, GIULIA, logIn, ManualClock, MARIO} from '../../helpers/portal.js';

/*
 * Issue 21: the holder's saved language (Impostazioni › Lingua) picks the language of every
 * message sent to them; a holder with none keeps the portal's Italian. Known fault fixed here:
 * the change e-mails were Italian even for a holder whose language is English.
 */

const demoCopy = demoCopies();
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** Changes the OTP number: the SMS with the code (to the old number, which must still work), then the notices the change sends. */
async function changeOtpPhone(portal: Portal, session: Session, userId: string, phone: string): Promise<{code: OutboxMessage; notices: OutboxMessage[]}> {
	const before = (await portal.mailbox.list()).length;
	const {newPhone, challenge} = await portal.otp.startPhoneChange(session, phone);
	const code = (await portal.mailbox.list()).slice(before).find(message => message.kind === 'sms' && message.userId === userId)!;
	expect(code, 'no SMS with the code').toBeDefined();
	const middle = (await portal.mailbox.list()).length;
	await portal.otp.confirmPhoneChange(session, challenge.id, newPhone, otpCodeIn(code.text)!);
	return {code, notices: (await portal.mailbox.list()).slice(middle).filter(message => message.userId === userId)};
}

describe('messages speak the holder’s language', () => {
	it('an English holder gets an English OTP SMS and change notices; an Italian holder’s stay Italian', async () => {
		const context = await demoPortal(new ManualClock(new Date()));
		cleanup = context.remove;
		const {portal} = context;
		const giulia = await logIn(portal, GIULIA.userId, GIULIA.password);
		const mario = await logIn(portal, MARIO.userId, MARIO.password);
		await portal.account.setLanguage(giulia, 'en');

		const english = await changeOtpPhone(portal, giulia, GIULIA.userId, '+393351112233');
		expect(english.code.text).toMatch(/^InfoCert Signature Service: use the following OTP code \d{8} generated at \d\d:\d\d:\d\d \(Italian time\)$/);
		const englishMail = english.notices.find(message => message.kind === 'email')!;
		expect(englishMail).toMatchObject({to: GIULIA.email, subject: 'InfoCert MySign: number for OTP codes changed'});
		expect(englishMail.text).toMatch(/^Dear GIULIA BIANCHI,\n\nthe mobile number that receives the OTP codes was changed on .+ \(Italian time\): from .+ to \+39335\*{5}33\./);
		expect(englishMail.text).toContain('InfoCert S.p.A. (message simulated by mysign)');
		const englishSms = english.notices.find(message => message.kind === 'sms')!;
		expect(englishSms.text).toMatch(/^InfoCert Signature Service: since .+ the OTP codes of your certificate go to the number \+39335\*{5}33, no longer to this one\./);
		for (const message of [english.code, ...english.notices]) expect(message.text).not.toMatch(/Gentile|codice|Servizio di Firma/);

		const italian = await changeOtpPhone(portal, mario, MARIO.userId, '+393359998877');
		expect(italian.code.text).toMatch(/^Servizio di Firma InfoCert: utilizzare il seguente codice OTP \d{8} generato alle ore \d\d:\d\d:\d\d$/);
		const italianMail = italian.notices.find(message => message.kind === 'email')!;
		expect(italianMail).toMatchObject({to: MARIO.email, subject: 'InfoCert MySign: numero per i codici OTP modificato'});
		expect(italianMail.text).toMatch(/^Gentile MARIO ROSSI,\n\nil numero di cellulare che riceve i codici OTP è stato cambiato il /);
		expect(italian.notices.find(message => message.kind === 'sms')!.text).toMatch(/^Servizio di Firma InfoCert: dal .+ i codici OTP del tuo certificato vanno al numero \+39335\*{5}77, non più a questo\./);

		// Back to Italian: the next message is Italian again.
		await portal.account.setLanguage(giulia, 'it');
		const again = await changeOtpPhone(portal, giulia, GIULIA.userId, '+393354445566');
		expect(again.code.text).toMatch(/^Servizio di Firma InfoCert: utilizzare il seguente codice OTP/);
		expect(again.notices.find(message => message.kind === 'email')!.subject).toBe('InfoCert MySign: numero per i codici OTP modificato');
	});

	it('an operator’s reissue reaches an English holder in English, with its notices (the envelope PDF stays Italian)', async () => {
		const {portal} = await demoCopy();
		// A scenario rebuilds the demo holder (no language): the language is chosen after it.
		await portal.demo.applyScenario(MARIO.userId, 'pin-blocked');
		await portal.account.setLanguage(await logIn(portal, MARIO.userId, MARIO.password), 'en');
		const before = (await portal.mailbox.list()).length;
		const result = await (await portal.admin.commands()).reissue({userId: MARIO.userId, codiceFiscale: 'RSSMRA80A01H501U'});
		const mails = (await portal.mailbox.list()).slice(before).filter(message => message.kind === 'email' && message.userId === MARIO.userId);
		const reissue = mails.find(message => message.attachments?.includes(`BustaCifrata-${MARIO.userId}.pdf`))!;
		expect(reissue.subject).toBe('InfoCert LegalCert: new certificate issued by the operator');
		expect(reissue.text).toContain(`the operator has issued you a new remote signature certificate (IUT ${result.iut})`);
		// The reissue's change notice (the new certificate and its IUT) is English too.
		expect(mails.map(mail => mail.subject)).toContain('InfoCert MySign: new certificate issued');
		for (const mail of mails) expect(mail.text, mail.subject).toMatch(/^Dear MARIO ROSSI,\n/);
	});
});
