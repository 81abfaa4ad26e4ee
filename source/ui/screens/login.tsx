import {useEffect, useReducer, useRef} from 'react';
import {Box, Text} from 'ink';
import {useKeys} from '../hooks/use-keys.js';
import type {Session} from '../../core/portal.js';
import {Button, Checkbox, MessageLine, TextField} from '../components/controls.js';
import {useUi} from '../context.js';
import {describeError, formatDate, formatTime, type MessageKey} from '../i18n/index.js';
import {IDENTIFIER, initialLoginForm, isTyping, PASSWORD, reduceLoginForm, SHOW, SUBMIT} from './login-form.js';

export interface LoginProps {
	active: boolean;
	notice?: MessageKey;
	maxAttempts: number;
	onLoggedIn: (session: Session) => void;
	onHelp: () => void;
	/** Told whether a text field has focus: then `?` is a character, not the help key. */
	onTypingChange?: (typing: boolean) => void;
}

/** "Accedi" (seeds 000, 001): user name or e-mail, masked password with show/hide, attempts left. */
export function LoginScreen({active, notice, maxAttempts, onLoggedIn, onHelp, onTypingChange}: LoginProps) {
	const {t, portal, language} = useUi();
	const [form, dispatch] = useReducer(reduceLoginForm, initialLoginForm(maxAttempts, notice));
	const typing = isTyping(form);

	useKeys((input, key) => dispatch({type: 'key', input, key}), {isActive: active});
	useEffect(() => onTypingChange?.(typing), [typing, onTypingChange]);

	const helpSeen = useRef(form.helpRequest);
	useEffect(() => {
		if (form.helpRequest === helpSeen.current) return;
		helpSeen.current = form.helpRequest;
		onHelp();
	}, [form.helpRequest, onHelp]);

	const submitSeen = useRef(form.submitRequest);
	useEffect(() => {
		if (form.submitRequest === submitSeen.current) return;
		submitSeen.current = form.submitRequest;
		dispatch({type: 'started'});
		portal.login(form.identifier.value, form.password.value).then(
			result => {
				if (result.kind === 'success') {
					dispatch({type: 'finished'});
					onLoggedIn(result.session);
				} else if (result.kind === 'invalid') {
					dispatch({type: 'failed', attemptsLeft: result.attemptsLeft, message: {kind: 'error', key: 'login.invalid'}});
				} else {
					const params = {time: formatTime(language, result.until), date: formatDate(language, result.until)};
					dispatch({type: 'failed', attemptsLeft: 0, message: {kind: 'error', key: 'login.locked', params}});
				}
			},
			(error: unknown) => dispatch({type: 'failed', attemptsLeft: form.attemptsLeft, message: {kind: 'error', key: 'errors.unexpected', text: describeError(t, error)}}),
		);
		// Only a new submit request starts a login; the values are those of that moment.
	}, [form.submitRequest]);

	return (
		<Box flexDirection="column">
			<Text bold>{t('login.heading')}</Text>
			<TextField label={t('login.identifier')} placeholder={t('login.identifierPlaceholder')} field={form.identifier} focused={active && form.focus === IDENTIFIER} />
			<TextField label={t('login.password')} placeholder={t('login.passwordPlaceholder')} field={form.password} masked={!form.showPassword} focused={active && form.focus === PASSWORD} />
			<Checkbox label={t('login.showPassword')} checked={form.showPassword} focused={active && form.focus === SHOW} />
			<Button label={t('login.submit')} focused={active && form.focus === SUBMIT} />
			<Text>{t('login.attemptsLeft', {count: form.attemptsLeft})}</Text>
			{form.message ? <MessageLine kind={form.message.kind} text={form.message.text ?? t(form.message.key, form.message.params)} /> : null}
		</Box>
	);
}
