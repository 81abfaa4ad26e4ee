import {cpSync, existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {e2eFixture, runCli} from '../helpers/cli.js';
import {cliDemoCopies} from '../helpers/operators.js';
import {MARIO, temporaryDirectory} from '../helpers/holders.js';
import {copyDemoTemplate} from '../helpers/templates.js';
import {recordBytes} from '../helpers/data-folder.js';

/** The exit code of a command that cannot use the folder: 3 for status and verify ("cannot tell", issue 20), 1 for the rest. */
const cannotTell = (args: readonly string[]) => (args[0] === 'status' || args[0] === 'verify' ? 3 : 1);

/*
 * Issue 17 item 2 through the built CLI: a backup restored without keys/ (or with another
 * database's keys) stops every command with a message that says what to restore, counts nothing
 * and writes nothing; a --data typo creates nothing; arguments are refused before the folder is
 * looked at.
 */

const demoCopy = cliDemoCopies();
const {open, track} = e2eFixture();
const GIULIA = {userId: 'JCPD2841', password: 'Tramonto!73', pin: '31415926'};

/** Every file and folder under `directory` with its size and mtime: what "nothing changed" compares. */
function tree(directory: string): string[] {
	return readdirSync(directory, {recursive: true, encoding: 'utf8'})
		.sort()
		.map(name => {
			const info = statSync(join(directory, name));
			return `${name} ${info.isDirectory() ? 'dir' : `${info.size} ${info.mtimeMs}`}`;
		});
}

/** Every command that reads a data folder, as a user would type it (the PIN on stdin for `sign`). */
function commands(data: string, document: string): {args: string[]; input?: string}[] {
	return [
		{args: ['status', '--user', MARIO.userId]},
		{args: ['admin', 'list']},
		{args: ['admin', 'show', GIULIA.userId]},
		{args: ['admin', 'unlock', MARIO.userId]},
		{args: ['crl']},
		{args: ['outbox']},
		{args: ['reports']},
		{args: ['phone', '--user', GIULIA.userId, '--print']},
		{args: ['sign', document, '--user', GIULIA.userId, '--password-stdin', '--pin-stdin', '--otp', '12345678'], input: `${GIULIA.pin}\n`},
		{args: ['verify', `${document}.p7m`]},
		{args: ['demo']},
		{args: ['demo', '--scenario', 'fresh', '--user', MARIO.userId]},
	].map(command => ({...command, args: [...command.args, '--data', data]}));
}

interface Shown {
	pinFailures: number;
	locked: boolean;
}

/** GIULIA (app with push) signs a document: the right PIN on stdin, the app's current code. */
function signAsGiulia(data: string, path: string) {
	const phone = runCli(['phone', '--user', GIULIA.userId, '--print', '--json', '--data', data]);
	expect(phone.status, phone.stderr).toBe(0);
	const code = (JSON.parse(phone.stdout) as {authenticators: {device: string; code: string}[]}).authenticators.find(reading => reading.device === 'app')!.code;
	return runCli(['sign', path, '--user', GIULIA.userId, '--password-stdin', '--pin-stdin', '--otp', code, '--data', data], {input: `${GIULIA.password}\n${GIULIA.pin}\n`});
}

/** A folder outside the data folder, removed after the test: documents, a backup of keys/. */
function workFolder(): string {
	const folder = temporaryDirectory();
	track(folder.remove);
	return folder.path;
}

describe('a backup restored without its keys', () => {
	it('every command stops with the message, db.json and holders/ byte-identical and nothing created; with keys/ back, status exits 0 and the right PIN signs', () => {
		const data = demoCopy();
		const work = workFolder();
		const document = join(work, 'verbale.txt');
		writeFileSync(document, 'Verbale d’esame n. 42\r\n');
		renameSync(join(data, 'keys'), join(work, 'keys.backup'));
		const before = {db: recordBytes(data), tree: tree(data)};

		for (const {args, input} of commands(data, document)) {
			const result = runCli(args, {input});
			expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(cannotTell(args));
			const message = result.stderr.replace(/\n/g, ' ');
			expect(message, args.join(' ')).toContain(`La chiave ${join(data, 'keys', 'pepper.key')} manca`);
			expect(message).toContain('Ripristina la cartella keys/ dalla stessa copia di sicurezza di db.json');
			expect(message).not.toContain('Tentativi rimasti');
		}
		const english = runCli(['status', '--user', MARIO.userId, '--data', data, '--lang', 'en']);
		expect(english.stderr).toContain('Restore the keys/ folder from the same backup as db.json');
		expect(existsSync(join(data, 'keys'))).toBe(false);
		expect(existsSync(`${document}.p7m`)).toBe(false);
		expect(recordBytes(data), 'db.json or holders/ changed').toEqual(before.db);
		expect(tree(data)).toEqual(before.tree);

		renameSync(join(work, 'keys.backup'), join(data, 'keys'));
		const status = runCli(['status', '--user', MARIO.userId, '--data', data]);
		expect(status.status, status.stderr).toBe(0);
		const shown = runCli(['admin', 'show', GIULIA.userId, '--json', '--data', data]);
		expect(JSON.parse(shown.stdout) as Shown).toMatchObject({pinFailures: 0, locked: false});
		const signed = signAsGiulia(data, document);
		expect(signed.status, signed.stderr).toBe(0);
		expect(existsSync(`${document}.p7m`)).toBe(true);
	});

	it('keys from another demo folder are refused as not this database’s, nothing counted', () => {
		const data = demoCopy();
		// Another demo: the run's other template (Portal.createDemo at DEMO_NOW), built apart with its own keys;
		// a copy of this folder's template would have the same keys.
		const other = copyDemoTemplate('fixed');
		track(other.remove);
		expect(readFileSync(join(other.path, 'keys', 'pepper.key')).equals(readFileSync(join(data, 'keys', 'pepper.key')))).toBe(false);
		cpSync(join(other.path, 'keys'), join(data, 'keys'), {recursive: true});
		const before = recordBytes(data);
		const status = runCli(['status', '--user', MARIO.userId, '--data', data]);
		expect(status.status).toBe(3);
		expect(status.stderr.replace(/\n/g, ' ')).toContain(`La chiave ${join(data, 'keys', 'pepper.key')} non è quella di questo database`);
		const signed = runCli(['sign', join(data, 'db.json'), '--user', GIULIA.userId, '--password-stdin', '--pin-stdin', '--otp', '12345678', '--data', data], {input: `${GIULIA.password}\n${GIULIA.pin}\n`});
		expect(signed.status).toBe(1);
		expect(signed.stderr).toContain('non è quella di questo database');
		expect(recordBytes(data), 'db.json or holders/ changed').toEqual(before);
	});

	it('the portal shows the message and ends, leaving db.json and holders/ as they were', async () => {
		const data = demoCopy();
		renameSync(join(data, 'keys'), join(workFolder(), 'keys.backup'));
		const before = recordBytes(data);
		const terminal = open(['--data', data]);
		expect((await terminal.waitForExit()).exitCode).toBe(1);
		expect(terminal.screen().replace(/\n/g, '')).toContain('Ripristina la cartella keys/');
		expect(recordBytes(data), 'db.json or holders/ changed').toEqual(before);
		expect(existsSync(join(data, 'keys'))).toBe(false);
	});
});

describe('a backup restored without pki/', () => {
	it('`mysign crl` says to restore pki/ and makes no new CA', () => {
		const data = demoCopy();
		renameSync(join(data, 'pki'), join(workFolder(), 'pki'));
		const result = runCli(['crl', '--data', data]);
		expect(result.status).toBe(1);
		expect(result.stderr.replace(/\n/g, ' ')).toContain(`La chiave della CA locale ${join(data, 'pki', 'ca.key')}`);
		expect(result.stderr).toContain('Ripristina la cartella pki/');
		expect(existsSync(join(data, 'pki'))).toBe(false);
	});
});

describe('a folder without a database', () => {
	it('a --data typo: every command says the database does not exist and creates nothing', () => {
		const parent = temporaryDirectory();
		track(parent.remove);
		const typo = join(parent.path, 'some', 'typo', 'dir');
		writeFileSync(join(parent.path, 'verbale.txt'), 'x');
		for (const {args, input} of commands(typo, join(parent.path, 'verbale.txt')).filter(command => command.args[0] !== 'demo')) {
			const result = runCli(args, {input});
			expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(cannotTell(args));
			expect(result.stderr.replace(/\n/g, ' ')).toContain(`Il database ${join(typo, 'db.json')} non esiste. Crealo con: mysign demo`);
		}
		expect(readdirSync(parent.path)).toEqual(['verbale.txt']);
	});
});

describe('arguments checked before the data folder is looked at', () => {
	const MISTAKES: {args: string[]; message: string}[] = [
		{args: ['status'], message: 'Manca --user'},
		{args: ['status', '--user', 'JCPD71'], message: 'User ID non valido: JCPD71'},
		{args: ['status', '--user', MARIO.userId, '--warn-days', 'trenta'], message: '--warn-days: trenta'},
		{args: ['sign', 'verbale.txt'], message: 'Indica il titolare'},
		{args: ['sign', '--user', MARIO.userId], message: 'Indica almeno un file'},
		{args: ['sign', 'verbale.txt', '--user', 'mario'], message: 'User ID non valido: mario'},
		{args: ['sign', 'verbale.txt', '--user', MARIO.userId, '--otp', '12'], message: 'servono 8 cifre'},
		{args: ['sign', 'verbale.txt', '--user', MARIO.userId, '--otp', '12345678'], message: 'Serve il PIN di firma'},
		{args: ['verify'], message: 'Indica il file da verificare'},
		{args: ['phone'], message: 'Indica il titolare'},
		{args: ['phone', '--user', 'JCPD717'], message: 'User ID non valido'},
		{args: ['outbox', 'save', '1'], message: 'mysign outbox save N CARTELLA'},
		{args: ['outbox', '--user', 'x'], message: 'User ID non valido: x'},
		{args: ['admin', 'frobnicate'], message: 'Comando sconosciuto: admin frobnicate'},
		{args: ['admin', 'unlock'], message: 'Manca USER'},
		{args: ['admin', 'unlock', 'ROSSI'], message: 'User ID non valido: ROSSI'},
		{args: ['admin', 'show', 'RAO0001'], message: 'User ID non valido: RAO0001'},
		{args: ['admin', 'revoke', MARIO.userId], message: 'Manca --reason'},
		{args: ['admin', 'flag-replacement', MARIO.userId], message: 'Manca --deadline'},
		{args: ['admin', 'coupon', 'create', '--count', '0'], message: 'Numero non valido per --count: 0'},
		{args: ['admin', 'enroll', '--name', 'ANNA'], message: 'Manca --surname'},
		{args: ['admin', 'enroll', '--csv', 'a.csv', '--name', 'ANNA'], message: 'Usa --csv FILE oppure'},
		{args: ['admin', 'rao', 'add', '--name', 'ANNA'], message: 'Manca --phone'},
		{args: ['demo', '--scenario', 'fresh', '--user', 'JCPD'], message: 'User ID non valido: JCPD'},
	];

	it('each mistake is a usage error (exit 2) on a --data typo, which stays absent', () => {
		const parent = temporaryDirectory();
		track(parent.remove);
		const typo = join(parent.path, 'typo');
		for (const {args, message} of MISTAKES) {
			const result = runCli([...args, '--data', typo]);
			expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(2);
			expect(result.stderr.replace(/\n/g, ' '), args.join(' ')).toContain(message);
			expect(existsSync(typo), args.join(' ')).toBe(false);
		}
	});
});
