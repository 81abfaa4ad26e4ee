import {useEffect, useRef, useState} from 'react';
import type {Session} from '../../core/index.js';
import {useUi} from '../context.js';
import type {MessageKey} from '../i18n/index.js';
import {useKeys} from './key-router.js';

// A session with no record left: the trainer reset the folder (mysign demo --reset), nobody closed it.
// `logout` is only ever this session's own "Esci" (no other process holds it), seen before its call returned.
const NOTICES = {idle: 'login.sessionIdle', expired: 'login.sessionExpired', 'ended-by-holder': 'login.sessionEnded', logout: 'login.loggedOut', closed: 'login.sessionEnded', unknown: 'login.sessionGone'} as const satisfies Record<string, MessageKey>;

/**
 * Keeps the session honest: every key press counts as activity, and once a second the store
 * says whether the session is still open (it may have timed out, or been ended from another
 * terminal). When it ends, `onEnded` returns to the login screen, which drops every secret the
 * screens held. Returns the seconds left while the idle warning shows.
 */
export function useSessionWatch(session: Session | undefined, onEnded: (notice: MessageKey) => void): number | undefined {
	const {portal} = useUi();
	const [warning, setWarning] = useState<number | undefined>();
	const pressed = useRef(false);
	const ended = useRef(onEnded);
	ended.current = onEnded;
	useKeys(() => {
		pressed.current = true;
	});
	useEffect(() => {
		setWarning(undefined);
		if (!session) return;
		let live = true;
		let checking = false;
		const check = async () => {
			if (checking) return;
			checking = true;
			const touch = pressed.current;
			pressed.current = false;
			try {
				const status = await portal.sessions.status(session, {touch});
				if (!live) return;
				if (status.state === 'ended') {
					live = false;
					ended.current(NOTICES[status.reason]);
				} else setWarning(status.warning ? status.idleSecondsLeft : undefined);
			} catch {
				// A busy or briefly unreadable store is asked again next second.
			} finally {
				checking = false;
			}
		};
		const timer = setInterval(() => void check(), 1000);
		return () => {
			live = false;
			clearInterval(timer);
		};
	}, [portal, session]);
	return warning;
}
