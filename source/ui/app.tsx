import {useCallback, useReducer, useState} from 'react';
import {Box, Text, useApp} from 'ink';
import {useKeys} from './hooks/use-keys.js';
import type {Portal, Session} from '../core/portal.js';
import {toDisplayText} from '../core/text/sanitize.js';
import {Frame} from './components/frame.js';
import {UiContext, useUi, type UiEnvironment} from './context.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import {usePortalData} from './hooks/use-portal-data.js';
import type {Language} from './i18n/index.js';
import {translator} from './i18n/index.js';
import {dashboardBindings, detailBindings, globalBindings, helpBindings, loginBindings, menuBindings, type Binding} from './keymap.js';
import {CertificateScreen} from './screens/certificate.js';
import {DashboardScreen} from './screens/dashboard.js';
import {HelpOverlay} from './screens/help.js';
import {LoginScreen} from './screens/login.js';
import {UserMenu} from './screens/user-menu.js';
import {initialState, reduce, type AppState} from './state.js';

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 16;

export interface AppProps {
	portal: Portal;
	language: Language;
	color: boolean;
	maxLoginAttempts: number;
	initialState?: AppState;
}

function screenBindings(state: AppState): readonly Binding[] {
	if (state.overlay === 'help') return helpBindings;
	if (state.overlay === 'userMenu') return menuBindings;
	switch (state.screen.name) {
		case 'login':
			return loginBindings;
		case 'dashboard':
			return dashboardBindings;
		case 'certificate':
			return detailBindings;
	}
}

export function App({portal, language, color, maxLoginAttempts, initialState: start = initialState}: AppProps) {
	const [state, dispatch] = useReducer(reduce, start);
	const {columns, rows} = useTerminalSize();
	const {exit} = useApp();
	const environment: UiEnvironment = {portal, language, color, t: translator(language)};

	// Ctrl-C quits from anywhere; the CLI restores the terminal when Ink exits.
	useKeys((input, key) => {
		if (key.ctrl && input === 'c') exit();
	});

	const openHelp = useCallback(() => dispatch({type: 'overlay', overlay: 'help'}), []);
	const closeOverlay = useCallback(() => dispatch({type: 'overlay', overlay: 'none'}), []);

	if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
		return (
			<UiContext.Provider value={environment}>
				<Box width={columns} height={Math.max(1, rows - 1)}>
					<Text wrap="wrap">{environment.t('app.tooSmall', {minColumns: MIN_COLUMNS, minRows: MIN_ROWS, columns, rows})}</Text>
				</Box>
			</UiContext.Provider>
		);
	}

	const bindings = [...screenBindings(state), ...globalBindings];
	return (
		<UiContext.Provider value={environment}>
			<SessionView state={state} columns={columns} rows={rows} bindings={bindings} maxLoginAttempts={maxLoginAttempts} dispatch={dispatch} openHelp={openHelp} closeOverlay={closeOverlay} />
		</UiContext.Provider>
	);
}

function SessionView({
	state,
	columns,
	rows,
	bindings,
	maxLoginAttempts,
	dispatch,
	openHelp,
	closeOverlay,
}: {
	state: AppState;
	columns: number;
	rows: number;
	bindings: readonly Binding[];
	maxLoginAttempts: number;
	dispatch: (action: Parameters<typeof reduce>[1]) => void;
	openHelp: () => void;
	closeOverlay: () => void;
}) {
	const {portal} = useUi();
	const session = state.session;
	// The dashboard view is loaded once per session and screen change, and is gone with the session.
	const data = usePortalData(() => (session ? portal.dashboard(session) : Promise.reject(new Error('no session'))), [session?.id, state.screen.name]);
	const userName = session && data.state === 'ready' ? toDisplayText(`${data.value.name} ${data.value.surname}`, 40) : undefined;
	const screenActive = state.overlay === 'none';
	const [typing, setTyping] = useState(false);
	const footer = typing && state.screen.name === 'login' && screenActive ? bindings.filter(binding => binding.action !== 'help') : bindings;

	return (
		<Frame columns={columns} rows={rows} user={userName} bindings={footer}>
			{state.overlay === 'userMenu' && userName ? (
				<UserMenu name={userName} onClose={closeOverlay} onChoose={() => dispatch({type: 'logout', notice: 'login.loggedOut'})} />
			) : null}
			{state.overlay === 'help' ? <HelpOverlay screenBindings={screenBindings({...state, overlay: 'none'})} onClose={closeOverlay} /> : null}
			<Box display={screenActive ? 'flex' : 'none'} flexDirection="column">
				{state.screen.name === 'login' ? (
					<LoginScreen
						active={screenActive}
						notice={state.screen.notice}
						maxAttempts={maxLoginAttempts}
						onLoggedIn={(loggedIn: Session) => dispatch({type: 'loggedIn', session: loggedIn})}
						onHelp={openHelp}
						onTypingChange={setTyping}
					/>
				) : null}
				{state.screen.name === 'dashboard' ? (
					<DashboardScreen
						active={screenActive}
						data={data}
						initialSelection={state.dashboardSelection}
						onOpen={(screen, from) => dispatch({type: 'open', screen, from})}
						onUserMenu={() => dispatch({type: 'overlay', overlay: 'userMenu'})}
						onHelp={openHelp}
					/>
				) : null}
				{state.screen.name === 'certificate' ? <CertificateScreen active={screenActive} data={data} onBack={() => dispatch({type: 'back'})} onHelp={openHelp} /> : null}
			</Box>
		</Frame>
	);
}
