import {readFileSync, readdirSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {MINUTE} from '../../../source/core/clock.js';
import {accessEntries, demoPortal, MARIO} from '../../helpers/portal.js';
import {storeOf} from '../../helpers/internals.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function setup() {
	const context = await demoPortal();
	cleanup = context.remove;
	return context;
}

describe('login', () => {
	it('accepts the userID in any case and the e-mail address', async () => {
		const {portal} = await setup();
		for (const identifier of [MARIO.userId, 'jcpd7173', MARIO.email.toUpperCase()]) {
			const result = await portal.sessions.login(identifier, MARIO.password);
			expect(result.kind).toBe('success');
			if (result.kind === 'success') expect(result.session.userId).toBe(MARIO.userId);
		}
	});

	it('counts down the attempts, locks after 5 failures, refuses the right password while locked, accepts it 16 minutes later', async () => {
		const {portal, clock} = await setup();
		const attempts: number[] = [];
		for (let index = 0; index < 4; index++) {
			const result = await portal.sessions.login(MARIO.userId, 'Wrong&Password1');
			expect(result.kind).toBe('invalid');
			if (result.kind === 'invalid') attempts.push(result.attemptsLeft);
		}
		expect(attempts).toEqual([4, 3, 2, 1]);
		const fifth = await portal.sessions.login(MARIO.userId, 'Wrong&Password1');
		expect(fifth.kind).toBe('locked');
		if (fifth.kind === 'locked') expect(fifth.until.getTime() - clock.now().getTime()).toBe(15 * MINUTE);

		expect((await portal.sessions.login(MARIO.userId, MARIO.password)).kind).toBe('locked');
		clock.advance(14 * MINUTE);
		expect((await portal.sessions.login(MARIO.email, MARIO.password)).kind).toBe('locked');
		clock.advance(2 * MINUTE);
		expect((await portal.sessions.login(MARIO.userId, MARIO.password)).kind).toBe('success');
	});

	it('locks for longer on a repeated lock-out', async () => {
		const {portal, clock} = await setup();
		for (let index = 0; index < 5; index++) await portal.sessions.login(MARIO.userId, 'nope');
		clock.advance(16 * MINUTE);
		let last;
		for (let index = 0; index < 5; index++) last = await portal.sessions.login(MARIO.userId, 'nope');
		expect(last?.kind).toBe('locked');
		if (last?.kind === 'locked') expect(last.until.getTime() - clock.now().getTime()).toBe(30 * MINUTE);
	});

	it('a right password before the limit resets the count', async () => {
		const {portal} = await setup();
		for (let index = 0; index < 4; index++) await portal.sessions.login(MARIO.userId, 'nope');
		expect((await portal.sessions.login(MARIO.userId, MARIO.password)).kind).toBe('success');
		const next = await portal.sessions.login(MARIO.userId, 'nope');
		expect(next).toEqual({kind: 'invalid', attemptsLeft: 4});
	});

	it('gives an unknown userID exactly the answers of a wrong password and creates no holder', async () => {
		const {portal} = await setup();
		const before = await storeOf(portal).read();
		const known = [];
		const unknown = [];
		for (let index = 0; index < 6; index++) {
			known.push(stripUntil(await portal.sessions.login(MARIO.userId, 'nope')));
			unknown.push(stripUntil(await portal.sessions.login('JCPD0001', 'nope')));
		}
		expect(unknown).toEqual(known);
		const after = await storeOf(portal).read();
		expect(after.holders).toEqual(before.holders);
		expect(after.certificates).toEqual(before.certificates);
	});

	it('writes every attempt to the access log with time, userID, outcome and terminal', async () => {
		const {portal, clock} = await setup();
		await portal.sessions.login(MARIO.userId, 'nope');
		await portal.sessions.login(MARIO.userId, MARIO.password);
		await portal.sessions.login('nobody@example.it', 'nope');
		const log = [...(await accessEntries(portal, MARIO.userId)), ...(await accessEntries(portal, null))];
		// The data folder keeps only the last operation's entries, already in the log too.
		expect((await storeOf(portal).read()).accessLog.map(entry => entry.outcome)).toEqual(['wrong-password']);
		expect(log.map(entry => [entry.userId, entry.outcome, entry.terminal])).toEqual([
			[MARIO.userId, 'wrong-password', 'test'],
			[MARIO.userId, 'success', 'test'],
			[null, 'wrong-password', 'test'],
		]);
		expect(log.every(entry => entry.at === clock.now().toISOString())).toBe(true);
		// Each log numbers its own entries (a holder's counter is in their document, issue 22): no id twice in one file.
		const marioIds = (await accessEntries(portal, MARIO.userId)).map(entry => entry.id);
		expect(new Set(marioIds).size).toBe(marioIds.length);
		expect(marioIds).toEqual([...marioIds].sort((a, b) => a - b));
	});

	it('keeps no plaintext password or PIN in the data folder', async () => {
		const {portal, directory} = await setup();
		await portal.sessions.login(MARIO.userId, MARIO.password);
		await portal.sessions.login(MARIO.userId, 'Typed&Wrong99');
		const files = readdirSync(directory, {recursive: true}).map(String).filter(name => statSync(join(directory, name)).isFile());
		for (const name of files) {
			const content = readFileSync(join(directory, name), 'utf8');
			for (const secret of [MARIO.password, MARIO.pin, 'Typed&Wrong99', 'Tramonto!73', '31415926']) expect(content, name).not.toContain(secret);
		}
		const db = await storeOf(portal).read();
		expect(db.holders.every(holder => holder.passwordHash.startsWith('$argon2id$v=19$m=19456,t=2'))).toBe(true);
	});
});

function stripUntil(result: {kind: string}) {
	return result.kind === 'locked' ? {kind: 'locked'} : result;
}
