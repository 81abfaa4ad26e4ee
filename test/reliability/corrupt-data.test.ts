import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {Portal} from '../../source/core/portal.js';
import {Store} from '../../source/core/store/store.js';
import {e2eFixture, runCli, typeLogin} from '../helpers/cli.js';
import {MARIO} from '../helpers/portal.js';
import {allFiles, realClockDemo} from '../helpers/reliability.js';

/*
 * Issue 9, point 3, at the level users meet it. test/core/store/files.test.ts checks the store
 * refuses 8 kinds of broken db.json and 6 of broken holder documents (holders/<userID>.json)
 * without touching them; here the real CLI and the full-screen portal refuse them, name the file
 * and the problem in Italian, exit 1, and leave every file of the data folder byte-for-byte as it
 * was. A broken db.json stops every entry point at start; a broken holder document stops what
 * uses that holder (issue 22: a portal opens on db.json alone, so one holder's broken file does
 * not lock every other holder out): their status, phone and login, and the operator's list.
 */

const {open} = e2eFixture();
const demoFolder = realClockDemo();

/** Which file is broken: db.json, or a holder's document (holders/<userID>.json, here Mario's). */
type Corruption = [name: string, target: 'db.json' | 'holder', corrupt: (valid: string) => string, problem: RegExp];

const CORRUPTIONS: Corruption[] = [
	['truncated', 'db.json', valid => valid.slice(0, Math.floor(valid.length / 3)), /non è valido: not valid JSON/],
	['invalid JSON', 'db.json', valid => valid.replace('"settings"', 'settings'), /non è valido: not valid JSON/],
	['from a future version', 'db.json', valid => valid.replace(/"version": \d+/, '"version": 99'), /versione più recente di mysign \(formato 99\)/],
	['a holder document truncated', 'holder', valid => valid.slice(0, Math.floor(valid.length / 3)), /non è valido: not valid JSON/],
	['schema-violating (a holder without a password hash)', 'holder', valid => valid.replace(/"passwordHash": "[^"]*"/, '"passwordHash": 42'), /non è valido: holder\.passwordHash/],
];

const COMMANDS: string[][] = [['status', '--user', 'JCPD7173'], ['admin', 'list'], ['demo'], ['phone', '--print', '--user', 'JCPD7173']];

function snapshot(directory: string): Map<string, Buffer> {
	return new Map(allFiles(directory).map(file => [file, readFileSync(join(directory, file))]));
}

function expectUnchanged(directory: string, before: Map<string, Buffer>): void {
	expect(allFiles(directory)).toEqual([...before.keys()]);
	for (const [file, content] of before) expect(readFileSync(join(directory, file)).equals(content), file).toBe(true);
}

describe('a broken db.json or holder document: every entry point refuses to start, says why, and changes nothing', () => {
	it.each(CORRUPTIONS)('%s', async (_name, target, corrupt, problem) => {
		const data = await demoFolder();
		const file = target === 'db.json' ? join(data, 'db.json') : join(data, 'holders', 'JCPD7173.json');
		const valid = readFileSync(file, 'utf8');
		expect(corrupt(valid)).not.toBe(valid);
		writeFileSync(file, corrupt(valid));
		const before = snapshot(data);
		for (const command of target === 'db.json' ? COMMANDS : COMMANDS.filter(entry => entry[0] !== 'demo')) {
			const result = runCli([...command, '--data', data]);
			// status cannot tell the certificate's state: 3 (issue 20), the others fail with 1.
			expect(result.status, `${command.join(' ')}: ${result.stderr}`).toBe(command[0] === 'status' ? 3 : 1);
			expect(result.stderr, command.join(' ')).toContain(`Il database ${file}`);
			expect(result.stderr, command.join(' ')).toMatch(problem);
			expect(result.stderr, command.join(' ')).toMatch(/[Ii]l file non è stato modificato/);
			expect(result.stderr, command.join(' ')).not.toMatch(/\n\s+at |Errore imprevisto/);
		}
		if (target === 'db.json') {
			// The full-screen portal: the message on the terminal, no full-screen switch, exit 1.
			const terminal = open(['--data', data]);
			expect((await terminal.waitForExit()).exitCode).toBe(1);
			expect(terminal.screen().replace(/\n/g, '')).toContain(file);
			expect(terminal.screen().replace(/\n/g, '')).toMatch(/non\s*è\s*valido|versione\s*più\s*recente/);
			expect(terminal.raw()).not.toContain('\u001b[?1049h');
		} else {
			// `mysign demo` on the folder touches no holder: it answers, and changes nothing either.
			expect(runCli(['demo', '--data', data]).status).toBe(0);
			// The full-screen portal opens; Mario's login is refused, naming his file and the problem.
			const terminal = open(['--data', data]);
			await typeLogin(terminal, MARIO.userId, MARIO.password);
			await terminal.waitForText(/non\s*è\s*valido/);
			expect(terminal.screen().replace(/\s+/g, '')).toContain(file.replace(/\s+/g, ''));
			terminal.write('\u0003');
			await terminal.waitForExit();
		}
		expectUnchanged(data, before);
	});
});

describe('__proto__ and constructor keys in db.json', () => {
	it('are plain data: nothing reaches Object.prototype, a __proto__ entry is ignored, and the portal works', async () => {
		const data = await demoFolder();
		const file = join(data, 'db.json');
		const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
		parsed['loginThrottle'] = {};
		parsed['sequences'] = {};
		// Written as text: JSON.stringify of an object cannot hold an own "__proto__" key, JSON.parse makes one.
		const text = JSON.stringify(parsed)
			.replace('"loginThrottle":{}', '"loginThrottle":{"__proto__":{"failures":4,"lockedUntil":"2999-01-01T00:00:00.000Z","lockouts":1,"polluted":true}}')
			.replace('"sequences":{}', '"sequences":{"__proto__":7,"constructor":3}');
		writeFileSync(file, text);
		const db = await new Store(data).read();
		expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
		expect(Object.getPrototypeOf(db.loginThrottle)).toBe(Object.prototype);
		expect(Object.keys(db.loginThrottle)).toEqual([]);
		// The login is not locked by a "__proto__" throttle entry.
		const portal = await Portal.open({dataDirectory: data, terminal: 'test'});
		expect((await portal.sessions.login('JCPD7173', 'Girasole&42')).kind).toBe('success');
		expect(runCli(['status', '--user', 'JCPD7173', '--data', data]).status).toBe(0);
	});
});
