import {spawnSync, type SpawnSyncReturns} from 'node:child_process';
import {join} from 'node:path';
import {ROOT} from './build.js';
import {startTerminal, type Terminal} from './terminal.js';

export {ROOT};
export const CLI = join(ROOT, 'dist', 'cli.js');

/** The built CLI without a terminal (sub-commands, usage errors). CI is removed like a user's shell. */
export function runCli(args: readonly string[], options: {input?: string; env?: Record<string, string | undefined>} = {}): SpawnSyncReturns<string> {
	const env: Record<string, string | undefined> = {...process.env, ...options.env};
	delete env['CI'];
	return spawnSync(process.execPath, [CLI, ...args], {encoding: 'utf8', input: options.input ?? '', env: env as NodeJS.ProcessEnv, cwd: ROOT});
}

/** The built CLI in a pseudo-terminal of the given size (80×24 by default). */
export function startCli(args: readonly string[], options: {cols?: number; rows?: number; env?: Record<string, string | undefined>} = {}): Terminal {
	return startTerminal({command: process.execPath, args: [CLI, ...args], cwd: ROOT, cols: options.cols ?? 80, rows: options.rows ?? 24, env: options.env});
}
