/*
 * One of two processes racing to confirm the same OTP: for each trial it waits for the trial
 * file, submits the code at once and prints "trial <n> ok" or "trial <n> <error code>".
 */
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {isDomainError} from '../../source/core/errors.js';
import {Portal} from '../../source/core/portal.js';
import {challengesOf} from '../helpers/internals.js';

const [dataDirectory, trialsDirectory, countText] = process.argv.slice(2);
const portal = await Portal.open({dataDirectory: dataDirectory!, terminal: 'race'});
for (let trial = 0; trial < Number(countText); trial++) {
	const file = join(trialsDirectory!, `${trial}.json`);
	while (!existsSync(file)) await new Promise(resolve => setTimeout(resolve, 1));
	const {challengeId, userId, code} = JSON.parse(readFileSync(file, 'utf8')) as {challengeId: string; userId: string; code: string};
	try {
		await challengesOf(portal).confirm({challengeId, userId, operation: 'race', data: {trial}, code});
		process.stdout.write(`trial ${trial} ok\n`);
	} catch (error) {
		process.stdout.write(`trial ${trial} ${isDomainError(error) ? error.code : String(error)}\n`);
	}
}
