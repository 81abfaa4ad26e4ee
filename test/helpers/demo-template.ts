import {cpSync} from 'node:fs';
import {afterAll, afterEach} from 'vitest';
import type {Clock} from '../../source/core/clock.js';
import {Portal} from '../../source/core/portal.js';
import {DEMO_NOW, ManualClock, temporaryDirectory} from './portal.js';
import {copyDemoTemplate} from './templates.js';

/**
 * Copies of one demo data folder (argon2 hashes, CA, certificates, histories) built with `clock`
 * (the real one when not given): the same state, a fraction of the time. On the real clock or at
 * DEMO_NOW the folder is the run's template (templates.ts); on another clock it is built once per
 * test file. Call once at the top of a test file; copies are removed after each test, a template
 * of the file after all.
 */
export function demoFolderCopies(clock?: Clock): () => Promise<string> {
	let template: Promise<{path: string; remove: () => void}> | undefined;
	const cleanups: (() => void)[] = [];
	afterEach(() => {
		while (cleanups.length > 0) cleanups.pop()!();
	});
	afterAll(async () => {
		(await template)?.remove();
	});
	const runTemplate = clock === undefined ? 'real' : clock.now().getTime() === DEMO_NOW.getTime() ? 'fixed' : undefined;
	return async function copy(): Promise<string> {
		if (runTemplate) {
			const folder = copyDemoTemplate(runTemplate);
			cleanups.push(folder.remove);
			return folder.path;
		}
		template ??= (async () => {
			const folder = temporaryDirectory();
			await Portal.createDemo({dataDirectory: folder.path, clock});
			return folder;
		})();
		const source = (await template).path;
		const folder = temporaryDirectory();
		cleanups.push(folder.remove);
		cpSync(source, folder.path, {recursive: true});
		return folder.path;
	};
}

/** Like `demoPortal()`, on a copy of a demo folder built once per test file (see demoFolderCopies). */
export function demoCopies(now = DEMO_NOW) {
	const copyFolder = demoFolderCopies(new ManualClock(now));
	return async function demoCopy(clock = new ManualClock(now)): Promise<{portal: Portal; clock: ManualClock; directory: string}> {
		const directory = await copyFolder();
		const portal = await Portal.open({dataDirectory: directory, clock, terminal: 'test'});
		return {portal, clock, directory};
	};
}
