import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {Store} from '../../../source/core/store/store.js';
import type {Database} from '../../../source/core/store/schema.js';
import {demoPortal, ManualClock, MARIO, lastSmsCode, logIn} from '../../helpers/portal.js';

/*
 * One user step, one locked write (issue 21): a challenge is started inside the caller's
 * transaction, so the step's record and its challenge are committed together and the SMS goes
 * to the outbox after that commit. The count is taken on the Store itself: every `update` is
 * one lock → read → write cycle; `read` is a lock-free snapshot (counted for the record).
 */

let cleanup: (() => void) | undefined;
afterEach(() => {
	vi.restoreAllMocks();
	cleanup?.();
});

interface Count {
	writes: number;
	reads: number;
	/** The whole database (db.json and every holder document) as committed after each write. */
	committed: Database[];
}

/** Counts the Store's locked writes and reads while `step` runs. */
async function counted<T>(directory: string, step: () => Promise<T>): Promise<{result: T; count: Count}> {
	const count: Count = {writes: 0, reads: 0, committed: []};
	const update = Store.prototype.update;
	const read = Store.prototype.read;
	const updateSpy = vi.spyOn(Store.prototype, 'update').mockImplementation(async function (this: Store, change, scope) {
		count.writes += 1;
		try {
			// With the operation's scope: the step runs as it does unspied.
			return await update.call(this, change as never, scope);
		} finally {
			// Read through the store as it is on disk (the original read: not counted as the step's).
			count.committed.push(await read.call(new Store(directory)));
		}
	});
	const readSpy = vi.spyOn(Store.prototype, 'read').mockImplementation(async function (this: Store, scope) {
		count.reads += 1;
		return read.call(this, scope);
	});
	try {
		return {result: await step(), count};
	} finally {
		updateSpy.mockRestore();
		readSpy.mockRestore();
	}
}

async function setup() {
	const context = await demoPortal(new ManualClock(new Date()));
	cleanup = context.remove;
	return {...context, session: await logIn(context.portal, MARIO.userId, MARIO.password)};
}

const consents = {acceptConditions: true, confirmData: true, pin: MARIO.pin};

describe('one locked write per user step', () => {
	it('renewal step 1 (consents and PIN, then the OTP is sent): at most 2 locked writes, and the renewal is never stored without its challenge', async () => {
		const {portal, session, directory} = await setup();
		const {result, count} = await counted(directory, () => portal.renewal.begin(session, consents));
		console.info(`renewal step 1: ${count.writes} locked writes, ${count.reads} reads`);
		for (const db of count.committed) {
			for (const renewal of db.renewals.filter(entry => entry.userId === MARIO.userId && entry.step !== 'done')) expect(renewal.challengeId).not.toBeNull();
		}
		expect(count.writes).toBeLessThanOrEqual(2);
		const stored = count.committed.at(-1)!.renewals.find(entry => entry.id === result.renewalId)!;
		expect(stored.challengeId).toBe(result.challenge.id);
		// The SMS is in the outbox, and its code confirms the step.
		await portal.renewal.confirmConsents(session, result.renewalId, await lastSmsCode(portal, MARIO.userId));
	});

	it('renewal step 3 (the new PIN, then the activation OTP): at most 2 locked writes, never without its challenge', async () => {
		const {portal, session, directory} = await setup();
		const {renewalId} = await portal.renewal.begin(session, consents);
		await portal.renewal.confirmConsents(session, renewalId, await lastSmsCode(portal, MARIO.userId));
		const {result, count} = await counted(directory, () => portal.renewal.choosePin(session, renewalId, '11223344', '11223344'));
		console.info(`renewal step 3: ${count.writes} locked writes, ${count.reads} reads`);
		expect(count.writes).toBeLessThanOrEqual(2);
		for (const db of count.committed) expect(db.renewals.find(entry => entry.id === renewalId)!.challengeId).toBe(result!.id);
		await portal.renewal.activate(session, renewalId, await lastSmsCode(portal, MARIO.userId));
	});

	it('PIN change, step 1 (current PIN, new PIN twice, then the OTP): at most 2 locked writes, never without its challenge', async () => {
		const {portal, session, directory} = await setup();
		const {result, count} = await counted(directory, () => portal.pin.startChange(session, {currentPin: MARIO.pin, newPin: '99887766', newPinAgain: '99887766'}));
		console.info(`PIN change start: ${count.writes} locked writes, ${count.reads} reads`);
		expect(count.writes).toBeLessThanOrEqual(2);
		for (const db of count.committed) for (const change of db.pinChanges) expect(change.challengeId).not.toBeNull();
		await portal.pin.confirmChange(session, result.changeId, await lastSmsCode(portal, MARIO.userId));
	});

	it('password recovery, step 1 (the userID, then the SMS): at most 2 locked writes, never without its challenge', async () => {
		const {portal, directory} = await setup();
		const {count} = await counted(directory, () => portal.recovery.start(MARIO.userId));
		console.info(`password recovery start: ${count.writes} locked writes, ${count.reads} reads`);
		expect(count.writes).toBeLessThanOrEqual(2);
		for (const db of count.committed) for (const recovery of db.recoveries.filter(entry => entry.userId !== null)) expect(recovery.challengeId).not.toBeNull();
		expect(await lastSmsCode(portal, MARIO.userId)).toMatch(/^\d{8}$/);
	});

	it('signature OTP with the PIN (PIN counted, then the SMS): at most 2 locked writes, the code in the outbox signs', async () => {
		const {portal, session, directory} = await setup();
		const path = join(directory, 'contratto.pdf');
		writeFileSync(path, 'Contenuto del contratto\r\n');
		const documents = await portal.signing.inspect([path]);
		const {result, count} = await counted(directory, () => portal.signing.requestOtp(session, documents, MARIO.pin));
		console.info(`signature OTP: ${count.writes} locked writes, ${count.reads} reads`);
		expect(count.writes).toBeLessThanOrEqual(2);
		expect(count.committed.at(-1)!.challenges.some(challenge => challenge.id === result.id)).toBe(true);
		const signed = await portal.signing.sign(session, {documents, pin: MARIO.pin, challengeId: result.id, code: await lastSmsCode(portal, MARIO.userId)});
		expect(signed.complete).toBe(true);
	});
});
