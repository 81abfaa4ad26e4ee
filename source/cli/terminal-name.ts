import {spawnSync} from 'node:child_process';
import {readlinkSync} from 'node:fs';
import {isIP} from 'node:net';

/*
 * How a portal names its terminal in "Dispositivi e sessioni" and "Visualizza accessi": the
 * terminal device (/dev/pts/3) and, over SSH, the client's address ("/dev/pts/3, SSH 10.0.0.5").
 * Both come from the environment and the system, so only what has their exact shape is kept
 * (a forged SSH_CONNECTION cannot put text or escapes on another holder's screen). Without a
 * terminal device, the process number stands in ("pid 9705").
 */

const TTY = /^\/dev\/(?!.*\.\.)[A-Za-z0-9._/-]{1,40}$/;

export interface TerminalFacts {
	env: Record<string, string | undefined>;
	/** The terminal device of standard input, as the system names it; undefined when unknown. */
	tty: string | undefined;
	pid: number;
}

/** The client address of SSH_CONNECTION or SSH_CLIENT ("ip port [ip port]"), if it is an IP address. */
export function sshClientAddress(env: Record<string, string | undefined>): string | undefined {
	for (const name of ['SSH_CONNECTION', 'SSH_CLIENT']) {
		const first = env[name]?.trim().split(/\s+/)[0];
		// An IPv6 address may carry a zone ("fe80::1%eth0"): the address is what is kept.
		const address = first?.split('%')[0];
		if (address && isIP(address) !== 0) return address;
	}
	return undefined;
}

export function describeTerminal({env, tty, pid}: TerminalFacts): string {
	const device = [tty, env['SSH_TTY']].find(candidate => candidate !== undefined && TTY.test(candidate));
	const ssh = sshClientAddress(env);
	const parts = [device, ssh ? `SSH ${ssh}` : undefined];
	if (!device) parts.push(`pid ${pid}`);
	return parts.filter(Boolean).join(', ');
}

/** Standard input's terminal device: /proc on Linux, else `tty` (only when standard input is a terminal). */
export function standardInputTty(): string | undefined {
	if (!process.stdin.isTTY) return undefined;
	try {
		return readlinkSync('/proc/self/fd/0');
	} catch {
		// Not Linux: ask tty(1), which reads the same standard input.
	}
	try {
		const result = spawnSync('tty', {stdio: ['inherit', 'pipe', 'ignore'], encoding: 'utf8', timeout: 500});
		return result.status === 0 ? result.stdout.trim() : undefined;
	} catch {
		return undefined;
	}
}

/** This process's terminal, described. */
export function terminalDescription(): string {
	return describeTerminal({env: process.env, tty: standardInputTty(), pid: process.pid});
}
