import {execFile} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import type {TestProject} from 'vitest/node';
import {Portal} from '../../source/core/portal.js';
import {ROOT} from './build.js';
import {DEMO_NOW, ManualClock} from './portal.js';

/**
 * Vitest global setup, after build.ts (the CLI must be built): the demo templates of the run
 * (see templates.ts), built side by side, removed at the end.
 */
export default async function setup(project: TestProject): Promise<() => void> {
	const root = mkdtempSync(join(tmpdir(), 'mysign-templates-'));
	const cli = join(root, 'cli');
	const fixed = join(root, 'fixed');
	mkdirSync(fixed);
	const env: NodeJS.ProcessEnv = {...process.env};
	delete env['CI'];
	await Promise.all([
		promisify(execFile)(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'demo', '--data', cli], {cwd: ROOT, env}),
		Portal.createDemo({dataDirectory: fixed, clock: new ManualClock(DEMO_NOW)}),
	]);
	project.provide('demoTemplates', {cli, fixed});
	return () => rmSync(root, {recursive: true, force: true});
}
