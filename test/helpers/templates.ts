import {cpSync, lstatSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {inject} from 'vitest';

/*
 * The demo data folders every test starts from, built once per test run by the global setup
 * (test/helpers/template-setup.ts) and copied for each use: a copy takes a few milliseconds, a
 * demo (argon2 hashes, a CA key, certificates, 1000 signatures) one or two seconds.
 *   cli:   what `mysign demo` leaves (the built CLI, the real clock, its db.json.checked stamp);
 *   fixed: Portal.createDemo on a clock standing at DEMO_NOW (no stamp: the test process is no CLI).
 */

export interface DemoTemplates {
	cli: string;
	fixed: string;
}

declare module 'vitest' {
	export interface ProvidedContext {
		demoTemplates: DemoTemplates;
	}
}

export type TemplateKind = 'cli' | 'real' | 'fixed';

const STAMP = 'db.json.checked';

/**
 * A new temporary folder holding a copy of a template:
 *   'cli':   as `mysign demo` left it, its stamp made true for the copy (the copy's db.json has the
 *            same bytes the CLI validated and wrote; only the file's identity differs), so the
 *            CLI's fast start takes the copy as a fresh `mysign demo` folder;
 *   'real':  the same data without the stamp: what Portal.createDemo on the real clock leaves;
 *   'fixed': the demo at DEMO_NOW.
 */
export function copyDemoTemplate(kind: TemplateKind): {path: string; remove: () => void} {
	const templates = inject('demoTemplates');
	if (!templates) throw new Error('no demo templates: run the tests with vitest.config.ts (its global setup builds them)');
	const path = mkdtempSync(join(tmpdir(), 'mysign-test-'));
	const remove = () => rmSync(path, {recursive: true, force: true});
	cpSync(kind === 'fixed' ? templates.fixed : templates.cli, path, {recursive: true});
	if (kind === 'real') rmSync(join(path, STAMP));
	if (kind === 'cli') restamp(path);
	return {path, remove};
}

/**
 * Points the copied stamp at the copy's db.json (same identity test as source/core/store/checked-stamp.ts).
 * Also after a write made in the test process (which leaves no stamp: no program identity there),
 * when that write is one the CLI would have stamped: the store validated the text it wrote.
 */
export function restamp(directory: string): void {
	const stamp = JSON.parse(readFileSync(join(directory, STAMP), 'utf8')) as {file: string};
	const info = lstatSync(join(directory, 'db.json'), {bigint: true});
	stamp.file = `${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}`;
	writeFileSync(join(directory, STAMP), JSON.stringify(stamp) + '\n');
}
