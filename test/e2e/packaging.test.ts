import {spawnSync, type SpawnSyncReturns} from 'node:child_process';
import {copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, statSync, symlinkSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ROOT} from '../helpers/root.js';
import {temporaryDirectory} from '../helpers/holders.js';
import {startTerminal} from '../helpers/terminal.js';

/*
 * What a user gets from `npm pack` + `npm install -g`: the project's files as a fresh clone has
 * them (no dist/: the tarball must build it in `prepack`), packed, installed into a temporary
 * prefix, and run from another folder with only that prefix's bin/ on the PATH.
 * The copy is packed, not the worktree itself: `prepack` rebuilds dist/, which the other e2e
 * files run in parallel.
 */

const folder = temporaryDirectory();
const prefix = join(folder.path, 'prefix');
const elsewhere = join(folder.path, 'elsewhere');
const bin = join(prefix, 'bin', 'mysign');
const installed = join(prefix, 'lib', 'node_modules', 'mysign');
const figures: Record<string, string> = {};

/** The environment of a user's shell: the prefix's bin first, nothing of the test run. */
function userEnvironment(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (key === 'CI' || key === 'NODE_OPTIONS' || key.startsWith('VITEST') || key.startsWith('npm_lifecycle') || key.startsWith('npm_package')) continue;
		env[key] = value;
	}
	env['PATH'] = `${join(prefix, 'bin')}:${process.env['PATH'] ?? ''}`;
	return env;
}

function run(command: string, args: readonly string[], cwd: string, timeout = 60_000): SpawnSyncReturns<string> {
	return spawnSync(command, args, {cwd, encoding: 'utf8', env: userEnvironment(), timeout});
}

function mysign(...args: string[]): SpawnSyncReturns<string> {
	return run('mysign', args, elsewhere);
}

function ok(result: SpawnSyncReturns<string>, what: string): SpawnSyncReturns<string> {
	if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status}, ${result.signal ?? result.error?.message ?? 'no signal'}):\n${result.stdout}\n${result.stderr}`);
	return result;
}

/** The files a fresh clone has (tracked and new, not ignored), with the installed node_modules beside them for the build. */
function cloneInto(target: string): void {
	const files = ok(spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {cwd: ROOT, encoding: 'utf8'}), 'git ls-files').stdout.split('\0').filter(Boolean);
	for (const file of files) {
		if (!existsSync(join(ROOT, file))) continue; // deleted in the worktree, not yet committed
		mkdirSync(dirname(join(target, file)), {recursive: true});
		copyFileSync(join(ROOT, file), join(target, file));
	}
	symlinkSync(join(ROOT, 'node_modules'), join(target, 'node_modules'), 'dir');
}

function directorySize(path: string): number {
	let total = 0;
	for (const entry of readdirSync(path, {withFileTypes: true})) {
		const child = join(path, entry.name);
		if (entry.isDirectory()) total += directorySize(child);
		else if (entry.isFile()) total += statSync(child).size;
	}
	return total;
}

beforeAll(() => {
	const clone = join(folder.path, 'clone');
	const packed = join(folder.path, 'packed');
	mkdirSync(clone);
	mkdirSync(packed);
	mkdirSync(elsewhere);
	cloneInto(clone);
	expect(existsSync(join(clone, 'dist'))).toBe(false);

	let started = Date.now();
	const pack = ok(run('npm', ['pack', '--pack-destination', packed, '--json'], clone, 120_000), 'npm pack');
	figures['npm pack (with prepack build)'] = `${Date.now() - started} ms`;
	const [{filename, size}] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[\n'))) as [{filename: string; size: number}];
	figures['tarball'] = `${(size / 1024).toFixed(0)} KiB`;

	// The packages' metadata may come from the registry (a global install does not read our
	// lockfile); their tarballs come from the cache `npm ci` filled. Install scripts are allowed
	// for the two native addons only, as the README says.
	started = Date.now();
	ok(run('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--allow-scripts=argon2,fs-ext', join(packed, filename)], elsewhere, 240_000), 'npm install -g');
	figures['npm install -g'] = `${Date.now() - started} ms`;
	const packages = readdirSync(join(installed, 'node_modules')).flatMap(name => (name.startsWith('@') ? readdirSync(join(installed, 'node_modules', name)) : name.startsWith('.') ? [] : [name]));
	figures['installed'] = `${packages.length} packages, ${(directorySize(prefix) / 1024 / 1024).toFixed(1)} MiB`;
}, 400_000);

afterAll(() => {
	console.info(`packaging: ${Object.entries(figures).map(([name, value]) => `${name} ${value}`).join('; ')}`);
	folder.remove();
});

describe('the packed tarball, installed globally into a temporary prefix', () => {
	it('ships the built CLI and only run-time dependencies', () => {
		expect(existsSync(join(installed, 'dist', 'cli.js'))).toBe(true);
		expect(existsSync(join(installed, 'LICENSE'))).toBe(true);
		// Bundled at build time: none of these is installed for a user.
		for (const bundled of ['ink', 'react', 'zod', 'meow', 'esbuild', 'typescript', 'vitest']) expect(existsSync(join(installed, 'node_modules', bundled)), bundled).toBe(false);
		for (const external of ['argon2', 'fs-ext', 'pdfkit', 'mailparser']) expect(existsSync(join(installed, 'node_modules', external)), external).toBe(true);
	});

	it('runs --version, demo and status from another folder with only the prefix on the PATH', () => {
		const data = join(elsewhere, 'aula');
		expect(ok(mysign('--version'), 'mysign --version').stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
		const demo = ok(mysign('demo', '--data', data), 'mysign demo');
		expect(demo.stdout).toContain('JCPD7173');
		expect(demo.stdout).toContain('MARIO ROSSI');
		expect(existsSync(join(data, 'db.json'))).toBe(true);
		expect(existsSync(join(data, 'holders', 'JCPD7173.json'))).toBe(true);
		const status = ok(mysign('status', '--user', 'JCPD7173', '--data', data), 'mysign status');
		expect(status.stdout).toMatch(/^JCPD7173: Attivo/);
	});

	it('starts the portal in an 80×24 terminal from another folder', async () => {
		const data = join(elsewhere, 'portale');
		ok(mysign('demo', '--data', data), 'mysign demo');
		const terminal = startTerminal({command: bin, args: ['--data', data], cwd: elsewhere, env: {PATH: userEnvironment()['PATH']}});
		try {
			await terminal.waitForText('Indirizzo e-mail o nome utente');
			expect(terminal.screen()).toContain('Tentativi rimasti: 5');
			terminal.write('\u0003');
			expect((await terminal.waitForExit()).exitCode).toBe(0);
		} finally {
			terminal.dispose();
		}
	});

	it('says which native addon is missing and how to fix it, without a stack trace', () => {
		const build = join(installed, 'node_modules', 'fs-ext', 'build');
		renameSync(build, `${build}.away`);
		try {
			const result = mysign('--lang', 'en', 'demo', '--data', join(elsewhere, 'senza-addon'));
			expect(result.status).not.toBe(0);
			expect(result.stderr).toContain('The native module fs-ext is missing or was not built');
			expect(result.stderr).toContain('npm rebuild fs-ext');
			expect(result.stderr).toContain('--allow-scripts=argon2,fs-ext');
			expect(result.stderr).not.toMatch(/^\s+at /m);
		} finally {
			renameSync(`${build}.away`, build);
		}
	});
});
