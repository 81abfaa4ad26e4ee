import {readdirSync, readFileSync, statSync} from 'node:fs';
import {join, relative, resolve} from 'node:path';
import {describe, expect, it} from 'vitest';

/*
 * A house the next engineer can carry on (issue 21): no source, test, script or benchmark file
 * over 400 lines, the message catalogues aside (one key per line, both languages side by side).
 * A file that grows past it is split along a real seam, not squeezed.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const FOLDERS = ['source', 'test', 'scripts', 'bench'];
const CATALOGUES = new Set(['source/ui/i18n/it.ts', 'source/ui/i18n/en.ts']);
const MAX_LINES = 400;

function codeFiles(directory: string): string[] {
	return readdirSync(directory).flatMap(name => {
		const path = join(directory, name);
		if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'dist' ? [] : codeFiles(path);
		return /\.(ts|tsx|mjs|js)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
	});
}

describe('file size', () => {
	it(`no file in ${FOLDERS.join(', ')} has more than ${MAX_LINES} lines (catalogues aside)`, () => {
		const files = FOLDERS.flatMap(folder => codeFiles(join(ROOT, folder)));
		expect(files.length).toBeGreaterThan(300);
		const long = files
			.map(file => ({file: relative(ROOT, file), lines: readFileSync(file, 'utf8').split('\n').length - 1}))
			.filter(({file, lines}) => lines > MAX_LINES && !CATALOGUES.has(file))
			.map(({file, lines}) => `${file}: ${lines} lines`);
		expect(long).toEqual([]);
	});
});
