import {describe, expect, it} from 'vitest';
import {CATALOGUES, messagesFor, type MessageKey, type Messages} from '../../../source/core/notify/messages/messages.js';

/*
 * The portal's SMS and e-mail texts (source/core/notify/messages/): both languages have the
 * same keys (tsc checks it too: en.ts is typed by it.ts), and every entry shows, in both
 * languages, every value it takes: a name, a code, a masked number, a date. An entry that took
 * a value and did not show it (or showed it in one language only) would be carrying data it
 * does not need, the way a secret gets into a message.
 */

type Sample<K extends MessageKey> = Parameters<Messages[K]>[0];

/** Parameters that choose a wording (shown as a word of the language, not as given). */
const CHOICES = new Set(['channel', 'frequency', 'reason', 'envelope', 'equalsExpiry', 'expired', 'byOperator', 'enabled']);

const at = new Date('2027-01-20T09:05:00Z');
const who = {name: 'Giulia', surname: 'Bianchi'};

/** Every key with the samples that cover its wordings; the values are replaced by markers below. */
const SAMPLES: {[K in MessageKey]: Sample<K>[]} = {
	certificateRenewed: [{...who, at, iut: '1', expiresAt: at}],
	certificateIssued: [{...who, at, iut: '1', expiresAt: at, envelope: true}, {...who, at, iut: '1', expiresAt: at, envelope: false}],
	certificateSuspended: [{...who, at, until: at, equalsExpiry: true}, {...who, at, until: at, equalsExpiry: false}],
	certificateReactivated: [{...who, at}],
	suspensionEnded: [{...who, until: at, expired: true}, {...who, until: at, expired: false}],
	certificateRevoked: [{...who, at, reason: 'keyCompromise'}, {...who, at, reason: 'superseded'}, {...who, at, reason: 'no such reason'}],
	replacementFlagged: [{...who, deadline: at, byOperator: true}, {...who, deadline: at, byOperator: false}],
	pinChanged: [{...who, at}],
	pinBlocked: [{...who, at, attempts: 3}],
	otpPhoneChanged: [{...who, at, oldPhone: '+39347*****67', newPhone: '+39335*****33'}],
	otpPhoneChangedSms: [{at, newPhone: '+39335*****33'}],
	otpAppActivated: [{...who, at}],
	otpChannelChanged: [{...who, at, channel: 'sms'}, {...who, at, channel: 'app'}, {...who, at, channel: 'token'}],
	otpPushChanged: [{...who, at, enabled: true}, {...who, at, enabled: false}],
	passwordChanged: [{...who, at}],
	passwordRecovered: [{...who, at}],
	secretQuestionChanged: [{...who, at}],
	phoneChanged: [{...who, at, newPhone: '+39335*****33'}],
	phoneChangedSms: [{at, newPhone: '+39335*****33'}],
	emailChangedOld: [{...who, at, newEmail: 'g***@example.it'}],
	emailChangedNew: [who],
	reportChanged: [{...who, at, address: 's***@esempio.it', frequency: 'each'}, {...who, at, address: 's***@esempio.it', frequency: 'daily'}, {...who, at, address: 's***@esempio.it', frequency: 'never'}],
	otpSms: [{code: '12345678', at}],
	emailCode: [{code: '12345678', minutes: 10}],
	signatureReport: [{...who, userId: 'U', at, documents: ['a.pdf']}, {...who, userId: 'U', at, documents: ['a.pdf', 'b.pdf', 'c.pdf']}],
	dailySummary: [{...who, userId: 'U', day: at, success: 1, failure: 0, generatedAt: at}, {...who, userId: 'U', day: at, success: 4, failure: 2, generatedAt: at}],
	userIdReminder: [{...who, userId: 'U'}],
	renewalEnvelope: [who],
	registration: [{...who, userId: 'U', iut: '1'}],
	reissue: [{...who, userId: 'U', iut: '1'}],
};

/**
 * The sample with each shown value made unmistakable: strings become MK1…, numbers 9001…, dates
 * distinct years (2091…: every language writes the year as it is), arrays marker by marker.
 * Returns the markers to look for.
 */
function marked(sample: Record<string, unknown>): {params: Record<string, unknown>; markers: string[][]} {
	/** Each value's marker: any one of its forms shows it (a date by its year, or by its time where only the time is said). */
	const markers: string[][] = [];
	let next = 1;
	const mark = (value: unknown): unknown => {
		const index = next++;
		if (typeof value === 'string') return markers[markers.push([`MK${index}Q`]) - 1]![0];
		if (typeof value === 'number') return Number(markers[markers.push([String(9000 + index)]) - 1]![0]);
		if (value instanceof Date) {
			// 15 June: Italy is UTC+2; minutes 31… are no other marker's.
			const hour = String(index + 2).padStart(2, '0');
			markers.push([String(2090 + index), `${hour}:${30 + index}`]);
			return new Date(Date.UTC(2090 + index, 5, 15, index, 30 + index));
		}
		throw new Error(`a parameter of an unexpected type: ${String(value)}`);
	};
	const params = Object.fromEntries(
		Object.entries(sample).map(([key, value]) => [key, CHOICES.has(key) ? value : Array.isArray(value) ? value.map(mark) : mark(value)]),
	);
	return {params, markers};
}

/** What a reader sees of a message: the subject and the text. */
function shown(language: 'it' | 'en', key: MessageKey, params: Record<string, unknown>): string {
	const message = (CATALOGUES[language][key] as (p: Record<string, unknown>) => {subject?: string; text: string})(params);
	return `${message.subject ?? ''}\n${message.text}`;
}

describe('the message catalogues', () => {
	it('have the same keys in Italian and English, and a sample for each', () => {
		expect(Object.keys(CATALOGUES.en).sort()).toEqual(Object.keys(CATALOGUES.it).sort());
		expect(Object.keys(SAMPLES).sort()).toEqual(Object.keys(CATALOGUES.it).sort());
	});

	for (const key of Object.keys(SAMPLES) as MessageKey[]) {
		it(`${key}: shows every value it takes, in both languages`, () => {
			for (const sample of SAMPLES[key] as Record<string, unknown>[]) {
				const {params, markers} = marked(sample);
				const italian = shown('it', key, params);
				const english = shown('en', key, params);
				for (const forms of markers) {
					expect(forms.some(form => italian.includes(form)), `${key} (it) does not show ${forms.join(' or ')}:\n${italian}`).toBe(true);
					expect(forms.some(form => english.includes(form)), `${key} (en) does not show ${forms.join(' or ')}:\n${english}`).toBe(true);
				}
				// A translation, not the Italian again.
				expect(english).not.toBe(italian);
			}
		});
	}

	it('each wording of a choice reads differently (a choice is not ignored by one language)', () => {
		for (const key of Object.keys(SAMPLES) as MessageKey[]) {
			const samples = SAMPLES[key] as Record<string, unknown>[];
			if (samples.length < 2) continue;
			for (const language of ['it', 'en'] as const) {
				const texts = samples.map(sample => shown(language, key, sample));
				expect(new Set(texts).size, `${key} (${language})`).toBe(samples.length);
			}
		}
	});

	it('greet and sign in their own language, with no Italian left in an English e-mail', () => {
		for (const key of Object.keys(SAMPLES) as MessageKey[]) {
			const english = shown('en', key, marked(SAMPLES[key][0] as Record<string, unknown>).params);
			expect(english, key).not.toMatch(/\b(Gentile|il tuo|codice OTP|messaggio simulato|Servizio di Firma)\b/);
		}
		expect(shown('en', 'pinChanged', {...who, at})).toMatch(/^InfoCert MySign: signature PIN changed\nDear Giulia Bianchi,\n/);
		expect(shown('it', 'pinChanged', {...who, at})).toMatch(/^InfoCert MySign: PIN di firma modificato\nGentile Giulia Bianchi,\n/);
	});

	it('Italian when no language is saved', () => {
		expect(messagesFor(null)).toBe(CATALOGUES.it);
		expect(messagesFor(undefined)).toBe(CATALOGUES.it);
		expect(messagesFor('en')).toBe(CATALOGUES.en);
	});
});
