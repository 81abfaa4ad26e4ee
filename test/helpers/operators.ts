import {execFile, spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {join} from 'node:path';
import {afterAll, afterEach, expect} from 'vitest';
import {systemClock} from '../../source/core/clock.js';
import type {Portal} from '../../source/core/portal.js';
import {CLI, ROOT, runCli} from './cli.js';
import {copyDemoTemplate} from './templates.js';
import {romeDay} from './rome-day.js';

/*
 * Helpers for the operator end-to-end tests (`mysign admin`, `status`, `outbox`, scenarios):
 * valid codici fiscali, enrolment CSVs, the CLI run concurrently, demo folders copied from the
 * run's template, and the text of a registration envelope (an encrypted PDF).
 */

export const DAY = 86_400_000;

/** dd/mm/yyyy of the day `days` from now (Italian time is at most two hours ahead of UTC). */
export function ddmmyyyy(days: number): string {
	const date = new Date(Date.now() + days * DAY);
	return romeDay(date);
}

/** A holder as `mysign admin list --json` lists it. */
export interface HolderSummary {
	userId: string;
	state: string;
	locked: boolean;
	mustChangePassword: boolean;
	replacementDeadline: string | null;
}

export interface HolderRow {
	name: string;
	surname: string;
	codiceFiscale: string;
	phone: string;
	email: string;
}

interface CodiceFiscaleClass {
	compute(input: {name: string; surname: string; gender: 'M' | 'F'; day: number; month: number; year: number; birthplace: string}): string;
}
const {CodiceFiscale} = createRequire(join(ROOT, 'package.json'))('codice-fiscale-js') as {CodiceFiscale: CodiceFiscaleClass};

const NAMES = ['Andrea', 'Beatrice', 'Carlo', 'Daniela', 'Enrico', 'Francesca', 'Giorgio', 'Ilaria', 'Lorenzo', 'Marta'];
const SURNAMES = ['Esposito', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco', 'Bruno', 'Gallo', 'Conti', 'Costa', 'Fontana', 'Moretti'];

/**
 * `count` holders with distinct, valid codici fiscali (computed by codice-fiscale-js, born in
 * Roma), distinct e-mails and Italian mobile numbers. Different `batch` numbers never collide.
 */
export function holderRows(count: number, batch = 0): HolderRow[] {
	return Array.from({length: count}, (_, index) => {
		const name = NAMES[index % NAMES.length]!;
		const surname = SURNAMES[(Math.floor(index / NAMES.length) + batch * 3) % SURNAMES.length]!;
		const year = 1940 + batch * 5 + (index % 50);
		const codiceFiscale = CodiceFiscale.compute({name, surname, gender: index % 2 === 0 ? 'M' : 'F', day: 1 + (index % 28), month: 1 + (index % 12), year, birthplace: 'Roma'});
		return {name, surname, codiceFiscale, phone: `+39 333 ${String(1_000_000 + batch * 1000 + index)}`, email: `${name}.${surname}.${batch}.${index}@example.it`.toLowerCase()};
	});
}

export function csvOf(rows: readonly HolderRow[], separator = ';', header = ['nome', 'cognome', 'codice fiscale', 'cellulare', 'email']): string {
	return [header.join(separator), ...rows.map(row => [row.name, row.surname, row.codiceFiscale, row.phone, row.email].join(separator))].join('\n') + '\n';
}

/** `runCli` without blocking, so independent commands can run side by side. */
export function runCliAsync(args: readonly string[]): Promise<{status: number | null; stdout: string; stderr: string}> {
	const env: Record<string, string | undefined> = {...process.env};
	delete env['CI'];
	return new Promise(resolve => {
		const child = execFile(process.execPath, [CLI, ...args], {encoding: 'utf8', env: env as NodeJS.ProcessEnv, cwd: ROOT, maxBuffer: 64 * 1024 * 1024}, (_error, stdout, stderr) =>
			resolve({status: child.exitCode, stdout, stderr}),
		);
		child.stdin?.end();
	});
}

/** Runs `task` over `items`, at most `limit` at a time, keeping the order of the results. */
export async function inBatches<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array(items.length);
	let next = 0;
	await Promise.all(
		Array.from({length: Math.min(limit, items.length)}, async () => {
			while (next < items.length) {
				const index = next++;
				results[index] = await task(items[index]!, index);
			}
		}),
	);
	return results;
}

/**
 * Demo data folders for CLI tests: each call returns a fresh copy of what `mysign demo` leaves
 * (the run's template, real clock, see templates.ts), removed after the test (or the file).
 */
export function cliDemoCopies() {
	const cleanups: (() => void)[] = [];
	afterEach(() => {
		while (cleanups.length > 0) cleanups.pop()!();
	});
	const lasting: (() => void)[] = [];
	afterAll(() => {
		while (lasting.length > 0) lasting.pop()!();
	});
	/** With `shared`, the copy lasts until the end of the file (for a `beforeAll`). */
	return function demoCopy(options: {shared?: boolean} = {}): string {
		const folder = copyDemoTemplate('cli');
		(options.shared ? lasting : cleanups).push(folder.remove);
		return folder.path;
	};
}

/** A portal on a CLI data folder, with the real clock (the CLI's). */
export async function openPortal(dataDirectory: string): Promise<Portal> {
	// Loaded on first use: most files using these helpers only drive the CLI, and the core costs each test process ~1 s to load.
	const {Portal} = await import('../../source/core/portal.js');
	return Portal.open({dataDirectory, clock: systemClock, terminal: 'test'});
}

export const dbBytes = (dataDirectory: string): Buffer => readFileSync(join(dataDirectory, 'db.json'));

/** `admin … --json`, `status --json`, `outbox --json`: the parsed output of a successful command. */
export function cliJson<T>(args: readonly string[]): T {
	const result = runCli([...args, '--json']);
	expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
	return JSON.parse(result.stdout) as T;
}

// The text of an envelope and whether qpdf opens it: see pdf.ts.
export {pdfText, qpdfOpens} from './pdf.js';

/** A certificate serial in hex as one key, whoever printed it (case, leading zeros, colons). */
export function serialKey(hex: string): string {
	return hex.replace(/:/g, '').toUpperCase().replace(/^0+(?=.)/, '');
}

/** The entries of a CRL as openssl prints them: serial (see `serialKey`) → reason, if any. */
export function crlEntries(dataDirectory: string): Map<string, string> {
	const result = spawnSync('openssl', ['crl', '-in', join(dataDirectory, 'pki', 'crl.pem'), '-noout', '-text'], {encoding: 'utf8'});
	expect(result.status, result.stderr).toBe(0);
	const entries = new Map<string, string>();
	for (const block of result.stdout.split('Serial Number:').slice(1)) {
		const serial = serialKey(block.trim().split(/\s/)[0]!);
		const reason = /CRL Reason Code:\s*\n\s*(.+)/.exec(block)?.[1]?.trim() ?? '';
		entries.set(serial, reason);
	}
	return entries;
}
