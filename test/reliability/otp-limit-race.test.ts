import {describe, expect, it} from 'vitest';
import {Store} from '../../source/core/store/store.js';
import {outboxRecords, realClockDemo, startPortalWorker} from '../helpers/reliability.js';

/*
 * The per-holder limit on OTP messages is checked inside the store update that sends, under
 * the cross-process lock: three processes asking for OTPs for the same holder at once cannot
 * get more than 5 messages out in 15 minutes together.
 */

const USER = 'JCPD7173';
const demoCopy = realClockDemo();

describe('three processes asking OTPs for one holder at once', () => {
	it('send exactly 5 SMS together; every other request is refused with otp.messageLimit and leaves no challenge', async () => {
		const directory = await demoCopy();
		const outboxBefore = outboxRecords(directory).size;
		const workers = ['a', 'b', 'c'].map(tag => startPortalWorker(directory, tag, 4, 'otp:1'));
		await Promise.all(workers.map(worker => worker.exit));
		for (const worker of workers) expect(worker.stderr(), worker.tag).toBe('');
		const confirmed = workers.flatMap(worker => worker.confirmed);
		const refused = workers.flatMap(worker => worker.errors);
		expect(confirmed).toHaveLength(5);
		expect(refused).toHaveLength(7);
		for (const line of refused) expect(line).toMatch(/^err \d+ otp otp\.messageLimit$/);
		const sms = [...outboxRecords(directory).values()].filter(record => record.kind === 'sms' && record.userId === USER);
		expect(outboxRecords(directory).size - outboxBefore).toBe(5);
		expect(sms).toHaveLength(5);
		const db = await new Store(directory).read();
		expect(db.challenges.filter(challenge => challenge.userId === USER)).toHaveLength(5);
	}, 120_000);
});
