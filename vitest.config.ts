import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		testTimeout: 60_000,
		hookTimeout: 60_000,
		// Separate processes: tests use process-wide state (umask, signals, child processes).
		pool: 'forks',
		reporters: ['default', './test/helpers/summary-reporter.ts'],
		globalSetup: ['./test/helpers/build.ts'],
	},
});
