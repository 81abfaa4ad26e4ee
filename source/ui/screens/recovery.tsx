import {useCallback} from 'react';
import {Box, Text} from 'ink';
import {isDomainError, toDisplayText} from '../../core/index.js';
import {Button, FormButtons, InlineField, MessageLine} from '../components/controls.js';
import type {Control, FormMessage} from '../components/form.js';
import {DiscardPrompt} from '../components/discard-prompt.js';
import {GuideNote, type GuideStep} from '../components/guide-note.js';
import {PasswordForm} from '../components/password-form.js';
import {StepDialog} from '../components/step-dialog.js';
import {useUi} from '../context.js';
import {RECOVERY_STEPS, recoveryReducer, startRecovery, startUserIdRecovery, userIdRecoveryReducer, type RecoveryEvent, type RecoveryStep, type UserIdRecoveryEvent} from '../flows/recovery.js';
import {useFlow} from '../hooks/use-flow.js';
import {useDialogForm} from '../hooks/use-form.js';
import {errorMessage, useSubmit} from '../hooks/use-submit.js';
import type {MessageKey} from '../i18n/index.js';

/*
 * The login screen's links (the flows: flows/recovery.ts). "Hai dimenticato la password?":
 * User ID → code by SMS → secret answer → new password; it ends on the login screen, never
 * logged in. "Ho dimenticato lo User ID": codice fiscale and e-mail → the userID by e-mail.
 */

interface PublicScreenProps {
	active: boolean;
	onDone: (notice: MessageKey) => void;
	onBack: () => void;
}

const STEP_TEXT: Record<RecoveryStep['name'], {label: MessageKey; guide: GuideStep}> = {
	identifier: {label: 'recovery.step.identifier', guide: 'recovery.identifier'},
	code: {label: 'recovery.step.code', guide: 'recovery.code'},
	answer: {label: 'recovery.step.answer', guide: 'recovery.answer'},
	password: {label: 'recovery.step.password', guide: 'recovery.password'},
};

/** A one-field step with Annulla / confirm, and optionally "Invia nuovo codice". */
function OneFieldStep({
	active,
	intro,
	label,
	control,
	confirmLabel,
	initialMessage,
	onSubmit,
	onResend,
	onBack,
}: {
	active: boolean;
	intro: string;
	label: string;
	control: Control & {kind: 'text'};
	confirmLabel: string;
	initialMessage?: FormMessage | undefined;
	onSubmit: (value: string) => Promise<void>;
	onResend?: () => Promise<void>;
	onBack: () => void;
}) {
	const {t} = useUi();
	const field = {...control, name: 'value' as const};
	const controls = onResend
		? ([field, {kind: 'button', name: 'resend'}, {kind: 'button', name: 'cancel'}, {kind: 'button', name: 'confirm'}] as const)
		: ([field, {kind: 'button', name: 'cancel'}, {kind: 'button', name: 'confirm'}] as const);
	// A code that cannot be one (too short) stays, to be completed; anything else is typed again.
	const failed = (error: unknown) => ({clear: isDomainError(error, 'otp.malformed') ? [] : ['value'], focus: 'value'});
	const [form, dispatch] = useDialogForm(controls, {
		active,
		initialMessage,
		onCancel: onBack,
		onAction: (action, current) => {
			if (action === 'resend' && onResend) return void submit(onResend, {done: () => ({clear: ['value'], focus: 'value', message: {kind: 'info', key: 'recovery.resent'}}), failed});
			if (action !== 'confirm') return;
			const {value} = current.fields.value;
			if (value.trim() === '') return dispatch({type: 'done', focus: 'value', message: {kind: 'error', key: 'recovery.fieldMissing', params: {field: label}}});
			submit(() => onSubmit(value), {done: () => ({focus: 'value'}), failed});
		},
	});
	const {submit} = useSubmit(dispatch);
	const focused = (name: string) => active && controls[form.focus]?.name === name;
	return (
		<Box flexDirection="column">
			<Text wrap="wrap">{intro}</Text>
			<Box gap={2}>
				<InlineField label={label} field={form.fields.value} focused={focused('value')} masked={control.masked} labelWidth={34} />
				{onResend ? <Button label={t('recovery.resend')} focused={focused('resend')} /> : null}
			</Box>
			<FormButtons focused={focused} confirmLabel={confirmLabel} />
			{form.message ? <MessageLine kind={form.message.kind} text={form.message.text ?? t(form.message.key, form.message.params)} /> : null}
		</Box>
	);
}

export function PasswordRecoveryScreen({active, onDone, onBack}: PublicScreenProps) {
	const {t, portal} = useUi();
	const [flow, send] = useFlow(recoveryReducer, () => startRecovery, {
		run: async (command): Promise<RecoveryEvent | undefined> => {
			switch (command.kind) {
				case 'startPasswordRecovery':
					return {type: 'started', recoveryId: (await portal.recovery.start(command.identifier)).recoveryId};
				case 'resendRecoveryCode':
					await portal.recovery.resendCode(command.recoveryId);
					return {type: 'resent'};
				case 'confirmRecoveryCode': {
					const next = await portal.recovery.confirmCode(command.recoveryId, command.code);
					return {type: 'codeConfirmed', question: next.question, context: next.context};
				}
				case 'answerRecoveryQuestion':
					await portal.recovery.answerQuestion(command.recoveryId, command.answer);
					return {type: 'answered'};
				case 'setRecoveredPassword':
					await portal.recovery.setPassword(command.recoveryId, command.password, command.passwordAgain);
					return {type: 'passwordSet'};
				case 'close':
					if (command.notice) onDone(command.notice);
					else onBack();
					return undefined;
			}
		},
		failed: (error): RecoveryEvent => ({type: 'failed', error}),
	});
	/** A step's submit: a refusal that keeps the step open is the form's to show. */
	const submit = useCallback(
		async (event: RecoveryEvent) => {
			const next = await send(event);
			// A spent procedure is back at the User ID, which says why: the step that asked is gone.
			if (next.error !== undefined) throw next.error;
		},
		[send],
	);
	const {step} = flow;
	const common = {active: active && !flow.asking, onBack: () => void send({type: 'cancel'})};
	return (
		<Box flexDirection="column">
			<StepDialog
				title={t('recovery.title')}
				steps={RECOVERY_STEPS.map(name => t(STEP_TEXT[name].label))}
				guides={RECOVERY_STEPS.map(name => STEP_TEXT[name].guide)}
				current={RECOVERY_STEPS.indexOf(step.name)}
			>
				{step.name === 'identifier' ? (
					<OneFieldStep
						key="identifier"
						{...common}
						intro={t('recovery.identifierIntro')}
						label={t('login.identifier')}
						control={{kind: 'text', name: 'value', max: 254, secret: false}}
						confirmLabel={t('recovery.continue')}
						// Back from a spent or expired procedure: why.
						initialMessage={flow.error === undefined ? undefined : errorMessage(t, flow.error)}
						onSubmit={identifier => submit({type: 'submitIdentifier', identifier})}
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
						onResend={() => submit({type: 'resend'})}
						onSubmit={code => submit({type: 'submitCode', code})}
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
						onSubmit={answer => submit({type: 'submitAnswer', answer})}
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
							onSubmit={values => submit({type: 'submitPassword', values: {next: values.next, again: values.again}})}
							onCancel={common.onBack}
						/>
					</Box>
				) : null}
			</StepDialog>
			{flow.asking ? <DiscardPrompt onAnswer={confirmed => void send({type: 'discard', confirmed})} /> : null}
		</Box>
	);
}

const USER_ID_CONTROLS = [
	{kind: 'text', name: 'codiceFiscale', max: 16, enterMovesOn: true},
	{kind: 'text', name: 'email', max: 254, secret: false},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'confirm'},
] as const satisfies readonly Control[];

export function UserIdRecoveryScreen({active, onDone, onBack}: PublicScreenProps) {
	const {t, portal} = useUi();
	const [, send] = useFlow(userIdRecoveryReducer, () => startUserIdRecovery, {
		run: async (command): Promise<UserIdRecoveryEvent | undefined> => {
			if (command.kind === 'remindUserId') {
				await portal.recovery.remindUserId(command.codiceFiscale, command.email);
				return {type: 'sent'};
			}
			if (command.notice) onDone(command.notice);
			else onBack();
			return undefined;
		},
		failed: (error): UserIdRecoveryEvent => ({type: 'failed', error}),
	});
	const [form, dispatch] = useDialogForm(USER_ID_CONTROLS, {
		active,
		onCancel: () => void send({type: 'cancel'}),
		onAction: (action, current) => {
			if (action !== 'confirm') return;
			submit(() => send({type: 'submit', values: {codiceFiscale: current.fields.codiceFiscale.value, email: current.fields.email.value}}), {
				// Sent: the login screen says so. A field left empty, or refused: the form says it.
				done: next => (next.missing ? {message: {kind: 'error', key: 'recovery.userIdMissing'}} : next.error === undefined ? undefined : {message: errorMessage(t, next.error)}),
			});
		},
	});
	const {submit} = useSubmit(dispatch);
	const focused = (name: string) => active && USER_ID_CONTROLS[form.focus]?.name === name;
	return (
		<Box flexDirection="column">
			<GuideNote step="recovery.userId" />
			<Text bold>{t('recovery.userIdTitle')}</Text>
			<Text wrap="wrap">{t('recovery.userIdIntro')}</Text>
			<InlineField label={t('recovery.codiceFiscale')} field={form.fields.codiceFiscale} focused={focused('codiceFiscale')} labelWidth={24} />
			<InlineField label={t('recovery.email')} field={form.fields.email} focused={focused('email')} labelWidth={24} />
			<FormButtons focused={focused} confirmLabel={t('recovery.sendUserId')} />
			{form.message ? <MessageLine kind={form.message.kind} text={form.message.text ?? t(form.message.key, form.message.params)} /> : null}
		</Box>
	);
}
