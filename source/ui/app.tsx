import {useCallback, useEffect, useMemo, useReducer, useRef, useState} from 'react';
import {Box, Text, useApp} from 'ink';
import {KeyRouter, useKeys} from './hooks/key-router.js';
import {type Portal, toDisplayText} from '../core/index.js';
import {Frame} from './components/frame.js';
import {UiContext, useUi, type UiEnvironment} from './context.js';
import {ScreenContext} from './screen-context.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import {usePortalData} from './hooks/use-portal-data.js';
import {useArrivingSms} from './hooks/use-arriving-sms.js';
import type {Display} from './display.js';
import type {Language} from './i18n/index.js';
import {translator} from './i18n/index.js';
import {bindingFor, globalBindings, helpBindings, menuBindings, userMenuBinding, type Binding} from './keymap.js';
import {HelpOverlay} from './screens/help.js';
import {UserMenu} from './screens/user-menu.js';
import {renderScreen, SCREENS} from './shell-screens.js';
import {useSessionWatch} from './hooks/use-session-watch.js';
import {initialState, reduce, type AppAction, type AppState} from './state.js';

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 16;

export interface AppProps {
	/**
	 * Undefined while the portal opens right after the first frame (a start whose database this
	 * program validated last, see cli.tsx): the login screen is drawn, keys wait, and nothing may
	 * use the portal until it arrives.
	 */
	portal: Portal | undefined;
	language: Language;
	color: boolean;
	/** Contrast, motion and character set; `color` above decides colours. */
	display?: Display;
	maxLoginAttempts: number;
	/** `--show-sms`: arriving SMS appear in a line above the footer, for single-terminal demos. */
	showSms?: boolean;
	/** `--guide`: each step also shows what the official guide says to do there. */
	guide?: boolean;
	/** `--show-keys`: the last keys pressed, in the header, for a room watching the screen. */
	showKeys?: boolean;
	initialState?: AppState;
}

/**
 * Where `m` opens the user menu and the header says so: every screen after login. Not the first
 * access's new password (the core refuses everything else until it is done, so "Gestisci il tuo
 * account" would be a wall; the header there shows the name only). The dashboard binds m itself.
 */
function hasUserMenu(state: AppState): boolean {
	return state.session !== undefined && SCREENS[state.screen.name].menu !== 'none';
}

/** The keys of what is on top (an overlay, or the screen with its form's keys while `typing`). */
function screenBindings(state: AppState, typing = false): readonly Binding[] {
	if (state.overlay === 'help') return helpBindings;
	if (state.overlay === 'userMenu') return menuBindings;
	const entry = SCREENS[state.screen.name];
	// In help and the footer while no text field has focus (in a field, m is typed).
	return !typing && hasUserMenu(state) && entry.menu === 'shell' ? [...entry.bindings(typing), userMenuBinding] : entry.bindings(typing);
}

/** Stands in for a portal still opening: keys wait then, so any use is a fault, and says so. */
const OPENING = new Proxy({} as Portal, {
	get(_, name) {
		throw new Error(`portal.${String(name)} used before the portal opened`);
	},
});

export function App(props: AppProps) {
	// The language can change at run time: the holder's saved choice, or "Lingua" in the account.
	const [language, setLanguage] = useState(props.language);
	const portal = props.portal ?? OPENING;
	const environment: UiEnvironment = useMemo(
		() => ({portal, language, color: props.color, display: props.display, t: translator(language), setLanguage, guide: props.guide ?? false, showKeys: props.showKeys ?? false}),
		[portal, props.color, props.display, language, props.guide, props.showKeys],
	);
	return (
		<UiContext.Provider value={environment}>
			<KeyRouter paused={props.portal === undefined}>
				<AppBody {...props} />
			</KeyRouter>
		</UiContext.Provider>
	);
}

function AppBody({maxLoginAttempts, showSms = false, initialState: start = initialState}: AppProps) {
	const [state, dispatch] = useReducer(reduce, start);
	const {columns, rows} = useTerminalSize();
	const {exit} = useApp();
	const {t} = useUi();

	// Ctrl-C quits from anywhere; the CLI restores the terminal when Ink exits.
	useKeys((input, key) => {
		if (key.ctrl && input === 'c') exit();
	});

	if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
		return (
			<Box width={columns} height={Math.max(1, rows - 1)}>
				<Text wrap="wrap">{t('app.tooSmall', {minColumns: MIN_COLUMNS, minRows: MIN_ROWS, columns, rows})}</Text>
			</Box>
		);
	}
	return <SessionView state={state} columns={columns} rows={rows} maxLoginAttempts={maxLoginAttempts} showSms={showSms} dispatch={dispatch} />;
}

function SessionView({state, columns, rows, maxLoginAttempts, showSms, dispatch}: {state: AppState; columns: number; rows: number; maxLoginAttempts: number; showSms: boolean; dispatch: (action: AppAction) => void}) {
	const {portal, t, setLanguage = noLanguageChange} = useUi();
	const session = state.session;
	const sms = useArrivingSms(showSms ? session?.userId : undefined);
	// The dashboard view is loaded once per session and screen change, and is gone with the session.
	const data = usePortalData(() => (session ? portal.certificate.dashboard(session) : Promise.reject(new Error('no session'))), [session?.id, state.screen.name]);
	// While a new screen's view loads, the header keeps the name loaded before (the screens do not: see usePortalData).
	const named = data.state === 'ready' ? data.value : data.state === 'loading' ? data.stale : undefined;
	const userName = session && named ? toDisplayText(`${named.name} ${named.surname}`, 40) : undefined;
	const warning = useSessionWatch(session, notice => dispatch({type: 'logout', notice}));
	// Right after login: the holder's own language, and a new password first when one is due.
	const applied = useRef<string | undefined>(undefined);
	useEffect(() => {
		if (!session || data.state !== 'ready' || applied.current === session.id) return;
		applied.current = session.id;
		if (data.value.language) setLanguage(data.value.language);
		if (data.value.mustChangePassword || data.value.needsSecretQuestion) dispatch({type: 'mustChangePassword'});
	}, [session, data, dispatch]);
	const screenActive = state.overlay === 'none';
	const [typing, setTyping] = useState(false);
	const openHelp = useCallback(() => dispatch({type: 'overlay', overlay: 'help'}), [dispatch]);
	const closeOverlay = useCallback(() => dispatch({type: 'overlay', overlay: 'none'}), [dispatch]);
	const screenControls = useMemo(() => ({openHelp, setTyping}), [openHelp]);
	const entry = SCREENS[state.screen.name];
	// "m": the user menu over any screen whose header offers it (the screen stays as it was under it).
	useKeys(
		(input, key) => {
			if (bindingFor([userMenuBinding], input, key)) dispatch({type: 'overlay', overlay: 'userMenu'});
		},
		{isActive: screenActive && hasUserMenu(state) && entry.menu === 'shell', notWhileTyping: true},
	);
	const offered = data.state === 'ready' && data.value.replacement.allowed;
	const shown = [...screenBindings(state, typing), ...globalBindings].filter(binding => offered || binding.action !== 'newCertificate');
	const footer = typing && screenActive ? shown.filter(binding => binding.action !== 'help') : shown;
	const shell = {screen: state.screen, active: screenActive, data, dashboardSelection: state.dashboardSelection, maxLoginAttempts, dispatch, setLanguage};

	return (
		<Frame columns={columns} rows={rows} user={userName} userMenu={hasUserMenu(state)} bindings={footer} hideGuide={!screenActive} notice={warning ? t('session.warning', {seconds: warning}) : sms ? t('sms.banner', {text: sms}) : undefined}>
			{state.overlay === 'userMenu' && session ? (
				<UserMenu
					// "m" pressed before the holder's name has loaded still opens the menu (the screen under it is hidden): the userID stands in.
					name={userName ?? toDisplayText(session.userId, 40)}
					onClose={closeOverlay}
					onChoose={choice => {
						if (choice === 'account') return dispatch({type: 'openAccount'});
						// The session ends in the store too, so no other process can take it up.
						// If the store cannot record it, the screen still leaves, and says the session ends by itself.
						void portal.sessions.logout(session).then(
							() => dispatch({type: 'logout', notice: 'login.loggedOut'}),
							() => dispatch({type: 'logout', notice: 'login.logoutNotSaved'}),
						);
					}}
				/>
			) : null}
			{state.overlay === 'help' ? <HelpOverlay screenBindings={screenBindings({...state, overlay: 'none'})} onClose={closeOverlay} /> : null}
			<ScreenContext.Provider value={screenControls}>
				<Box display={screenActive ? 'flex' : 'none'} flexDirection="column">
					{renderScreen(shell, session)}
				</Box>
			</ScreenContext.Provider>
		</Frame>
	);
}

function noLanguageChange(): void {
	// Only the App provides a language switch; embedded views keep theirs.
}
