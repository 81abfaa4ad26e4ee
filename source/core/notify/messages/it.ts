import {formatItalianDate, formatItalianTime} from '../../italian-date.js';
import type {OtpChannel, ReportFrequency} from '../../store/schema.js';

/*
 * Every SMS and e-mail the portal sends, in Italian (the portal's own wording: tests, seeds and
 * the phone's code reader depend on it, so change a text here only on purpose). en.ts has the
 * same keys with the same parameters (`Messages`: a key missing there fails tsc; a parameter it
 * does not show fails test/core/notify/messages.test.ts). Each entry takes exactly what it shows:
 * the callers mask a number or an address before they pass it, and no entry takes a secret
 * other than the one code an OTP message exists to carry.
 */

export interface Email {
	subject: string;
	text: string;
}

export interface Sms {
	text: string;
}

/** Whom an e-mail greets. */
export interface Addressee {
	name: string;
	surname: string;
}

const SIGNATURE = 'InfoCert S.p.A. (messaggio simulato da mysign)';
const NOT_YOU = 'Se non hai fatto tu questa operazione, contatta subito l’assistenza InfoCert.';
/** What an operator did at the holder's request. */
const NOT_ASKED = 'Se non l’hai chiesto tu, contatta subito l’assistenza InfoCert.';

const CHANNELS: Record<OtpChannel, string> = {sms: 'SMS', app: 'app MyInfoCert', token: 'token'};
const FREQUENCIES: Record<ReportFrequency, string> = {each: 'a ogni firma', daily: 'riepilogo giornaliero', never: 'mai'};
const REVOCATION_REASONS: Record<string, string> = {
	keyCompromise: 'compromissione della chiave',
	cessationOfOperation: 'cessazione del servizio',
	superseded: 'sostituito da un nuovo certificato',
	unspecified: 'non specificato',
};

const date = formatItalianDate;

function when(at: Date): string {
	return `il ${formatItalianDate(at)} alle ${formatItalianTime(at)}`;
}

function since(at: Date): string {
	return `${formatItalianDate(at)} alle ${formatItalianTime(at)}`;
}

/** hh:mm, as the reports say it. */
function time(at: Date): string {
	return new Intl.DateTimeFormat('it-IT', {timeZone: 'Europe/Rome', hour: '2-digit', minute: '2-digit'}).format(at);
}

/** A change notice: "InfoCert MySign: …", the greeting, the body, the signature. */
function notice(to: Addressee, subject: string, ...body: string[]): Email {
	return {subject: `InfoCert MySign: ${subject}`, text: [`Gentile ${to.name} ${to.surname},`, '', ...body, '', SIGNATURE].join('\n')};
}

export const it = {
	// ── Change notices (notify/changes.ts) ──────────────────────────────────────────────
	certificateRenewed: (p: Addressee & {at: Date; iut: string; expiresAt: Date}): Email =>
		notice(
			p,
			'certificato rinnovato',
			`il rinnovo del tuo certificato di firma remota è stato completato ${when(p.at)}.`,
			'',
			`Il nuovo identificativo univoco del titolare (IUT) è: ${p.iut}`,
			`Il nuovo certificato è valido fino al ${date(p.expiresAt)}. Il certificato precedente è stato revocato: il suo IUT non vale più.`,
			'Conserva lo IUT: insieme al Codice di Emergenza (ERC) ti serve per sospendere il certificato dal portale MySign.',
			'',
			NOT_YOU,
		),
	certificateIssued: (p: Addressee & {at: Date; iut: string; expiresAt: Date; envelope: boolean}): Email =>
		notice(
			p,
			'nuovo certificato emesso',
			`il tuo nuovo certificato di firma remota è attivo ${when(p.at)}.`,
			'',
			`L’identificativo univoco del titolare (IUT) del nuovo certificato è: ${p.iut}`,
			`Il nuovo certificato è valido fino al ${date(p.expiresAt)}. Il certificato precedente è stato revocato.`,
			...(p.envelope ? ['La Busta Cifrata con il nuovo Codice di Emergenza (ERC) ti arriva in un messaggio separato.'] : []),
			'Conserva lo IUT: insieme al Codice di Emergenza (ERC) ti serve per sospendere il certificato dal portale MySign.',
			'',
			NOT_YOU,
		),
	certificateSuspended: (p: Addressee & {at: Date; until: Date; equalsExpiry: boolean}): Email =>
		notice(
			p,
			'certificato sospeso',
			`il tuo certificato di firma remota è stato sospeso ${when(p.at)}: finché è sospeso non puoi firmare.`,
			p.equalsExpiry
				? `La data di fine (${date(p.until)}) coincide con la scadenza del certificato: la sospensione equivale a una revoca e il certificato non tornerà attivo.`
				: `La sospensione termina il ${date(p.until)}: dal giorno dopo il certificato torna attivo.`,
			'',
			NOT_YOU,
		),
	certificateReactivated: (p: Addressee & {at: Date}): Email =>
		notice(p, 'certificato riattivato', `l’operatore di registrazione ha riattivato il tuo certificato di firma remota ${when(p.at)}, prima della fine della sospensione: puoi di nuovo firmare.`, '', NOT_ASKED),
	suspensionEnded: (p: Addressee & {until: Date; expired: boolean}): Email =>
		p.expired
			? notice(p, 'sospensione terminata', `la sospensione del tuo certificato di firma remota è terminata il ${date(p.until)} con la scadenza del certificato: il certificato è scaduto e non firma più.`)
			: notice(p, 'certificato di nuovo attivo', `la sospensione del tuo certificato di firma remota è terminata il ${date(p.until)}: il certificato è di nuovo attivo e puoi firmare.`),
	certificateRevoked: (p: Addressee & {at: Date; reason: string}): Email =>
		notice(
			p,
			'certificato revocato',
			`il tuo certificato di firma remota è stato revocato dall’operatore ${when(p.at)} (motivo: ${REVOCATION_REASONS[p.reason] ?? 'non specificato'}).`,
			'La revoca è definitiva: il certificato non firma più. Per firmare di nuovo serve un nuovo certificato.',
			'',
			NOT_ASKED,
		),
	replacementFlagged: (p: Addressee & {deadline: Date; byOperator: boolean}): Email =>
		notice(
			p,
			'richiedi un nuovo certificato',
			`il tuo certificato di firma remota deve essere sostituito: richiedi un nuovo certificato entro il ${date(p.deadline)}.`,
			p.byOperator
				? 'Il PIN è bloccato o il certificato è revocato: il nuovo certificato lo emette l’operatore di registrazione (RAO) dopo averti identificato. Rivolgiti a lui con un documento d’identità.'
				: 'Accedi al portale MySign e scegli «Richiedi nuovo certificato».',
		),
	pinChanged: (p: Addressee & {at: Date}): Email => notice(p, 'PIN di firma modificato', `il PIN di firma del tuo certificato è stato modificato ${when(p.at)}.`, '', NOT_YOU),
	pinBlocked: (p: Addressee & {at: Date; attempts: number}): Email =>
		notice(
			p,
			'PIN di firma bloccato',
			`il PIN di firma è stato inserito in modo errato per ${p.attempts} volte consecutive (l’ultima ${when(p.at)}): il PIN e il certificato sono bloccati definitivamente.`,
			'Per firmare di nuovo serve un nuovo certificato: accedi al portale MySign per sapere come richiederlo.',
			'',
			NOT_YOU,
		),
	/** `oldPhone`, `newPhone`: masked. */
	otpPhoneChanged: (p: Addressee & {at: Date; oldPhone: string; newPhone: string}): Email =>
		notice(p, 'numero per i codici OTP modificato', `il numero di cellulare che riceve i codici OTP è stato cambiato ${when(p.at)}: da ${p.oldPhone} a ${p.newPhone}.`, '', NOT_YOU),
	/** To the old number; `newPhone` masked. */
	otpPhoneChangedSms: (p: {at: Date; newPhone: string}): Sms => ({
		text: `Servizio di Firma InfoCert: dal ${since(p.at)} i codici OTP del tuo certificato vanno al numero ${p.newPhone}, non più a questo. Se non sei stato tu, contatta l'assistenza.`,
	}),
	otpAppActivated: (p: Addressee & {at: Date}): Email =>
		notice(p, 'app MyInfoCert attivata', `l’app MyInfoCert è stata attivata ${when(p.at)} per generare i codici OTP del tuo certificato; da ora è il canale con cui confermi le operazioni.`, '', NOT_YOU),
	otpChannelChanged: (p: Addressee & {at: Date; channel: OtpChannel}): Email =>
		notice(p, 'canale OTP modificato', `il canale con cui ricevi i codici OTP è cambiato ${when(p.at)}: ora è ${CHANNELS[p.channel]}.`, '', NOT_YOU),
	otpPushChanged: (p: Addressee & {at: Date; enabled: boolean}): Email =>
		notice(p, p.enabled ? 'notifiche push attivate' : 'notifiche push disattivate', `le notifiche push dell’app MyInfoCert sono state ${p.enabled ? 'attivate' : 'disattivate'} ${when(p.at)}.`, '', NOT_YOU),
	passwordChanged: (p: Addressee & {at: Date}): Email => notice(p, 'password modificata', `la password di accesso al portale MySign è stata modificata ${when(p.at)}.`, '', NOT_YOU),
	passwordRecovered: (p: Addressee & {at: Date}): Email =>
		notice(p, 'password reimpostata', `la password di accesso al portale MySign è stata reimpostata ${when(p.at)} con la procedura di recupero; le sessioni aperte sono state chiuse.`, '', NOT_YOU),
	secretQuestionChanged: (p: Addressee & {at: Date}): Email =>
		notice(p, 'domanda segreta modificata', `la domanda segreta per il recupero della password è stata modificata ${when(p.at)}.`, '', NOT_YOU),
	/** `newPhone`: masked. */
	phoneChanged: (p: Addressee & {at: Date; newPhone: string}): Email =>
		notice(p, 'cellulare di recupero modificato', `il numero di cellulare per il recupero della password è stato cambiato ${when(p.at)}: ora è ${p.newPhone}.`, '', NOT_YOU),
	/** To the old number; `newPhone` masked. */
	phoneChangedSms: (p: {at: Date; newPhone: string}): Sms => ({
		text: `Servizio di Firma InfoCert: dal ${since(p.at)} i codici di recupero della password MySign vanno al numero ${p.newPhone}, non più a questo. Se non sei stato tu, contatta l'assistenza.`,
	}),
	/** To the old address; `newEmail` masked. */
	emailChangedOld: (p: Addressee & {at: Date; newEmail: string}): Email =>
		notice(p, 'indirizzo e-mail modificato', `l’indirizzo e-mail del tuo account MySign è stato cambiato ${when(p.at)} in ${p.newEmail}: da ora i messaggi del portale non arrivano più a questo indirizzo.`, '', NOT_YOU),
	/** To the new address. */
	emailChangedNew: (p: Addressee): Email => notice(p, 'indirizzo e-mail modificato', 'da ora riceverai a questo indirizzo i messaggi del portale MySign.'),
	/** `address`: masked. */
	reportChanged: (p: Addressee & {at: Date; address: string; frequency: ReportFrequency}): Email =>
		notice(p, 'impostazioni dei report modificate', `le impostazioni dei report di firma sono cambiate ${when(p.at)}: indirizzo ${p.address}, frequenza «${FREQUENCIES[p.frequency]}».`, '', NOT_YOU),

	// ── Codes (otp/challenges.ts): the one secret these carry is the code itself ───────
	/** The phone (otp/phone-codes.ts) reads the code after "codice OTP ". */
	otpSms: (p: {code: string; at: Date}): Sms => ({
		text: `Servizio di Firma InfoCert: utilizzare il seguente codice OTP ${p.code} generato alle ore ${new Intl.DateTimeFormat('it-IT', {timeZone: 'Europe/Rome', hour: '2-digit', minute: '2-digit', second: '2-digit'}).format(p.at)}`,
	}),
	emailCode: (p: {code: string; minutes: number}): Email => ({
		subject: 'InfoCert MySign: codice di verifica',
		text: `Per confermare questo indirizzo e-mail sul portale MySign inserisci il codice ${p.code}. Il codice è valido ${p.minutes} minuti.\n\nSe non hai chiesto tu la modifica, ignora questo messaggio.\n\n${SIGNATURE}`,
	}),

	// ── Reports (notify/reports.ts) ───────────────────────────────────────────────────
	signatureReport: (p: Addressee & {userId: string; at: Date; documents: readonly string[]}): Email => {
		const count = p.documents.length;
		return {
			subject: `Report di firma: ${count} ${count === 1 ? 'documento firmato' : 'documenti firmati'} il ${date(p.at)}`,
			text: [
				`Gentile ${p.name} ${p.surname},`,
				'',
				`il ${date(p.at)} alle ore ${time(p.at)} hai firmato ${count} ${count === 1 ? 'documento' : 'documenti'} con il certificato di firma remota (User ID ${p.userId}):`,
				...p.documents.map(name => `  - ${name}`),
				'',
				'Se non riconosci questa operazione, sospendi subito il certificato dal portale MySign.',
				'',
				SIGNATURE,
			].join('\n'),
		};
	},
	/** `day`: an instant of the Italian day summarised. */
	dailySummary: (p: Addressee & {userId: string; day: Date; success: number; failure: number; generatedAt: Date}): Email => ({
		subject: `Riepilogo giornaliero firme del ${date(p.day)}: ${p.success} ${p.success === 1 ? 'firma' : 'firme'}`,
		text: [
			`Gentile ${p.name} ${p.surname},`,
			'',
			`riepilogo delle firme del ${date(p.day)} (User ID ${p.userId}):`,
			`  firme riuscite: ${p.success}`,
			`  tentativi falliti: ${p.failure}`,
			'',
			`Riepilogo generato il ${date(p.generatedAt)} alle ore ${time(p.generatedAt)}. Il dettaglio è in «Cronologia firme» sul portale MySign.`,
			'',
			SIGNATURE,
		].join('\n'),
	}),

	// ── Account and certificate (account/recovery.ts, portal.ts) ──────────────────────
	userIdReminder: (p: Addressee & {userId: string}): Email => ({
		subject: 'InfoCert MySign: il tuo User ID',
		text: `Gentile ${p.name} ${p.surname},\n\nil tuo User ID per il portale MySign è ${p.userId}.\n\n${SIGNATURE}`,
	}),
	/** The renewal's or the new certificate's envelope (the PDF is attached by the caller). */
	renewalEnvelope: (p: Addressee): Email => ({
		subject: 'InfoCert: il tuo nuovo certificato di firma remota - Busta Cifrata (ERC)',
		text: [
			`Gentile ${p.name} ${p.surname},`,
			'',
			'il tuo certificato di firma remota è stato aggiornato. In allegato trovi la Busta Cifrata (ERC):',
			'aprila con la passphrase che hai scelto (o con il tuo codice fiscale, se lo hai indicato).',
			'Contiene il Codice di Emergenza, che ti serve per sospendere il certificato dal portale MySign.',
			'',
			SIGNATURE,
		].join('\n'),
	}),
	/** "InfoCert LegalCert: registrazione": the codes are in the attached PDF, never here. */
	registration: (p: Addressee & {userId: string; iut: string}): Email => ({
		subject: 'InfoCert LegalCert: registrazione',
		text: [
			`Gentile ${p.name} ${p.surname},`,
			'',
			`la registrazione del tuo certificato di firma remota è completata. Il tuo User ID è ${p.userId}, il tuo IUT è ${p.iut}.`,
			'In allegato trovi la Busta Cifrata con la password iniziale, il PIN e il Codice di Emergenza (da usare con lo IUT indicato):',
			'aprila con il tuo codice fiscale (in maiuscolo). Al primo accesso a MySign ti sarà chiesto di cambiare la password.',
			'',
			SIGNATURE,
		].join('\n'),
	}),
	/** `admin reissue`: a new PIN and ERC in the attached PDF; the holder keeps the password. */
	reissue: (p: Addressee & {userId: string; iut: string}): Email => ({
		subject: 'InfoCert LegalCert: nuovo certificato emesso dall\'operatore',
		text: [
			`Gentile ${p.name} ${p.surname},`,
			'',
			`l'operatore ti ha emesso un nuovo certificato di firma remota (IUT ${p.iut}); il certificato precedente è revocato.`,
			'In allegato trovi la Busta Cifrata con il nuovo PIN e il nuovo Codice di Emergenza, che va usato con lo IUT indicato:',
			`aprila con il tuo codice fiscale (in maiuscolo). Accedi a MySign con il tuo User ID ${p.userId} e la tua password di sempre.`,
			'',
			SIGNATURE,
		].join('\n'),
	}),
};

/** The messages of one language: en.ts has exactly these keys, taking these parameters. */
export type Messages = typeof it;
