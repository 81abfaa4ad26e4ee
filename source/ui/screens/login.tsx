import {useState} from 'react';
import {Box, Text} from 'ink';
import type {Session} from '../../core/index.js';
import {Button, Checkbox, MessageLine, TextField} from '../components/controls.js';
import type {Control, FormOf} from '../components/form.js';
import {useUi} from '../context.js';
import {useForm} from '../hooks/use-form.js';
import {useSubmit} from '../hooks/use-submit.js';
import {formatDate, formatTime, type MessageKey} from '../i18n/index.js';
import {AppLoginPanel} from './app-login.js';
import {GuideNote} from '../components/guide-note.js';

const MAX_IDENTIFIER = 254;
const MAX_PASSWORD = 1024;

const CONTROLS = [
	// Enter in the user-name field moves to the password, as on the portal.
	{kind: 'text', name: 'identifier', max: MAX_IDENTIFIER, enterMovesOn: true, secret: false},
	{kind: 'text', name: 'password', max: MAX_PASSWORD, masked: true},
	{kind: 'check', name: 'show'},
	{kind: 'button', name: 'submit'},
	{kind: 'button', name: 'app'},
	{kind: 'button', name: 'forgotPassword'},
	{kind: 'button', name: 'forgotUserId'},
] as const satisfies readonly Control[];

export interface LoginProps {
	active: boolean;
	notice?: MessageKey;
	/** Back from a recovery screen: the focus is on the button that opened it. */
	initialFocus?: 'forgotPassword' | 'forgotUserId';
	maxAttempts: number;
	onLoggedIn: (session: Session) => void;
	onForgotPassword: () => void;
	onForgotUserId: () => void;
}

/** "Accedi" (seeds 000, 001): user name or e-mail, masked password with show/hide, attempts left, login with the app. */
export function LoginScreen({active, notice, initialFocus, maxAttempts, onLoggedIn, onForgotPassword, onForgotUserId}: LoginProps) {
	const {t, portal, language} = useUi();
	const [attemptsLeft, setAttemptsLeft] = useState(maxAttempts);
	const [withApp, setWithApp] = useState(false);

	const login = (form: FormOf<typeof CONTROLS>) => {
		const identifier = form.fields.identifier.value;
		const password = form.fields.password.value;
		if (identifier.trim() === '' || password === '') {
			dispatch({type: 'done', message: {kind: 'error', key: 'login.missingFields'}, focus: identifier.trim() === '' ? 'identifier' : 'password'});
			return;
		}
		submit(() => portal.sessions.login(identifier, password), {
			done: result => {
				if (result.kind === 'success') {
					onLoggedIn(result.session);
					return {clear: ['password']};
				}
				// After a failure the user name stays; the password is emptied and focused (as on the portal).
				if (result.kind === 'invalid') {
					setAttemptsLeft(result.attemptsLeft);
					return {clear: ['password'], focus: 'password', message: {kind: 'error', key: 'login.invalid'}};
				}
				setAttemptsLeft(0);
				const params = {time: formatTime(language, result.until), date: formatDate(language, result.until)};
				return {clear: ['password'], focus: 'password', message: {kind: 'error', key: 'login.locked', params}};
			},
			failed: () => ({clear: ['password']}),
		});
	};

	const [form, dispatch] = useForm(CONTROLS, {
		submit: 'submit',
		active: active && !withApp,
		initialMessage: notice ? {kind: 'info', key: notice} : undefined,
		initialFocus,
		onRequest: (action, current) => {
			if (action === 'submit') login(current);
			else if (action === 'app') setWithApp(true);
			else if (action === 'forgotPassword') onForgotPassword();
			else if (action === 'forgotUserId') onForgotUserId();
		},
	});
	const {submit} = useSubmit(dispatch);

	if (withApp) return <AppLoginPanel active={active} onLoggedIn={onLoggedIn} onBack={() => setWithApp(false)} />;

	const focused = (name: string) => active && CONTROLS[form.focus]?.name === name;
	return (
		<Box flexDirection="column">
			<GuideNote step="login" />
			<Text bold>{t('login.heading')}</Text>
			<TextField label={t('login.identifier')} placeholder={t('login.identifierPlaceholder')} field={form.fields.identifier} focused={focused('identifier')} />
			<TextField label={t('login.password')} placeholder={t('login.passwordPlaceholder')} field={form.fields.password} masked={!form.checks.show} focused={focused('password')} />
			<Checkbox label={t('login.showPassword')} checked={form.checks.show} focused={focused('show')} />
			<Box gap={2}>
				<Button label={t('login.submit')} focused={focused('submit')} />
				<Button label={t('login.withApp')} focused={focused('app')} />
			</Box>
			<Box gap={2}>
				<Button label={t('login.forgotPassword')} focused={focused('forgotPassword')} />
				<Button label={t('login.forgotUserId')} focused={focused('forgotUserId')} />
			</Box>
			<Text>{t('login.attemptsLeft', {count: attemptsLeft})}</Text>
			{form.message ? <MessageLine kind={form.message.kind} text={form.message.text ?? t(form.message.key, form.message.params)} /> : null}
		</Box>
	);
}
