import type {OutboxMessage} from '../notify/outbox.js';

/*
 * What the holder's phone shows first: the newest OTP code received by SMS. Read from the SMS
 * text as the holder reads it (the portal's wording, `otpSms` in notify/messages/, Italian or
 * English by the holder's language); the outbox keeps no code
 * anywhere else, and nothing secret is stored beside the message.
 */

export interface SmsCode {
	code: string;
	/** When the SMS was sent. */
	at: Date;
	/** The outbox message it came in. */
	messageId: number;
}

/** The 8-digit code in an SMS of the portal's wording (either language), if it carries one. */
export function otpCodeIn(text: string): string | undefined {
	return /\b(?:codice OTP|OTP code) (\d{8})\b/.exec(text)?.[1];
}

/** The code of the newest SMS that carries one; `messages` in sending order (as the outbox lists them). */
export function newestSmsCode(messages: readonly OutboxMessage[]): SmsCode | undefined {
	for (let index = messages.length - 1; index >= 0; index--) {
		const message = messages[index]!;
		const code = message.kind === 'sms' ? otpCodeIn(message.text) : undefined;
		if (code) return {code, at: new Date(message.at), messageId: message.id};
	}
	return undefined;
}
