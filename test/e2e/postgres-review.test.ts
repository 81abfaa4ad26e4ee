import {randomBytes} from 'node:crypto';
import {execFileSync, spawn, spawnSync} from 'node:child_process';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {expect, it} from 'vitest';
import {CLI, runCli} from '../helpers/cli.js';
import {postgresPlaces} from '../helpers/postgres.js';

/*
 * Adversarial review of the PostgreSQL store's command line (issue 22): each test guards a fault
 * the review found (it failed before the fix); its comment says what was wrong and what is expected.
 */

const {folder: dataFolder} = postgresPlaces();
// A value that is no postgres:// URL is refused, but the message names "postgres://…" (displayUrl's
// fallback for what new URL() cannot parse) instead of what was given: "The store postgres://… is
// not a PostgreSQL URL". Expected: the message names the value given (a path has no password;
// a value that might hold one can be shown cut at its '@' or as `--store`).
it('--store with a socket path is refused naming the value given', () => {
	const result = runCli(['admin', 'list', '--data', dataFolder(), '--store', '/var/run/postgresql', '--json']);
	expect(result.status).toBe(2);
	const message = (JSON.parse(result.stderr) as {error: {message: string}}).error.message;
	expect(message).not.toContain('postgres://…');
	expect(message).toContain('/var/run/postgresql');
});

// `--store postgres://user:PASSWORD@host/db` puts the password in the process's command line,
// which every local user of a shared server reads (ps -ef, /proc/PID/cmdline): for the whole
// start until process.title overwrites argv (node and the bundle loading, tens of ms: a loop on
// /proc catches it every time), and the README suggests "--store URL on each command".
// Expected: a --store URL holding a password is refused as a usage error, before anything else,
// saying to use MYSIGN_STORE, store.url or ~/.pgpass (and never echoing the password).
it('a --store URL holding a password (readable by every local user) is refused, the password never echoed', async () => {
	const password = `hunter2-${randomBytes(4).toString('hex')}`;
	const args = ['admin', 'list', '--data', dataFolder(), '--store', `postgres://mysign:${password}@127.0.0.1:1/mysign`, '--json'];
	// What another user sees while it starts.
	const child = spawn(process.execPath, [CLI, ...args], {stdio: 'ignore'});
	const seen = readFileSync(join('/proc', String(child.pid), 'cmdline'), 'utf8');
	await new Promise(resolve => child.on('close', resolve));
	expect(seen).toContain(password);
	const result = runCli(args);
	expect(result.stderr).not.toContain(password);
	expect(result.status).toBe(2);
});

// The portal (a bare `mysign`, what holders run) refuses --store as an unknown option, though the
// README says "--store URL on each command", `mysign --help` lists it among the common flags and
// portalFlags (cli.tsx) reads it: the portal's command spec (command-table.ts, the first
// command('')) lacks 'store'. Expected: the portal takes --store as every other command does.
it('the portal takes --store like every command', () => {
	const result = runCli(['--data', dataFolder(), '--store', 'postgres://mysign@127.0.0.1:1/mysign']);
	// Without a terminal the portal says it needs one (exit 2), after its flags were taken.
	expect(result.stderr).not.toContain('--store');
	expect(result.stderr).toContain('terminale interattivo');
});

// pg reads the files a URL names (sslcert, sslkey, sslrootcert: fs.readFileSync in
// pg-connection-string) when it parses it, following links and blocking on a FIFO. Whoever can
// write into the data folder (a shared folder's group, safe-file.ts's adversary) plants store.url
// naming a FIFO, and every command on the folder hangs for good, its event loop blocked (the
// 15 s timeouts never fire); naming /dev/zero, each reads until memory runs out. Expected: the
// pointer's parameters that name files are refused (store.invalid), or those files are read as
// safe-file.ts reads (O_NOFOLLOW|O_NONBLOCK, regular files only, bounded) and handed to pg as text.
it('a store.url whose sslrootcert names a FIFO is refused at once (no URL parameter naming a file is taken)', () => {
	const directory = dataFolder();
	mkdirSync(directory, {mode: 0o700});
	execFileSync('mkfifo', [join(directory, 'trap')]);
	writeFileSync(join(directory, 'store.url'), `postgres://mysign@127.0.0.1:1/mysign?sslmode=require&sslrootcert=${join(directory, 'trap')}\n`, {mode: 0o600});
	const env = {...process.env};
	delete env['CI'];
	const result = spawnSync(process.execPath, [CLI, 'admin', 'list', '--data', directory, '--json'], {encoding: 'utf8', timeout: 3_000, env});
	expect(result.signal, 'still blocked after 3 s').toBeNull();
	expect(result.status).toBe(1);
});

// A --store URL that cannot be parsed (a port out of range, a '#' in the password) passes the
// command line's check (only its scheme is looked at) and is reported as store.unreachable,
// "Could not reach the database postgres://… (ERR_INVALID_URL) … try again when it answers":
// trying again never helps. Expected: bad input gets its specific error before anything is
// opened (store.badUrl, a usage error, exit 2), as for a wrong scheme.
it('an unparsable --store URL is a usage error (store.badUrl), not an unreachable database', () => {
	const result = runCli(['admin', 'list', '--data', dataFolder(), '--store', 'postgres://mysign@127.0.0.1:99999/mysign', '--json']);
	expect((JSON.parse(result.stderr) as {error: {code: string}}).error.code).not.toBe('store.unreachable');
	expect(result.status).toBe(2);
});
