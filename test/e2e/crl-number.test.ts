import {spawn, spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {CLI, e2eFixture, ROOT, runCli} from '../helpers/cli.js';

const {demoFolder} = e2eFixture();

function crlNumber(data: string): number {
	const text = spawnSync('openssl', ['crl', '-in', join(data, 'pki', 'crl.pem'), '-noout', '-text'], {encoding: 'utf8'});
	expect(text.status, text.stderr).toBe(0);
	const match = /X509v3 CRL Number:\s*\n\s*(\d+)/.exec(text.stdout);
	expect(match, text.stdout).not.toBeNull();
	return Number(match![1]);
}

/** `mysign crl` in a process of its own; resolves with its exit status and stderr. */
function crlProcess(data: string): Promise<{status: number | null; stderr: string}> {
	const env = {...process.env};
	delete env['CI'];
	const child = spawn(process.execPath, [CLI, 'crl', '--data', data], {cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe']});
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	return new Promise(resolve => child.on('close', status => resolve({status, stderr})));
}

describe('`mysign crl` and the CRL Number', () => {
	it('grows by one at each `mysign crl`', () => {
		const data = demoFolder();
		expect(crlNumber(data)).toBe(1);
		for (const expected of [2, 3]) {
			const result = runCli(['crl', '--data', data]);
			expect(result.status, result.stderr).toBe(0);
			expect(crlNumber(data)).toBe(expected);
		}
	});

	it('five processes issuing at once use five new numbers, and the file ends with the highest', async () => {
		const data = demoFolder();
		const results = await Promise.all(Array.from({length: 5}, () => crlProcess(data)));
		expect(results).toEqual(results.map(() => ({status: 0, stderr: ''})));
		const db = JSON.parse(readFileSync(join(data, 'db.json'), 'utf8')) as {crlNumber: number};
		expect(db.crlNumber).toBe(6);
		expect(crlNumber(data)).toBe(6);
	});
});
