import {existsSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import type {Portal, Session} from '../../source/core/portal.js';
import {envelopeMode} from '../../source/core/signing/output.js';
import {demoCopies} from '../helpers/demo-template.js';
import {errorCode, GIULIA, lastSmsCode, logIn, MARIO} from '../helpers/portal.js';
import {holderDocument, recordFiles} from '../helpers/data-folder.js';
import {storeOf} from '../helpers/internals.js';

/*
 * Issue 16 item 3 in the core: the facade's signing operations answer only a live session of
 * the holder (ended, timed out or another holder's: `auth.sessionExpired`, nothing stored), and
 * command-line sessions are resumed only with their secret, within the portal's timeouts.
 */

const demoCopy = demoCopies();
const cleanups: (() => void)[] = [];
afterEach(() => {
	while (cleanups.length > 0) cleanups.pop()!();
});

const MINUTE = 60_000;

/** What a refused call must leave as it was: SMS sent, PIN failures, MARIO's signature log, challenges. */
async function footprint(portal: Portal, directory: string) {
	const db = await storeOf(portal).read();
	const log = join(directory, 'signatures', `${MARIO.userId}.jsonl`);
	return {
		sms: (await portal.phone.messages(MARIO.userId)).length,
		pinFailures: db.holders.find(holder => holder.userId === MARIO.userId)!.pinFailures,
		challenges: db.challenges.length,
		log: existsSync(log) ? statSync(log).size : 0,
	};
}

describe('the signing operations need a live session of the holder', () => {
	it('ended, idle-expired, made-up and other holder sessions are refused with auth.sessionExpired, nothing stored', async () => {
		const {portal, clock, directory} = await demoCopy();
		const path = join(directory, 'contratto.txt');
		writeFileSync(path, 'contratto\n');
		const documents = await portal.signing.inspect([path]);

		// A live session works (the control: the same calls answer).
		const live = await logIn(portal, MARIO.userId, MARIO.password);
		const challenge = await portal.signing.requestOtp(live, documents, MARIO.pin);
		expect(await portal.pin.attemptsLeft(live)).toBe(3);
		expect((await portal.signing.pendingOtp(live, documents))?.id).toBe(challenge.id);
		const code = await lastSmsCode(portal, MARIO.userId);

		const ended = await logIn(portal, MARIO.userId, MARIO.password);
		await portal.sessions.logout(ended);
		const idle = await logIn(portal, MARIO.userId, MARIO.password);
		const giulia = await logIn(portal, GIULIA.userId, GIULIA.password);
		const others: [string, Session][] = [
			['ended', ended],
			["GIULIA's session claiming MARIO", {...giulia, userId: MARIO.userId}],
			['made up', {id: 'not-a-session', userId: MARIO.userId, startedAt: new Date()}],
		];
		const before = await footprint(portal, directory);
		// Started one at a time: a call started before the previous one is awaited would reject unhandled meanwhile.
		const calls = (session: Session): (() => Promise<unknown>)[] => [
			async () => portal.signing.requestOtp(session, documents, '00000000'),
			async () => portal.signing.requestOtp(session, documents),
			async () => portal.signing.pendingOtp(session, documents),
			async () => portal.signing.sign(session, {documents, pin: '00000000', challengeId: challenge.id, code}),
			async () => portal.signing.sign(session, {documents, pin: MARIO.pin, challengeId: challenge.id, code}),
			async () => portal.pin.attemptsLeft(session),
		];
		for (const [name, session] of others) {
			for (const call of calls(session)) expect(await errorCode(call()), name).toBe('auth.sessionExpired');
		}
		// 16 minutes without activity: the idle session (and the live one) time out.
		clock.advance(16 * MINUTE);
		for (const call of calls(idle)) expect(await errorCode(call()), 'idle').toBe('auth.sessionExpired');
		expect(await footprint(portal, directory)).toEqual(before);
		expect(existsSync(`${path}.p7m`)).toBe(false);
	});
});

describe('command-line sessions', () => {
	it('resumed only with the secret (the data folder holds its hash), within the idle and maximum times; logout ends them', async () => {
		const {portal, clock, directory} = await demoCopy();
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		const secret = await portal.sessions.cliSecret(session);
		expect(secret).toMatch(/^[\w-]{43}$/);
		// The session is stored (in Mario's document), and no record file holds its secret.
		expect(holderDocument(directory, MARIO.userId).sessions.some(stored => stored.id === session.id)).toBe(true);
		for (const file of recordFiles(directory)) expect(readFileSync(file, 'utf8'), file).not.toContain(secret);

		expect((await portal.sessions.resumeCli({userId: MARIO.userId, sessionId: session.id, secret})).id).toBe(session.id);
		expect(await errorCode(portal.sessions.resumeCli({userId: MARIO.userId, sessionId: session.id, secret: secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A')}))).toBe('auth.sessionExpired');
		expect(await errorCode(portal.sessions.resumeCli({userId: GIULIA.userId, sessionId: session.id, secret}))).toBe('auth.sessionExpired');
		// A portal session (no secret) cannot be resumed by its ID.
		const portalSession = await logIn(portal, MARIO.userId, MARIO.password);
		expect(await errorCode(portal.sessions.resumeCli({userId: MARIO.userId, sessionId: portalSession.id, secret: ''}))).toBe('auth.sessionExpired');

		// Used every 14 minutes it lives on, up to the portal's maximum (12 hours), then ends.
		for (let minutes = 14; minutes < 12 * 60; minutes += 14) {
			clock.advance(14 * MINUTE);
			await portal.sessions.resumeCli({userId: MARIO.userId, sessionId: session.id, secret});
		}
		clock.advance(14 * MINUTE);
		expect(await errorCode(portal.sessions.resumeCli({userId: MARIO.userId, sessionId: session.id, secret}))).toBe('auth.sessionExpired');

		// Idle: 15 minutes without use end it.
		const second = await logIn(portal, MARIO.userId, MARIO.password);
		const secondSecret = await portal.sessions.cliSecret(second);
		clock.advance(15 * MINUTE);
		expect(await errorCode(portal.sessions.resumeCli({userId: MARIO.userId, sessionId: second.id, secret: secondSecret}))).toBe('auth.sessionExpired');

		// Logout.
		const third = await logIn(portal, MARIO.userId, MARIO.password);
		const thirdSecret = await portal.sessions.cliSecret(third);
		await portal.sessions.logout(await portal.sessions.resumeCli({userId: MARIO.userId, sessionId: third.id, secret: thirdSecret}));
		expect(await errorCode(portal.sessions.resumeCli({userId: MARIO.userId, sessionId: third.id, secret: thirdSecret}))).toBe('auth.sessionExpired');
		// An ended session gets no secret either.
		expect(await errorCode(portal.sessions.cliSecret(third))).toBe('auth.sessionExpired');
	});
});

describe('the mode of a .p7m', () => {
	it('the source read/write bits less the umask, never execute bits', () => {
		expect(envelopeMode(0o600, 0o022)).toBe(0o600);
		expect(envelopeMode(0o644, 0o022)).toBe(0o644);
		expect(envelopeMode(0o666, 0o027)).toBe(0o640);
		expect(envelopeMode(0o777, 0o000)).toBe(0o666);
		expect(envelopeMode(0o640, 0o077)).toBe(0o600);
	});
});
