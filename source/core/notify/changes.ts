import {formatItalianDate, formatItalianTime} from '../italian-date.js';
import {maskEmail, maskPhone} from '../otp/challenges.js';
import {ACTING_TERMINAL, nextSequence, type Database, type OtpChannel} from '../store/schema.js';
import type {OutboxMessage} from './outbox.js';

/*
 * "Every change is notified" (issue 18): a change to a certificate, a credential or a channel
 * gets an entry in the holder's access log ("Visualizza accessi") and an e-mail to the holder
 * (where an address or number changed, a notice to the old one too). `recordChange` does both
 * inside the store update that makes the change: the entry and the messages are committed with
 * db.json, then written to <data>/access/ and <data>/outbox/ (see Store.save and queue.ts), so
 * a change that did not commit is never announced and one that did is never silent.
 *
 * The texts are Italian, like every message of the portal. They never hold a secret (PIN,
 * password, OTP, ERC, secret answer); the IUT is not one: the renewal's and the new
 * certificate's e-mails carry it in full, since suspending needs it.
 */

export type Change =
	| {kind: 'certificate-renewed'; userId: string; iut: string; expiresAt: Date}
	| {kind: 'certificate-issued'; userId: string; iut: string; expiresAt: Date; envelope: boolean}
	| {kind: 'certificate-suspended'; userId: string; until: Date; equalsExpiry: boolean}
	| {kind: 'certificate-reactivated'; userId: string}
	| {kind: 'suspension-ended'; userId: string; until: Date; expired: boolean}
	| {kind: 'certificate-revoked'; userId: string; reason: string}
	| {kind: 'replacement-flagged'; userId: string; deadline: Date; /** PIN blocked or revoked: only the operator issues the new certificate. */ byOperator?: boolean}
	| {kind: 'pin-changed'; userId: string}
	| {kind: 'pin-blocked'; userId: string; attempts: number}
	| {kind: 'otp-phone-changed'; userId: string; oldPhone: string; newPhone: string}
	| {kind: 'otp-app-activated'; userId: string}
	| {kind: 'otp-channel-changed'; userId: string; channel: OtpChannel}
	| {kind: 'otp-push-changed'; userId: string; enabled: boolean}
	| {kind: 'report-changed'; userId: string; oldAddress: string; newAddress: string; frequency: 'each' | 'daily' | 'never'}
	| {kind: 'password-changed'; userId: string}
	| {kind: 'password-recovered'; userId: string}
	| {kind: 'phone-changed'; userId: string; oldPhone: string; newPhone: string}
	| {kind: 'email-changed'; userId: string; oldEmail: string; newEmail: string}
	| {kind: 'secret-question-changed'; userId: string};

export type ChangeKind = Change['kind'];

/** Who made the change, for the access log's terminal column: the holder's own session (default), an operator, or the portal itself. */
export type ChangeActor = {terminal: string} | 'holder';

/** The access log's terminal for what an operator did (the holder sees who acted). */
export const OPERATOR_TERMINAL = {terminal: 'mysign admin'};

const SIGNATURE = 'InfoCert S.p.A. (messaggio simulato da mysign)';
const NOT_YOU = 'Se non hai fatto tu questa operazione, contatta subito l’assistenza InfoCert.';
/** What an operator did at the holder's request. */
const NOT_ASKED = 'Se non l’hai chiesto tu, contatta subito l’assistenza InfoCert.';

const CHANNELS: Record<OtpChannel, string> = {sms: 'SMS', app: 'app MyInfoCert', token: 'token'};
const FREQUENCIES = {each: 'a ogni firma', daily: 'riepilogo giornaliero', never: 'mai'} as const;
const REVOCATION_REASONS: Record<string, string> = {
	keyCompromise: 'compromissione della chiave',
	cessationOfOperation: 'cessazione del servizio',
	superseded: 'sostituito da un nuovo certificato',
	unspecified: 'non specificato',
};

interface Notice {
	kind: 'sms' | 'email';
	to: string;
	subject?: string;
	text: string;
}

function when(at: Date): string {
	return `il ${formatItalianDate(at)} alle ${formatItalianTime(at)}`;
}

function since(at: Date): string {
	return `${formatItalianDate(at)} alle ${formatItalianTime(at)}`;
}

/** The messages of one change: the e-mail to the holder first, then any notice to an old address or number. */
export function noticesOf(change: Change, holder: {name: string; surname: string; email: string}, at: Date): Notice[] {
	const email = (subject: string, ...body: string[]): Notice => ({
		kind: 'email',
		to: holder.email,
		subject: `InfoCert MySign: ${subject}`,
		text: [`Gentile ${holder.name} ${holder.surname},`, '', ...body, '', SIGNATURE].join('\n'),
	});
	switch (change.kind) {
		case 'certificate-renewed':
			return [
				email(
					'certificato rinnovato',
					`il rinnovo del tuo certificato di firma remota è stato completato ${when(at)}.`,
					'',
					`Il nuovo identificativo univoco del titolare (IUT) è: ${change.iut}`,
					`Il nuovo certificato è valido fino al ${formatItalianDate(change.expiresAt)}. Il certificato precedente è stato revocato: il suo IUT non vale più.`,
					'Conserva lo IUT: insieme al Codice di Emergenza (ERC) ti serve per sospendere il certificato dal portale MySign.',
					'',
					NOT_YOU,
				),
			];
		case 'certificate-issued':
			return [
				email(
					'nuovo certificato emesso',
					`il tuo nuovo certificato di firma remota è attivo ${when(at)}.`,
					'',
					`L’identificativo univoco del titolare (IUT) del nuovo certificato è: ${change.iut}`,
					`Il nuovo certificato è valido fino al ${formatItalianDate(change.expiresAt)}. Il certificato precedente è stato revocato.`,
					...(change.envelope ? ['La Busta Cifrata con il nuovo Codice di Emergenza (ERC) ti arriva in un messaggio separato.'] : []),
					'Conserva lo IUT: insieme al Codice di Emergenza (ERC) ti serve per sospendere il certificato dal portale MySign.',
					'',
					NOT_YOU,
				),
			];
		case 'certificate-suspended':
			return [
				email(
					'certificato sospeso',
					`il tuo certificato di firma remota è stato sospeso ${when(at)}: finché è sospeso non puoi firmare.`,
					change.equalsExpiry
						? `La data di fine (${formatItalianDate(change.until)}) coincide con la scadenza del certificato: la sospensione equivale a una revoca e il certificato non tornerà attivo.`
						: `La sospensione termina il ${formatItalianDate(change.until)}: dal giorno dopo il certificato torna attivo.`,
					'',
					NOT_YOU,
				),
			];
		case 'certificate-reactivated':
			return [email('certificato riattivato', `l’operatore di registrazione ha riattivato il tuo certificato di firma remota ${when(at)}, prima della fine della sospensione: puoi di nuovo firmare.`, '', NOT_ASKED)];
		case 'suspension-ended':
			return [
				change.expired
					? email('sospensione terminata', `la sospensione del tuo certificato di firma remota è terminata il ${formatItalianDate(change.until)} con la scadenza del certificato: il certificato è scaduto e non firma più.`)
					: email('certificato di nuovo attivo', `la sospensione del tuo certificato di firma remota è terminata il ${formatItalianDate(change.until)}: il certificato è di nuovo attivo e puoi firmare.`),
			];
		case 'certificate-revoked':
			return [
				email(
					'certificato revocato',
					`il tuo certificato di firma remota è stato revocato dall’operatore ${when(at)} (motivo: ${REVOCATION_REASONS[change.reason] ?? 'non specificato'}).`,
					'La revoca è definitiva: il certificato non firma più. Per firmare di nuovo serve un nuovo certificato.',
					'',
					NOT_ASKED,
				),
			];
		case 'replacement-flagged':
			return [
				email(
					'richiedi un nuovo certificato',
					`il tuo certificato di firma remota deve essere sostituito: richiedi un nuovo certificato entro il ${formatItalianDate(change.deadline)}.`,
					change.byOperator
						? 'Il PIN è bloccato o il certificato è revocato: il nuovo certificato lo emette l’operatore di registrazione (RAO) dopo averti identificato. Rivolgiti a lui con un documento d’identità.'
						: 'Accedi al portale MySign e scegli «Richiedi nuovo certificato».',
				),
			];
		case 'pin-changed':
			return [email('PIN di firma modificato', `il PIN di firma del tuo certificato è stato modificato ${when(at)}.`, '', NOT_YOU)];
		case 'pin-blocked':
			return [
				email(
					'PIN di firma bloccato',
					`il PIN di firma è stato inserito in modo errato per ${change.attempts} volte consecutive (l’ultima ${when(at)}): il PIN e il certificato sono bloccati definitivamente.`,
					'Per firmare di nuovo serve un nuovo certificato: accedi al portale MySign per sapere come richiederlo.',
					'',
					NOT_YOU,
				),
			];
		case 'otp-phone-changed':
			return [
				email('numero per i codici OTP modificato', `il numero di cellulare che riceve i codici OTP è stato cambiato ${when(at)}: da ${maskPhone(change.oldPhone)} a ${maskPhone(change.newPhone)}.`, '', NOT_YOU),
				{
					kind: 'sms',
					to: change.oldPhone,
					text: `Servizio di Firma InfoCert: dal ${since(at)} i codici OTP del tuo certificato vanno al numero ${maskPhone(change.newPhone)}, non più a questo. Se non sei stato tu, contatta l'assistenza.`,
				},
			];
		case 'otp-app-activated':
			return [email('app MyInfoCert attivata', `l’app MyInfoCert è stata attivata ${when(at)} per generare i codici OTP del tuo certificato; da ora è il canale con cui confermi le operazioni.`, '', NOT_YOU)];
		case 'otp-channel-changed':
			return [email('canale OTP modificato', `il canale con cui ricevi i codici OTP è cambiato ${when(at)}: ora è ${CHANNELS[change.channel]}.`, '', NOT_YOU)];
		case 'otp-push-changed':
			return [email(change.enabled ? 'notifiche push attivate' : 'notifiche push disattivate', `le notifiche push dell’app MyInfoCert sono state ${change.enabled ? 'attivate' : 'disattivate'} ${when(at)}.`, '', NOT_YOU)];
		case 'password-changed':
			return [email('password modificata', `la password di accesso al portale MySign è stata modificata ${when(at)}.`, '', NOT_YOU)];
		case 'password-recovered':
			return [email('password reimpostata', `la password di accesso al portale MySign è stata reimpostata ${when(at)} con la procedura di recupero; le sessioni aperte sono state chiuse.`, '', NOT_YOU)];
		case 'secret-question-changed':
			return [email('domanda segreta modificata', `la domanda segreta per il recupero della password è stata modificata ${when(at)}.`, '', NOT_YOU)];
		case 'phone-changed':
			return [
				email('cellulare di recupero modificato', `il numero di cellulare per il recupero della password è stato cambiato ${when(at)}: ora è ${maskPhone(change.newPhone)}.`, '', NOT_YOU),
				{
					kind: 'sms',
					to: change.oldPhone,
					text: `Servizio di Firma InfoCert: dal ${since(at)} i codici di recupero della password MySign vanno al numero ${maskPhone(change.newPhone)}, non più a questo. Se non sei stato tu, contatta l'assistenza.`,
				},
			];
		case 'email-changed': {
			// The old address first: it is the one to warn; the new one learns it now receives the messages.
			const old = email('indirizzo e-mail modificato', `l’indirizzo e-mail del tuo account MySign è stato cambiato ${when(at)} in ${maskEmail(change.newEmail)}: da ora i messaggi del portale non arrivano più a questo indirizzo.`, '', NOT_YOU);
			return [{...old, to: change.oldEmail}, {...email('indirizzo e-mail modificato', 'da ora riceverai a questo indirizzo i messaggi del portale MySign.'), to: change.newEmail}];
		}
		case 'report-changed': {
			const body = [`le impostazioni dei report di firma sono cambiate ${when(at)}: indirizzo ${maskEmail(change.newAddress)}, frequenza «${FREQUENCIES[change.frequency]}».`, '', NOT_YOU];
			const notices = [email('impostazioni dei report modificate', ...body)];
			// The address that received the reports until now is told too, when it is not the account's.
			if (change.oldAddress.toLowerCase() !== change.newAddress.toLowerCase() && change.oldAddress.toLowerCase() !== holder.email.toLowerCase()) {
				notices.push({...email('impostazioni dei report modificate', ...body), to: change.oldAddress});
			}
			return notices;
		}
	}
}

/** Without the acting process's terminal: the holder's most recently active open session's. */
function holderTerminal(db: Database, userId: string): string {
	let latest: {terminal: string; at: number} | undefined;
	for (const session of db.sessions) {
		if (session.userId !== userId || session.endedAt !== null) continue;
		const at = Date.parse(session.lastActivityAt);
		if (!latest || at >= latest.at) latest = {terminal: session.terminal, at};
	}
	return latest?.terminal ?? '';
}

/**
 * Records a change inside the store update that makes it: the access-log entry and the
 * messages to send (queued in `db.notices`, delivered to the outbox once db.json is written).
 * `actor`: 'holder' (the terminal of the holder's session) or an explicit terminal (an operator's
 * command, or '' for what the portal does by itself, like the end of a suspension).
 */
export function recordChange(db: Database, change: Change, at: Date, actor: ChangeActor = 'holder'): void {
	const holder = db.holders.find(entry => entry.userId === change.userId);
	if (!holder) throw new Error(`a change of an unknown holder: ${change.userId}`);
	// The holder's change is this process's session's: its terminal, when the store says which it is.
	const acting = (db as Database & {[ACTING_TERMINAL]?: string})[ACTING_TERMINAL];
	const terminal = actor === 'holder' ? (acting ?? holderTerminal(db, change.userId)) : actor.terminal;
	db.accessLog.push({id: nextSequence(db, 'accessLog'), at: at.toISOString(), userId: change.userId, outcome: change.kind, terminal: terminal.slice(0, 200)});
	for (const notice of noticesOf(change, holder, at)) {
		const message: OutboxMessage = {id: nextSequence(db, 'outbox'), userId: change.userId, at: at.toISOString(), ...notice};
		db.notices.push(message);
	}
}
