import {useEffect, useRef, useState} from 'react';
import {Box, Text} from 'ink';
import {type ChallengeView, type DocumentToSign, type Session, type SigningResult, toDisplayText} from '../../core/index.js';
import {Button, Checkbox, FormButtons, Hint, InlineField, MessageLine} from '../components/controls.js';
import {DiscardPrompt} from '../components/discard-prompt.js';
import type {Control} from '../components/form.js';
import {OtpStep} from '../components/otp-step.js';
import {StepDialog} from '../components/step-dialog.js';
import {useUi} from '../context.js';
import {useHelp} from '../screen-context.js';
import {useDialogForm} from '../hooks/use-form.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {usePinAttempts} from '../hooks/use-pin-attempts.js';
import {describeSigningFailure} from '../i18n/index.js';
import {shownError, useSubmit} from '../hooks/use-submit.js';
import {detailBindings, helpBinding} from '../keymap.js';
import {GuideNote} from '../components/guide-note.js';

const CONTROLS = [
	{kind: 'text', name: 'path', max: 1024, secret: false},
	{kind: 'button', name: 'clear'},
	{kind: 'text', name: 'pin', max: 8, digitsOnly: true, masked: true},
	{kind: 'check', name: 'show'},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'confirm'},
] as const satisfies readonly Control[];

/** How many chosen documents the list shows before "+N". */
const LISTED = 4;

function size(bytes: number): string {
	return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * "Firma documenti": what GoSign does with the remote certificate. Step 1 picks the files
 * (Enter on the path adds one) and takes the PIN; step 2 is the OTP, one for all files.
 * Each file becomes FILE.p7m beside it.
 */
export function SignScreen({active, session, onBack}: {active: boolean; session: Session; onBack: () => void}) {
	const {t} = useUi();
	const {portal} = useUi();
	const [documents, setDocuments] = useState<DocumentToSign[]>([]);
	const [pending, setPending] = useState<{documents: DocumentToSign[]; challenge: ChallengeView} | undefined>();
	const [signed, setSigned] = useState<SigningResult | undefined>();
	const [asking, setAsking] = useState(false);
	const help = useHelp();
	const [attemptsLeft, refreshAttempts] = usePinAttempts(session);
	// The PIN waits here (not on screen) from step 1 until the OTP is confirmed, then goes.
	const pin = useRef('');
	useEffect(refreshAttempts, [refreshAttempts, pending]);
	useEffect(
		() => () => {
			pin.current = '';
		},
		[],
	);

	const cancel = (dirty: boolean) => (dirty || pending || documents.length > 0 ? setAsking(true) : onBack());
	const [form, dispatch] = useDialogForm(CONTROLS, {
		active: active && !asking && !pending && !signed,
		onCancel: cancel,
		onAction: (action, current) => {
			if (action === 'clear') {
				setDocuments([]);
				return dispatch({type: 'done', focus: 'path'});
			}
			// Exactly the path typed: "fattura.txt " is not "fattura.txt".
			const path = current.fields.path.value;
			const focusName = CONTROLS[current.focus]?.name;
			// Enter on the path adds that file; "Firma" signs the list (or the path typed, if the list is empty).
			if (focusName === 'path' && action === 'confirm') {
				if (path === '') return dispatch({type: 'done', focus: 'pin'});
				submit(() => portal.signing.inspect([...documents.map(document => document.path), path]), {
					done: checked => {
						setDocuments(checked);
						return {clear: ['path'], focus: 'path', message: {kind: 'info', key: 'sign.added', params: {name: toDisplayText(checked.at(-1)?.name ?? path, 60), count: checked.length}}};
					},
					failed: () => ({focus: 'path'}),
				});
				return;
			}
			if (action !== 'confirm') return;
			const paths = [...documents.map(document => document.path), ...(path === '' ? [] : [path])];
			const typedPin = current.fields.pin.value;
			const request = async () => {
				const checked = await portal.signing.inspect(paths);
				return {checked, challenge: await portal.signing.requestOtp(session, checked, typedPin)};
			};
			submit(request, {
				done: ({checked, challenge}) => {
					pin.current = typedPin;
					setDocuments(checked);
					setPending({documents: checked, challenge});
					return {clear: ['pin', 'path']};
				},
				failed: () => {
					refreshAttempts();
					return {clear: ['pin'], focus: paths.length === 0 ? 'path' : 'pin'};
				},
			});
		},
	});
	const {submit} = useSubmit(dispatch);
	useKeymap([...detailBindings, helpBinding], action => (action === 'back' ? onBack() : help()), active && signed !== undefined);

	if (signed) {
		return (
			<Box flexDirection="column">
				<GuideNote step="sign.done" />
				<MessageLine kind="success" text={t('sign.done', {count: signed.signed.length})} />
				{signed.signed.slice(0, 8).map(document => (
					<Text key={document.output} wrap="truncate-middle">
						{'  ✓ '}
						{toDisplayText(document.output)}
					</Text>
				))}
				{signed.signed.length > 8 ? <Hint>{t('sign.more', {count: signed.signed.length - 8})}</Hint> : null}
				{signed.failed.map(document => (
					<MessageLine key={document.name} kind="error" text={describeSigningFailure(t, document)} />
				))}
				<Hint>{t('sign.historyHint')}</Hint>
			</Box>
		);
	}
	const focused = (name: string) => active && !asking && !pending && CONTROLS[form.focus]?.name === name;
	const shown = form.checks.show;
	return (
		<Box flexDirection="column">
			<StepDialog title={t('sign.title')} steps={[t('sign.step1'), t('sign.step2')]} guides={['sign', 'sign.otp']} current={pending ? 1 : 0}>
				{pending ? (
					<Box flexDirection="column">
						<Text wrap="truncate-end">{t('sign.confirming', {count: pending.documents.length, names: pending.documents.map(document => toDisplayText(document.name, 40)).join(', ')})}</Text>
						<OtpStep
							active={active && !asking}
							challenge={pending.challenge}
							confirmLabel={t('sign.sign')}
							onConfirm={async code => {
								const result = await portal.signing.sign(session, {documents: pending.documents, pin: pin.current, challengeId: pending.challenge.id, code});
								pin.current = '';
								setSigned(result);
							}}
							onResend={() => portal.otp.resend(session, pending.challenge.id)}
							onPoll={() => portal.otp.challengeState(session, pending.challenge.id)}
							onRestart={message => {
								pin.current = '';
								setPending(undefined);
								dispatch({type: 'message', message: shownError(message)});
							}}
							onCancel={cancel}
						/>
					</Box>
				) : (
					<Box flexDirection="column">
						<Text wrap="wrap">{t('sign.intro')}</Text>
						<InlineField label={t('sign.path')} field={form.fields.path} focused={focused('path')} labelWidth={26} />
						{documents.length === 0 ? (
							<Hint>{t('sign.none')}</Hint>
						) : (
							documents.slice(0, LISTED).map(document => (
								<Text key={document.path} wrap="truncate-middle">
									{'  • '}
									{toDisplayText(document.name, 50)} ({size(document.size)})
								</Text>
							))
						)}
						{documents.length > LISTED ? <Hint>{t('sign.more', {count: documents.length - LISTED})}</Hint> : null}
						<Button label={t('sign.clear')} focused={focused('clear')} />
						<InlineField label={t('sign.pin')} field={form.fields.pin} focused={focused('pin')} masked={!shown} labelWidth={26} />
						<Checkbox label={t('renewal.showPin')} checked={shown} focused={focused('show')} />
						{attemptsLeft === undefined ? null : <Hint>{t('pinInput.attempts', {count: attemptsLeft})}</Hint>}
						<FormButtons focused={focused} confirmLabel={t('sign.sign')} />
						{form.message ? <MessageLine kind={form.message.kind} text={form.message.text ?? t(form.message.key, form.message.params)} /> : null}
					</Box>
				)}
			</StepDialog>
			{asking ? <DiscardPrompt onAnswer={discard => (discard ? onBack() : setAsking(false))} /> : null}
		</Box>
	);
}
