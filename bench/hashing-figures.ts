/*
 * Figure 6: event-loop lag with an Ink spinner while 4 argon2 hashes run (bench/workers/hashing.tsx
 * in the pseudo-terminal), against the spinner alone.
 */
import {readFileSync} from 'node:fs';
import os from 'node:os';
import {join} from 'node:path';
import type {Folders} from './data-folders.js';
import {details, median, ms, progress, type Row} from './figure.js';
import {NODE, ROOT, worker} from './processes.js';
import {PtyProgram} from './pty.js';

interface LagSummary {
	samples: number;
	p50: number;
	p99: number;
	max: number;
	spinnerGapMax: number;
}

interface HashingResult {
	baseline: LagSummary;
	hashing: LagSummary;
	roundMs: number[];
	threadpool: number;
}

export async function hashingFigures(folders: Folders): Promise<Row[]> {
	progress('hashing: event-loop lag with a spinner, alone and while 4 argon2 hashes run');
	const file = join(folders.work, 'hashing.json');
	const program = new PtyProgram(NODE, [worker('hashing'), file], {cwd: ROOT});
	const {exitCode} = await program.exit;
	const screen = program.screen();
	await program.dispose();
	if (exitCode !== 0) throw new Error(`the hashing probe exited with ${exitCode}:\n${screen}`);
	const result = JSON.parse(readFileSync(file, 'utf8')) as HashingResult;
	details['hashing'] = result;
	return [
		{
			figure: 'Event-loop lag p99, 4 argon2 hashes + spinner',
			value: ms(result.hashing.p99),
			reference: `spinner alone ${ms(result.baseline.p99)}`,
			target: '≤ 20 ms',
			pass: result.hashing.p99 <= 20,
			note: () => [
				`4 hashes take ${ms(median(result.roundMs))} a round (median) on a libuv pool of ${result.threadpool} threads and ${os.availableParallelism()} cores`,
				`lag max ${ms(result.hashing.max)}; longest gap between spinner frames ${ms(result.hashing.spinnerGapMax)} (80 ms expected; alone ${ms(result.baseline.spinnerGapMax)})`,
			],
		},
	];
}
