import {spawn} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {Portal} from '../../source/core/portal.js';
import {WORKERS} from '../helpers/root.js';
import {accessEntries, errorCode, lastSmsCode, logIn, MARIO} from '../helpers/portal.js';
import {realClockDemo, scaled} from '../helpers/reliability.js';
import {storeOf, challengesOf} from '../helpers/internals.js';
import {romeDay} from '../helpers/rome-day.js';

/*
 * Issue 9, point 6: guesses from several processes at once. Each of 4 processes makes its
 * guesses as fast as it can; the attempt counters must count every one of them, so the
 * answers that say "wrong, N left" are exactly N = limit-1 … 1, once each, and every other
 * guess meets the lock-out (or the blocked PIN, or the cancelled OTP). The right value, tried
 * afterwards, is refused too.
 */

const demoCopy = realClockDemo();
const PROCESSES = 4;
const GUESSES = scaled(3, 12);
const ERC = '40213769';
const ANSWER = 'Fido';

interface Guesser {
	ready: Promise<void>;
	outcomes: Promise<string[]>;
}

function guesser(directory: string, go: string, kind: string, target: string, guesses: string[]): Guesser {
	const child = spawn(process.execPath, [join(WORKERS, 'attempt-worker.mjs'), directory, go, kind, MARIO.userId, target, JSON.stringify(guesses), MARIO.password], {stdio: ['ignore', 'pipe', 'pipe']});
	let output = '';
	let stderr = '';
	let signalReady: () => void = () => undefined;
	const ready = new Promise<void>(resolve => (signalReady = resolve));
	child.stdout.setEncoding('utf8');
	child.stdout.on('data', (chunk: string) => {
		output += chunk;
		if (output.startsWith('ready\n')) signalReady();
	});
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const outcomes = new Promise<string[]>((resolve, reject) =>
		child.on('close', code => {
			signalReady();
			if (code !== 0) reject(new Error(`guesser exited ${code}: ${stderr}`));
			else resolve([...output.matchAll(/^attempt \d+ (.+)$/gm)].map(match => match[1]!));
		}),
	);
	return {ready, outcomes};
}

/** Every process guesses at once; returns all their answers. */
async function guessTogether(directory: string, kind: string, target: string, wrong: (process: number, guess: number) => string): Promise<string[]> {
	const go = join(directory, `go-${kind}`);
	const guessers = Array.from({length: PROCESSES}, (_, process) => guesser(directory, go, kind, target, Array.from({length: GUESSES}, (_, guess) => wrong(process, guess))));
	await Promise.all(guessers.map(entry => entry.ready));
	writeFileSync(go, '');
	const outcomes = (await Promise.all(guessers.map(entry => entry.outcomes))).flat();
	expect(outcomes).toHaveLength(PROCESSES * GUESSES);
	return outcomes;
}

/** The "wrong, N left" answers are exactly limit-1 … 1, once each; every other answer is one of `refusals`. */
function expectCounted(outcomes: string[], wrongCode: string, limit: number, refusals: string[]): void {
	const wrong = outcomes.filter(outcome => outcome.startsWith(`${wrongCode}:`)).map(outcome => Number(outcome.split(':')[1]));
	expect(wrong.sort((a, b) => b - a)).toEqual(Array.from({length: limit - 1}, (_, index) => limit - 1 - index));
	expect(outcomes.filter(outcome => !outcome.startsWith(`${wrongCode}:`) && !refusals.includes(outcome))).toEqual([]);
	expect(outcomes).not.toContain('accepted');
}

describe(`${PROCESSES} processes guessing at once, ${GUESSES} guesses each`, () => {
	it('login: 5 wrong passwords are counted, then the account is locked, also for the right password', async () => {
		const directory = await demoCopy();
		const outcomes = await guessTogether(directory, 'login', '', (process, guess) => `Sbagliata&${process}${guess}x`);
		expectCounted(outcomes, 'invalid', 5, ['locked']);
		const portal = await Portal.open({dataDirectory: directory, terminal: 'after'});
		expect((await portal.sessions.login(MARIO.userId, MARIO.password)).kind).toBe('locked');
		const log = await accessEntries(portal, MARIO.userId);
		expect(log.filter(entry => entry.outcome === 'wrong-password')).toHaveLength(5);
		expect(log.filter(entry => entry.outcome === 'locked')).toHaveLength(PROCESSES * GUESSES - 5 + 1);
	});

	it('signing PIN: 3 wrong PINs block it for good; no guess is lost or counted twice', async () => {
		const directory = await demoCopy();
		const outcomes = await guessTogether(directory, 'pin', '', (process, guess) => String(10_000_000 + process * 1000 + guess));
		expectCounted(outcomes, 'pin.wrong', 3, ['pin.blocked']);
		const portal = await Portal.open({dataDirectory: directory, terminal: 'after'});
		const db = await storeOf(portal).read();
		expect(db.holders.find(holder => holder.userId === MARIO.userId)!.pinFailures).toBe(3);
		expect(db.certificates.find(certificate => certificate.userId === MARIO.userId && certificate.revocationReason === null)!.status).toBe('blocked');
		expect(await errorCode(portal.pin.startChange(await logIn(portal, MARIO.userId, MARIO.password), {currentPin: MARIO.pin, newPin: '11223344', newPinAgain: '11223344'}))).toBe('pin.blocked');
	});

	it('OTP: the 5th wrong code cancels the operation; the right code is refused afterwards', async () => {
		const directory = await demoCopy();
		const portal = await Portal.open({dataDirectory: directory, terminal: 'test'});
		const challenge = await challengesOf(portal).start({userId: MARIO.userId, operation: 'brute', data: {}, channel: 'sms'});
		const code = await lastSmsCode(portal, MARIO.userId);
		const outcomes = await guessTogether(directory, 'otp', challenge.id, (process, guess) => {
			const wrong = String((Number(code) + 1 + process * 100 + guess) % 100_000_000).padStart(8, '0');
			return wrong;
		});
		expectCounted(outcomes, 'otp.wrong', 5, ['otp.cancelled']);
		const stored = (await storeOf(portal).read()).challenges.find(entry => entry.id === challenge.id)!;
		expect(stored).toMatchObject({failures: 5, state: 'cancelled'});
		expect(await errorCode(challengesOf(portal).confirm({challengeId: challenge.id, userId: MARIO.userId, operation: 'brute', data: {}, code}))).toBe('otp.cancelled');
	});

	it('emergency code (ERC): 5 wrong codes lock the online suspension, also for the right code', async () => {
		const directory = await demoCopy();
		const portal = await Portal.open({dataDirectory: directory, terminal: 'test'});
		const iut = (await storeOf(portal).read()).certificates.find(certificate => certificate.userId === MARIO.userId && certificate.status === 'active')!.iut;
		const outcomes = await guessTogether(directory, 'erc', iut, (process, guess) => String(50_000_000 + process * 1000 + guess));
		expectCounted(outcomes, 'suspend.wrongCodes', 5, ['suspend.locked']);
		const date = new Date(Date.now() + 10 * 86_400_000);
		const endDate = romeDay(date);
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		expect(await errorCode(portal.certificate.suspend(session, {iut, erc: ERC, ercAgain: ERC, endDate, acceptRevocationEffect: false}))).toBe('suspend.locked');
		expect((await storeOf(portal).read()).certificates.find(certificate => certificate.iut === iut)!.status).toBe('active');
	});

	it('secret answer: 5 wrong answers lock recovery and cancel it; the right answer is refused afterwards', async () => {
		const directory = await demoCopy();
		const portal = await Portal.open({dataDirectory: directory, terminal: 'test'});
		const {recoveryId} = await portal.recovery.start(MARIO.userId);
		expect((await portal.recovery.confirmCode(recoveryId, await lastSmsCode(portal, MARIO.userId))).next).toBe('answer');
		const outcomes = await guessTogether(directory, 'answer', recoveryId, (process, guess) => `Gatto ${process}-${guess}`);
		expectCounted(outcomes, 'recovery.wrongAnswer', 5, ['recovery.locked', 'recovery.expired']);
		expect(await errorCode(portal.recovery.answerQuestion(recoveryId, ANSWER))).toMatch(/^recovery\.(locked|expired)$/);
		expect((await storeOf(portal).read()).recoveries.find(entry => entry.id === recoveryId)!.step).toBe('cancelled');
	});
});
