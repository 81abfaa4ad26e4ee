import {spawnSync} from 'node:child_process';
import {readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {CLI, e2eFixture, ROOT, runCli, typeLogin} from '../helpers/cli.js';
import {MARIO, temporaryDirectory} from '../helpers/holders.js';
import {holderFile, readDatabase, recordBytes, recordFiles} from '../helpers/data-folder.js';

const T0 = '2026-11-24T09:00:00Z';

const {demoFolderAt, open, track} = e2eFixture();
const demoFolder = () => demoFolderAt(T0);
const logIn = typeLogin;

describe('the TUI in an 80×24 pseudo-terminal', () => {
	it('shows the login screen, logs MARIO ROSSI in, "Esci" returns to login, Ctrl-C restores the shell screen', async () => {
		const data = await demoFolder();
		const terminal = open(['--data', data]);
		await terminal.waitForText('Indirizzo e-mail o nome utente');
		expect(terminal.screen()).toContain('Tentativi rimasti: 5');
		expect(terminal.screen().split('\n').length).toBeLessThanOrEqual(24);

		await logIn(terminal, MARIO.userId, MARIO.password);
		// The demo is built at real time, then its clock set to T0: the date depends on the day of the run.
		await terminal.waitForText(/Il tuo certificato è Attivo fino al \d\d\/\d\d\/\d{4}/);
		expect(terminal.screen()).toContain('MARIO ROSSI');

		terminal.write('1');
		await terminal.waitForText('Autorità di certificazione');
		expect(terminal.screen()).toContain('TINIT-RSSMRA80A01H501U');
		terminal.write('\u001b');
		await terminal.waitForText('1. Certificato di firma');

		terminal.write('m');
		await terminal.waitForText('Menu utente');
		terminal.write('2');
		await terminal.waitForText('Sei uscito dal portale.');
		expect(terminal.screen()).toContain('Tentativi rimasti: 5');
		expect(terminal.screen()).not.toContain('MARIO ROSSI');

		terminal.write('\u0003');
		const exit = await terminal.waitForExit();
		expect(exit.exitCode).toBe(0);
		const raw = terminal.raw();
		expect(raw.lastIndexOf('\u001b[?1049l')).toBeGreaterThan(raw.lastIndexOf('\u001b[?1049h'));
		// One frame never fills the last row: Ink would otherwise clear the screen on every key.
		expect(raw).not.toContain('\u001b[2J');
	});

	it('locks the account after 5 wrong passwords, refuses the right one, and accepts it 16 minutes later', async () => {
		const data = await demoFolder();
		const terminal = open(['--data', data]);
		await logIn(terminal, MARIO.userId, 'Sbagliata&1');
		for (const left of [4, 3, 2, 1]) {
			// One left is singular: "Tentativo rimasto: 1".
			await terminal.waitForText(left === 1 ? 'Tentativo rimasto: 1' : `Tentativi rimasti: ${left}`);
			if (left > 1) {
				await terminal.type('Sbagliata&1');
				terminal.write('\r');
			}
		}
		await terminal.type('Sbagliata&1');
		terminal.write('\r');
		await terminal.waitForText('Accesso bloccato per troppi tentativi errati. Riprova dopo le 10:15');
		await terminal.type(MARIO.password);
		terminal.write('\r');
		await terminal.waitForText('Tentativi rimasti: 0');
		await terminal.waitForText('Accesso bloccato');
		expect(terminal.screen()).not.toContain('Attivo fino al');
		// The trainer moves the folder's clock from another terminal; this portal keeps running.
		const advance = (duration: string) => {
			const result = runCli(['clock', 'advance', duration, '--data', data]);
			expect(result.status, result.stderr).toBe(0);
		};
		advance('16m');
		await terminal.type(MARIO.password);
		terminal.write('\r');
		await terminal.waitForText('Attivo fino al');
	});

	it('gives an unknown userID the same message as a wrong password', async () => {
		const data = await demoFolder();
		const terminal = open(['--data', data]);
		await logIn(terminal, 'JCPD0000', 'Qualcosa&1');
		await terminal.waitForText('Tentativi rimasti: 4');
		const unknown = terminal.screen();
		await terminal.type('Qualcosa&1');
		terminal.write('\r');
		await terminal.waitForText('Tentativi rimasti: 3');
		terminal.write('\u0003');
		await terminal.waitForExit();

		const known = open(['--data', data]);
		await logIn(known, MARIO.userId, 'Qualcosa&1');
		await known.waitForText('Tentativi rimasti: 4');
		const messageOf = (screen: string) => screen.split('\n').find(line => line.includes('✗'))?.trim();
		expect(messageOf(known.screen())).toBe(messageOf(unknown));
		// No holder created for the unknown identifier: three in the database, three documents in holders/.
		expect((await readDatabase(data)).holders).toHaveLength(3);
		expect(readdirSync(join(data, 'holders')).filter(name => name !== 'index.json')).toHaveLength(3);
	});

	it('shows hostile text from the database as inert text: no OSC, clear-screen or bidi bytes reach the terminal', async () => {
		const data = await demoFolder();
		// MARIO's record is in his holder document (holders/<userID>.json).
		const file = holderFile(data, MARIO.userId);
		const document = JSON.parse(readFileSync(file, 'utf8')) as {holder: {userId: string; name: string; surname: string}};
		const mario = document.holder;
		mario.name = 'MARIO\u001b]52;c;ZXZpbA==\u0007\u001b]0;titolo\u0007';
		mario.surname = 'ROSSI\u001b[2J\u001b[H\u202eILOP\u009b2J';
		writeFileSync(file, JSON.stringify(document));

		const terminal = open(['--data', data]);
		await logIn(terminal, MARIO.userId, MARIO.password);
		await terminal.waitForText('Attivo fino al');
		terminal.write('1');
		await terminal.waitForText('Titolare del certificato');
		const raw = terminal.raw();
		expect(raw).not.toContain('\u001b]52');
		expect(raw).not.toContain('\u001b]0;');
		expect(raw).not.toContain('\u001b[2J');
		expect(raw).not.toContain('\u202e');
		expect(raw).not.toContain('\u009b');
		expect(raw).not.toContain('\u0007');
		expect(terminal.screen()).toMatch(/Benvenuto|Nome\s+MARIO/);
		expect(terminal.screen()).toContain('ROSSI');
	});

	it('refuses to start on a truncated db.json, naming the file, and leaves it unchanged', async () => {
		const data = await demoFolder();
		const file = join(data, 'db.json');
		const truncated = readFileSync(file).subarray(0, 700);
		writeFileSync(file, truncated);
		const terminal = open(['--data', data]);
		const exit = await terminal.waitForExit();
		expect(exit.exitCode).toBe(1);
		expect(terminal.screen()).toContain(file);
		expect(terminal.screen()).toContain('non è valido');
		expect(readFileSync(file).equals(truncated)).toBe(true);
	});

	it('re-lays out on resize and explains when the window is too small', async () => {
		const data = await demoFolder();
		const terminal = open(['--data', data]);
		await terminal.waitForText('Tentativi rimasti: 5');
		terminal.resize(50, 12);
		await terminal.waitForText('Finestra troppo piccola: servono almeno 60×16');
		terminal.resize(80, 24);
		await terminal.waitForText('Tentativi rimasti: 5');
	});

	it('restores the shell screen on SIGTERM', async () => {
		const data = await demoFolder();
		const terminal = open(['--data', data]);
		await terminal.waitForText('Tentativi rimasti: 5');
		terminal.kill('SIGTERM');
		await terminal.waitForExit();
		const raw = terminal.raw();
		expect(raw.lastIndexOf('\u001b[?1049l')).toBeGreaterThan(raw.lastIndexOf('\u001b[?1049h'));
	});
});

describe('the CLI without a terminal', () => {
	it('says to use a terminal and exits 2 when stdin is not a TTY', async () => {
		const data = await demoFolder();
		const result = runCli(['--data', data], {input: '\n'});
		expect(result.status).toBe(2);
		expect(result.stderr).toContain('terminale interattivo');
	});

	it('rejects unknown flags and commands with exit code 2', () => {
		for (const args of [['--bogus'], ['frobnicate'], ['demo', '--screen-reader'], ['--lang', 'de']]) {
			const result = runCli(args);
			expect(result.status, args.join(' ')).toBe(2);
			expect(result.stderr.length).toBeGreaterThan(0);
		}
		expect(runCli(['--bogus', '--lang', 'en']).stderr).toContain('Unknown option: --bogus');
		expect(runCli(['--now', 'yesterday']).status).toBe(2);
		// The clock belongs to the data folder: a process's own time is refused, and says where to go.
		const flag = runCli(['status', '--user', 'JCPD7173', '--now', '2027-03-01T00:00:00Z']);
		expect(flag.status).toBe(2);
		expect(flag.stderr).toContain('mysign clock');
		const environment = runCli(['status', '--user', 'JCPD7173'], {env: {MYSIGN_NOW: '2027-03-01T00:00:00Z'}});
		expect(environment.status).toBe(2);
		expect(environment.stderr).toContain('MYSIGN_NOW non esiste più');
	});

	it('mysign admin coupon create prints single-use codes; a bad --count is refused with exit 2 and changes nothing', async () => {
		const data = await demoFolder();
		const before = recordBytes(data);
		for (const count of ['0', 'tre', '1001']) {
			const refused = runCli(['admin', 'coupon', 'create', '--data', data, '--count', count]);
			expect(refused.status).toBe(2);
			expect(refused.stderr).toContain('--count');
		}
		expect(runCli(['admin', 'coupon', 'delete', '--data', data]).status).toBe(2);
		expect(recordBytes(data), 'db.json or holders/ changed').toEqual(before);
		const created = runCli(['admin', 'coupon', 'create', '--data', data, '--count', '3', '--json']);
		expect(created.status, created.stderr).toBe(0);
		const {coupons} = JSON.parse(created.stdout) as {coupons: string[]};
		expect(new Set(coupons).size).toBe(3);
	});

	it('prints help and version', () => {
		expect(runCli(['--help']).stdout).toContain('mysign demo');
		expect(runCli(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
	});

	it('mysign demo --json prints the credentials; --reset recreates the data; db.json and holders/*.json stay 0600 (holders/ 0700) under umask 000', () => {
		const folder = temporaryDirectory();
		track(folder.remove);
		const first = runCli(['demo', '--data', folder.path, '--json']);
		const parsed = JSON.parse(first.stdout) as {created: boolean; holders: {userId: string; password: string}[]};
		expect(parsed.created).toBe(true);
		expect(parsed.holders.map(holder => holder.userId)).toEqual(['JCPD7173', 'JCPD2841', 'JCPD5590']);
		expect(JSON.parse(runCli(['demo', '--data', folder.path, '--json']).stdout).created).toBe(false);

		const reset = spawnWithUmask0(['demo', '--data', folder.path, '--reset', '--yes']);
		expect(reset.status, reset.stderr).toBe(0);
		expect(statSync(join(folder.path, 'db.json')).mode & 0o777).toBe(0o600);
		expect(statSync(folder.path).mode & 0o777).toBe(0o700);
		const holders = statSync(join(folder.path, 'holders'));
		expect(holders.isDirectory()).toBe(true);
		expect(holders.mode & 0o777).toBe(0o700);
		const files = recordFiles(folder.path);
		expect(files).toEqual([join(folder.path, 'db.json'), ...parsed.holders.map(holder => holderFile(folder.path, holder.userId)).sort(), join(folder.path, 'holders', 'index.json')]);
		for (const file of files) {
			expect(statSync(file).mode & 0o777, file).toBe(0o600);
			const content = readFileSync(file, 'utf8');
			for (const holder of parsed.holders) expect(content, file).not.toContain(holder.password);
		}
	});
});

function spawnWithUmask0(args: string[]) {
	return spawnSync('bash', ['-c', 'umask 000 && exec "$0" "$@"', process.execPath, CLI, ...args], {encoding: 'utf8', cwd: ROOT});
}
