import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {TestProject} from 'vitest/node';
import {PostgresMissing, startCluster, stopCluster} from '../../scripts/postgres-cluster.mjs';

/**
 * Vitest global setup: the PostgreSQL server the store's PostgreSQL suites run on (see postgres.ts),
 * given to the test files through `provide` (a value vitest hands every worker, whatever the pool).
 * MYSIGN_TEST_POSTGRES names one already running (.ci/run starts its own); otherwise a throw-away
 * cluster is started in a temp folder for the run and removed at its end.
 * No PostgreSQL installed: a developer's run skips those suites with a warning; CI=true fails.
 */
export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
	const given = process.env['MYSIGN_TEST_POSTGRES'];
	if (given) {
		project.provide('postgres', {url: given});
		return undefined;
	}
	const directory = mkdtempSync(join(tmpdir(), 'mysign-postgres-'));
	// An interrupted run (Ctrl-C) exits without the teardown: the server would outlive it.
	const stop = () => stopCluster(directory);
	process.once('exit', stop);
	const teardown = () => {
		process.off('exit', stop);
		stop();
	};
	try {
		project.provide('postgres', {url: await startCluster(directory)});
		return teardown;
	} catch (error) {
		teardown();
		const reason = (error as Error).message;
		if (!(error instanceof PostgresMissing)) throw new Error(`could not start the tests' PostgreSQL cluster: ${reason}`, {cause: error});
		if (/^(true|1)$/i.test(process.env['CI'] ?? '')) throw new Error(`CI=true and no PostgreSQL for the store tests: ${reason} (or set MYSIGN_TEST_POSTGRES to a server's URL)`);
		console.warn(`PostgreSQL store tests skipped: ${reason}`);
		project.provide('postgres', {missing: reason});
		return undefined;
	}
}
