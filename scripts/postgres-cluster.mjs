// A throw-away PostgreSQL cluster for the tests (the PostgreSQL store's suites, issue 22):
//   node scripts/postgres-cluster.mjs start <dir>   prints the URL of its `mysign_test` database
//   node scripts/postgres-cluster.mjs stop <dir>    stops it and removes <dir>
// The vitest global setup (test/helpers/postgres-setup.ts) imports startCluster/stopCluster;
// .ci/run uses the command line. Plain Node, no packages: nothing to install or build before it runs.
import {execFile, execFileSync} from 'node:child_process';
import {appendFileSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync} from 'node:fs';
import {createServer} from 'node:net';
import {delimiter, join, resolve} from 'node:path';
import {pathToFileURL} from 'node:url';
import {promisify} from 'node:util';

const run = promisify(execFile);

/** The database the tests' URL names (test/helpers/postgres.ts makes a fresh one per test besides). */
export const TEST_DATABASE = 'mysign_test';
const DEBIAN = '/usr/lib/postgresql';

/** The binaries are missing: the one case the tests may skip PostgreSQL for (outside CI). */
export class PostgresMissing extends Error {
	name = 'PostgresMissing';
}

/**
 * initdb and pg_ctl, from one installation: MYSIGN_PG_BIN's folder alone if set (a test of the
 * missing case points it at nothing), else initdb on PATH (its real folder: Debian links only some
 * programs into PATH), else the newest /usr/lib/postgresql/<version>/bin.
 */
export function findBinaries(env = process.env) {
	const folders = env['MYSIGN_PG_BIN'] ? [env['MYSIGN_PG_BIN']] : candidateFolders(env);
	for (const folder of folders) {
		const initdb = join(folder, 'initdb');
		const pgCtl = join(folder, 'pg_ctl');
		if (existsSync(initdb) && existsSync(pgCtl)) {
			const createdb = join(folder, 'createdb');
			return {initdb, pgCtl, createdb: existsSync(createdb) ? createdb : 'createdb'};
		}
	}
	const looked = env['MYSIGN_PG_BIN'] ? `in MYSIGN_PG_BIN (${env['MYSIGN_PG_BIN']})` : `on PATH or in ${DEBIAN}/*/bin`;
	throw new PostgresMissing(`PostgreSQL's initdb and pg_ctl not found ${looked}: install PostgreSQL (Debian: apt-get install postgresql)`);
}

function candidateFolders(env) {
	const folders = [];
	for (const entry of (env['PATH'] ?? '').split(delimiter)) {
		const initdb = join(entry || '.', 'initdb');
		if (existsSync(initdb)) folders.push(join(realpathSync(initdb), '..'));
	}
	const versions = existsSync(DEBIAN) ? readdirSync(DEBIAN).filter(name => /^\d+(\.\d+)?$/.test(name)) : [];
	versions.sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
	return [...folders, ...versions.map(version => join(DEBIAN, version, 'bin'))];
}

/** initdb refuses to run as root: then the cluster belongs to the `postgres` user, and its programs run as it. */
function serverUser() {
	if (process.getuid?.() !== 0) return {wrap: (file, args) => [file, args], owner: undefined};
	let owner;
	try {
		const id = flag => Number(execFileSync('id', [flag, 'postgres'], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trim());
		owner = {uid: id('-u'), gid: id('-g')};
	} catch {
		throw new Error('running as root, and there is no `postgres` user to own the cluster (initdb refuses root)');
	}
	// runuser lives in /usr/sbin, which a non-login root shell's PATH may lack.
	const runuser = ['/usr/sbin/runuser', '/sbin/runuser'].find(path => existsSync(path)) ?? 'runuser';
	return {wrap: (file, args) => [runuser, ['-u', 'postgres', '--', file, ...args]], owner};
}

/** A command's failure as one line: the first line of its output that says what went wrong (a hint may follow it). */
function failure(what, error) {
	const output = `${error.stderr ?? ''}\n${error.stdout ?? ''}`.split('\n').map(line => line.trim()).filter(Boolean);
	const reason = output.find(line => /error|fatal|could not|cannot|failed/i.test(line)) ?? output.at(-1) ?? error.message;
	return new Error(`${what} failed: ${reason}`);
}

/** The server log's last FATAL/PANIC/ERROR line: why pg_ctl could not start it ("Examine the log output"). */
function logReason(log) {
	try {
		return readFileSync(log, 'utf8').split('\n').filter(line => /\b(FATAL|PANIC|ERROR):/.test(line)).at(-1)?.trim();
	} catch {
		return undefined;
	}
}

async function runAs(user, what, file, args) {
	const [command, all] = user.wrap(file, args);
	try {
		return await run(command, all, {timeout: 120_000});
	} catch (error) {
		throw failure(what, error);
	}
}

/** A TCP port free right now on 127.0.0.1 (the kernel's pick); start retries if another process takes it first. */
function freePort() {
	return new Promise((done, fail) => {
		const server = createServer();
		server.unref();
		server.on('error', fail);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address();
			server.close(() => done(port));
		});
	});
}

/*
 * Settings for a cluster nobody must keep: nothing is flushed to disk (a crash loses only the
 * test run), TCP on the loopback only, the socket inside <dir> (no /var/run/postgresql needed).
 * Connections: each test file's pools (4 each) on 3 workers, and the CLI processes tests start.
 */
function settings(dir) {
	return [
		`listen_addresses = '127.0.0.1'`,
		`unix_socket_directories = '${dir.replaceAll("'", "''")}'`,
		'fsync = off',
		'synchronous_commit = off',
		'full_page_writes = off',
		'max_connections = 200',
	].join('\n');
}

/**
 * Creates a cluster in <dir> (made if missing; must be empty), starts it and creates the test
 * database. Returns its URL. <dir>/data is the cluster, <dir>/postgres.log its server log.
 */
export async function startCluster(directory, env = process.env) {
	const binaries = findBinaries(env);
	const dir = resolve(directory);
	const data = join(dir, 'data');
	const user = serverUser();
	mkdirSync(dir, {recursive: true});
	if (user.owner) chownSync(dir, user.owner.uid, user.owner.gid);
	// Trust for local and loopback connections (-A sets both); no sync: the cluster is thrown away.
	await runAs(user, 'initdb', binaries.initdb, ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
	// Appending keeps the file's owner (the server user), root or not.
	appendFileSync(join(data, 'postgresql.conf'), `\n${settings(dir)}\n`);
	// The port goes on the command line (a number: pg_ctl passes -o through a shell); a port taken
	// between freePort() and the server's bind only makes pg_ctl fail, so try another.
	let port;
	for (let attempt = 1; ; attempt++) {
		port = await freePort();
		try {
			await runAs(user, 'pg_ctl start', binaries.pgCtl, ['start', '-D', data, '-l', join(dir, 'postgres.log'), '-w', '-t', '60', '-o', `-p ${port}`]);
			break;
		} catch (error) {
			const log = join(dir, 'postgres.log');
			if (attempt === 3) throw new Error(`${logReason(log) ?? error.message} (server log: ${log})`);
		}
	}
	try {
		await run(binaries.createdb, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', TEST_DATABASE], {timeout: 60_000});
	} catch (error) {
		throw failure('createdb', error);
	}
	return `postgres://postgres@127.0.0.1:${port}/${TEST_DATABASE}`;
}

/**
 * Stops the cluster in <dir> (fast: connections are cut; immediate if that fails) and removes <dir>.
 * Synchronous, so that it can run in a process's 'exit' event (an interrupted test run).
 */
export function stopCluster(directory, env = process.env) {
	const dir = resolve(directory);
	const data = join(dir, 'data');
	if (existsSync(join(data, 'postmaster.pid'))) {
		let binaries;
		try {
			binaries = findBinaries(env);
		} catch {
			binaries = undefined;
		}
		let user;
		try {
			user = serverUser();
		} catch {
			user = {wrap: (file, args) => [file, args]};
		}
		let stopped = false;
		for (const mode of binaries ? ['fast', 'immediate'] : []) {
			try {
				execFileSync(...user.wrap(binaries.pgCtl, ['stop', '-D', data, '-m', mode, '-w', '-t', '30']), {stdio: 'ignore', timeout: 60_000});
				stopped = true;
				break;
			} catch {
				// the next mode
			}
		}
		// Last resort (no pg_ctl, or it could not stop it): SIGQUIT (immediate shutdown) to the postmaster, the file's first line.
		if (!stopped) killPostmaster(data);
	}
	rmSync(dir, {recursive: true, force: true});
}

function killPostmaster(data) {
	try {
		const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
		if (pid > 0) process.kill(pid, 'SIGQUIT');
	} catch {
		// gone already
	}
}

async function main([command, directory, ...rest]) {
	if (!['start', 'stop'].includes(command) || !directory || rest.length > 0) {
		console.error('usage: node scripts/postgres-cluster.mjs start|stop <dir>');
		return 2;
	}
	try {
		if (command === 'start') console.log(await startCluster(directory));
		else stopCluster(directory);
		return 0;
	} catch (error) {
		console.error(`postgres-cluster: ${error.message.split('\n')[0]}`);
		return 1;
	}
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
	process.exitCode = await main(process.argv.slice(2));
}
