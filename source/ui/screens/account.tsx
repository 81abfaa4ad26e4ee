import {useCallback, useEffect, useState, type ReactNode} from 'react';
import {Box, Text} from 'ink';
import {type AccountView, type PasswordContext, type Session, type SessionRecord, toDisplayText} from '../../core/index.js';
import {Button, FocusMarker, Hint, MessageLine} from '../components/controls.js';
import {DiscardPrompt} from '../components/discard-prompt.js';
import {PasswordForm} from '../components/password-form.js';
import {useUi} from '../context.js';
import {useHelp} from '../screen-context.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {useSelection} from '../hooks/use-selection.js';
import {useSubmit} from '../hooks/use-submit.js';
import {describeError, formatDate, formatTime, type MessageKey} from '../i18n/index.js';
import {helpBinding, otpScreenBindings} from '../keymap.js';
import {CodeConfirmedEditor, LanguageEditor, SecretQuestionEditor} from './account-editors.js';
import {GuideNote} from '../components/guide-note.js';

type Item = 'phone' | 'password' | 'email' | 'question' | 'language' | 'sessions';

/** The rows of "Il tuo account", grouped as seed 003 §9 shows them. */
const ITEMS: readonly {item: Item; group: MessageKey | null; label: MessageKey}[] = [
	{item: 'phone', group: 'account.personal', label: 'account.phone'},
	{item: 'password', group: 'account.access', label: 'account.password'},
	{item: 'email', group: null, label: 'account.email'},
	{item: 'question', group: 'account.recoveryInfo', label: 'account.question'},
	{item: 'language', group: 'account.preferences', label: 'account.language'},
	{item: 'sessions', group: 'account.security', label: 'account.sessions'},
];

const LABELS = Object.fromEntries(ITEMS.map(entry => [entry.item, entry.label])) as Record<Item, MessageKey>;

export interface AccountScreenProps {
	active: boolean;
	session: Session;
	onBack: () => void;
	onLanguage: (language: 'it' | 'en') => void;
}

/** "Gestisci il tuo account" (seed 003 §9): each row opens its editor in place; Esc goes back. */
export function AccountScreen({active, session, onBack, onLanguage}: AccountScreenProps) {
	const {t, portal, language} = useUi();
	const [view, setView] = useState<AccountView | undefined>();
	const [context, setContext] = useState<PasswordContext>({userId: session.userId});
	const [editing, setEditing] = useState<Item | undefined>();
	const [notice, setNotice] = useState<{kind: 'success' | 'error'; text: string} | undefined>();
	const [asking, setAsking] = useState(false);
	const {selection, current, previous, next} = useSelection(ITEMS.length);
	const help = useHelp();

	const reload = useCallback(() => {
		portal.account.view(session).then(setView, (error: unknown) => setNotice({kind: 'error', text: describeError(t, error)}));
		// Refused (the session ended meanwhile): the view's refusal above says it.
		portal.account.passwordContext(session).then(setContext, () => undefined);
	}, [portal, session, t]);
	useEffect(reload, [reload]);

	useKeymap(
		[...otpScreenBindings, helpBinding],
		action => {
			if (action === 'up') return previous();
			if (action === 'down') return next();
			if (action === 'back') return onBack();
			if (action === 'help') return help();
			const chosen = ITEMS[current()];
			if (!chosen) return;
			setNotice(undefined);
			setEditing(chosen.item);
		},
		active && editing === undefined,
	);

	const close = (message?: string) => {
		setEditing(undefined);
		setAsking(false);
		if (message) setNotice({kind: 'success', text: message});
		reload();
	};
	const cancel = (dirty: boolean) => (dirty ? setAsking(true) : close());
	const editorProps = {active: active && !asking, session, onDone: close, onCancel: cancel};

	const value = (item: Item): string => {
		if (!view) return '';
		switch (item) {
			case 'phone':
				return view.phoneMasked;
			case 'password':
				return '••••••••';
			case 'email':
				return view.emailMasked;
			case 'question':
				return view.secretQuestion ? toDisplayText(view.secretQuestion, 40) : '-';
			case 'language':
				return language === 'it' ? 'Italiano' : 'English';
			case 'sessions':
				return '';
		}
	};
	const action = (item: Item): MessageKey => (item === 'question' && !view?.secretQuestion ? 'account.insert' : item === 'sessions' ? 'account.open' : item === 'language' ? 'account.changeLanguage' : 'account.modify');

	let editor: ReactNode = null;
	switch (editing) {
		case 'password':
			editor = (
				<PasswordForm
					active={active && !asking}
					guide="account.password"
					withCurrent
					context={context}
					submitLabel={t('account.save')}
					onSubmit={async values => {
						await portal.account.changePassword(session, values);
						close(t('account.passwordSaved'));
					}}
					onCancel={cancel}
				/>
			);
			break;
		case 'phone':
			editor = (
				<CodeConfirmedEditor
					{...editorProps}
					intro={t('account.phoneIntro')}
					guides={{value: 'account.phone', code: 'account.phoneCode'}}
					label={t('account.newPhone')}
					start={async input => {
						const started = await portal.account.startRecoveryPhoneChange(session, input);
						return {value: started.phone, challenge: started.challenge};
					}}
					confirm={(phone, challenge, code) => portal.account.confirmRecoveryPhoneChange(session, {challengeId: challenge.id, phone, code})}
					doneMessage={t('account.phoneSaved')}
				/>
			);
			break;
		case 'email':
			editor = (
				<CodeConfirmedEditor
					{...editorProps}
					intro={t('account.emailIntro')}
					guides={{value: 'account.email', code: 'account.emailCode'}}
					label={t('account.newEmail')}
					start={async input => {
						const started = await portal.account.startEmailChange(session, input);
						return {value: started.email, challenge: started.challenge};
					}}
					confirm={(email, challenge, code) => portal.account.confirmEmailChange(session, {challengeId: challenge.id, email, code})}
					doneMessage={t('account.emailSaved')}
				/>
			);
			break;
		case 'question':
			editor = <SecretQuestionEditor {...editorProps} />;
			break;
		case 'language':
			editor = <LanguageEditor {...editorProps} onLanguage={onLanguage} />;
			break;
		case 'sessions':
			editor = <SessionsView active={active} session={session} onBack={() => close()} />;
			break;
		case undefined:
			break;
	}

	return (
		<Box flexDirection="column">
			<Text bold>{editing ? `${t('account.title')} › ${t(LABELS[editing])}` : t('account.title')}</Text>
			{editor ?? (
				<Box flexDirection="column">
					<GuideNote step="account" />
					{ITEMS.map((entry, index) => (
						<Box key={entry.item} flexDirection="column">
							{entry.group ? <Hint>{t(entry.group)}</Hint> : null}
							<Box aria-role="button">
								<Box width={34} flexShrink={0}>
									<Text>
										<FocusMarker focused={active && index === selection} />
										<Text bold={index === selection}>{t(entry.label)}</Text>
									</Text>
								</Box>
								<Box width={28} flexShrink={0} marginRight={1}>
									<Text wrap="truncate-end">{value(entry.item)}</Text>
								</Box>
								<Text bold={index === selection} inverse={active && index === selection}>
									[{t(action(entry.item))}]
								</Text>
							</Box>
						</Box>
					))}
				</Box>
			)}
			{notice && !editing ? <MessageLine kind={notice.kind} text={notice.text} /> : null}
			{asking ? <DiscardPrompt onAnswer={discard => (discard ? close() : setAsking(false))} /> : null}
		</Box>
	);
}

/** "Dispositivi e sessioni": where the holder is logged in, and "Esci da tutte le altre sessioni". */
function SessionsView({active, session, onBack}: {active: boolean; session: Session; onBack: () => void}) {
	const {t, portal, language} = useUi();
	const help = useHelp();
	const {submit} = useSubmit();
	const [sessions, setSessions] = useState<SessionRecord[] | undefined>();
	const [message, setMessage] = useState<{kind: 'success' | 'error'; text: string} | undefined>();
	const load = useCallback(() => {
		portal.sessions.list(session).then(setSessions, (error: unknown) => setMessage({kind: 'error', text: describeError(t, error)}));
	}, [portal, session, t]);
	useEffect(load, [load]);
	useKeymap(
		[...otpScreenBindings, helpBinding],
		action => {
			if (action === 'back') return onBack();
			if (action === 'help') return help();
			if (action !== 'open') return;
			submit(() => portal.sessions.endOthers(session), {
				done: count => {
					setMessage({kind: 'success', text: t('account.sessionsEnded', {count})});
					load();
				},
				failed: (_, failure) => void setMessage({kind: 'error', text: failure.text}),
			});
		},
		active,
	);
	const when = (iso: string) => `${formatDate(language, new Date(iso))} ${formatTime(language, new Date(iso))}`;
	return (
		<Box flexDirection="column">
			<GuideNote step="account.sessions" />
			<Hint>
				{t('account.sessionTerminal').padEnd(40)}
				{t('account.sessionStarted').padEnd(18)}
				{t('account.sessionActivity')}
			</Hint>
			{(sessions ?? []).slice(0, 8).map(entry => (
				<Text key={entry.id} wrap="truncate-end">
					{/* Room for a tty and an SSH client address ("/dev/pts/3, SSH 192.168.100.200"). */}
					{(toDisplayText(entry.terminal || '-', 36) + (entry.id === session.id ? ' *' : '')).padEnd(40)}
					{when(entry.startedAt).padEnd(18)}
					{when(entry.lastActivityAt)}
				</Text>
			))}
			<Hint>{t('account.thisSession')}</Hint>
			<Button label={t('account.endOthers')} focused={active} />
			{message ? <MessageLine kind={message.kind} text={message.text} /> : null}
		</Box>
	);
}
