import type {OtpChannel, ReportFrequency} from '../../store/schema.js';
import type {Addressee, Email, Messages, Sms} from './it.js';

/*
 * The same messages in English, for a holder whose saved language is English (see it.ts for the
 * rules). Dates and times are Italy's (Europe/Rome), like the portal's; the date is written out
 * ("20 January 2027") so it cannot be read month-first.
 */

const SIGNATURE = 'InfoCert S.p.A. (message simulated by mysign)';
const NOT_YOU = 'If you did not do this, contact InfoCert support at once.';
const NOT_ASKED = 'If you did not ask for this, contact InfoCert support at once.';

const CHANNELS: Record<OtpChannel, string> = {sms: 'SMS', app: 'the MyInfoCert app', token: 'token'};
const FREQUENCIES: Record<ReportFrequency, string> = {each: 'at every signature', daily: 'daily summary', never: 'never'};
const REVOCATION_REASONS: Record<string, string> = {
	keyCompromise: 'key compromise',
	cessationOfOperation: 'cessation of operation',
	superseded: 'superseded by a new certificate',
	unspecified: 'unspecified',
};

/** An Intl.DateTimeFormat built on first use: building the first one of a process costs ~16–30 ms (ICU), which a command that sends nothing need not pay. */
function lazyFormat(options: Intl.DateTimeFormatOptions): {format: (at: Date) => string} {
	let made: Intl.DateTimeFormat | undefined;
	return {format: at => (made ??= new Intl.DateTimeFormat('en-GB', {timeZone: 'Europe/Rome', ...options})).format(at)};
}

const dateFormat = lazyFormat({day: 'numeric', month: 'long', year: 'numeric'});
const timeFormat = lazyFormat({hour: '2-digit', minute: '2-digit', hourCycle: 'h23'});
const secondsFormat = lazyFormat({hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23'});

const date = (at: Date) => dateFormat.format(at);

function when(at: Date): string {
	return `on ${date(at)} at ${timeFormat.format(at)} (Italian time)`;
}

function notice(to: Addressee, subject: string, ...body: string[]): Email {
	return {subject: `InfoCert MySign: ${subject}`, text: [`Dear ${to.name} ${to.surname},`, '', ...body, '', SIGNATURE].join('\n')};
}

export const en: Messages = {
	certificateRenewed: p =>
		notice(
			p,
			'certificate renewed',
			`the renewal of your remote signature certificate was completed ${when(p.at)}.`,
			'',
			`The new holder's unique identifier (IUT) is: ${p.iut}`,
			`The new certificate is valid until ${date(p.expiresAt)}. The previous certificate has been revoked: its IUT is no longer valid.`,
			'Keep the IUT: together with the Emergency Code (ERC) you need it to suspend the certificate from the MySign portal.',
			'',
			NOT_YOU,
		),
	certificateIssued: p =>
		notice(
			p,
			'new certificate issued',
			`your new remote signature certificate is active ${when(p.at)}.`,
			'',
			`The holder's unique identifier (IUT) of the new certificate is: ${p.iut}`,
			`The new certificate is valid until ${date(p.expiresAt)}. The previous certificate has been revoked.`,
			...(p.envelope ? ['The Encrypted Envelope with the new Emergency Code (ERC) reaches you in a separate message.'] : []),
			'Keep the IUT: together with the Emergency Code (ERC) you need it to suspend the certificate from the MySign portal.',
			'',
			NOT_YOU,
		),
	certificateSuspended: p =>
		notice(
			p,
			'certificate suspended',
			`your remote signature certificate was suspended ${when(p.at)}: while it is suspended you cannot sign.`,
			p.equalsExpiry
				? `The end date (${date(p.until)}) is the certificate's expiry date: the suspension amounts to a revocation and the certificate will not become active again.`
				: `The suspension ends on ${date(p.until)}: from the next day the certificate is active again.`,
			'',
			NOT_YOU,
		),
	certificateReactivated: p =>
		notice(p, 'certificate reactivated', `the registration operator reactivated your remote signature certificate ${when(p.at)}, before the end of the suspension: you can sign again.`, '', NOT_ASKED),
	suspensionEnded: p =>
		p.expired
			? notice(p, 'suspension over', `the suspension of your remote signature certificate ended on ${date(p.until)} with the certificate's expiry: the certificate has expired and no longer signs.`)
			: notice(p, 'certificate active again', `the suspension of your remote signature certificate ended on ${date(p.until)}: the certificate is active again and you can sign.`),
	certificateRevoked: p =>
		notice(
			p,
			'certificate revoked',
			`your remote signature certificate was revoked by the operator ${when(p.at)} (reason: ${REVOCATION_REASONS[p.reason] ?? 'unspecified'}).`,
			'Revocation is final: the certificate no longer signs. To sign again you need a new certificate.',
			'',
			NOT_ASKED,
		),
	replacementFlagged: p =>
		notice(
			p,
			'request a new certificate',
			`your remote signature certificate must be replaced: request a new certificate by ${date(p.deadline)}.`,
			p.byOperator
				? 'The PIN is blocked or the certificate is revoked: the new certificate is issued by the registration operator (RAO) after identifying you. Go to them with an identity document.'
				: 'Log in to the MySign portal and choose «Request a new certificate».',
		),
	pinChanged: p => notice(p, 'signature PIN changed', `the signature PIN of your certificate was changed ${when(p.at)}.`, '', NOT_YOU),
	pinBlocked: p =>
		notice(
			p,
			'signature PIN blocked',
			`the signature PIN was entered wrongly ${p.attempts} times in a row (the last ${when(p.at)}): the PIN and the certificate are blocked for good.`,
			'To sign again you need a new certificate: log in to the MySign portal to find out how to request it.',
			'',
			NOT_YOU,
		),
	otpPhoneChanged: p => notice(p, 'number for OTP codes changed', `the mobile number that receives the OTP codes was changed ${when(p.at)}: from ${p.oldPhone} to ${p.newPhone}.`, '', NOT_YOU),
	otpPhoneChangedSms: (p): Sms => ({
		text: `InfoCert Signature Service: since ${date(p.at)} at ${timeFormat.format(p.at)} the OTP codes of your certificate go to the number ${p.newPhone}, no longer to this one. If it was not you, contact support.`,
	}),
	otpAppActivated: p => notice(p, 'MyInfoCert app activated', `the MyInfoCert app was activated ${when(p.at)} to generate the OTP codes of your certificate; from now on it is how you confirm operations.`, '', NOT_YOU),
	otpChannelChanged: p => notice(p, 'OTP channel changed', `the channel through which you receive OTP codes changed ${when(p.at)}: it is now ${CHANNELS[p.channel]}.`, '', NOT_YOU),
	otpPushChanged: p =>
		notice(p, p.enabled ? 'push notifications turned on' : 'push notifications turned off', `the MyInfoCert app's push notifications were turned ${p.enabled ? 'on' : 'off'} ${when(p.at)}.`, '', NOT_YOU),
	passwordChanged: p => notice(p, 'password changed', `the password of the MySign portal was changed ${when(p.at)}.`, '', NOT_YOU),
	passwordRecovered: p => notice(p, 'password reset', `the password of the MySign portal was reset ${when(p.at)} through the recovery procedure; the open sessions were closed.`, '', NOT_YOU),
	secretQuestionChanged: p => notice(p, 'secret question changed', `the secret question for password recovery was changed ${when(p.at)}.`, '', NOT_YOU),
	phoneChanged: p => notice(p, 'recovery mobile number changed', `the mobile number for password recovery was changed ${when(p.at)}: it is now ${p.newPhone}.`, '', NOT_YOU),
	phoneChangedSms: (p): Sms => ({
		text: `InfoCert Signature Service: since ${date(p.at)} at ${timeFormat.format(p.at)} the MySign password recovery codes go to the number ${p.newPhone}, no longer to this one. If it was not you, contact support.`,
	}),
	emailChangedOld: p =>
		notice(p, 'e-mail address changed', `the e-mail address of your MySign account was changed ${when(p.at)} to ${p.newEmail}: from now on the portal's messages no longer reach this address.`, '', NOT_YOU),
	emailChangedNew: p => notice(p, 'e-mail address changed', 'from now on you will receive the MySign portal’s messages at this address.'),
	reportChanged: p => notice(p, 'report settings changed', `the signature report settings changed ${when(p.at)}: address ${p.address}, frequency «${FREQUENCIES[p.frequency]}».`, '', NOT_YOU),

	otpSms: (p): Sms => ({text: `InfoCert Signature Service: use the following OTP code ${p.code} generated at ${secondsFormat.format(p.at)} (Italian time)`}),
	emailCode: (p): Email => ({
		subject: 'InfoCert MySign: verification code',
		text: `To confirm this e-mail address on the MySign portal enter the code ${p.code}. The code is valid for ${p.minutes} minutes.\n\nIf you did not ask for this change, ignore this message.\n\n${SIGNATURE}`,
	}),

	signatureReport: p => {
		const count = p.documents.length;
		return {
			subject: `Signature report: ${count} ${count === 1 ? 'document signed' : 'documents signed'} on ${date(p.at)}`,
			text: [
				`Dear ${p.name} ${p.surname},`,
				'',
				`on ${date(p.at)} at ${timeFormat.format(p.at)} (Italian time) you signed ${count} ${count === 1 ? 'document' : 'documents'} with your remote signature certificate (User ID ${p.userId}):`,
				...p.documents.map(name => `  - ${name}`),
				'',
				'If you do not recognise this operation, suspend the certificate at once from the MySign portal.',
				'',
				SIGNATURE,
			].join('\n'),
		};
	},
	dailySummary: p => ({
		subject: `Daily signature summary for ${date(p.day)}: ${p.success} ${p.success === 1 ? 'signature' : 'signatures'}`,
		text: [
			`Dear ${p.name} ${p.surname},`,
			'',
			`summary of the signatures of ${date(p.day)} (User ID ${p.userId}):`,
			`  successful signatures: ${p.success}`,
			`  failed attempts: ${p.failure}`,
			'',
			`Summary generated on ${date(p.generatedAt)} at ${timeFormat.format(p.generatedAt)} (Italian time). The details are in «Signature history» on the MySign portal.`,
			'',
			SIGNATURE,
		].join('\n'),
	}),

	userIdReminder: p => ({
		subject: 'InfoCert MySign: your User ID',
		text: `Dear ${p.name} ${p.surname},\n\nyour User ID for the MySign portal is ${p.userId}.\n\n${SIGNATURE}`,
	}),
	renewalEnvelope: p => ({
		subject: 'InfoCert: your new remote signature certificate - Encrypted Envelope (ERC)',
		text: [
			`Dear ${p.name} ${p.surname},`,
			'',
			'your remote signature certificate has been updated. Attached is the Encrypted Envelope (ERC):',
			'open it with the passphrase you chose (or with your codice fiscale, if you chose that).',
			'It holds the Emergency Code, which you need to suspend the certificate from the MySign portal.',
			'',
			SIGNATURE,
		].join('\n'),
	}),
	registration: p => ({
		subject: 'InfoCert LegalCert: registration',
		text: [
			`Dear ${p.name} ${p.surname},`,
			'',
			`the registration of your remote signature certificate is complete. Your User ID is ${p.userId}, your IUT is ${p.iut}.`,
			'Attached is the Encrypted Envelope with the initial password, the PIN and the Emergency Code (to be used with the IUT above):',
			'open it with your codice fiscale (in capitals). At your first login to MySign you will be asked to change the password.',
			'',
			SIGNATURE,
		].join('\n'),
	}),
	reissue: p => ({
		subject: 'InfoCert LegalCert: new certificate issued by the operator',
		text: [
			`Dear ${p.name} ${p.surname},`,
			'',
			`the operator has issued you a new remote signature certificate (IUT ${p.iut}); the previous certificate is revoked.`,
			'Attached is the Encrypted Envelope with the new PIN and the new Emergency Code, to be used with the IUT above:',
			`open it with your codice fiscale (in capitals). Log in to MySign with your User ID ${p.userId} and your usual password.`,
			'',
			SIGNATURE,
		].join('\n'),
	}),
};
