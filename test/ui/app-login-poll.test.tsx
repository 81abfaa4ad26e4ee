import {render} from 'ink-testing-library';
import {expect, it} from 'vitest';
import {AppLoginPanel} from '../../source/ui/screens/app-login.js';
import {UiContext} from '../../source/ui/context.js';
import {KeyRouter} from '../../source/ui/hooks/key-router.js';
import {translator} from '../../source/ui/i18n/index.js';

/*
 * "Hai l'App MyInfoCert?" polls every 500 ms. On a slow store (an offer is a locked write) the
 * ticks must not pile up: one request at a time, one offer per code shown (found by review:
 * four offers in flight at once, eight in six seconds).
 */

it('asks for one offer at a time on a slow store, and a new one only when the code shown is denied', async () => {
	let offers = 0;
	let inFlight = 0;
	let mostInFlight = 0;
	const portal = {
		now: () => new Date(),
		sessions: {
			async offerAppLogin() {
				const number = ++offers;
				mostInFlight = Math.max(mostInFlight, ++inFlight);
				await new Promise(resolve => setTimeout(resolve, 800));
				inFlight--;
				return {id: `o${number}`, code: String(100_000 + number), uri: `otpauth://login/${number}`, expiresAt: new Date(Date.now() + 60_000)};
			},
			// The first code is denied on the phone; the second waits.
			pollAppLogin: async (id: string) => ({state: id === 'o1' ? 'denied' : 'pending'}),
		},
	};
	const rendered = render(
		<UiContext.Provider value={{portal: portal as never, language: 'it', color: false, t: translator('it')}}>
			<KeyRouter>
				<AppLoginPanel active onLoggedIn={() => undefined} onBack={() => undefined} />
			</KeyRouter>
		</UiContext.Provider>,
	);
	try {
		await new Promise(resolve => setTimeout(resolve, 3500));
		expect(mostInFlight).toBe(1);
		expect(offers).toBe(2);
		expect(rendered.lastFrame()).toContain('100 002');
	} finally {
		rendered.unmount();
	}
});
