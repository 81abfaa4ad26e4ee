import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {CLI, e2eFixture, ROOT, runCli} from '../helpers/cli.js';
import {cliDemoCopies} from '../helpers/operators.js';
import {temporaryDirectory} from '../helpers/holders.js';
import {recordBytes} from '../helpers/data-folder.js';

/*
 * Issue 17, item 1, through the built CLI: the reproductions of "Planted symlinks are followed"
 * and "Special files hang it" give the right result.
 */

const demoCopy = cliDemoCopies();
const {open, track} = e2eFixture();

function outsideFolder(): string {
	const folder = temporaryDirectory();
	track(folder.remove);
	return folder.path;
}

/** The built CLI, killed after `limitMs` (a hang is a failure with a clear cause, not a stuck test). */
function runWithin(args: readonly string[], limitMs: number): {status: number | null; stderr: string; ms: number; timedOut: boolean} {
	const env: Record<string, string | undefined> = {...process.env};
	delete env['CI'];
	const started = performance.now();
	const result = spawnSync(process.execPath, [CLI, ...args], {encoding: 'utf8', input: '', env: env as NodeJS.ProcessEnv, cwd: ROOT, timeout: limitMs, killSignal: 'SIGKILL'});
	return {status: result.status, stderr: result.stderr, ms: performance.now() - started, timedOut: result.signal === 'SIGKILL'};
}

/** The resident memory of the running portal on `data` (found by its unique folder name), in MB. */
function portalMemoryMb(data: string): number {
	const pids = execFileSync('pgrep', ['-f', `${CLI} --data ${data}`], {encoding: 'utf8'}).trim().split('\n');
	const status = readFileSync(`/proc/${pids[0]}/status`, 'utf8');
	return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

describe('planted symlinks', () => {
	it('db.json.checked → victim.txt: `admin unlock JCPD7173` leaves the victim byte-identical', () => {
		const data = demoCopy();
		const victim = join(outsideFolder(), 'victim.txt');
		writeFileSync(victim, 'do not touch\n');
		rmSync(join(data, 'db.json.checked'), {force: true});
		symlinkSync(victim, join(data, 'db.json.checked'));
		// A login lock to clear, so that unlock really writes the database (and then the stamp).
		const locked = runCli(['demo', '--scenario', 'locked', '--user', 'JCPD7173', '--data', data]);
		expect(locked.status, locked.stderr).toBe(0);
		expect(readFileSync(victim, 'utf8')).toBe('do not touch\n');
		const result = runCli(['admin', 'unlock', 'JCPD7173', '--data', data]);
		expect(result.status, result.stderr).toBe(0);
		expect(result.stdout).toMatch(/JCPD7173: rimoss[io] [1-9]/);
		expect(readFileSync(victim, 'utf8')).toBe('do not touch\n');
	});

	it('db.lock → elsewhere: the command is refused naming db.lock, elsewhere is not created', () => {
		const data = demoCopy();
		const elsewhere = join(outsideFolder(), 'elsewhere');
		rmSync(join(data, 'db.lock'), {force: true});
		symlinkSync(elsewhere, join(data, 'db.lock'));
		const before = recordBytes(data);
		const result = runCli(['admin', 'unlock', 'JCPD7173', '--data', data, '--lang', 'en']);
		expect(result.status).toBe(1);
		expect(result.stderr).toContain(`${join(data, 'db.lock')} is a symbolic link`);
		expect(existsSync(elsewhere)).toBe(false);
		expect(recordBytes(data), 'db.json or holders/ changed').toEqual(before);
	});
});

describe('db.json replaced by a FIFO', () => {
	const COMMANDS = [
		['status', '--user', 'JCPD7173'],
		['admin', 'list'],
		['admin', 'unlock', 'JCPD7173'],
		['outbox'],
		['crl'],
		['reports'],
		['demo'],
		['verify', 'nothing.p7m'],
		['sign', 'nothing.txt', '--user', 'JCPD7173', '--send-otp'],
		['phone', '--user', 'JCPD7173', '--print'],
	];

	it('makes every command exit non-zero within 5 s, naming the file', () => {
		const data = demoCopy();
		rmSync(join(data, 'db.json'));
		execFileSync('mkfifo', [join(data, 'db.json')]);
		for (const command of COMMANDS) {
			const result = runWithin([...command, '--data', data], 10_000);
			expect(result.timedOut, `mysign ${command.join(' ')} hung`).toBe(false);
			expect(result.ms, command.join(' ')).toBeLessThan(5000);
			expect(result.status, command.join(' ')).not.toBe(0);
			expect(result.stderr, command.join(' ')).toContain(`${join(data, 'db.json')} non è un file regolare`);
		}
	});

	it('the full-screen portal ends by itself with the message, within 5 s', async () => {
		const data = demoCopy();
		rmSync(join(data, 'db.json'));
		execFileSync('mkfifo', [join(data, 'db.json')]);
		const terminal = open(['--data', data]);
		const status = await terminal.waitForExit(5000);
		expect(status.exitCode).toBe(1);
		expect(terminal.screen().replace(/\n/g, '')).toContain('non è un file regolare');
	});
});

describe('db.json.checked → /dev/zero', () => {
	it('the portal starts (validating first) and does not grow', async () => {
		const data = demoCopy();
		rmSync(join(data, 'db.json.checked'), {force: true});
		symlinkSync('/dev/zero', join(data, 'db.json.checked'));
		const terminal = open(['--data', data]);
		await terminal.waitForText('Tentativi rimasti: 5');
		expect(portalMemoryMb(data)).toBeLessThan(300);
		terminal.write('\u0003');
		await terminal.waitForExit(5000);
		expect(readdirSync(data)).toContain('db.json.checked');
	});
});
