import {afterEach} from 'vitest';
import {emptyDatabase} from '../../source/core/store/schema.js';
import {Store} from '../../source/core/store/store.js';
import {temporaryDirectory} from './holders.js';

/**
 * Stores on an empty database, each in a folder of its own removed after the test. Call once at
 * the top of a test file; the function it returns makes one.
 */
export function emptyStores(): () => Promise<Store> {
	const removals: (() => void)[] = [];
	afterEach(() => {
		while (removals.length > 0) removals.pop()!();
	});
	return async () => {
		const folder = temporaryDirectory();
		removals.push(folder.remove);
		const store = new Store(folder.path);
		await store.initialize(() => emptyDatabase());
		return store;
	};
}
