/*
 * Figure 6: how long the event loop stalls while argon2 hashes run, with a spinner redrawn by
 * Ink on a timer (what the portal shows while it checks a password). Runs in the bench's
 * pseudo-terminal. First the spinner alone (the baseline), then ROUNDS rounds of 4 concurrent
 * hashes with the project's own hashPassword. Writes the results as JSON to the file in argv.
 *
 * monitorEventLoopDelay records the time between its timer's runs, so each value includes the
 * resolution itself: the lag is the value minus RESOLUTION_MS.
 */
import {writeFileSync} from 'node:fs';
import {monitorEventLoopDelay, type IntervalHistogram} from 'node:perf_hooks';
import {useEffect, useState} from 'react';
import {render, Text} from 'ink';
import {hashPassword} from '../../source/core/auth/hashing.js';

const [resultFile] = process.argv.slice(2) as [string];
const RESOLUTION_MS = 1;
const BASELINE_MS = 1500;
const ROUNDS = 15;
const HASHES = 4;
const SPINNER_MS = 80;
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** When each spinner frame was drawn: the redraw the user sees, late by as much as the loop was busy. */
const redraws: number[] = [];

function Spinner({text}: {text: string}) {
	const [frame, setFrame] = useState(0);
	useEffect(() => {
		const timer = setInterval(() => setFrame(current => current + 1), SPINNER_MS);
		return () => clearInterval(timer);
	}, []);
	useEffect(() => {
		redraws.push(performance.now());
	}, [frame]);
	return (
		<Text>
			{FRAMES[frame % FRAMES.length]} {text}
		</Text>
	);
}

const instance = render(<Spinner text="Attendere" />, {exitOnCtrlC: false, patchConsole: false});
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function summary(histogram: IntervalHistogram, from: number, to: number) {
	const lag = (value: number) => Math.max(0, value / 1e6 - RESOLUTION_MS);
	const gaps = redraws.filter(at => at >= from && at <= to).map((at, index, all) => (index === 0 ? NaN : at - all[index - 1]!)).filter(gap => !Number.isNaN(gap));
	return {samples: histogram.count, p50: lag(histogram.percentile(50)), p99: lag(histogram.percentile(99)), max: lag(histogram.max), spinnerGapMax: Math.max(...gaps)};
}

await sleep(200);
let histogram = monitorEventLoopDelay({resolution: RESOLUTION_MS});
let from = performance.now();
histogram.enable();
await sleep(BASELINE_MS);
histogram.disable();
const baseline = summary(histogram, from, performance.now());

const hashTimes: number[] = [];
histogram = monitorEventLoopDelay({resolution: RESOLUTION_MS});
from = performance.now();
histogram.enable();
for (let round = 0; round < ROUNDS; round++) {
	instance.rerender(<Spinner text={`Verifica in corso (${round + 1}/${ROUNDS})`} />);
	const start = performance.now();
	await Promise.all(Array.from({length: HASHES}, (_, index) => hashPassword(`Password-${round}-${index}!`)));
	hashTimes.push(performance.now() - start);
}
histogram.disable();
const hashing = summary(histogram, from, performance.now());

instance.unmount();
writeFileSync(resultFile, JSON.stringify({baseline, hashing, roundMs: hashTimes, threadpool: Number(process.env['UV_THREADPOOL_SIZE'] ?? 4)}) + '\n');
process.exit(0);
