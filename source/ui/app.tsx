import {useCallback, useEffect, useMemo, useReducer, useRef, useState} from 'react';
import {Box, Text, useApp} from 'ink';
import {KeyRouter, useKeys} from './hooks/key-router.js';
import type {Portal, Session} from '../core/portal.js';
import {toDisplayText} from '../core/text/sanitize.js';
import {Frame} from './components/frame.js';
import {UiContext, useUi, type UiEnvironment} from './context.js';
import {ScreenContext} from './screen-context.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import {usePortalData} from './hooks/use-portal-data.js';
import type {Display} from './display.js';
import type {Language} from './i18n/index.js';
import {translator} from './i18n/index.js';
import {bindingFor, choiceBinding, dashboardBindings, formBindings, globalBindings, helpBindings, historyBindings, loginBindings, menuBindings, otpScreenBindings, userMenuBinding, type Binding} from './keymap.js';
import {CertificateScreen} from './screens/certificate.js';
import {DashboardScreen} from './screens/dashboard.js';
import {HelpOverlay} from './screens/help.js';
import {LoginScreen} from './screens/login.js';
import {OtpCodesScreen} from './screens/otp-codes.js';
import {HistoryScreen} from './screens/history.js';
import {PinChangeScreen} from './screens/pin-change.js';
import {RenewalScreen} from './screens/renewal.js';
import {ReplacementScreen} from './screens/replacement.js';
import {ReportScreen} from './screens/report.js';
import {SignScreen} from './screens/sign.js';
import {SuspensionScreen} from './screens/suspension.js';
import {UserMenu} from './screens/user-menu.js';
import {AccountScreen} from './screens/account.js';
import {PasswordRecoveryScreen, UserIdRecoveryScreen} from './screens/recovery.js';
import {ForcedPasswordScreen} from './screens/forced-password.js';
import {useSessionWatch} from './hooks/use-session-watch.js';
import {initialState, reduce, type AppState} from './state.js';

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
	return state.session !== undefined && state.screen.name !== 'forcedPassword' && state.screen.name !== 'login' && state.screen.name !== 'recovery' && state.screen.name !== 'userIdRecovery';
}

function screenBindings(state: AppState & {typing?: boolean}): readonly Binding[] {
	const bindings = bindingsOfScreen(state);
	// In help and the footer while no text field has focus (in a field, m is typed).
	return state.overlay === 'none' && !state.typing && hasUserMenu(state) && state.screen.name !== 'dashboard' ? [...bindings, userMenuBinding] : bindings;
}

function bindingsOfScreen(state: AppState & {typing?: boolean}): readonly Binding[] {
	if (state.overlay === 'help') return helpBindings;
	if (state.overlay === 'userMenu') return menuBindings;
	switch (state.screen.name) {
		case 'login':
			return loginBindings;
		case 'dashboard':
			return dashboardBindings;
		case 'certificate':
			return state.typing ? formBindings : otpScreenBindings;
		case 'otp':
		case 'pin':
		case 'renewal':
		case 'replacement':
		case 'suspension':
		case 'report':
		case 'account':
			return [...(state.typing ? formBindings : otpScreenBindings), choiceBinding];
		case 'sign':
		case 'recovery':
		case 'userIdRecovery':
		case 'forcedPassword':
			return state.typing ? formBindings : otpScreenBindings;
		case 'history':
			return [...(state.typing ? formBindings : otpScreenBindings), ...historyBindings];
	}
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
	const environment = useUi();

	// Ctrl-C quits from anywhere; the CLI restores the terminal when Ink exits.
	useKeys((input, key) => {
		if (key.ctrl && input === 'c') exit();
	});

	const openHelp = useCallback(() => dispatch({type: 'overlay', overlay: 'help'}), []);
	const closeOverlay = useCallback(() => dispatch({type: 'overlay', overlay: 'none'}), []);

	if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
		return (
			<Box width={columns} height={Math.max(1, rows - 1)}>
				<Text wrap="wrap">{environment.t('app.tooSmall', {minColumns: MIN_COLUMNS, minRows: MIN_ROWS, columns, rows})}</Text>
			</Box>
		);
	}

	const bindings = [...screenBindings(state), ...globalBindings];
	return <SessionView state={state} columns={columns} rows={rows} bindings={bindings} maxLoginAttempts={maxLoginAttempts} showSms={showSms} dispatch={dispatch} openHelp={openHelp} closeOverlay={closeOverlay} />;
}

function SessionView({
	state,
	columns,
	rows,
	bindings,
	maxLoginAttempts,
	showSms,
	dispatch,
	openHelp,
	closeOverlay,
}: {
	state: AppState;
	columns: number;
	rows: number;
	bindings: readonly Binding[];
	maxLoginAttempts: number;
	showSms: boolean;
	dispatch: (action: Parameters<typeof reduce>[1]) => void;
	openHelp: () => void;
	closeOverlay: () => void;
}) {
	const {portal, t, setLanguage: environmentSetLanguage = noLanguageChange} = useUi();
	const session = state.session;
	const sms = useArrivingSms(showSms ? session?.userId : undefined);
	// The dashboard view is loaded once per session and screen change, and is gone with the session.
	const data = usePortalData(() => (session ? portal.dashboard(session) : Promise.reject(new Error('no session'))), [session?.id, state.screen.name]);
	// While a new screen's view loads, the header keeps the name loaded before (the screens do not: see usePortalData).
	const named = data.state === 'ready' ? data.value : data.state === 'loading' ? data.stale : undefined;
	const userName = session && named ? toDisplayText(`${named.name} ${named.surname}`, 40) : undefined;
	const warning = useSessionWatch(session, notice => dispatch({type: 'logout', notice}));
	// Right after login: the holder's own language, and a new password first when one is due.
	const applied = useRef<string | undefined>(undefined);
	useEffect(() => {
		if (!session || data.state !== 'ready' || applied.current === session.id) return;
		applied.current = session.id;
		if (data.value.language) environmentSetLanguage(data.value.language);
		if (data.value.mustChangePassword || data.value.needsSecretQuestion) dispatch({type: 'mustChangePassword'});
	}, [session, data, dispatch]);
	const screenActive = state.overlay === 'none';
	const [typing, setTyping] = useState(false);
	const screenControls = useMemo(() => ({openHelp, setTyping}), [openHelp]);
	// "m": the user menu over any screen whose header offers it (the screen stays as it was under it).
	useKeys(
		(input, key) => {
			if (bindingFor([userMenuBinding], input, key)) dispatch({type: 'overlay', overlay: 'userMenu'});
		},
		{isActive: screenActive && hasUserMenu(state) && state.screen.name !== 'dashboard', notWhileTyping: true},
	);
	const offered = data.state === 'ready' && data.value.replacement.allowed;
	const shown = (state.screen.name !== 'login' && state.screen.name !== 'dashboard' && typing ? [...screenBindings({...state, typing}), ...globalBindings] : bindings).filter(binding => offered || binding.action !== 'newCertificate');
	const footer = typing && screenActive ? shown.filter(binding => binding.action !== 'help') : shown;

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
						void portal.logout(session!).finally(() => dispatch({type: 'logout', notice: 'login.loggedOut'}));
					}}
				/>
			) : null}
			{state.overlay === 'help' ? <HelpOverlay screenBindings={screenBindings({...state, overlay: 'none'})} onClose={closeOverlay} /> : null}
			<ScreenContext.Provider value={screenControls}>
			<Box display={screenActive ? 'flex' : 'none'} flexDirection="column">
				{state.screen.name === 'login' ? (
					<LoginScreen
						active={screenActive}
						notice={state.screen.notice}
						initialFocus={state.screen.focus}
						maxAttempts={maxLoginAttempts}
						onLoggedIn={(loggedIn: Session) => dispatch({type: 'loggedIn', session: loggedIn})}
						onForgotPassword={() => dispatch({type: 'openPublic', screen: 'recovery'})}
						onForgotUserId={() => dispatch({type: 'openPublic', screen: 'userIdRecovery'})}
					/>
				) : null}
				{state.screen.name === 'dashboard' ? (
					<DashboardScreen
						active={screenActive}
						data={data}
						initialSelection={state.dashboardSelection}
						onOpen={(screen, from) => dispatch({type: 'open', screen, from})}
						onUserMenu={() => dispatch({type: 'overlay', overlay: 'userMenu'})}
					/>
				) : null}
				{state.screen.name === 'certificate' && session ? (
					<CertificateScreen active={screenActive} session={session} data={data} onBack={() => dispatch({type: 'back'})} />
				) : null}
				{state.screen.name === 'replacement' && session ? (
					<ReplacementScreen active={screenActive} session={session} data={data} onDone={() => dispatch({type: 'back'})} />
				) : null}
				{state.screen.name === 'pin' && session ? (
					<PinChangeScreen active={screenActive} session={session} onBack={() => dispatch({type: 'back'})} />
				) : null}
				{state.screen.name === 'renewal' && session ? (
					<RenewalScreen active={screenActive} session={session} onBack={() => dispatch({type: 'back'})} />
				) : null}
				{state.screen.name === 'suspension' && session ? (
					<SuspensionScreen active={screenActive} session={session} onBack={() => dispatch({type: 'back'})} />
				) : null}
				{state.screen.name === 'recovery' ? (
					<PasswordRecoveryScreen active={screenActive} onDone={notice => dispatch({type: 'logout', notice})} onBack={() => dispatch({type: 'back'})} />
				) : null}
				{state.screen.name === 'userIdRecovery' ? (
					<UserIdRecoveryScreen active={screenActive} onDone={notice => dispatch({type: 'logout', notice})} onBack={() => dispatch({type: 'back'})} />
				) : null}
				{state.screen.name === 'forcedPassword' && session ? (
					<ForcedPasswordScreen active={screenActive} session={session} onDone={() => dispatch({type: 'home'})} />
				) : null}
				{state.screen.name === 'account' && session ? (
					<AccountScreen active={screenActive} session={session} onBack={() => dispatch({type: 'back'})} onLanguage={environmentSetLanguage} />
				) : null}
				{state.screen.name === 'sign' && session ? (
					<SignScreen active={screenActive} session={session} onBack={() => dispatch({type: 'back'})} />
				) : null}
				{state.screen.name === 'history' && session ? (
					<HistoryScreen active={screenActive} session={session} onBack={() => dispatch({type: 'back'})} />
				) : null}
				{state.screen.name === 'report' && session ? (
					<ReportScreen active={screenActive} session={session} onBack={() => dispatch({type: 'back'})} />
				) : null}
				{state.screen.name === 'otp' && session ? (
					<OtpCodesScreen active={screenActive} session={session} onBack={() => dispatch({type: 'back'})} />
				) : null}
			</Box>
			</ScreenContext.Provider>
		</Frame>
	);
}

/** The newest SMS to `userId` that arrived after this screen started, polled once a second. */
function useArrivingSms(userId: string | undefined): string | undefined {
	const {portal} = useUi();
	const [text, setText] = useState<string | undefined>();
	useEffect(() => {
		setText(undefined);
		if (!userId) return;
		let current = true;
		let seen: number | undefined;
		const poll = async () => {
			const messages = await portal.phoneMessages(userId);
			const newest = messages.at(-1);
			if (!current) return;
			if (seen === undefined) seen = newest?.id ?? 0;
			else if (newest && newest.id > seen) {
				seen = newest.id;
				setText(newest.text);
			}
		};
		void poll();
		const timer = setInterval(() => void poll(), 1000);
		return () => {
			current = false;
			clearInterval(timer);
		};
	}, [portal, userId]);
	return text;
}

function noLanguageChange(): void {
	// Only the App provides a language switch; embedded views keep theirs.
}
