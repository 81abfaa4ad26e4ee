import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/app.js';
import {demoCopies} from '../helpers/demo-template.js';
import {KEYS, press, resize, screen, type, waitForScreen} from '../helpers/ink.js';
import {MARIO} from '../helpers/portal.js';
import {overlongLines} from '../helpers/screens.js';
import {storeOf} from '../helpers/internals.js';

/*
 * First access at 80×24: an enrolled holder (initial password, no secret question) logs in,
 * chooses a password (step 1 of 2), then a secret question and its answer (step 2 of 2), and
 * only then reaches the dashboard.
 */

const demoCopy = demoCopies();
const cleanups: (() => void)[] = [];
afterEach(() => {
	while (cleanups.length > 0) cleanups.pop()!();
});
const NEW_PASSWORD = 'Ciclamino&58';

describe('first access: new password, then the secret question', () => {
	it('walks both steps with the keyboard and opens the dashboard only after them', async () => {
		const {portal} = await demoCopy();
		await storeOf(portal).update(db => {
			const mario = db.holders.find(holder => holder.userId === MARIO.userId)!;
			mario.mustChangePassword = true;
			mario.secretQuestion = null;
		});
		const rendered = render(<App portal={portal} language="it" color={false} maxLoginAttempts={5} />);
		cleanups.push(() => rendered.unmount());
		resize(rendered, 80, 24);
		await waitForScreen(rendered, 'Tentativi rimasti: 5');
		await type(rendered, MARIO.userId);
		await press(rendered, KEYS.tab);
		await type(rendered, MARIO.password);
		await press(rendered, KEYS.enter);

		await waitForScreen(rendered, 'Passo 1 di 2: Scegli la tua password');
		await waitForScreen(rendered, /› Password attuale/);
		await type(rendered, MARIO.password);
		await press(rendered, KEYS.enter);
		await type(rendered, NEW_PASSWORD);
		await press(rendered, KEYS.enter);
		await type(rendered, NEW_PASSWORD);
		await press(rendered, KEYS.enter);

		const question = await waitForScreen(rendered, 'Passo 2 di 2: Imposta la domanda segreta');
		expect(question).toMatch(/servono il codice SMS e la\s+risposta a una domanda segreta/);
		expect(overlongLines(rendered.lastFrame() ?? '', 80)).toEqual([]);
		expect((await storeOf(portal).read()).holders.find(holder => holder.userId === MARIO.userId)).toMatchObject({mustChangePassword: false, secretQuestion: null});
		// Esc does not skip it.
		await press(rendered, KEYS.escape);
		expect(screen(rendered)).toContain('Passo 2 di 2: Imposta la domanda segreta');
		// The first proposed question, then Tab past "your own question" to the answer.
		await press(rendered, KEYS.tab);
		await press(rendered, KEYS.tab);
		await waitForScreen(rendered, /› Risposta segreta/);
		await type(rendered, 'Fido');
		await press(rendered, KEYS.enter);

		await waitForScreen(rendered, 'Il tuo certificato è');
		const holder = (await storeOf(portal).read()).holders.find(entry => entry.userId === MARIO.userId)!;
		expect(holder.secretQuestion?.question).toBe('Come si chiamava il tuo primo animale domestico?');
		expect(JSON.stringify(holder)).not.toContain('Fido');
	});
});
