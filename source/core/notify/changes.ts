import {maskEmail, maskPhone} from '../otp/challenges.js';
import {ACTING_TERMINAL, nextAccessId, nextSequence, type Database, type OtpChannel} from '../store/schema.js';
import {messagesFor, type Email, type MessageLanguage, type Sms} from './messages/messages.js';
import type {OutboxMessage} from './outbox.js';

/*
 * "Every change is notified" (issue 18): a change to a certificate, a credential or a channel
 * gets an entry in the holder's access log ("Visualizza accessi") and an e-mail to the holder
 * (where an address or number changed, a notice to the old one too). `recordChange` does both
 * inside the store update that makes the change: the entry and the messages are committed with
 * db.json, then written to <data>/access/ and <data>/outbox/ (see Store.save and queue.ts), so
 * a change that did not commit is never announced and one that did is never silent.
 *
 * The texts are in messages/ (it.ts, en.ts), in the holder's saved language (Italian when none).
 * They never hold a secret (PIN, password, OTP, ERC, secret answer); the IUT is not one: the
 * renewal's and the new certificate's e-mails carry it in full, since suspending needs it.
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

interface Notice {
	kind: 'sms' | 'email';
	to: string;
	subject?: string;
	text: string;
}

/** The messages of one change, in the holder's language: the e-mail to the holder first, then any notice to an old address or number. */
export function noticesOf(change: Change, holder: {name: string; surname: string; email: string; language?: MessageLanguage | null}, at: Date): Notice[] {
	const messages = messagesFor(holder.language);
	const to = {name: holder.name, surname: holder.surname};
	const email = (message: Email, address = holder.email): Notice => ({kind: 'email', to: address, ...message});
	const sms = (message: Sms, phone: string): Notice => ({kind: 'sms', to: phone, ...message});
	switch (change.kind) {
		case 'certificate-renewed':
			return [email(messages.certificateRenewed({...to, at, iut: change.iut, expiresAt: change.expiresAt}))];
		case 'certificate-issued':
			return [email(messages.certificateIssued({...to, at, iut: change.iut, expiresAt: change.expiresAt, envelope: change.envelope}))];
		case 'certificate-suspended':
			return [email(messages.certificateSuspended({...to, at, until: change.until, equalsExpiry: change.equalsExpiry}))];
		case 'certificate-reactivated':
			return [email(messages.certificateReactivated({...to, at}))];
		case 'suspension-ended':
			return [email(messages.suspensionEnded({...to, until: change.until, expired: change.expired}))];
		case 'certificate-revoked':
			return [email(messages.certificateRevoked({...to, at, reason: change.reason}))];
		case 'replacement-flagged':
			return [email(messages.replacementFlagged({...to, deadline: change.deadline, byOperator: change.byOperator ?? false}))];
		case 'pin-changed':
			return [email(messages.pinChanged({...to, at}))];
		case 'pin-blocked':
			return [email(messages.pinBlocked({...to, at, attempts: change.attempts}))];
		case 'otp-phone-changed':
			return [
				email(messages.otpPhoneChanged({...to, at, oldPhone: maskPhone(change.oldPhone), newPhone: maskPhone(change.newPhone)})),
				sms(messages.otpPhoneChangedSms({at, newPhone: maskPhone(change.newPhone)}), change.oldPhone),
			];
		case 'otp-app-activated':
			return [email(messages.otpAppActivated({...to, at}))];
		case 'otp-channel-changed':
			return [email(messages.otpChannelChanged({...to, at, channel: change.channel}))];
		case 'otp-push-changed':
			return [email(messages.otpPushChanged({...to, at, enabled: change.enabled}))];
		case 'password-changed':
			return [email(messages.passwordChanged({...to, at}))];
		case 'password-recovered':
			return [email(messages.passwordRecovered({...to, at}))];
		case 'secret-question-changed':
			return [email(messages.secretQuestionChanged({...to, at}))];
		case 'phone-changed':
			return [email(messages.phoneChanged({...to, at, newPhone: maskPhone(change.newPhone)})), sms(messages.phoneChangedSms({at, newPhone: maskPhone(change.newPhone)}), change.oldPhone)];
		case 'email-changed':
			// The old address first: it is the one to warn; the new one learns it now receives the messages.
			return [email(messages.emailChangedOld({...to, at, newEmail: maskEmail(change.newEmail)}), change.oldEmail), email(messages.emailChangedNew(to), change.newEmail)];
		case 'report-changed': {
			const notice = messages.reportChanged({...to, at, address: maskEmail(change.newAddress), frequency: change.frequency});
			const notices = [email(notice)];
			// The address that received the reports until now is told too, when it is not the account's.
			if (change.oldAddress.toLowerCase() !== change.newAddress.toLowerCase() && change.oldAddress.toLowerCase() !== holder.email.toLowerCase()) {
				notices.push(email(notice, change.oldAddress));
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
	db.accessLog.push({id: nextAccessId(db, change.userId), at: at.toISOString(), userId: change.userId, outcome: change.kind, terminal: terminal.slice(0, 200)});
	for (const notice of noticesOf(change, holder, at)) {
		const message: OutboxMessage = {id: nextSequence(db, 'outbox'), userId: change.userId, at: at.toISOString(), ...notice};
		db.notices.push(message);
	}
}
