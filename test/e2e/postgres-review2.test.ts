import {expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {postgresPlaces} from '../helpers/postgres.js';

/*
 * Second adversarial review of the PostgreSQL store's command line (issue 22): each test
 * reproduces a fault (it fails on the code reviewed); its comment says what is expected.
 */

const {folder: dataFolder} = postgresPlaces();

// MYSIGN_STORE may carry a password (the README says so: --store may not). A value WHATWG cannot
// parse (here a port out of range: a typo) is refused as errors.store.badUrl naming
// displayUrl(value), whose fallback shows everything up to the first '@': `postgres://mysign:PASSWORD@…`
// on the terminal, in a CI log, in --json's error. Expected: the refusal never holds the password.
it('an unparsable MYSIGN_STORE holding a password is refused without printing the password', () => {
	const result = runCli(['admin', 'list', '--data', dataFolder(), '--json'], {env: {MYSIGN_STORE: 'postgres://mysign:hunter2@dbhost:99999/mysign'}});
	expect(result.status).toBe(2);
	expect(result.stderr + result.stdout).not.toContain('hunter2');
});
