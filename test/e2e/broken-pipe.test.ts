import {spawn} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {CLI, ROOT} from '../helpers/cli.js';
import {cliDemoCopies} from '../helpers/operators.js';

/*
 * A trainer pipes an operator list into `head` (or a pager quit early): the reader is gone
 * before mysign has printed everything. mysign stops printing and exits with the command's own
 * code, without an "Unhandled 'error' event … EPIPE" stack trace on the screen.
 */

const demoCopy = cliDemoCopies();

/** Runs the CLI with its stdout's reader closed at once; returns the exit code and stderr. */
function withClosedStdout(args: readonly string[]): Promise<{code: number | null; stderr: string}> {
	return new Promise(resolve => {
		const env: NodeJS.ProcessEnv = {...process.env};
		delete env['CI'];
		const child = spawn(process.execPath, [CLI, ...args], {cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe']});
		child.stdout.destroy();
		let stderr = '';
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		child.on('close', code => resolve({code, stderr}));
	});
}

describe('output into a closed pipe', () => {
	it.each(['admin list', 'admin coupon list', 'admin rao list', 'outbox'])('mysign %s | head: exit 0, no stack trace', async command => {
		const args = command.split(' ');
		const data = demoCopy();
		const {code, stderr} = await withClosedStdout([...args, '--data', data]);
		expect(stderr).not.toMatch(/EPIPE|Unhandled|at /);
		expect(code).toBe(0);
	});
});
