import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {MINUTE} from '../../source/core/clock.js';
import {App} from '../../source/ui/app.js';
import {demoCopies} from '../helpers/demo-template.js';
import {KEYS, press, resize, type, waitForScreen} from '../helpers/ink.js';
import {lastSmsCode, MARIO} from '../helpers/portal.js';

/*
 * "Hai dimenticato la password?" rendered from flows/recovery.ts: a procedure that expired
 * while the holder was at the code step goes back to the User ID and says why there (before
 * the flow reducer, the reason was given to the code step's form as it went away, and lost).
 */

const demoCopy = demoCopies();
const cleanups: (() => void)[] = [];
afterEach(() => {
	for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('password recovery on screen', () => {
	it('expired at the code step: back at the User ID, with the reason', async () => {
		const {portal, clock} = await demoCopy();
		const rendered = render(<App portal={portal} language="it" color={false} maxLoginAttempts={5} initialState={{screen: {name: 'recovery'}, session: undefined, overlay: 'none', dashboardSelection: 0}} />);
		cleanups.push(() => rendered.unmount());
		resize(rendered, 80, 24);
		await waitForScreen(rendered, /› Indirizzo e-mail o nome utente/);
		await type(rendered, MARIO.userId);
		await press(rendered, KEYS.enter);
		await waitForScreen(rendered, 'abbiamo inviato un codice via SMS');
		const code = await lastSmsCode(portal, MARIO.userId);
		clock.advance(16 * MINUTE);
		await type(rendered, code);
		await press(rendered, KEYS.enter);
		const screen = await waitForScreen(rendered, /ricomincia dallo\s+User ID/);
		expect(screen).toMatch(/▼ 1 /);
		expect(screen).toMatch(/› Indirizzo e-mail o nome utente\s+\[\s*\]/);
	});
});
