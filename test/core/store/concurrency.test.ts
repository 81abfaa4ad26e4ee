import {readdirSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {nextSequence} from '../../../source/core/store/schema.js';
import {Store} from '../../../source/core/store/store.js';
import {emptyStores} from '../../helpers/stores.js';
import {startWorker} from '../../helpers/processes.js';

const freshStore = emptyStores();

const temporaries = (directory: string) => readdirSync(directory).filter(name => name.endsWith('.tmp'));

describe('one data folder shared by several processes', () => {
	it('4 processes × 250 increments end at exactly 1000, every confirmed value unique', async () => {
		const store = await freshStore();
		const workers = Array.from({length: 4}, () => startWorker('store-worker', [store.directory, '250']));
		expect(await Promise.all(workers.map(worker => worker.exit))).toEqual([0, 0, 0, 0]);
		expect((await store.read()).sequences['counter']).toBe(1000);
		const all = workers.flatMap(worker => worker.confirmed);
		expect(all).toHaveLength(1000);
		expect(new Set(all).size).toBe(1000);
		// Each worker sees its own values grow.
		for (const worker of workers) expect(worker.confirmed).toEqual([...worker.confirmed].sort((a, b) => a - b));
		// The work really interleaved: no worker got all its operations in one block.
		expect(workers.some(worker => worker.confirmed.at(-1)! - worker.confirmed[0]! > 249)).toBe(true);
		expect(temporaries(store.directory)).toEqual([]);
	});

	it('a writer killed with SIGKILL 50 times at random moments always leaves a valid file holding every confirmed operation', async () => {
		const store = await freshStore();
		let onDisk = 0;
		let killedMidWrite = 0;
		for (let round = 0; round < 50; round++) {
			const worker = startWorker('store-worker', [store.directory, '1000000']);
			await worker.firstConfirmation;
			await new Promise(resolve => setTimeout(resolve, 5 + Math.random() * 145));
			worker.child.kill('SIGKILL');
			expect(await worker.exit).toBeNull();
			// The new writer started from what the previous one left on disk, lost and repeated nothing.
			expect(worker.confirmed[0], `round ${round}`).toBe(onDisk + 1);
			const confirmed = worker.confirmed.at(-1)!;
			const counter = (await new Store(store.directory).read()).sequences['counter']!;
			// Every confirmed increment is on disk; at most the one in flight went further.
			expect(counter, `round ${round}`).toBeGreaterThanOrEqual(confirmed);
			expect(counter, `round ${round}`).toBeLessThanOrEqual(confirmed + 1);
			onDisk = counter;
			// Temp files of earlier dead writers are gone (this writer cleaned them); at most its own remains.
			const left = temporaries(store.directory);
			expect(left.filter(name => !name.startsWith(`db.json.${worker.child.pid}.`)), `round ${round}`).toEqual([]);
			if (left.length > 0) killedMidWrite++;
		}
		// The kills did land inside writes (between creating the temp file and renaming it), not only between them.
		expect(killedMidWrite).toBeGreaterThan(0);
		// The next start works, continues the count, and clears the temp file the last killed writer may have left.
		const next = new Store(store.directory);
		expect(await next.update(db => nextSequence(db, 'counter'))).toBe(onDisk + 1);
		expect(temporaries(store.directory)).toEqual([]);
		expect((await next.read()).sequences['counter']).toBe(onDisk + 1);
	});
});
