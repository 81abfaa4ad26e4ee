import {describe, expect, it} from 'vitest';
import {e2eFixture, runCli, typeLogin} from '../helpers/cli.js';
import {MARIO} from '../helpers/holders.js';

/*
 * A trainer resets the room (`mysign demo --reset --keep-enrolled --yes`) while a trainee's
 * portal is open: the trainee is back on the login screen within a few seconds, told that the
 * trainer reset the data, not that "another device" closed the session (nobody did).
 */

const {demoFolder, open} = e2eFixture();

describe('a room reset while a portal is open', () => {
	it.each([
		['--keep-enrolled', ['demo', '--reset', '--keep-enrolled', '--yes']],
		['plain', ['demo', '--reset', '--yes']],
	])('%s: the portal returns to the login screen and says the trainer reset the data', async (_kind, args) => {
		const data = demoFolder();
		const portal = open(['--data', data]);
		await typeLogin(portal, MARIO.userId, MARIO.password);
		await portal.waitForText('Il tuo certificato è');
		const reset = runCli([...args, '--data', data]);
		expect(reset.status, reset.stderr).toBe(0);
		await portal.waitForText('Sessione terminata: il formatore ha reimpostato i dati. Accedi di nuovo.', 5000);
		expect(portal.screen()).toContain('Tentativi rimasti');
		expect(portal.screen()).not.toContain('altro dispositivo');
	}, 60_000);
});
