import {availableParallelism} from 'node:os';
import {defineConfig} from 'vitest/config';
import SlowFirstSequencer from './test/helpers/slow-first-sequencer.js';

/** What both projects below share (an inline project does not inherit the root's test options in vitest 4). */
const common = {
	testTimeout: 60_000,
	hookTimeout: 60_000,
	// Separate processes: tests use process-wide state (umask, signals, child processes).
	pool: 'forks',
	// The tests read the program's Italian default: the tester's locale and preferences must not
	// switch it (mysign follows MYSIGN_LANG and the locale; tests that check that set their own).
	env: {LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '', MYSIGN_LANG: '', MYSIGN_SCREEN_READER: '', MYSIGN_NO_MOTION: '', MYSIGN_HIGH_CONTRAST: ''},
} as const;

export default defineConfig({
	test: {
		// One test file more than there are cores (vitest's default is one fewer, a single file at a time
		// on 2 cores): most files wait on the programs they start (the CLI, PTYs, workers), which keeps
		// the cores busy while one waits. VITEST_MAX_WORKERS overrides it.
		maxWorkers: availableParallelism() + 1,
		reporters: ['default', './test/helpers/summary-reporter.ts'],
		// The longest files first, also in a fresh clone that has no timings yet (see the sequencer).
		sequence: {sequencer: SlowFirstSequencer},
		// The build first (the CLI), then the demo templates every test copies (template-setup.ts), then
		// the PostgreSQL cluster the store's PostgreSQL suites use (postgres-setup.ts); once for the run,
		// here at the root (a project's own globalSetup would run again for each project).
		globalSetup: ['./test/helpers/build.ts', './test/helpers/template-setup.ts', './test/helpers/postgres-setup.ts'],
		projects: [
			/*
			 * Most files share their worker's modules with the files it ran before (isolate: false): a fresh
			 * fork and module graph per file cost about a second of CPU each. These files leave nothing
			 * behind (spies restored, umask and environment put back; restoreMocks makes sure of the spies).
			 */
			{test: {...common, name: 'shared', include: ['test/{core,ui,cli,helpers,e2e}/**/*.test.{ts,tsx}'], exclude: ['**/*.isolated.test.{ts,tsx}'], isolate: false, restoreMocks: true, unstubEnvs: true, unstubGlobals: true}},
			// vi.mock of modules other files have already loaded (hashing.js) needs a fresh module graph: the
			// reliability suite, and any file named *.isolated.test.ts.
			{test: {...common, name: 'isolated', include: ['test/reliability/**/*.test.{ts,tsx}', 'test/**/*.isolated.test.{ts,tsx}']}},
		],
	},
});
