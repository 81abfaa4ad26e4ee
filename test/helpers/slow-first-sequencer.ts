import {BaseSequencer, type TestSpecification} from 'vitest/node';

/*
 * The order test files start in. vitest runs the files it has timed before longest first, but a
 * fresh clone has no timings: it starts the largest files first, and a small file that runs for
 * half a minute (the store's concurrency test) then starts last and runs alone while the other
 * cores idle. These files, measured the longest on 2 cores, start first in their project; the
 * others keep vitest's order. A stale entry only costs a little order, never a test.
 */
const SLOWEST = [
	'test/reliability/crashes.test.ts',
	'test/reliability/concurrency.test.ts',
	'test/e2e/scenarios.test.ts',
	'test/e2e/console.test.ts',
	'test/e2e/lifecycle.test.ts',
	'test/e2e/admin.test.ts',
	'test/e2e/sign-login.test.ts',
	'test/e2e/tui.test.ts',
	'test/e2e/json-shapes.test.ts',
	'test/e2e/packaging.test.ts',
	'test/core/store/concurrency.test.ts',
	'test/e2e/outbox.test.ts',
	'test/e2e/key-binding.test.ts',
	'test/e2e/sign-files.test.ts',
];

export default class SlowFirstSequencer extends BaseSequencer {
	override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
		const sorted = await super.sort(files);
		const rank = (file: TestSpecification) => {
			const index = SLOWEST.findIndex(path => file.moduleId.endsWith(path));
			return index === -1 ? SLOWEST.length : index;
		};
		// vitest keeps each project's files together; within each, the slowest first, the rest as vitest sorted them.
		const projects = [...new Set(sorted.map(file => file.project.name))];
		return projects.flatMap(name => {
			const own = sorted.filter(file => file.project.name === name);
			return own.map((file, index) => ({file, index})).sort((a, b) => rank(a.file) - rank(b.file) || a.index - b.index).map(entry => entry.file);
		});
	}
}
