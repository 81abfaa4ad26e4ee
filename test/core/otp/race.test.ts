import {spawn} from 'node:child_process';
import {mkdirSync, renameSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {WORKERS} from '../../helpers/root.js';
import {demoPortal, ManualClock, MARIO} from '../../helpers/portal.js';
import {storeOf, challengesOf} from '../../helpers/internals.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function racer(dataDirectory: string, trialsDirectory: string, count: number) {
	const child = spawn(process.execPath, [join(WORKERS, 'otp-race-worker.mjs'), dataDirectory, trialsDirectory, String(count)], {stdio: ['ignore', 'pipe', 'inherit']});
	const results = new Map<number, string>();
	let buffered = '';
	child.stdout.setEncoding('utf8');
	child.stdout.on('data', (chunk: string) => {
		buffered += chunk;
		const lines = buffered.split('\n');
		buffered = lines.pop()!;
		for (const line of lines) {
			const match = /^trial (\d+) (.+)$/.exec(line);
			if (match) results.set(Number(match[1]), match[2]!);
		}
	});
	const exit = new Promise<number | null>(resolve => child.on('close', resolve));
	return {results, exit};
}

describe('two processes submitting the same valid code at the same moment', () => {
	it('exactly one succeeds, in 100 of 100 trials', async () => {
		// The racing processes use the real clock, so the challenges must be created on it too.
		const {portal, directory, remove} = await demoPortal(new ManualClock(new Date()));
		cleanup = remove;
		// 100 SMS for one holder: above the per-holder message limit, which is not what this test is about.
		await storeOf(portal).update(db => {
			db.settings.otpMessagesMax = 1000;
		});
		const trials = join(directory, 'trials');
		mkdirSync(trials);
		const count = 100;
		const racers = [racer(directory, trials, count), racer(directory, trials, count)];
		for (let trial = 0; trial < count; trial++) {
			const challenge = await challengesOf(portal).start({userId: MARIO.userId, operation: 'race', data: {trial}, channel: 'sms'});
			const code = /codice OTP (\d{8})/.exec((await portal.phone.messages(MARIO.userId)).at(-1)!.text)![1]!;
			const file = join(trials, `${trial}.json`);
			writeFileSync(`${file}.tmp`, JSON.stringify({challengeId: challenge.id, userId: MARIO.userId, code}));
			renameSync(`${file}.tmp`, file);
			await new Promise<void>(resolve => {
				const check = () => (racers.every(r => r.results.has(trial)) ? resolve() : setTimeout(check, 2));
				check();
			});
		}
		expect(await Promise.all(racers.map(r => r.exit))).toEqual([0, 0]);
		for (let trial = 0; trial < count; trial++) {
			const outcomes = racers.map(r => r.results.get(trial)).sort();
			expect(outcomes, `trial ${trial}`).toEqual(['ok', 'otp.used']);
		}
	});
});
