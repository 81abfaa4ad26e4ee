import {useState} from 'react';
import {Box, Text} from 'ink';
import {isDomainError} from '../../core/errors.js';
import type {PasswordContext} from '../../core/portal.js';
import {toDisplayText} from '../../core/text/sanitize.js';
import {Button, FormButtons, InlineField, MessageLine} from '../components/controls.js';
import type {Control} from '../components/form.js';
import {DiscardPrompt} from '../components/discard-prompt.js';
import {PasswordForm} from '../components/password-form.js';
import {StepDialog} from '../components/step-dialog.js';
import {useUi} from '../context.js';
import {useDialogForm} from '../hooks/use-form.js';
import {describeError, type MessageKey} from '../i18n/index.js';
import {GuideNote} from '../components/guide-note.js';

/*
 * The login screen's links. "Hai dimenticato la password?": User ID → code by SMS → secret
 * answer → new password (always two factors); it ends on the login screen, never logged in.
 * "Ho dimenticato lo User ID": codice fiscale and e-mail → the userID by e-mail.
 * Both answer the same way whether the data match a holder or not.
 */

interface PublicScreenProps {
	active: boolean;
	onDone: (notice: MessageKey) => void;
	onBack: () => void;
}

type Step = {name: 'identifier'} | {name: 'code'; recoveryId: string} | {name: 'answer'; recoveryId: string; question: string; context: PasswordContext} | {name: 'password'; recoveryId: string; context: PasswordContext};

/** A one-field step with Annulla / confirm, and optionally "Invia nuovo codice". */
function OneFieldStep({
	active,
	intro,
	label,
	control,
	confirmLabel,
	onSubmit,
	onResend,
	onBack,
}: {
	active: boolean;
	intro: string;
	label: string;
	control: Control & {kind: 'text'};
	confirmLabel: string;
	onSubmit: (value: string) => Promise<void>;
	onResend?: () => Promise<void>;
	onBack: () => void;
}) {
	const {t} = useUi();
	const controls: readonly Control[] = [{...control, name: 'value'}, ...(onResend ? [{kind: 'button', name: 'resend'} as const] : []), {kind: 'button', name: 'cancel'}, {kind: 'button', name: 'confirm'}];
	const run = (task: Promise<void>, success?: MessageKey) => {
		dispatch({type: 'busy'});
		task.then(
			() => dispatch({type: 'done', clear: success ? ['value'] : [], focus: 'value', message: success ? {kind: 'info', key: success} : undefined}),
			// A code that cannot be one (too short) stays, to be completed; anything else is typed again.
			(error: unknown) => dispatch({type: 'done', clear: isDomainError(error, 'otp.malformed') ? [] : ['value'], focus: 'value', message: {kind: 'error', key: 'errors.unexpected', text: describeError(t, error)}}),
		);
	};
	const [form, dispatch] = useDialogForm(controls, {
		active,
		onCancel: onBack,
		onAction: (action, current) => {
			if (action === 'resend' && onResend) return run(onResend(), 'recovery.resent');
			if (action !== 'confirm') return;
			if (current.fields['value']!.value.trim() === '') return dispatch({type: 'done', focus: 'value', message: {kind: 'error', key: 'recovery.fieldMissing', params: {field: label}}});
			run(onSubmit(current.fields['value']!.value));
		},
	});
	const focused = (name: string) => active && controls[form.focus]?.name === name;
	return (
		<Box flexDirection="column">
			<Text wrap="wrap">{intro}</Text>
			<Box gap={2}>
				<InlineField label={label} field={form.fields['value']!} focused={focused('value')} masked={control.masked} labelWidth={34} />
				{onResend ? <Button label={t('recovery.resend')} focused={focused('resend')} /> : null}
			</Box>
			<FormButtons focused={focused} confirmLabel={confirmLabel} />
			{form.message ? <MessageLine kind={form.message.kind} text={form.message.text ?? t(form.message.key, form.message.params)} /> : null}
		</Box>
	);
}

export function PasswordRecoveryScreen({active, onDone, onBack}: PublicScreenProps) {
	const {t, portal} = useUi();
	const [step, setStep] = useState<Step>({name: 'identifier'});
	const restartOn = (error: unknown) => {
		// A spent or expired procedure starts again from the User ID, saying why.
		if (isDomainError(error, 'recovery.expired') || isDomainError(error, 'otp.cancelled')) setStep({name: 'identifier'});
		throw error;
	};
	const [asking, setAsking] = useState(false);
	const index = {identifier: 0, code: 1, answer: 2, password: 3}[step.name];
	// Past the User ID a code has been sent: leaving asks first.
	const leave = () => (step.name === 'identifier' ? onBack() : setAsking(true));
	const common = {active: active && !asking, onBack: leave};
	return (
		<Box flexDirection="column">
			<StepDialog
				title={t('recovery.title')}
				steps={[t('recovery.step.identifier'), t('recovery.step.code'), t('recovery.step.answer'), t('recovery.step.password')]}
				guides={['recovery.identifier', 'recovery.code', 'recovery.answer', 'recovery.password']}
				current={index}
			>
				{step.name === 'identifier' ? (
					<OneFieldStep
						key="identifier"
						{...common}
						intro={t('recovery.identifierIntro')}
						label={t('login.identifier')}
						control={{kind: 'text', name: 'value', max: 254, secret: false}}
						confirmLabel={t('recovery.continue')}
						onSubmit={async identifier => {
							const {recoveryId} = await portal.startPasswordRecovery(identifier);
							setStep({name: 'code', recoveryId});
						}}
					/>
				) : null}
				{step.name === 'code' ? (
					<OneFieldStep
						key="code"
						{...common}
						intro={t('recovery.codeIntro')}
						label={t('recovery.code')}
						control={{kind: 'text', name: 'value', max: 8, digitsOnly: true}}
						confirmLabel={t('recovery.continue')}
						onResend={() => portal.resendRecoveryCode(step.recoveryId).catch(restartOn)}
						onSubmit={async code => {
							const next = await portal.confirmRecoveryCode(step.recoveryId, code).catch(restartOn);
							// Always the secret question next (a holder without one is refused with what to do).
							setStep({name: 'answer', recoveryId: step.recoveryId, question: next.question, context: next.context});
						}}
					/>
				) : null}
				{step.name === 'answer' ? (
					<OneFieldStep
						key="answer"
						{...common}
						intro={t('recovery.answerIntro', {question: toDisplayText(step.question, 120)})}
						label={t('account.answer')}
						control={{kind: 'text', name: 'value', max: 100, masked: true}}
						confirmLabel={t('recovery.continue')}
						onSubmit={async answer => {
							await portal.answerRecoveryQuestion(step.recoveryId, answer).catch(restartOn);
							setStep({name: 'password', recoveryId: step.recoveryId, context: step.context});
						}}
					/>
				) : null}
				{step.name === 'password' ? (
					<Box flexDirection="column">
						<Text wrap="wrap">{t('recovery.passwordIntro')}</Text>
						<PasswordForm
							active={active}
							withCurrent={false}
							context={step.context}
							submitLabel={t('account.save')}
							onSubmit={async values => {
								await portal.setRecoveredPassword(step.recoveryId, values.next, values.again).catch(restartOn);
								onDone('recovery.done');
							}}
							onCancel={leave}
						/>
					</Box>
				) : null}
			</StepDialog>
		{asking ? <DiscardPrompt onAnswer={discard => (discard ? onBack() : setAsking(false))} /> : null}
		</Box>
	);
}

const USER_ID_CONTROLS: readonly Control[] = [
	{kind: 'text', name: 'codiceFiscale', max: 16, enterMovesOn: true},
	{kind: 'text', name: 'email', max: 254, secret: false},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'confirm'},
];

export function UserIdRecoveryScreen({active, onDone, onBack}: PublicScreenProps) {
	const {t, portal} = useUi();
	const [form, dispatch] = useDialogForm(USER_ID_CONTROLS, {
		active,
		onCancel: onBack,
		onAction: (action, current) => {
			if (action !== 'confirm') return;
			const codiceFiscale = current.fields['codiceFiscale']!.value;
			const email = current.fields['email']!.value;
			if (codiceFiscale.trim() === '' || email.trim() === '') return dispatch({type: 'done', message: {kind: 'error', key: 'recovery.userIdMissing'}});
			dispatch({type: 'busy'});
			portal.remindUserId(codiceFiscale, email).then(
				() => onDone('recovery.userIdSent'),
				(error: unknown) => dispatch({type: 'done', message: {kind: 'error', key: 'errors.unexpected', text: describeError(t, error)}}),
			);
		},
	});
	const focused = (name: string) => active && USER_ID_CONTROLS[form.focus]?.name === name;
	return (
		<Box flexDirection="column">
			<GuideNote step="recovery.userId" />
			<Text bold>{t('recovery.userIdTitle')}</Text>
			<Text wrap="wrap">{t('recovery.userIdIntro')}</Text>
			<InlineField label={t('recovery.codiceFiscale')} field={form.fields['codiceFiscale']!} focused={focused('codiceFiscale')} labelWidth={24} />
			<InlineField label={t('recovery.email')} field={form.fields['email']!} focused={focused('email')} labelWidth={24} />
			<FormButtons focused={focused} confirmLabel={t('recovery.sendUserId')} />
			{form.message ? <MessageLine kind={form.message.kind} text={form.message.text ?? t(form.message.key, form.message.params)} /> : null}
		</Box>
	);
}
