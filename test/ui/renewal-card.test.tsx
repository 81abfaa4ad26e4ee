import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/app.js';
import {KEYS, press, type, waitForScreen} from '../helpers/ink.js';
import {demoPortal, MARIO} from '../helpers/portal.js';

/*
 * "Rinnova firma digitale" (key 3) on a certificate that is not active names the step that exists
 * from its state, as the dashboard does: never "Richiedi un nuovo certificato" where that card is
 * not offered (a blocked PIN or a revoked certificate need the operator; a suspended one waits).
 */

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function renewalCard(scenario: 'pin-blocked' | 'suspended', language: 'it' | 'en' = 'it') {
	const context = await demoPortal();
	await context.portal.demo.applyScenario(MARIO.userId, scenario);
	const rendered = render(<App portal={context.portal} language={language} color={false} maxLoginAttempts={5} />);
	cleanup = () => {
		rendered.unmount();
		context.remove();
	};
	await waitForScreen(rendered, language === 'it' ? 'Tentativi rimasti: 5' : 'Attempts left: 5');
	await type(rendered, MARIO.userId);
	await press(rendered, KEYS.tab);
	await type(rendered, MARIO.password);
	await press(rendered, KEYS.enter);
	await waitForScreen(rendered, language === 'it' ? 'Servizi' : 'Services');
	await press(rendered, '3');
	return waitForScreen(rendered, language === 'it' ? 'non si può rinnovare' : 'cannot be renewed');
}

describe('the renewal card of a certificate that is not active', () => {
	it('with a blocked PIN names the operator, not the new-certificate card it does not offer', async () => {
		const text = (await renewalCard('pin-blocked')).replaceAll(/\s+/g, ' ');
		expect(text).toContain('mysign admin reissue JCPD7173');
		expect(text).not.toContain('Richiedi un nuovo certificato');
	});

	it('suspended: says it becomes active again, in English too', async () => {
		const text = (await renewalCard('suspended', 'en')).replaceAll(/\s+/g, ' ');
		expect(text).not.toMatch(/request a new certificate/i);
		expect(text).toContain('becomes active again by itself');
	});
});
