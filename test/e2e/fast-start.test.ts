import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {setProgramIdentity, writeCheckedStamp} from '../../source/core/store/checked-stamp.js';
import {Store} from '../../source/core/store/store.js';
import {CLI, e2eFixture} from '../helpers/cli.js';
import {MARIO} from '../helpers/holders.js';

/*
 * A start on a database that this build validated and wrote last (db.json.checked) draws the
 * login screen before it loads the domain's code, opens the portal right after the first frame
 * (validating db.json in full) and holds the keys until then. Any other database is validated
 * before the screen changes, as always.
 */

const {demoFolder, open} = e2eFixture();
const ALTERNATE_SCREEN = '\u001b[?1049h';
const NORMAL_SCREEN = '\u001b[?1049l';

afterEach(() => setProgramIdentity(undefined));

/** Acts as the built CLI (same program identity) from this process. */
function asTheCli(): void {
	setProgramIdentity(CLI);
}

describe('the start on a database this build validated', () => {
	it('keeps a login typed the instant the screen appears, and logs in', async () => {
		const data = demoFolder();
		expect(existsSync(join(data, 'db.json.checked'))).toBe(true);
		const terminal = open(['--data', data]);
		await terminal.waitForText('Tentativi rimasti: 5');
		// One burst, while the portal may still be opening: nothing is lost or reordered.
		terminal.write(`${MARIO.userId}\t${MARIO.password}\r`);
		await terminal.waitForText('MARIO ROSSI');
		expect(terminal.screen()).toContain('Il tuo certificato è Attivo');
	});

	it('shows the login attempts the database sets, from the stamp', async () => {
		const data = demoFolder();
		asTheCli();
		await new Store(data).update(db => {
			db.settings.loginMaxAttempts = 3;
		});
		const terminal = open(['--data', data]);
		await terminal.waitForText('Tentativi rimasti: 3');
	});

	// db.json (format 2) holds the operators' password hashes. Holders' documents are not read at the
	// start (a broken one stops that holder's login: reliability/corrupt-data.test.ts).
	it.for([{what: 'db.json', file: (data: string) => join(data, 'db.json'), path: /non\s*è\s*valido:\s*operators\.0\.passwordHash/}])(
		'validates in full right after the first frame: an invalid $what behind a true stamp ends with the message and the shell screen back',
		async ({file: fileIn, path}) => {
		const data = demoFolder();
		const file = fileIn(data);
		writeFileSync(file, readFileSync(file, 'utf8').replace(/"passwordHash": "[^"]*"/, '"passwordHash": 42'));
		// Only a program racing the store could leave this: a stamp that matches a broken file.
		asTheCli();
		writeCheckedStamp(data, {loginMaxAttempts: 5});
		const terminal = open(['--data', data]);
		expect((await terminal.waitForExit()).exitCode).toBe(1);
		const raw = terminal.raw();
		expect(raw).toContain(ALTERNATE_SCREEN);
		expect(raw.lastIndexOf(NORMAL_SCREEN)).toBeGreaterThan(raw.lastIndexOf(ALTERNATE_SCREEN));
		expect(terminal.screen().replace(/\n/g, '')).toContain(file);
		expect(terminal.screen().replace(/\n/g, '')).toMatch(path);
		},
	);
});

describe('the start on any other database', () => {
	it('refuses a stamped database edited afterwards before the screen changes', async () => {
		const data = demoFolder();
		const file = join(data, 'db.json');
		await new Promise(resolve => setTimeout(resolve, 20));
		writeFileSync(file, readFileSync(file, 'utf8').replace(/"version": \d+/, '"version": 99'));
		const terminal = open(['--data', data]);
		expect((await terminal.waitForExit()).exitCode).toBe(1);
		expect(terminal.raw()).not.toContain(ALTERNATE_SCREEN);
		expect(terminal.screen().replace(/\n/g, '')).toMatch(/versione\s*più\s*recente/);
	});

	it('starts a data folder without a database on the demo data, validating before the screen changes', async () => {
		const data = demoFolder();
		const terminal = open(['--data', join(data, 'new')]);
		await terminal.waitForText('Tentativi rimasti: 5');
		expect(existsSync(join(data, 'new', 'db.json.checked'))).toBe(true);
	});
});
