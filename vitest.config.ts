import {availableParallelism} from 'node:os';
import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		testTimeout: 60_000,
		hookTimeout: 60_000,
		// Separate processes: tests use process-wide state (umask, signals, child processes).
		pool: 'forks',
		// One test file more than there are cores (vitest's default is one fewer, a single file at a time
		// on 2 cores): most files wait on the programs they start (the CLI, PTYs, workers), which keeps
		// the cores busy while one waits. VITEST_MAX_WORKERS overrides it.
		maxWorkers: availableParallelism() + 1,
		reporters: ['default', './test/helpers/summary-reporter.ts'],
		// The build first (the CLI), then the demo templates every test copies (template-setup.ts).
		globalSetup: ['./test/helpers/build.ts', './test/helpers/template-setup.ts'],
		// The tests read the program's Italian default: the tester's locale and preferences must not
		// switch it (mysign follows MYSIGN_LANG and the locale; tests that check that set their own).
		env: {LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '', MYSIGN_LANG: '', MYSIGN_SCREEN_READER: '', MYSIGN_NO_MOTION: '', MYSIGN_HIGH_CONTRAST: ''},
	},
});
