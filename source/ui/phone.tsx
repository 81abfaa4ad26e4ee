import {useEffect, useState} from 'react';
import {Box, Text, useApp} from 'ink';
import type {AuthenticatorReading, OutboxMessage, Portal} from '../core/portal.js';
import {toDisplayText} from '../core/text/sanitize.js';
import {Button, MessageLine, TextField} from './components/controls.js';
import type {Control} from './components/form.js';
import {KeyHints} from './components/key-hints.js';
import {KeysShown} from './components/keys-shown.js';
import {UiContext, useUi, type UiEnvironment} from './context.js';
import {DEFAULT_DISPLAY, type Display} from './display.js';
import {useForm} from './hooks/use-form.js';
import {KeyRouter, useKeys} from './hooks/key-router.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import {describeError, formatDate, formatTime, translator, type Language} from './i18n/index.js';
import {formBindings, globalBindings} from './keymap.js';
import {Hint} from './components/controls.js';

const REFRESH_MS = 1000;
const CONTROLS: readonly Control[] = [
	{kind: 'text', name: 'code', max: 6, digitsOnly: true},
	{kind: 'button', name: 'approve'},
	{kind: 'button', name: 'deny'},
	{kind: 'button', name: 'pushApprove'},
	{kind: 'button', name: 'pushDeny'},
];

type Push = {id: string; operation: string};

/**
 * `mysign phone`: the holder's phone for a second terminal or a workshop screen. The SMS inbox
 * (newest first, live), the MyInfoCert app's current code, and approval of app logins.
 */
export function PhoneApp({portal, language, display = DEFAULT_DISPLAY, userId, name, showKeys = false}: {portal: Portal; language: Language; display?: Display; userId: string; name: string; showKeys?: boolean}) {
	const environment: UiEnvironment = {portal, language, color: display.color, display, t: translator(language), showKeys};
	return (
		<UiContext.Provider value={environment}>
			<KeyRouter>
				<Phone userId={userId} name={name} />
			</KeyRouter>
		</UiContext.Provider>
	);
}

function Phone({userId, name}: {userId: string; name: string}) {
	const {t, portal, language, showKeys} = useUi();
	const {exit} = useApp();
	const {columns, rows} = useTerminalSize();
	const [messages, setMessages] = useState<OutboxMessage[]>([]);
	const [readings, setReadings] = useState<AuthenticatorReading[]>([]);
	const [pushes, setPushes] = useState<Push[]>([]);

	useKeys((input, key) => {
		if (key.ctrl && input === 'c') exit();
	});

	useEffect(() => {
		let current = true;
		const refresh = async () => {
			const [inbox, codes, waiting] = await Promise.all([portal.phoneMessages(userId), portal.authenticatorReadings(userId), portal.pendingPushes(userId)]);
			if (!current) return;
			setMessages(inbox.reverse());
			setReadings(codes);
			setPushes(waiting);
		};
		void refresh();
		const timer = setInterval(() => void refresh(), REFRESH_MS);
		return () => {
			current = false;
			clearInterval(timer);
		};
	}, [portal, userId]);

	const [form, dispatch] = useForm(CONTROLS, {
		submit: 'approve',
		active: true,
		onRequest: (action, current) => {
			if (action === 'pushApprove' || action === 'pushDeny') {
				const push = pushes[0];
				if (!push) return dispatch({type: 'message', message: {kind: 'error', key: 'phone.pushNone'}});
				const approve = action === 'pushApprove';
				portal.answerPush(userId, push.id, approve).then(
					() => {
						setPushes(waiting => waiting.filter(entry => entry.id !== push.id));
						dispatch({type: 'message', message: {kind: 'success', key: approve ? 'phone.pushApproved' : 'phone.pushDenied'}});
					},
					(error: unknown) => dispatch({type: 'message', message: {kind: 'error', key: 'errors.unexpected', text: describeError(t, error)}}),
				);
				return;
			}
			if (action !== 'approve' && action !== 'deny') return;
			const approve = action === 'approve';
			dispatch({type: 'busy'});
			portal.answerAppLogin(userId, current.fields['code']!.value, approve).then(
				() => dispatch({type: 'done', clear: ['code'], focus: 'code', message: {kind: 'success', key: approve ? 'phone.approved' : 'phone.denied'}}),
				(error: unknown) => dispatch({type: 'done', focus: 'code', message: {kind: 'error', key: 'errors.unexpected', text: describeError(t, error)}}),
			);
		},
	});

	const focused = (control: string) => CONTROLS[form.focus]?.name === control;
	const inboxRows = Math.max(1, rows - 14);
	return (
		<Box flexDirection="column" width={columns} height={rows - 1}>
			<Box justifyContent="space-between" gap={2}>
				<Text bold underline wrap="truncate-end">
					{t('phone.title', {name: toDisplayText(name, 40)})}
				</Text>
				{showKeys ? (
					<Box flexShrink={0}>
						<KeysShown />
					</Box>
				) : null}
			</Box>
			<Box flexDirection="column">
				{readings.length === 0 ? <Hint>{t('phone.noAuthenticator')}</Hint> : null}
				{readings.map(reading => (
					<Text key={reading.device}>
						{reading.device === 'app' ? t('phone.authenticator') : t('phone.token')}: <Text bold>{t('phone.codeLine', {code: reading.code, seconds: reading.secondsLeft})}</Text>
					</Text>
				))}
			</Box>
			<Box gap={2} alignItems="flex-end">
				<TextField label={t('phone.approve')} field={form.fields['code']!} focused={focused('code')} width={12} />
				<Button label={t('phone.approveButton')} focused={focused('approve')} />
				<Button label={t('phone.denyButton')} focused={focused('deny')} />
			</Box>
			<Box flexDirection="column">
				<Text>{pushes[0] ? t('phone.pushTitle', {operation: toDisplayText(pushes[0].operation, 60)}) : t('phone.pushNone')}</Text>
				<Box gap={2}>
					<Button label={t('phone.pushApprove')} focused={focused('pushApprove')} />
					<Button label={t('phone.pushDeny')} focused={focused('pushDeny')} />
				</Box>
			</Box>
			{form.message ? <MessageLine kind={form.message.kind} text={form.message.text ?? t(form.message.key, form.message.params)} /> : null}
			<Box marginTop={1}>
				<Text bold>{t('phone.inbox')}</Text>
			</Box>
			<Box flexDirection="column" flexGrow={1} overflow="hidden">
				{messages.length === 0 ? <Hint>{t('phone.empty')}</Hint> : null}
				{messages.slice(0, inboxRows).map(message => (
					<Text key={message.id} wrap="wrap">
						<Hint>
							{formatDate(language, new Date(message.at))} {formatTime(language, new Date(message.at))}{' '}
						</Hint>
						{toDisplayText(message.text, 300)}
					</Text>
				))}
			</Box>
			<KeyHints bindings={[...formBindings.filter(binding => binding.action !== 'cancel'), ...globalBindings.filter(binding => binding.action === 'quit')]} width={columns - 2} />
		</Box>
	);
}
