import type {Session} from '../core/index.js';
import type {MessageKey} from './i18n/index.js';

/** Screens as a discriminated union: exactly one is shown, with what it needs. */
export type Screen =
	| {name: 'login'; notice?: MessageKey; focus?: 'forgotPassword' | 'forgotUserId'}
	| {name: 'recovery'}
	| {name: 'userIdRecovery'}
	/** Enrolled with an initial password: a new one before anything else. */
	| {name: 'forcedPassword'}
	| {name: 'account'}
	| {name: 'dashboard'} | {name: 'certificate'} | {name: 'otp'} | {name: 'suspension'} | {name: 'renewal'} | {name: 'replacement'} | {name: 'pin'} | {name: 'sign'} | {name: 'history'} | {name: 'report'};

/** The screens a dashboard card opens. */
export type CardScreen = 'certificate' | 'otp' | 'renewal' | 'suspension' | 'replacement' | 'pin' | 'sign' | 'history' | 'report';

export type Overlay = 'none' | 'help' | 'userMenu';

export interface AppState {
	screen: Screen;
	session: Session | undefined;
	overlay: Overlay;
	/** Where the dashboard's selection was, so it is restored when a child screen closes. */
	dashboardSelection: number;
}

export type AppAction =
	| {type: 'loggedIn'; session: Session}
	| {type: 'logout'; notice?: MessageKey}
	| {type: 'open'; screen: CardScreen; from: number}
	/** Screens reachable without logging in, from the login screen. */
	| {type: 'openPublic'; screen: 'recovery' | 'userIdRecovery'}
	| {type: 'openAccount'}
	| {type: 'mustChangePassword'}
	/** Back to the dashboard from wherever (after the forced password change). */
	| {type: 'home'}
	| {type: 'back'}
	| {type: 'overlay'; overlay: Overlay};

export const initialState: AppState = {screen: {name: 'login'}, session: undefined, overlay: 'none', dashboardSelection: 0};

export function reduce(state: AppState, action: AppAction): AppState {
	switch (action.type) {
		case 'loggedIn':
			return {screen: {name: 'dashboard'}, session: action.session, overlay: 'none', dashboardSelection: 0};
		case 'logout':
			// Nothing of the session survives: the login screen starts empty.
			return {...initialState, screen: {name: 'login', notice: action.notice}};
		case 'open':
			if (!state.session) return state;
			return {...state, screen: {name: action.screen}, overlay: 'none', dashboardSelection: action.from};
		case 'openPublic':
			if (state.session) return state;
			return {...state, screen: {name: action.screen}, overlay: 'none'};
		case 'openAccount':
			if (!state.session) return state;
			return {...state, screen: {name: 'account'}, overlay: 'none'};
		case 'mustChangePassword':
			if (!state.session) return state;
			return {...state, screen: {name: 'forcedPassword'}, overlay: 'none'};
		case 'home':
			if (!state.session) return state;
			return {...state, screen: {name: 'dashboard'}, overlay: 'none'};
		case 'back':
			if (state.overlay !== 'none') return {...state, overlay: 'none'};
			if (state.screen.name === 'forcedPassword') return state;
			// Back on the login screen, the focus is on the button that opened the recovery.
			if (state.screen.name === 'recovery') return {...state, screen: {name: 'login', focus: 'forgotPassword'}};
			if (state.screen.name === 'userIdRecovery') return {...state, screen: {name: 'login', focus: 'forgotUserId'}};
			if (state.screen.name !== 'login' && state.screen.name !== 'dashboard') return {...state, screen: {name: 'dashboard'}};
			return state;
		case 'overlay':
			if (action.overlay === 'userMenu' && !state.session) return state;
			return {...state, overlay: action.overlay};
	}
}
