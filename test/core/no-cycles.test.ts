import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import {dirname, join, relative, resolve} from 'node:path';
import ts from 'typescript';
import {describe, expect, it} from 'vitest';

/*
 * No import cycle in source/: every relative import (type-only and dynamic ones included) of
 * every .ts/.tsx file, read with the TypeScript compiler's parser. A cycle makes the load order
 * of the modules decide what is defined (and a change in one file break another), so the test
 * fails on the first it finds and prints it, e.g. `store/schema.ts → notify/reports.ts → store/schema.ts`.
 */

const ROOT = resolve(import.meta.dirname, '../../source');

function sourceFiles(directory: string): string[] {
	return readdirSync(directory).flatMap(name => {
		const path = join(directory, name);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
	});
}

/** The file a relative specifier (`./x.js`, `../y`) names, or undefined for a package. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
	if (!specifier.startsWith('.')) return undefined;
	const base = resolve(dirname(from), specifier).replace(/\.(js|jsx|ts|tsx)$/, '');
	for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) if (existsSync(candidate)) return candidate;
	throw new Error(`${relative(ROOT, from)}: cannot resolve ${specifier}`);
}

/** The relative modules a file imports or re-exports, statically or with `import()`. */
export function importsOf(file: string, text = readFileSync(file, 'utf8')): string[] {
	const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
	const specifiers: string[] = [];
	const visit = (node: ts.Node): void => {
		if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) specifiers.push(node.moduleSpecifier.text);
		else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) specifiers.push(node.arguments[0].text);
		else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) specifiers.push(node.argument.literal.text);
		ts.forEachChild(node, visit);
	};
	visit(source);
	return specifiers.map(specifier => resolveSpecifier(file, specifier)).filter((path): path is string => path !== undefined);
}

/** Every cycle's first sighting in a depth-first walk, as a list of files (the first repeated at the end). */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
	const cycles: string[][] = [];
	const state = new Map<string, 'open' | 'done'>();
	const stack: string[] = [];
	const walk = (file: string): void => {
		state.set(file, 'open');
		stack.push(file);
		for (const next of graph.get(file) ?? []) {
			if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
			else if (!state.has(next)) walk(next);
		}
		stack.pop();
		state.set(file, 'done');
	};
	for (const file of [...graph.keys()].sort()) if (!state.has(file)) walk(file);
	return cycles;
}

describe('the imports of source/', () => {
	it('have no cycle', () => {
		const files = sourceFiles(ROOT);
		expect(files.length).toBeGreaterThan(50);
		const graph = new Map(files.map(file => [file, importsOf(file)]));
		const cycles = findCycles(graph).map(cycle => cycle.map(file => relative(ROOT, file)).join(' → '));
		expect(cycles, `import cycles:\n${cycles.join('\n')}`).toEqual([]);
	});

	it('the check finds a cycle, also through a type-only import', () => {
		const graph = new Map([
			['a', ['b']],
			['b', ['c']],
			['c', ['a', 'd']],
			['d', []],
		]);
		expect(findCycles(graph)).toEqual([['a', 'b', 'c', 'a']]);
		const file = join(ROOT, 'core/store/schema.ts');
		expect(importsOf(file, "import type {Store} from './store.js';\nexport {x} from '../notify/reports.js';\nconst y = await import('./lock.js');").map(path => relative(ROOT, path))).toEqual(['core/store/store.ts', 'core/notify/reports.ts', 'core/store/lock.ts']);
	});
});
