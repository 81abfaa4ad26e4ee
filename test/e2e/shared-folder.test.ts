import {spawnSync, type SpawnSyncReturns} from 'node:child_process';
import {chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ROOT} from '../helpers/cli.js';
import {MARIO, temporaryDirectory} from '../helpers/holders.js';
import {recordBytes} from '../helpers/data-folder.js';

/*
 * Issue 17, item 5: two OS users of one group work on one data folder in turn, through the built
 * CLI run as each of them (runuser); a third user outside the group reads nothing. It needs root
 * (to create the users) and useradd: elsewhere it is skipped, saying why.
 */

const root = process.getuid?.() === 0;
const tools = ['useradd', 'userdel', 'groupadd', 'groupdel', 'runuser', 'getent'].every(tool => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0);
const skipReason = !root ? 'needs root (to create OS users)' : !tools ? 'needs useradd, groupadd and runuser' : undefined;
if (skipReason) console.warn(`shared-folder.test.ts skipped: ${skipReason}`);

const suffix = `${process.pid % 100_000}${Math.floor(Math.random() * 1000)}`;
const GROUP = `msg${suffix}`;
const [ANNA, BRUNO, CARLO] = ['msa', 'msb', 'msc'].map(prefix => `${prefix}${suffix}`) as [string, string, string];

let base: {path: string; remove: () => void};
/** A copy of the program the three users can read (the checkout's path may be closed to them). */
let program: string;
let data: string;

function sh(command: string, args: readonly string[]): SpawnSyncReturns<string> {
	return spawnSync(command, args, {encoding: 'utf8'});
}

/** The packages the bundle leaves out (native or large), with what they need. */
function externalPackages(): string[] {
	const seen = new Set<string>();
	const queue = ['argon2', 'fs-ext', 'pdfkit', 'mailparser'];
	while (queue.length > 0) {
		const name = queue.pop()!;
		const folder = join(ROOT, 'node_modules', name);
		if (seen.has(name) || !existsSync(folder)) continue;
		seen.add(name);
		const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as {dependencies?: object; optionalDependencies?: object};
		queue.push(...Object.keys({...manifest.dependencies, ...manifest.optionalDependencies}));
	}
	return [...seen];
}

/** The built CLI as `user`, with umask 077 (the files it makes must still be shared: modes are set explicitly). */
function as(user: string, args: readonly string[], input = ''): SpawnSyncReturns<string> {
	return spawnSync('runuser', ['-u', user, '--', 'sh', '-c', 'umask 077; exec "$0" "$@"', process.execPath, join(program, 'dist', 'cli.js'), ...args], {
		encoding: 'utf8',
		input,
		cwd: base.path,
		env: {PATH: process.env['PATH'], LANG: 'C.UTF-8'},
	});
}

function uidOf(user: string): number {
	return Number(sh('id', ['-u', user]).stdout.trim());
}

function gidOf(group: string): number {
	return Number(sh('getent', ['group', group]).stdout.split(':')[2]);
}

/** Signs `name` (in the user's own folder) as MARIO, by SMS: --send-otp, the code from the outbox, then --otp. */
function signAs(user: string, name: string): SpawnSyncReturns<string> {
	const document = join(base.path, user, name);
	const sent = as(user, ['sign', document, '--user', MARIO.userId, '--password-stdin', '--send-otp', '--data', data], `${MARIO.password}\n`);
	expect(sent.status, sent.stderr).toBe(0);
	const outbox = as(user, ['outbox', '--user', MARIO.userId, '--json', '--data', data]);
	expect(outbox.status, outbox.stderr).toBe(0);
	const messages = (JSON.parse(outbox.stdout) as {messages: {kind: string; text: string}[]}).messages.filter(message => message.kind === 'sms');
	const code = /codice OTP (\d{8})/.exec(messages.at(-1)!.text)![1]!;
	return as(user, ['sign', document, '--user', MARIO.userId, '--password-stdin', '--pin-stdin', '--otp', code, '--data', data], `${MARIO.password}\n${MARIO.pin}\n`);
}

/** Every entry of the data folder with its mode, owner group and kind. */
function entries(folder: string): {path: string; mode: number; gid: number; directory: boolean}[] {
	const found = [{path: folder, mode: statSync(folder).mode & 0o7777, gid: statSync(folder).gid, directory: true}];
	for (const name of readdirSync(folder, {recursive: true}) as string[]) {
		const info = lstatSync(join(folder, name));
		found.push({path: join(folder, name), mode: info.mode & 0o7777, gid: info.gid, directory: info.isDirectory()});
	}
	return found;
}

describe.skipIf(skipReason !== undefined)('a data folder shared by an OS group (mysign admin init --group)', () => {
	beforeAll(() => {
		base = temporaryDirectory();
		chmodSync(base.path, 0o755);
		expect(sh('groupadd', [GROUP]).status).toBe(0);
		for (const user of [ANNA, BRUNO]) expect(sh('useradd', ['-M', '-U', '-G', GROUP, '-s', '/bin/sh', user]).status).toBe(0);
		expect(sh('useradd', ['-M', '-U', '-s', '/bin/sh', CARLO]).status).toBe(0);
		program = join(base.path, 'program');
		cpSync(join(ROOT, 'dist'), join(program, 'dist'), {recursive: true});
		cpSync(join(ROOT, 'package.json'), join(program, 'package.json'));
		cpSync(join(ROOT, 'data', 'seed.json'), join(program, 'data', 'seed.json'));
		for (const name of externalPackages()) cpSync(join(ROOT, 'node_modules', name), join(program, 'node_modules', name), {recursive: true, dereference: true});
		expect(sh('chmod', ['-R', 'a+rX', program]).status).toBe(0);
		// Each user's own folder for the documents they sign; the data folder's parent belongs to ANNA.
		for (const user of [ANNA, BRUNO, CARLO]) {
			mkdirSync(join(base.path, user), {mode: 0o755});
			chownSync(join(base.path, user), uidOf(user), -1);
		}
		data = join(base.path, ANNA, 'workshop');
	}, 120_000);

	afterAll(() => {
		for (const user of [ANNA, BRUNO, CARLO]) sh('userdel', [user]);
		sh('groupdel', [GROUP]);
		base?.remove();
	});

	it('init then demo by one member: the folder is 2770 of the group, files 0660, keys 0640, nothing for others', () => {
		const init = as(ANNA, ['admin', 'init', '--group', GROUP, '--data', data]);
		expect(init.status, init.stderr).toBe(0);
		expect(init.stdout).toContain(GROUP);
		const demo = as(ANNA, ['demo', '--data', data]);
		expect(demo.status, demo.stderr).toBe(0);
		const gid = gidOf(GROUP);
		const all = entries(data);
		expect(all.map(entry => relative(data, entry.path))).toEqual(
			expect.arrayContaining(['db.json', 'holders', join('holders', 'JCPD7173.json'), join('keys', 'pepper.key'), join('pki', 'ca.key'), join('signatures', 'JCPD7173.jsonl')]),
		);
		for (const entry of all) {
			const secret = relative(data, entry.path).startsWith('keys/') || entry.path.endsWith('ca.key');
			const expected = entry.directory ? 0o2770 : secret ? 0o640 : 0o660;
			expect({path: entry.path, mode: entry.mode.toString(8), gid: entry.gid}).toEqual({path: entry.path, mode: expected.toString(8), gid});
		}
	});

	it('two members work in turn: each writes, signs, and the other still reads everything', () => {
		// Operator commands stay with the folder's owner (ANNA): a member is refused, nothing written.
		const before = recordBytes(data);
		const unlock = as(BRUNO, ['admin', 'unlock', MARIO.userId, '--data', data]);
		expect(unlock.status).toBe(1);
		expect(unlock.stderr).toContain('Solo il proprietario della cartella dei dati');
		expect(as(BRUNO, ['clock', 'advance', '16m', '--data', data]).status).toBe(1);
		expect(recordBytes(data), 'db.json or holders/ changed').toEqual(before);
		// BRUNO writes a holder document as a holder would (a login that fails is counted: a rewrite, a new file renamed into place).
		const document = join(base.path, BRUNO, 'login.txt');
		writeFileSync(document, 'documento\n');
		chownSync(document, uidOf(BRUNO), -1);
		const login = as(BRUNO, ['sign', document, '--user', 'JCPD2841', '--password-stdin', '--send-otp', '--data', data], 'Sbagliata!99\n');
		expect(login.stderr).toContain('Tentativi rimasti: 4');
		// The holder's document (holders/JCPD2841.json, where the failed login and its log counter are kept) is BRUNO's new file; db.json is not rewritten.
		for (const file of [join('holders', 'JCPD2841.json')]) {
			const written = statSync(join(data, file));
			expect([file, written.uid, written.gid, (written.mode & 0o777).toString(8)]).toEqual([file, uidOf(BRUNO), gidOf(GROUP), '660']);
		}
		const status = as(ANNA, ['status', '--user', MARIO.userId, '--data', data]);
		expect(status.status, status.stderr).toBe(0);

		for (const [user, name] of [[ANNA, 'anna.txt'], [BRUNO, 'bruno.txt'], [ANNA, 'anna-2.txt']] as const) {
			writeFileSync(join(base.path, user, name), `document of ${user}\n`);
			chownSync(join(base.path, user, name), uidOf(user), -1);
			const signed = signAs(user, name);
			expect(signed.status, `${user}: ${signed.stderr}`).toBe(0);
			expect(existsSync(join(base.path, user, `${name}.p7m`))).toBe(true);
		}
		const log = readFileSync(join(data, 'signatures', 'JCPD7173.jsonl'), 'utf8');
		for (const name of ['anna.txt', 'bruno.txt', 'anna-2.txt']) expect(log).toContain(`"document":"${name}"`);
		for (const user of [ANNA, BRUNO]) {
			expect(as(user, ['status', '--user', MARIO.userId, '--data', data]).status).toBe(0);
			for (const file of ['db.json', join('holders', 'JCPD7173.json'), join('holders', 'JCPD2841.json')]) expect(spawnSync('runuser', ['-u', user, '--', 'cat', join(data, file)]).status, `${user} ${file}`).toBe(0);
		}
		// Nothing any of them wrote is open to others.
		for (const entry of entries(data)) expect({path: entry.path, others: entry.mode & 0o007}).toEqual({path: entry.path, others: 0});
	});

	it('a user outside the group reads nothing: EACCES on db.json, the holder documents and the keys, and the CLI says so', () => {
		for (const file of ['db.json', join('holders', 'JCPD7173.json'), join('keys', 'pepper.key')]) {
			const read = spawnSync('runuser', ['-u', CARLO, '--', 'cat', join(data, file)], {encoding: 'utf8'});
			expect(read.status).not.toBe(0);
			expect(read.stderr).toContain('Permission denied');
		}
		const status = as(CARLO, ['status', '--user', MARIO.userId, '--data', data]);
		expect(status.status).toBe(3);
		// The database is read first (its keys are checked against it): the first file refused is db.json.
		expect(status.stderr).toContain(`Non hai il permesso di leggere ${join(data, 'db.json')} (EACCES)`);
	});

	it('a key file left readable by others stops every command, naming the file and the chmod that fixes it', () => {
		const key = join(data, 'keys', 'pepper.key');
		chmodSync(key, 0o644);
		const refused = as(BRUNO, ['status', '--user', MARIO.userId, '--data', data, '--lang', 'en']);
		expect(refused.status).toBe(3);
		expect(refused.stderr).toContain(`The key file ${key} can be read by other users (mode 0644)`);
		expect(refused.stderr).toContain(`chmod 640 ${key}`);
		chmodSync(key, 0o640);
		expect(as(BRUNO, ['status', '--user', MARIO.userId, '--data', data]).status).toBe(0);
	});
});
