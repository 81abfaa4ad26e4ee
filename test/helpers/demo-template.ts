import {cpSync} from 'node:fs';
import {afterAll, afterEach} from 'vitest';
import {Portal} from '../../source/core/portal.js';
import {DEMO_NOW, ManualClock, temporaryDirectory} from './portal.js';

/**
 * Like `demoPortal()`, but the demo data set (argon2 hashes, CA, certificates, histories) is
 * built once per test file and each test gets a copy of the folder: the same state, a fraction
 * of the time. Call once at the top of a test file; folders are removed after each test.
 */
export function demoCopies(now = DEMO_NOW) {
	let template: Promise<{path: string; remove: () => void}> | undefined;
	const cleanups: (() => void)[] = [];
	afterEach(() => {
		while (cleanups.length > 0) cleanups.pop()!();
	});
	afterAll(async () => {
		(await template)?.remove();
	});
	return async function demoCopy(clock = new ManualClock(now)): Promise<{portal: Portal; clock: ManualClock; directory: string}> {
		template ??= (async () => {
			const folder = temporaryDirectory();
			await Portal.createDemo({dataDirectory: folder.path, clock: new ManualClock(now)});
			return folder;
		})();
		const source = (await template).path;
		const folder = temporaryDirectory();
		cleanups.push(folder.remove);
		cpSync(source, folder.path, {recursive: true});
		const portal = await Portal.open({dataDirectory: folder.path, clock, terminal: 'test'});
		return {portal, clock, directory: folder.path};
	};
}
