/*
 * A separate process for the store's cross-process tests: performs `count` increments of one
 * counter and prints "ok <value>" after each one the store confirmed (written and fsynced, or
 * committed by PostgreSQL when a URL is given).
 */
import {Store} from '../../source/core/store/store.js';

const [directory, countText, url] = process.argv.slice(2);
const count = Number(countText);
const store = new Store(directory!, undefined, url || undefined);
for (let index = 0; index < count; index++) {
	const value = await store.update(db => {
		const next = (db.sequences['counter'] ?? 0) + 1;
		db.sequences['counter'] = next;
		return next;
	});
	process.stdout.write(`ok ${value}\n`);
}
// The pool's idle connections would keep the process a little longer.
if (url) await (await import('../../source/core/store/postgres/database.js')).closePools();
