import {describe, expect, it} from 'vitest';
import {e2eFixture, runCli} from '../helpers/cli.js';

/*
 * The build's `patch-ink-incremental-cursor` (scripts/build.mjs): Ink 6.8's incremental renderer
 * moves the cursor up one row too few when the previous frame ended with a newline (every frame
 * shorter than the terminal), so each update lands one row low and scrolls the screen. With
 * the patch, a screen updated key by key stays where it was drawn. Goes with Ink 7 (#910).
 */

const {demoFolder, open} = e2eFixture();

describe('the screen stays in place while it is updated (the build’s Ink cursor fix)', () => {
	it('typing 12 keys into the login form leaves every line of the screen on its row', async () => {
		const data = demoFolder();
		const set = runCli(['clock', 'set', '2026-11-24T09:00:00Z', '--data', data]);
		expect(set.status, set.stderr).toBe(0);
		const terminal = open(['--data', data]);
		await terminal.waitForText('Tentativi rimasti');
		const before = terminal.screen().split('\n');
		const anchor = before.findIndex(line => line.includes('Indirizzo e-mail o nome utente'));
		expect(anchor).toBeGreaterThanOrEqual(0);
		// Each key draws a new frame (the field's value and caret change).
		await terminal.type('MARIOROSSI12');
		await terminal.waitForText('MARIOROSSI12');
		const after = terminal.screen().split('\n');
		expect(after.findIndex(line => line.includes('Indirizzo e-mail o nome utente'))).toBe(anchor);
		expect(after[0]).toBe(before[0]);
		expect(after.filter(line => line.includes('Tentativi rimasti'))).toHaveLength(1);
	});
});
