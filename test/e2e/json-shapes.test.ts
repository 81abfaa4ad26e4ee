import {spawnSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {ROOT, runCli} from '../helpers/cli.js';
import {demoFolderCopies} from '../helpers/demo-template.js';
import {holderRows} from '../helpers/operators.js';
import {temporaryDirectory} from '../helpers/holders.js';

/*
 * docs/json.md is the contract of `--json`: for every command it lists the top-level fields.
 * This file runs each documented command with the built CLI on one demo folder (in an order
 * where each has something to act on) and checks that its output is one line of JSON whose
 * top-level keys are exactly the documented ones, and that every documented command was run:
 * the table and the program cannot drift apart.
 */

const ERROR_ROW = 'any command, on error (stderr)';

/** Command (as written in the table) → its documented top-level fields. */
export function documentedShapes(markdown: string): Map<string, string[]> {
	const shapes = new Map<string, string[]>();
	for (const line of markdown.split('\n')) {
		const match = /^\| (?:`(mysign [^`]+)`|(any command, on error \(stderr\))) \| `(\w+)` \|/.exec(line);
		if (!match) continue;
		const command = match[1] ?? match[2]!;
		shapes.set(command, [...(shapes.get(command) ?? []), match[3]!]);
	}
	return shapes;
}

interface Run {
	/** The command as docs/json.md names it. */
	doc: string;
	args: string[];
	input?: string;
	/** 0 unless said; the error row expects its own code and reads stderr. */
	status?: number;
}

const copyFolder = demoFolderCopies();

describe('--json shapes (docs/json.md)', () => {
	it('every documented command prints one line of JSON with exactly the documented top-level keys', async () => {
		const shapes = documentedShapes(readFileSync(join(ROOT, 'docs', 'json.md'), 'utf8'));
		expect(shapes.size).toBeGreaterThan(20);
		const data = await copyFolder();
		const elsewhere = temporaryDirectory();
		const runtime = temporaryDirectory();
		try {
			const env = {XDG_RUNTIME_DIR: runtime.path};
			const seen = new Set<string>();
			const problems: string[] = [];
			const parsed = new Map<string, Record<string, unknown>>();
			const check = ({doc, args, input, status = 0}: Run): Record<string, unknown> => {
				seen.add(doc);
				const result = runCli([args[0]!, '--data', data, '--json', ...args.slice(1)], {input, env});
				const text = doc === ERROR_ROW ? result.stderr : result.stdout;
				if (result.status !== status) problems.push(`${doc}: exit ${String(result.status)} (${result.stderr.trim()})`);
				if (doc === ERROR_ROW && result.stdout !== '') problems.push(`${doc}: stdout not empty`);
				if (!text.endsWith('\n') || text.slice(0, -1).includes('\n')) problems.push(`${doc}: not one line: ${JSON.stringify(text.slice(0, 200))}`);
				let value: Record<string, unknown> = {};
				try {
					value = JSON.parse(text) as Record<string, unknown>;
				} catch {
					problems.push(`${doc}: not JSON: ${text.slice(0, 200)}`);
				}
				const keys = Object.keys(value).sort();
				const documented = [...(shapes.get(doc) ?? [])].sort();
				if (keys.join(' ') !== documented.join(' ')) problems.push(`${doc}: keys ${keys.join(',')} but docs/json.md lists ${documented.join(',') || '(nothing)'}`);
				parsed.set(doc, value);
				return value;
			};

			const row = holderRows(1, 7)[0]!;
			check({doc: 'mysign status --user ID', args: ['status', '--user', 'JCPD7173']});
			check({doc: 'mysign admin list', args: ['admin', 'list']});
			const luca = check({doc: 'mysign admin show ID', args: ['admin', 'show', 'JCPD5590']});
			check({doc: 'mysign admin show ID --pem', args: ['admin', 'show', 'JCPD5590', '--pem']});
			check({doc: 'mysign admin enroll', args: ['admin', 'enroll', '--name', row.name, '--surname', row.surname, '--codice-fiscale', row.codiceFiscale, '--phone', row.phone, '--email', row.email]});
			check({doc: 'mysign admin coupon create', args: ['admin', 'coupon', 'create', '--count', '1']});
			check({doc: 'mysign admin coupon list', args: ['admin', 'coupon', 'list']});
			check({doc: 'mysign admin rao add', args: ['admin', 'rao', 'add', '--name', 'Ufficio RAO Pavia', '--phone', '3351112299']});
			check({doc: 'mysign admin rao list', args: ['admin', 'rao', 'list']});
			check({doc: 'mysign admin unlock ID', args: ['admin', 'unlock', 'JCPD7173']});
			check({doc: 'mysign demo --scenario NAME --user ID', args: ['demo', '--scenario', 'suspended', '--user', 'JCPD7173']});
			check({doc: 'mysign admin reactivate ID', args: ['admin', 'reactivate', 'JCPD7173']});
			check({doc: 'mysign admin flag-replacement ID', args: ['admin', 'flag-replacement', 'JCPD7173', '--deadline', '31/12/2030']});
			check({doc: 'mysign admin revoke ID', args: ['admin', 'revoke', 'JCPD5590', '--reason', 'unspecified', '--yes']});
			check({doc: 'mysign admin reissue ID', args: ['admin', 'reissue', 'JCPD5590', '--codice-fiscale', String(luca['codiceFiscale'])]});
			const group = spawnSync('id', ['-gn'], {encoding: 'utf8'}).stdout.trim();
			seen.add('mysign admin init');
			const init = runCli(['admin', 'init', '--group', group, '--data', join(elsewhere.path, 'room'), '--json']);
			expect(init.status, init.stderr).toBe(0);
			const initKeys = Object.keys(JSON.parse(init.stdout) as object).sort().join(' ');
			if (init.stdout.trim().includes('\n') || initKeys !== [...(shapes.get('mysign admin init') ?? [])].sort().join(' ')) problems.push(`mysign admin init: keys ${initKeys}`);
			check({doc: 'mysign outbox', args: ['outbox']});
			check({doc: 'mysign outbox show N', args: ['outbox', 'show', '1']});
			check({doc: 'mysign outbox save N DIR', args: ['outbox', 'save', '1', elsewhere.path]});
			check({doc: 'mysign clock', args: ['clock']});
			check({doc: 'mysign crl', args: ['crl']});
			check({doc: 'mysign reports', args: ['reports']});
			const phone = check({doc: 'mysign phone --user ID --print', args: ['phone', '--user', 'JCPD2841', '--print']}) as {authenticators?: {device: string; code: string}[]};
			const code = phone.authenticators?.find(reading => reading.device === 'app')?.code ?? '';
			const document = join(data, 'contratto.txt');
			writeFileSync(document, 'Contratto di prova\n');
			check({doc: 'mysign sign FILE…', args: ['sign', document, '--user', 'JCPD2841', '--password-stdin', '--pin-stdin', '--otp', code], input: 'Tramonto!73\n31415926\n'});
			check({doc: 'mysign verify FILE.p7m', args: ['verify', `${document}.p7m`]});
			check({doc: 'mysign logout --user ID', args: ['logout', '--user', 'JCPD2841']});
			check({doc: 'mysign demo --scenario NAME --all', args: ['demo', '--scenario', 'expiring', '--all']});
			check({doc: 'mysign demo --reset --keep-enrolled', args: ['demo', '--reset', '--keep-enrolled', '--yes']});
			check({doc: 'mysign demo', args: ['demo']});
			check({doc: 'mysign demo --scenario', args: ['demo', '--scenario']});
			check({doc: ERROR_ROW, args: ['status', '--user', 'JCPD9999'], status: 3});

			expect(problems).toEqual([]);
			// The table lists no command this file does not run, and this file runs none it does not list.
			expect([...seen].sort()).toEqual([...shapes.keys()].sort());
			// One meaning per field: `name` is a given name, next to its `surname`.
			const demo = parsed.get('mysign demo') as {holders: {name: string; surname: string}[]; operators: {fullName: string}[]};
			expect(demo.holders[0]).toMatchObject({name: 'MARIO', surname: 'ROSSI'});
			expect(demo.operators[0]!.fullName).toMatch(/ /);
			expect((parsed.get(ERROR_ROW) as {error: unknown}).error).toEqual({code: 'admin.unknownUser', message: 'Titolare sconosciuto: JCPD9999.'});
		} finally {
			elsewhere.remove();
			runtime.remove();
		}
	}, 180_000);
});
