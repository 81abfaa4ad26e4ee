import {readdirSync} from 'node:fs';
import {afterEach, describe, expect, it} from 'vitest';
import {emptyDatabase} from '../../../source/core/store/schema.js';
import {Store} from '../../../source/core/store/store.js';
import {temporaryDirectory} from '../../helpers/portal.js';
import {startWorker} from '../../helpers/processes.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function freshStore(): Promise<Store> {
	const folder = temporaryDirectory();
	cleanup = folder.remove;
	const store = new Store(folder.path);
	await store.initialize(() => emptyDatabase());
	return store;
}

describe('one data folder shared by several processes', () => {
	it('4 processes × 250 increments end at exactly 1000, every confirmed value unique', async () => {
		const store = await freshStore();
		const workers = Array.from({length: 4}, () => startWorker('store-worker', [store.directory, '250']));
		expect(await Promise.all(workers.map(worker => worker.exit))).toEqual([0, 0, 0, 0]);
		expect((await store.read()).sequences['counter']).toBe(1000);
		const all = workers.flatMap(worker => worker.confirmed);
		expect(all).toHaveLength(1000);
		expect(new Set(all).size).toBe(1000);
		// The work really interleaved: no worker got all its operations in one block.
		expect(workers.some(worker => worker.confirmed.at(-1)! - worker.confirmed[0]! > 249)).toBe(true);
	});

	it('a writer killed with SIGKILL 50 times at random moments always leaves a valid file holding every confirmed operation', async () => {
		const store = await freshStore();
		let highestConfirmed = 0;
		for (let round = 0; round < 50; round++) {
			const worker = startWorker('store-worker', [store.directory, '1000000']);
			await worker.firstConfirmation;
			await new Promise(resolve => setTimeout(resolve, 5 + Math.random() * 60));
			worker.child.kill('SIGKILL');
			await worker.exit;
			const confirmed = worker.confirmed.at(-1)!;
			expect(confirmed).toBeGreaterThan(highestConfirmed);
			highestConfirmed = confirmed;
			const counter = (await new Store(store.directory).read()).sequences['counter']!;
			// Every confirmed increment is on disk; at most the one in flight went further.
			expect(counter).toBeGreaterThanOrEqual(confirmed);
			expect(counter).toBeLessThanOrEqual(confirmed + 1);
		}
		// The next start works, and clears temp files a killed writer may have left.
		const next = new Store(store.directory);
		await next.update(db => {
			db.sequences['counter'] = (db.sequences['counter'] ?? 0) + 1;
		});
		expect(readdirSync(store.directory).filter(name => name.endsWith('.tmp'))).toEqual([]);
	});
});
