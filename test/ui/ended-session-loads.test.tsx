import type {ReactNode} from 'react';
import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {AccountScreen} from '../../source/ui/screens/account.js';
import {ForcedPasswordScreen} from '../../source/ui/screens/forced-password.js';
import {RenewalWizard} from '../../source/ui/screens/renewal-wizard.js';
import {UiContext} from '../../source/ui/context.js';
import {KeyRouter} from '../../source/ui/hooks/key-router.js';
import {translator} from '../../source/ui/i18n/index.js';
import type {Portal, Session} from '../../source/core/portal.js';
import {demoPortal, logIn, MARIO} from '../helpers/portal.js';

/*
 * A screen that loads something for its session when it opens, opened just as the session ends
 * (timed out, or "Esci da tutte le altre sessioni" elsewhere, before the session watch has seen
 * it): the refusal must not be left unhandled, which in the CLI (no handler) ends the whole
 * terminal app with a stack trace instead of the watch's "session ended" on the login screen.
 */

const cleanups: (() => void)[] = [];
afterEach(() => {
	while (cleanups.length > 0) cleanups.pop()!();
});

async function endedSession(): Promise<{portal: Portal; session: Session}> {
	const context = await demoPortal();
	cleanups.push(context.remove);
	const session = await logIn(context.portal, MARIO.userId, MARIO.password);
	await context.portal.sessions.logout(session);
	return {portal: context.portal, session};
}

/** Renders `node` and returns the rejections nobody handled meanwhile. */
async function unhandledWhileShowing(portal: Portal, node: ReactNode): Promise<unknown[]> {
	const unhandled: unknown[] = [];
	const listener = (reason: unknown) => void unhandled.push(reason);
	process.on('unhandledRejection', listener);
	try {
		const rendered = render(
			<UiContext.Provider value={{portal, language: 'it', color: false, t: translator('it')}}>
				<KeyRouter>{node}</KeyRouter>
			</UiContext.Provider>,
		);
		cleanups.push(() => rendered.unmount());
		// The loads read the data folder: give them time to settle (and an unhandled refusal to be reported).
		await new Promise(resolve => setTimeout(resolve, 500));
	} finally {
		process.off('unhandledRejection', listener);
	}
	return unhandled;
}

describe('a screen opened as its session ends leaves no refusal unhandled', () => {
	it('the renewal wizard (its declaration’s IUT)', async () => {
		const {portal, session} = await endedSession();
		const wizard = <RenewalWizard withCoupon={false} active session={session} holderName="Mario Rossi" expiresAt={new Date('2027-01-20T00:00:00Z')} onClose={() => undefined} />;
		expect(await unhandledWhileShowing(portal, wizard)).toEqual([]);
	});

	it('the account (the password rules’ names)', async () => {
		const {portal, session} = await endedSession();
		expect(await unhandledWhileShowing(portal, <AccountScreen active session={session} onBack={() => undefined} onLanguage={() => undefined} />)).toEqual([]);
	});

	it('the first access’s new password', async () => {
		const {portal, session} = await endedSession();
		expect(await unhandledWhileShowing(portal, <ForcedPasswordScreen active session={session} onDone={() => undefined} />)).toEqual([]);
	});
});
