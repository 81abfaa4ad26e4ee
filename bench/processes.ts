/*
 * Where the built programs are (the bench runs bundled in node_modules/.cache/mysign-bench/),
 * and running one of them to its end.
 */
import {spawnSync} from 'node:child_process';
import {join} from 'node:path';

// Bundled into node_modules/.cache/mysign-bench/, three folders below the project root.
export const ROOT = join(import.meta.dirname, '..', '..', '..');
const OUT = import.meta.dirname;
export const CLI = join(ROOT, 'dist', 'cli.js');
export const MINIMAL = join(OUT, 'minimal-ink', 'dist', 'cli.js');
export const worker = (name: string) => join(OUT, 'workers', `${name}.mjs`);
export const NODE = process.execPath;

export const mysignArgs = (data: string) => [CLI, '--data', data];

export function runNode(args: readonly string[]): string {
	const env = {...process.env};
	delete env['CI'];
	const result = spawnSync(NODE, args, {cwd: ROOT, encoding: 'utf8', env, maxBuffer: 64 * 2 ** 20});
	if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
	return result.stdout;
}
