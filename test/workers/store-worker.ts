/*
 * A separate process for the store's cross-process tests: performs `count` increments of one
 * counter and prints "ok <value>" after each one the store confirmed (written and fsynced).
 */
import {Store} from '../../source/core/store/store.js';

const [directory, countText] = process.argv.slice(2);
const count = Number(countText);
const store = new Store(directory!);
for (let index = 0; index < count; index++) {
	const value = await store.update(db => {
		const next = (db.sequences['counter'] ?? 0) + 1;
		db.sequences['counter'] = next;
		return next;
	});
	process.stdout.write(`ok ${value}\n`);
}
