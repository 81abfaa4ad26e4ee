/*
 * Issue 19's figure: `mysign demo --reset --keep-enrolled --yes` on a room of 30 holders (the
 * 3 demo holders and 27 enrolled from a CSV with `mysign admin enroll --csv`), timed from
 * spawning the CLI to its exit, like a trainer's shell would. Target: under 2 s.
 */
import {spawnSync} from 'node:child_process';
import {cpSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import os from 'node:os';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import type {Row} from './figure.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const RUNS = 7;
const TARGET_MS = 2000;

interface CodiceFiscaleClass {
	compute(input: {name: string; surname: string; gender: 'M' | 'F'; day: number; month: number; year: number; birthplace: string}): string;
}

function cli(args: readonly string[]): {ms: number; stdout: string} {
	const env = {...process.env};
	delete env['CI'];
	const started = performance.now();
	const result = spawnSync(process.execPath, [CLI, ...args], {cwd: ROOT, encoding: 'utf8', env, maxBuffer: 64 * 2 ** 20});
	const ms = performance.now() - started;
	if (result.status !== 0) throw new Error(`mysign ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
	return {ms, stdout: result.stdout};
}

/** 27 trainees with valid, distinct codici fiscali. */
function roomCsv(): string {
	const {CodiceFiscale} = createRequire(join(ROOT, 'package.json'))('codice-fiscale-js') as {CodiceFiscale: CodiceFiscaleClass};
	const names = ['Andrea', 'Beatrice', 'Carlo', 'Daniela', 'Enrico', 'Francesca', 'Giorgio', 'Ilaria', 'Lorenzo'];
	const rows = ['nome;cognome;codice fiscale;cellulare;email'];
	for (let index = 0; index < 27; index++) {
		const name = names[index % names.length]!;
		const surname = ['Esposito', 'Romano', 'Colombo'][Math.floor(index / names.length)]!;
		const codiceFiscale = CodiceFiscale.compute({name, surname, gender: index % 2 === 0 ? 'M' : 'F', day: 1 + index, month: 1 + (index % 12), year: 1960 + index, birthplace: 'Roma'});
		rows.push([name, surname, codiceFiscale, `+39 333 ${1_000_000 + index}`, `${name}.${surname}.${index}@example.it`.toLowerCase()].join(';'));
	}
	return rows.join('\n') + '\n';
}

const ms = (value: number) => `${value.toFixed(0)} ms`;
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export function roomResetFigures(folders: {work: string; demo: string}): Row[] {
	process.stderr.write('  … room reset: 27 enrolled from a CSV + 3 demo holders, demo --reset --keep-enrolled --yes\n');
	const room = join(folders.work, 'room-30');
	cpSync(folders.demo, room, {recursive: true});
	const csv = join(folders.work, 'room-30.csv');
	writeFileSync(csv, roomCsv());
	cli(['admin', 'enroll', '--csv', csv, '--data', room, '--json']);
	const walls: number[] = [];
	const inside: number[] = [];
	let holders = 0;
	for (let run = 0; run < RUNS; run++) {
		const {ms: wall, stdout} = cli(['demo', '--reset', '--keep-enrolled', '--yes', '--data', room, '--json']);
		const report = JSON.parse(stdout) as {reset: string[]; envelopes: string[]; seconds: number};
		holders = report.reset.length;
		if (report.envelopes.length !== 27) throw new Error(`expected 27 envelopes, got ${report.envelopes.length}`);
		walls.push(wall);
		inside.push(report.seconds * 1000);
	}
	const wall = median(walls);
	return [
		{
			figure: `demo --reset --keep-enrolled, ${holders} holders (median of ${RUNS})`,
			value: ms(wall),
			reference: `${ms(median(inside))} in the command (open + reset)`,
			target: `≤ ${ms(TARGET_MS)}`,
			pass: wall <= TARGET_MS,
			note: () => [
				`runs: ${walls.map(ms).join(', ')}; load average ${os.loadavg().map(value => value.toFixed(1)).join(' ')} on ${os.availableParallelism()} cores`,
				'no argon2 in a reset: the first states keep the hashes and the sealed key (150 new hashes for 30 holders take ~4.4 s on two cores); the rest is start-up, db reads, fsyncs of 54 outbox files and the CRL',
			],
		},
	];
}
