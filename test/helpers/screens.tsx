import {render} from 'ink-testing-library';
import {afterEach} from 'vitest';
import type {Portal, Session} from '../../source/core/portal.js';
import {App} from '../../source/ui/app.js';
import {DASHBOARD_CARDS} from '../../source/ui/screens/dashboard.js';
import type {CardScreen} from '../../source/ui/state.js';
import {resize} from './ink.js';
import {demoPortal, logIn} from './portal.js';

export type Rendered = ReturnType<typeof render>;

/**
 * Component tests of one card's screen: the App on a demo portal, opened on `screen` for a
 * holder logged in beforehand (as if the card had been chosen on the dashboard), in a terminal
 * of 80×24 unless told otherwise. Everything is unmounted and removed after each test.
 */
export function screenFixture() {
	const cleanups: (() => void)[] = [];
	afterEach(() => {
		while (cleanups.length > 0) cleanups.pop()!();
	});
	return async function open(
		screen: CardScreen,
		holder: {userId: string; password: string},
		options: {columns?: number; rows?: number} = {},
	): Promise<{rendered: Rendered; portal: Portal; session: Session; directory: string}> {
		const context = await demoPortal();
		cleanups.push(context.remove);
		const session = await logIn(context.portal, holder.userId, holder.password);
		const selection = Math.max(0, DASHBOARD_CARDS.findIndex(card => card.screen === screen));
		const rendered = render(<App portal={context.portal} language="it" color={false} maxLoginAttempts={5} initialState={{screen: {name: screen}, session, overlay: 'none', dashboardSelection: selection}} />);
		cleanups.push(() => rendered.unmount());
		resize(rendered, options.columns ?? 80, options.rows ?? 24);
		return {rendered, portal: context.portal, session, directory: context.directory};
	};
}

/** The lines of a frame longer than `columns` (characters, all of width 1 here). */
export function overlongLines(frame: string, columns: number): string[] {
	return frame.split('\n').filter(line => [...line].length > columns);
}
