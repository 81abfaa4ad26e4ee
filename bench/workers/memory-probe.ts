/*
 * Preloaded with --import to explain a peak-memory figure: when the program first writes
 * "Accedi" (its first frame), records its memory by kind into $MYSIGN_BENCH_MEMORY.
 */
import {writeFileSync} from 'node:fs';
import v8 from 'node:v8';

const file = process.env['MYSIGN_BENCH_MEMORY'];
const write = process.stdout.write;
let recorded = false;

process.stdout.write = function (this: typeof process.stdout, ...args: Parameters<typeof write>) {
	const result = write.apply(this, args);
	if (!recorded && file && String(args[0]).includes('Accedi')) {
		recorded = true;
		const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map(space => [space.space_name, space.space_used_size]));
		writeFileSync(file, JSON.stringify({...process.memoryUsage(), peak: process.resourceUsage().maxRSS * 1024, spaces}));
	}
	return result;
} as typeof write;
