import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {e2eFixture, runCli} from '../helpers/cli.js';
import {MARIO} from '../helpers/holders.js';

/*
 * Exit codes a monitoring script can tell apart (issue 20): status 0/1/2 for the certificate and
 * 3 when it cannot tell; verify 0/1 and 3 when it could not check; 2 only for usage. With --json
 * an error is one JSON line on stderr with the domain error's code.
 */

const {demoFolder} = e2eFixture();
const env = {LANG: 'C.UTF-8', LC_ALL: undefined, LC_MESSAGES: undefined, MYSIGN_LANG: undefined};
const run = (args: readonly string[]) => runCli(args, {env});

describe('exit codes and JSON errors', () => {
	it('status: 0 active, 3 for an unknown holder and for a broken db.json or holder document, 2 for a usage mistake; --json errors carry the code', () => {
		const data = demoFolder();
		expect(run(['status', '--user', MARIO.userId, '--data', data]).status).toBe(0);
		const unknown = run(['status', '--user', 'JCPD9999', '--data', data]);
		expect(unknown.status).toBe(3);
		expect(unknown.stderr).toContain('JCPD9999');
		const json = run(['status', '--user', 'JCPD9999', '--data', data, '--json']);
		expect(json.status).toBe(3);
		expect(json.stdout).toBe('');
		expect(JSON.parse(json.stderr)).toEqual({error: {code: 'admin.unknownUser', message: 'Titolare sconosciuto: JCPD9999.'}});
		const usage = run(['status', '--data', data, '--json']);
		expect(usage.status).toBe(2);
		expect(JSON.parse(usage.stderr)).toMatchObject({error: {code: 'usage'}});

		const file = join(data, 'nota.txt');
		writeFileSync(file, 'non firmato\n');
		const unsigned = run(['verify', file, '--data', data, '--json']);
		expect(unsigned.status).toBe(3);
		expect(JSON.parse(unsigned.stderr).error.code).toMatch(/^verify\./);

		// A broken holder document (holders/<userID>.json) is a broken database too.
		writeFileSync(join(data, 'holders', `${MARIO.userId}.json`), '{broken');
		const brokenHolder = run(['status', '--user', MARIO.userId, '--data', data, '--json']);
		expect(brokenHolder.status).toBe(3);
		expect(JSON.parse(brokenHolder.stderr)).toMatchObject({error: {code: 'store.invalid'}});

		writeFileSync(join(data, 'db.json'), '{broken');
		const broken = run(['status', '--user', MARIO.userId, '--data', data, '--json']);
		expect(broken.status).toBe(3);
		expect(JSON.parse(broken.stderr)).toMatchObject({error: {code: 'store.invalid'}});
		// Any other command: a run-time failure is 1.
		expect(run(['crl', '--data', data]).status).toBe(1);
	});
});
