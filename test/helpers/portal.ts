import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {DomainError} from '../../source/core/errors.js';
import {otpCodeIn} from '../../source/core/otp/phone-codes.js';
import {Portal, type AccessEntry, type Session} from '../../source/core/portal.js';
import {storeOf} from './internals.js';
import {DEMO_NOW, ManualClock, MARIO, temporaryDirectory} from './holders.js';
import {copyDemoTemplate} from './templates.js';

export {DEMO_NOW, GIULIA, ManualClock, MARIO, temporaryDirectory} from './holders.js';

/** A data folder holding the demo data set (a copy of one of the run's templates, or made at the clock's time), and a portal opened on it. */
export async function demoPortal(clock = new ManualClock(DEMO_NOW)): Promise<{portal: Portal; clock: ManualClock; directory: string; remove: () => void}> {
	let folder: {path: string; remove: () => void};
	if (clock.now().getTime() === DEMO_NOW.getTime()) folder = copyDemoTemplate('fixed');
	// A clock at the real time: the run's demo made on the real clock (minutes ago: its dates are a few minutes older).
	else if (Math.abs(clock.now().getTime() - Date.now()) < 60_000) folder = copyDemoTemplate('real');
	else {
		folder = temporaryDirectory();
		await Portal.createDemo({dataDirectory: folder.path, clock});
	}
	const portal = await Portal.open({dataDirectory: folder.path, clock, terminal: 'test'});
	return {portal, clock, directory: folder.path, remove: folder.remove};
}

/** A holder's access-log outcomes (logins and account events), oldest first; null: unknown userIDs. */
export async function accessOutcomes(portal: Portal, userId: string | null = MARIO.userId): Promise<string[]> {
	return (await accessEntries(portal, userId)).map(entry => entry.outcome);
}

/** A holder's access-log entries, oldest first, as the access log keeps them; null: attempts on unknown userIDs (the rotated file's too). */
export async function accessEntries(portal: Portal, userId: string | null = MARIO.userId): Promise<AccessEntry[]> {
	if (userId !== null) return [...(await storeOf(portal).accessLog.read(userId)).entries];
	return storeOf(portal).accessLog.readUnknown();
}

/** Every access-log entry of a data folder (all holders' files and the unknown-identifier ones), in id order. */
export function allAccessEntries(directory: string): AccessEntry[] {
	const folder = join(directory, 'access');
	if (!existsSync(folder)) return [];
	const lines = readdirSync(folder)
		.filter(name => name.endsWith('.jsonl'))
		.flatMap(name => readFileSync(join(folder, name), 'utf8').split('\n'))
		.filter(line => line !== '');
	return lines.map(line => JSON.parse(line) as AccessEntry).sort((a, b) => a.id - b.id);
}

/** Logs a holder in and returns the session; a failed login fails the test. */
export async function logIn(portal: Portal, userId: string, password: string): Promise<Session> {
	const login = await portal.sessions.login(userId, password);
	if (login.kind !== 'success') throw new Error(`login of ${userId} failed: ${login.kind}`);
	return login.session;
}

/** The code in the newest SMS to a holder (or operator), as the phone shows it. */
export async function lastSmsCode(portal: Portal, userId: string): Promise<string> {
	return otpCodeIn((await portal.phone.messages(userId)).at(-1)!.text)!;
}

/**
 * The domain error code a promise rejects with (undefined when it resolves); with
 * `withAttempts`, also ":<attempts left>" when the error says how many remain.
 */
export async function errorCode(promise: Promise<unknown>, options: {withAttempts?: boolean} = {}): Promise<string | undefined> {
	return promise.then(
		() => undefined,
		(error: unknown) => {
			if (!(error instanceof DomainError)) return String(error);
			const attempts = error.params['attemptsLeft'];
			return options.withAttempts && attempts !== undefined ? `${error.code}:${String(attempts)}` : error.code;
		},
	);
}

/** The error code and parameters a promise rejects with; fails when it resolves. */
export async function refusal(promise: Promise<unknown>): Promise<{code: string; params: Record<string, unknown>}> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof DomainError) return {code: error.code, params: {...error.params}};
		throw error;
	}
	throw new Error('expected a refusal, but it succeeded');
}
