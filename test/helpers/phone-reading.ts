import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';

/*
 * What a holder's phone shows, read in the test process for tests whose subject is something
 * else (the TUI, `mysign sign`): the same data `mysign phone --print --json` and `mysign outbox
 * --json` print, without starting the CLI (~0.3 s of CPU a reading). Both commands keep their own
 * tests: `phone --print` in phone, sign, pin, renewal, otp, sign-cli, key-binding, cli-help;
 * `outbox` in outbox, console, admin, json-shapes.
 */

export interface PhoneSms {
	id: number;
	text: string;
	at: string;
}

/** An outbox record as stored (the fields of core/notify/outbox.ts's schema). */
export interface OutboxRecord extends PhoneSms {
	kind: 'sms' | 'email';
	userId: string | null;
	to: string;
	subject?: string;
	eml?: string;
	attachments?: string[];
}

/** Every record of the outbox (SMS and e-mails) in sending order, as the files `<data>/outbox/NNNNNNNN.(sms|email).json` hold them. */
export function outboxRecords(dataDirectory: string): OutboxRecord[] {
	const folder = join(dataDirectory, 'outbox');
	let names: string[];
	try {
		names = readdirSync(folder);
	} catch {
		return [];
	}
	return names
		.filter(name => /^\d{8}\.(sms|email)\.json$/.test(name))
		.sort()
		.map(name => JSON.parse(readFileSync(join(folder, name), 'utf8')) as OutboxRecord);
}

/**
 * The holder's SMS, newest first (as `phone --print --json` lists them): the outbox records
 * (plain JSON the portal writes, core/notify/outbox.ts).
 */
export function phoneSms(dataDirectory: string, userId: string): PhoneSms[] {
	const wanted = userId.trim().toUpperCase();
	return outboxRecords(dataDirectory)
		.filter(message => message.kind === 'sms' && message.userId === wanted)
		.reverse();
}

/** The OTP code in the holder's newest SMS (the wording of notify/messages/, either language); throws if that SMS has none. */
export function newestSmsCode(dataDirectory: string, userId: string): string {
	const [newest] = phoneSms(dataDirectory, userId);
	const code = newest && /\b(?:codice OTP|OTP code) (\d{8})\b/.exec(newest.text)?.[1];
	if (!code) throw new Error(`the newest SMS of ${userId} in ${dataDirectory} carries no code: ${newest?.text ?? 'no SMS'}`);
	return code;
}

/**
 * The code the holder's MyInfoCert app or hardware token shows now, on the folder's clock (a
 * training folder's time, as the CLI's phone reads it): the core in this process.
 */
export async function authenticatorCode(dataDirectory: string, userId: string, device: 'app' | 'token'): Promise<string> {
	// Loaded on first use: files importing this helper for SMS only do not load the core.
	const {Portal} = await import('../../source/core/portal.js');
	const portal = await Portal.open({dataDirectory, terminal: 'test'});
	const reading = (await portal.phone.authenticatorReadings(userId.trim().toUpperCase())).find(entry => entry.device === device);
	if (!reading) throw new Error(`${userId} has no ${device} in ${dataDirectory}`);
	return reading.code;
}
