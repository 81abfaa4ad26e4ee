/*
 * A separate process for the partitioned store's kill test: `count` operations that each change
 * db.json and two holders' documents in one commit (a counter, and both holders' names set to
 * it), printing "ok <value>" after each one the store confirmed.
 */
import {Store} from '../../source/core/store/store.js';

const [directory, countText] = process.argv.slice(2);
const count = Number(countText);
const store = new Store(directory!);
for (let index = 0; index < count; index++) {
	const value = await store.update(db => {
		const next = (db.sequences['counter'] ?? 0) + 1;
		db.sequences['counter'] = next;
		for (const holder of db.holders) holder.name = `N${next}`;
		return next;
	});
	process.stdout.write(`ok ${value}\n`);
}
