import {describe, expect, it} from 'vitest';
import {nextSequence} from '../../../source/core/store/schema.js';
import {emptyStores} from '../../helpers/stores.js';

/*
 * Effects registered with `transaction.afterCommit` (an OTP's SMS to the outbox) run after
 * db.json is written, in order. One that fails does not keep back the ones after it: all run,
 * then `update` rejects with the first error, the change staying committed.
 */

const freshStore = emptyStores();

describe('Store.update after-commit effects', () => {
	it('a failing effect does not skip the next one; update rejects with the first error and the change stays committed', async () => {
		const store = await freshStore();
		const ran: string[] = [];
		const first = new Error('first effect failed');
		const outcome = store.update((db, transaction) => {
			nextSequence(db, 'counter');
			transaction.afterCommit(async () => {
				ran.push(`first (counter ${String((await store.read()).sequences['counter'])})`);
				throw first;
			});
			transaction.afterCommit(async () => {
				ran.push('second');
				throw new Error('second effect failed');
			});
			transaction.afterCommit(async () => {
				ran.push('third');
			});
		});
		await expect(outcome).rejects.toBe(first);
		// In order, each after the commit (the first already sees the committed counter).
		expect(ran).toEqual(['first (counter 1)', 'second', 'third']);
		expect((await store.read()).sequences['counter']).toBe(1);
	});

	it('a change that throws commits nothing and runs no effect', async () => {
		const store = await freshStore();
		let ran = false;
		const outcome = store.update((db, transaction) => {
			nextSequence(db, 'counter');
			transaction.afterCommit(async () => {
				ran = true;
			});
			throw new Error('refused');
		});
		await expect(outcome).rejects.toThrow('refused');
		expect(ran).toBe(false);
		expect((await store.read()).sequences['counter']).toBeUndefined();
	});
});
