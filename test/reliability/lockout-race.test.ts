import {afterEach, describe, expect, it, vi} from 'vitest';
import {demoCopies} from '../helpers/demo-template.js';
import {errorCode, lastSmsCode, logIn, MARIO} from '../helpers/portal.js';
import {storeOf} from '../helpers/internals.js';
import {romeDay} from '../helpers/rome-day.js';

/*
 * Issue 9, point 6, the moment the cross-process test can only hit by chance: a guess whose
 * (slow, argon2) check started before the lock-out and finishes after it. Argon2 runs outside
 * the store lock, so the counters must be re-checked under it: the right value arriving after
 * the lock-out is refused like any other. The check of one chosen value is held back here
 * until the other guesses have locked the key, so the order is certain.
 */

const gate = vi.hoisted(() => ({held: undefined as string | undefined, release: () => undefined as void, wait: Promise.resolve() as Promise<void>}));

vi.mock('../../source/core/auth/hashing.js', async importOriginal => {
	const real = await importOriginal<typeof import('../../source/core/auth/hashing.js')>();
	const held = async (secret: string, result: Promise<boolean>) => {
		const value = await result;
		if (secret === gate.held) await gate.wait;
		return value;
	};
	return {
		...real,
		verifyPassword: (hash: string, password: string) => held(password, real.verifyPassword(hash, password)),
		verifyPeppered: (hash: string, secret: string, pepper: Buffer) => held(secret, real.verifyPeppered(hash, secret, pepper)),
	};
});

/** Holds back the check of `value` until `release()`; resolves once a check of it has started waiting. */
function holdBack(value: string): void {
	gate.held = value;
	gate.wait = new Promise<void>(resolve => (gate.release = resolve));
}

afterEach(() => {
	gate.release();
	gate.held = undefined;
});

const demoCopy = demoCopies();
const flush = () => new Promise(resolve => setTimeout(resolve, 0));

describe('the right value whose check was under way when the wrong guesses locked the key', () => {
	it('login: refused as locked', async () => {
		const {portal} = await demoCopy();
		holdBack(MARIO.password);
		const right = portal.sessions.login(MARIO.userId, MARIO.password);
		await flush();
		for (let guess = 0; guess < 5; guess++) await portal.sessions.login(MARIO.userId, `Sbagliata&${guess}x`);
		gate.release();
		expect((await right).kind).toBe('locked');
	});

	it('signing PIN: refused as blocked', async () => {
		const {portal} = await demoCopy();
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		holdBack(MARIO.pin);
		const right = errorCode(portal.pin.startChange(session, {currentPin: MARIO.pin, newPin: '11223344', newPinAgain: '11223344'}));
		await flush();
		for (let guess = 0; guess < 3; guess++) await errorCode(portal.pin.startChange(session, {currentPin: `1000000${guess}`, newPin: '11223344', newPinAgain: '11223344'}));
		gate.release();
		expect(await right).toBe('pin.blocked');
	});

	it('emergency code: refused as locked, and the certificate stays active', async () => {
		const {portal, clock} = await demoCopy();
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		const iut = await portal.certificate.currentIut(session);
		const end = new Date(clock.now().getTime() + 10 * 86_400_000);
		const endDate = romeDay(end);
		const request = (erc: string) => ({iut, erc, ercAgain: erc, endDate, acceptRevocationEffect: false});
		holdBack('40213769');
		const right = errorCode(portal.certificate.suspend(session, request('40213769')));
		await flush();
		for (let guess = 0; guess < 5; guess++) await errorCode(portal.certificate.suspend(session, request(`5000000${guess}`)));
		gate.release();
		expect(await right).toBe('suspend.locked');
		expect((await portal.certificate.dashboard(session)).certificate!.state).toBe('active');
	});

	it('secret answer: refused, and the cancelled recovery never reaches the new password', async () => {
		const {portal} = await demoCopy();
		const {recoveryId} = await portal.recovery.start(MARIO.userId);
		await portal.recovery.confirmCode(recoveryId, await lastSmsCode(portal, MARIO.userId));
		holdBack('fido');
		const right = errorCode(portal.recovery.answerQuestion(recoveryId, 'Fido'));
		await flush();
		const wrong: (string | undefined)[] = [];
		for (let guess = 0; guess < 5; guess++) wrong.push(await errorCode(portal.recovery.answerQuestion(recoveryId, `Gatto ${guess}`)));
		expect(wrong.at(-1)).toBe('recovery.locked');
		gate.release();
		expect((await right) ?? 'accepted').toMatch(/^recovery\.(locked|expired)$/);
		expect((await storeOf(portal).read()).recoveries.find(entry => entry.id === recoveryId)!.step).toBe('cancelled');
		expect(await errorCode(portal.recovery.setPassword(recoveryId, 'Orchidea!73x', 'Orchidea!73x'))).toBe('recovery.expired');
	});
});
