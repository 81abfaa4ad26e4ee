import {readdirSync, readFileSync, statSync} from 'node:fs';
import {join, relative, resolve} from 'node:path';
import {describe, expect, it} from 'vitest';

/*
 * Most test files share their worker's modules (vitest.config.ts, project 'shared'): a `vi.mock`
 * there would replace nothing once another file has loaded the module (or leak into the next file).
 * Files that mock a module run isolated: the reliability suite, or a file named *.isolated.test.ts.
 */

const ROOT = resolve(import.meta.dirname, '../..');

function testFiles(directory: string): string[] {
	return readdirSync(directory).flatMap(name => {
		const path = join(directory, name);
		if (statSync(path).isDirectory()) return testFiles(path);
		return /\.test\.tsx?$/.test(name) ? [path] : [];
	});
}

const isolated = (file: string) => file.startsWith('test/reliability/') || /\.isolated\.test\.tsx?$/.test(file);

describe('test isolation', () => {
	it('only isolated test files mock modules', () => {
		const files = testFiles(join(ROOT, 'test')).map(file => relative(ROOT, file));
		const mocking = files.filter(file => /\bvi\.(mock|doMock)\(/.test(readFileSync(join(ROOT, file), 'utf8')));
		// The guard sees the files that do mock (two reliability files at the time of writing).
		expect(mocking.length).toBeGreaterThan(0);
		expect(mocking.filter(file => !isolated(file))).toEqual([]);
	});
});
