import type {ReactNode} from 'react';
import type {DashboardView, Session} from '../core/index.js';
import type {Loaded} from './hooks/use-portal-data.js';
import type {Language} from './i18n/index.js';
import {choiceBinding, dashboardBindings, formBindings, historyBindings, loginBindings, otpScreenBindings, type Binding} from './keymap.js';
import {AccountScreen} from './screens/account.js';
import {CertificateScreen} from './screens/certificate.js';
import {DashboardScreen} from './screens/dashboard.js';
import {ForcedPasswordScreen} from './screens/forced-password.js';
import {HistoryScreen} from './screens/history.js';
import {LoginScreen} from './screens/login.js';
import {OtpCodesScreen} from './screens/otp-codes.js';
import {PinChangeScreen} from './screens/pin-change.js';
import {PasswordRecoveryScreen, UserIdRecoveryScreen} from './screens/recovery.js';
import {RenewalScreen} from './screens/renewal.js';
import {ReplacementScreen} from './screens/replacement.js';
import {ReportScreen} from './screens/report.js';
import {SignScreen} from './screens/sign.js';
import {SuspensionScreen} from './screens/suspension.js';
import type {AppAction, Screen} from './state.js';

/** What the shell hands the screen on show: its state, the dashboard's view, and where its buttons lead. */
export interface Shell {
	screen: Screen;
	/** The shell draws this screen and routes keys to it (no overlay over it). */
	active: boolean;
	data: Loaded<DashboardView>;
	/** Where the dashboard's selection was, restored when a card's screen closes. */
	dashboardSelection: number;
	maxLoginAttempts: number;
	dispatch: (action: AppAction) => void;
	setLanguage: (language: Language) => void;
}

/**
 * One screen of the app: how it is drawn, the keys the footer and help list for it (`typing`: a
 * text field has focus), and who opens the user menu with `m`: the shell, the screen itself
 * (the dashboard), or nobody (before login, and the first access's new password).
 */
interface Common {
	bindings: (typing: boolean) => readonly Binding[];
	menu: 'shell' | 'own' | 'none';
}
// `render` as a method: an entry of one screen stands for any (see renderScreen, which pairs them).
type PublicEntry<Name extends Screen['name']> = Common & {session: false; render(shell: Shell & {screen: Extract<Screen, {name: Name}>}): ReactNode};
type HolderEntry = Common & {session: true; render: (shell: Shell & {session: Session}) => ReactNode};
export type Entry<Name extends Screen['name']> = PublicEntry<Name> | HolderEntry;

const form = (typing: boolean): readonly Binding[] => (typing ? formBindings : otpScreenBindings);
const formWithChoice = (typing: boolean): readonly Binding[] => [...form(typing), choiceBinding];

/** The holder's screens that take `onBack`: Esc (or their own back button) goes to the dashboard. */
function backToDashboard(Screen: (props: {active: boolean; session: Session; onBack: () => void}) => ReactNode, bindings: (typing: boolean) => readonly Binding[]): HolderEntry {
	return {session: true, bindings, menu: 'shell', render: shell => <Screen active={shell.active} session={shell.session} onBack={() => shell.dispatch({type: 'back'})} />};
}

/** Every screen of the app. A screen that needs a session is drawn only while there is one. */
export const SCREENS: {[Name in Screen['name']]: Entry<Name>} = {
	login: {
		session: false,
		bindings: () => loginBindings,
		menu: 'none',
		render: shell => (
			<LoginScreen
				active={shell.active}
				notice={shell.screen.notice}
				initialFocus={shell.screen.focus}
				maxAttempts={shell.maxLoginAttempts}
				onLoggedIn={session => shell.dispatch({type: 'loggedIn', session})}
				onForgotPassword={() => shell.dispatch({type: 'openPublic', screen: 'recovery'})}
				onForgotUserId={() => shell.dispatch({type: 'openPublic', screen: 'userIdRecovery'})}
			/>
		),
	},
	recovery: {
		session: false,
		bindings: form,
		menu: 'none',
		render: shell => <PasswordRecoveryScreen active={shell.active} onDone={notice => shell.dispatch({type: 'logout', notice})} onBack={() => shell.dispatch({type: 'back'})} />,
	},
	userIdRecovery: {
		session: false,
		bindings: form,
		menu: 'none',
		render: shell => <UserIdRecoveryScreen active={shell.active} onDone={notice => shell.dispatch({type: 'logout', notice})} onBack={() => shell.dispatch({type: 'back'})} />,
	},
	forcedPassword: {
		session: true,
		bindings: form,
		menu: 'none',
		render: shell => <ForcedPasswordScreen active={shell.active} session={shell.session} onDone={() => shell.dispatch({type: 'home'})} />,
	},
	dashboard: {
		session: true,
		bindings: () => dashboardBindings,
		menu: 'own',
		render: shell => (
			<DashboardScreen
				active={shell.active}
				data={shell.data}
				initialSelection={shell.dashboardSelection}
				onOpen={(screen, from) => shell.dispatch({type: 'open', screen, from})}
				onUserMenu={() => shell.dispatch({type: 'overlay', overlay: 'userMenu'})}
			/>
		),
	},
	certificate: {
		session: true,
		bindings: form,
		menu: 'shell',
		render: shell => <CertificateScreen active={shell.active} session={shell.session} data={shell.data} onBack={() => shell.dispatch({type: 'back'})} />,
	},
	replacement: {
		session: true,
		bindings: formWithChoice,
		menu: 'shell',
		render: shell => <ReplacementScreen active={shell.active} session={shell.session} data={shell.data} onDone={() => shell.dispatch({type: 'back'})} />,
	},
	account: {
		session: true,
		bindings: formWithChoice,
		menu: 'shell',
		render: shell => <AccountScreen active={shell.active} session={shell.session} onBack={() => shell.dispatch({type: 'back'})} onLanguage={shell.setLanguage} />,
	},
	otp: backToDashboard(OtpCodesScreen, formWithChoice),
	pin: backToDashboard(PinChangeScreen, formWithChoice),
	renewal: backToDashboard(RenewalScreen, formWithChoice),
	suspension: backToDashboard(SuspensionScreen, formWithChoice),
	report: backToDashboard(ReportScreen, formWithChoice),
	sign: backToDashboard(SignScreen, form),
	history: backToDashboard(HistoryScreen, typing => [...form(typing), ...historyBindings]),
};

/** The screen the state names, with a session if it needs one (without, nothing: the shell is logging out). */
export function renderScreen(shell: Shell, session: Session | undefined): ReactNode {
	const entry: Entry<Screen['name']> = SCREENS[shell.screen.name];
	if (entry.session) return session ? entry.render({...shell, session}) : null;
	return entry.render(shell);
}
