import {useEffect, useMemo, useState} from 'react';
import {Box, Text, useApp} from 'ink';
import {newestSmsCode, type AuthenticatorReading, type OutboxMessage, type Portal, toDisplayText} from '../core/index.js';
import {Button, Hint, MessageLine, TextField} from './components/controls.js';
import {isTyping, type Control} from './components/form.js';
import {KeyHints} from './components/key-hints.js';
import {KeysShown} from './components/keys-shown.js';
import {UiContext, useDisplay, useUi, type UiEnvironment} from './context.js';
import {DEFAULT_DISPLAY, type Display} from './display.js';
import {useForm} from './hooks/use-form.js';
import {useSubmit} from './hooks/use-submit.js';
import {KeyRouter, useKeys} from './hooks/key-router.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import {formatTime, formatTimeWithSeconds, translator, type Language} from './i18n/index.js';
import {formBindings, globalBindings, type Binding} from './keymap.js';
import {Inbox, inboxEntries, inboxPage, nextPageStart, previousPageStart, wrapWords} from './phone/inbox.js';
import {operationLabel} from './phone/operations.js';
import {HelpOverlay} from './screens/help.js';

const REFRESH_MS = 1000;
/** The app-login approval; the buttons of a confirmation request join only while one waits. */
const LOGIN_CONTROLS = [
	{kind: 'text', name: 'code', max: 6, digitsOnly: true},
	{kind: 'button', name: 'approve'},
	{kind: 'button', name: 'deny'},
] as const satisfies readonly Control[];
const REQUEST_CONTROLS = [...LOGIN_CONTROLS, {kind: 'button', name: 'pushApprove'}, {kind: 'button', name: 'pushDeny'}] as const satisfies readonly Control[];

/** The phone's own keys (for `?`), and with Ctrl-C and `?` the footer's hints, the inbox's first. */
const phoneBindings: readonly Binding[] = [
	{action: 'scroll', keys: ['pageUp', 'pageDown'], keyLabel: 'key.pages', description: 'keys.scrollMessages', hint: true},
	...formBindings.filter(binding => binding.action !== 'cancel' && binding.action !== 'toggle'),
];
const footerBindings: readonly Binding[] = [
	...phoneBindings,
	{action: 'quit', keys: ['ctrlC'], keyLabel: 'key.ctrlC', description: 'keys.quitPhone', hint: true},
	...globalBindings.filter(binding => binding.action === 'help'),
];

type Push = {id: string; operation: string; expiresAt: Date};

/**
 * `mysign phone`: the holder's phone for a second terminal or a workshop screen. Pinned at the
 * top, always in view: the newest SMS code and the MyInfoCert app's current code. Below: the
 * approval of an app login, the confirmation request waiting (if any), and the SMS inbox, newest
 * first, scrolled with PgUp/PgDn.
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

/** Rows a text takes at `width` columns. */
const rowsOf = (text: string, width: number) => wrapWords(text, width).length;

function Phone({userId, name}: {userId: string; name: string}) {
	const {t, portal, language, showKeys} = useUi();
	const {screenReader} = useDisplay();
	const {exit} = useApp();
	const {columns, rows} = useTerminalSize();
	const [messages, setMessages] = useState<OutboxMessage[]>([]);
	const [readings, setReadings] = useState<AuthenticatorReading[]>([]);
	const [pushes, setPushes] = useState<Push[]>([]);
	const [help, setHelp] = useState(false);
	/** The message shown first in the inbox; null follows the newest. */
	const [topId, setTopId] = useState<number | null>(null);

	useEffect(() => {
		let current = true;
		const refresh = async () => {
			const [inbox, codes, waiting] = await Promise.all([portal.phone.messages(userId), portal.phone.authenticatorReadings(userId), portal.phone.pendingPushes(userId)]);
			if (!current) return;
			setMessages(inbox);
			setReadings(codes);
			setPushes(waiting);
		};
		// A busy or briefly unreadable store is asked again at the next refresh.
		const tick = () => void refresh().catch(() => undefined);
		tick();
		const timer = setInterval(tick, REFRESH_MS);
		return () => {
			current = false;
			clearInterval(timer);
		};
	}, [portal, userId]);

	const push = pushes[0];
	const controls = push ? REQUEST_CONTROLS : LOGIN_CONTROLS;
	const [form, dispatch] = useForm(controls, {
		submit: 'approve',
		// Keys reach the form through the phone's own handler below (PgUp/PgDn, `?` first).
		active: false,
		onRequest: (action, current) => {
			if (action === 'pushApprove' || action === 'pushDeny') {
				if (!push) return dispatch({type: 'message', message: {kind: 'error', key: 'phone.pushNone'}});
				const approve = action === 'pushApprove';
				// The form stays usable meanwhile: the answer shows as a message, not as "Attendere…".
				answering(() => portal.phone.answerPush(userId, push.id, approve), {
					done: () => {
						setPushes(waiting => waiting.filter(entry => entry.id !== push.id));
						dispatch({type: 'message', message: {kind: 'success', key: approve ? 'phone.pushApproved' : 'phone.pushDenied'}});
					},
					failed: (_, message) => void dispatch({type: 'message', message}),
				});
				return;
			}
			if (action !== 'approve' && action !== 'deny') return;
			const approve = action === 'approve';
			const code = current.fields.code.value;
			submit(() => portal.phone.answerAppLogin(userId, code, approve), {
				done: () => ({clear: ['code'], focus: 'code', message: {kind: 'success', key: approve ? 'phone.approved' : 'phone.denied'}}),
				failed: () => ({focus: 'code'}),
			});
		},
	});
	const {submit} = useSubmit(dispatch);
	const {submit: answering} = useSubmit();
	// A request answered elsewhere (or expired) takes its buttons away: focus goes back to the code.
	useEffect(() => {
		if (form.focus >= controls.length) dispatch({type: 'focus', name: 'code'});
	}, [controls, form.focus, dispatch]);

	const smsCode = useMemo(() => newestSmsCode(messages), [messages]);
	const entries = useMemo(() => inboxEntries(language, [...messages].reverse(), columns), [language, messages, columns]);
	const app = readings.find(reading => reading.device === 'app');
	const token = readings.find(reading => reading.device === 'token');
	const message = form.message ? (form.message.text ?? t(form.message.key, form.message.params)) : undefined;
	const waiting = pushes.length > 1 ? ` ${t('phone.pushWaiting', {count: pushes.length})}` : '';
	const pushLine = push ? `${t('phone.pushTitle', {operation: operationLabel(t, push.operation)})} ${t('phone.pushExpires', {time: formatTime(language, push.expiresAt)})}${waiting}` : t('phone.pushNone');

	// The code field's label and both buttons side by side need 66 columns; below, the buttons go under the field.
	const narrow = columns < 66;
	// Rows above and below the inbox; the inbox gets the rest of the `rows − 1` drawn.
	const fixed =
		1 + // title
		1 + // newest SMS code
		1 + // app (or "App non attivata.")
		(token ? 1 : 0) +
		(screenReader ? 1 : narrow ? 5 : 4) + // code field (label and box) with its buttons (below it when narrow)
		rowsOf(pushLine, columns) +
		(push ? 1 : 0) + // the request's buttons
		(message ? rowsOf(`✗ ${message}`, columns) : 1) +
		1 + // inbox title
		1; // key hints
	const inboxRows = Math.max(1, rows - 1 - fixed);
	const topIndex = topId === null ? 0 : Math.max(0, entries.findIndex(entry => entry.id === topId));
	const page = inboxPage(entries, topIndex, inboxRows);

	useKeys(
		(input, key) => {
			if (key.ctrl && input === 'c') return exit();
			if (help) return;
			if (input === '?') return setHelp(true);
			if (key.pageDown || key.pageUp) {
				const first = key.pageDown ? nextPageStart(entries, page, inboxRows) : previousPageStart(entries, page.first, inboxRows);
				setTopId(first <= 0 ? null : (entries[first]?.id ?? null));
				return;
			}
			dispatch({type: 'key', input, key});
		},
		{typing: !help && isTyping(controls, form)},
	);

	const focused = (control: string) => !help && controls[form.focus]?.name === control;
	return (
		// What does not fit is cut at the bottom, never pushing the pinned code off the top.
		<Box flexDirection="column" width={columns} height={rows - 1} overflow="hidden">
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
			<Text wrap="truncate-end">
				{smsCode ? (
					<>
						<Text bold inverse={!screenReader}>
							{` ${t('phone.newestCode', {code: smsCode.code})} `}
						</Text>
						<Hint> {t('phone.newestCodeAt', {time: formatTimeWithSeconds(language, smsCode.at)})}</Hint>
					</>
				) : (
					<Hint>{t('phone.noSmsCode')}</Hint>
				)}
			</Text>
			{app ? <CodeLine reading={app} /> : <Text>{t('phone.noAuthenticator')}</Text>}
			{token ? <CodeLine reading={token} /> : null}
			{help ? (
				<Box flexDirection="column">
					<Text wrap="wrap">{t('phone.helpIntro')}</Text>
					<HelpOverlay screenBindings={phoneBindings} onClose={() => setHelp(false)} />
				</Box>
			) : (
				<>
					<Box gap={narrow ? 0 : 2} alignItems={narrow ? 'flex-start' : 'flex-end'} flexDirection={narrow ? 'column' : 'row'}>
						<Box flexShrink={0}>
							<TextField label={t('phone.approve')} field={form.fields.code} focused={focused('code')} width={12} />
						</Box>
						<Box gap={2}>
							<Button label={t('phone.approveButton')} focused={focused('approve')} />
							<Button label={t('phone.denyButton')} focused={focused('deny')} />
						</Box>
					</Box>
					<Text wrap="wrap">{pushLine}</Text>
					{push ? (
						<Box gap={2}>
							<Button label={t('phone.pushApprove')} focused={focused('pushApprove')} />
							<Button label={t('phone.pushDeny')} focused={focused('pushDeny')} />
						</Box>
					) : null}
					{form.message && message ? <MessageLine kind={form.message.kind} text={message} /> : <Text> </Text>}
					<Box flexDirection="column" height={inboxRows + 1} overflow="hidden">
						<Inbox page={page} total={entries.length} />
					</Box>
					<KeyHints bindings={footerBindings} width={columns - 2} />
				</>
			)}
		</Box>
	);
}

function CodeLine({reading}: {reading: AuthenticatorReading}) {
	const {t} = useUi();
	return (
		<Text wrap="truncate-end">
			{reading.device === 'app' ? t('phone.authenticator') : t('phone.token')}: <Text bold>{t('phone.codeLine', {code: reading.code, seconds: reading.secondsLeft})}</Text>
		</Text>
	);
}
