import {randomBytes} from 'node:crypto';
import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, expect, it} from 'vitest';
import {CLI, runCli} from '../helpers/cli.js';
import {temporaryDirectory} from '../helpers/holders.js';

/*
 * Adversarial review of the PostgreSQL store's command line (issue 22): each test is named for a
 * fault found and fails until it is fixed; its comment says the expected behaviour.
 */

const removals: (() => Promise<void> | void)[] = [];
afterEach(async () => {
	while (removals.length > 0) await removals.pop()!();
});
// A value that is no postgres:// URL is refused, but the message names "postgres://…" (displayUrl's
// fallback for what new URL() cannot parse) instead of what was given: "The store postgres://… is
// not a PostgreSQL URL". Expected: the message names the value given (a path has no password;
// a value that might hold one can be shown cut at its '@' or as `--store`).
it('--store with a socket path is refused naming "postgres://…", not the value given', () => {
	const folder = temporaryDirectory();
	removals.push(folder.remove);
	const result = runCli(['admin', 'list', '--data', join(folder.path, 'data'), '--store', '/var/run/postgresql', '--json']);
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
it('a --store URL holding a password is accepted on the command line (readable by every local user)', async () => {
	const folder = temporaryDirectory();
	removals.push(folder.remove);
	const password = `hunter2-${randomBytes(4).toString('hex')}`;
	const args = ['admin', 'list', '--data', join(folder.path, 'data'), '--store', `postgres://mysign:${password}@127.0.0.1:1/mysign`, '--json'];
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
it('the portal refuses --store ("Opzione sconosciuta: --store")', () => {
	const folder = temporaryDirectory();
	removals.push(folder.remove);
	const result = runCli(['--data', join(folder.path, 'data'), '--store', 'postgres://mysign@127.0.0.1:1/mysign']);
	expect(result.stderr).not.toContain('--store.');
	expect(result.status).not.toBe(2);
});
