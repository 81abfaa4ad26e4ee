import {useCallback, useEffect} from 'react';
import {Box, Text} from 'ink';
import type {Session} from '../../core/index.js';
import {Checkbox, FormButtons, Hint, InlineField, MessageLine} from '../components/controls.js';
import {DiscardPrompt} from '../components/discard-prompt.js';
import type {Control} from '../components/form.js';
import {GuideNote} from '../components/guide-note.js';
import {OtpStep} from '../components/otp-step.js';
import {StepDialog} from '../components/step-dialog.js';
import {useUi} from '../context.js';
import {pinChangeReducer, startPinChange, type PinChangeEvent, type PinChangeValues} from '../flows/pin-change.js';
import {useFlow} from '../hooks/use-flow.js';
import {useForm} from '../hooks/use-form.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {usePinAttempts} from '../hooks/use-pin-attempts.js';
import {shownError, useSubmit} from '../hooks/use-submit.js';
import {detailBindings, helpBinding} from '../keymap.js';
import {useHelp} from '../screen-context.js';

const CONTROLS = [
	{kind: 'text', name: 'current', max: 8, digitsOnly: true, masked: true, enterMovesOn: true},
	{kind: 'text', name: 'new', max: 8, digitsOnly: true, masked: true, enterMovesOn: true},
	{kind: 'text', name: 'again', max: 8, digitsOnly: true, masked: true},
	{kind: 'check', name: 'show'},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'confirm'},
] as const satisfies readonly Control[];

/** "PIN di firma" → "Modifica PIN" (seed 003 §6): the PINs, then the OTP (the flow: flows/pin-change.ts). */
export function PinChangeScreen({active, session, onBack}: {active: boolean; session: Session; onBack: () => void}) {
	const {t, portal} = useUi();
	const help = useHelp();
	const [attemptsLeft, refreshAttempts] = usePinAttempts(session);
	const [flow, send] = useFlow(pinChangeReducer, () => startPinChange, {
		run: async (command): Promise<PinChangeEvent | undefined> => {
			switch (command.kind) {
				case 'startPinChange':
					return {type: 'started', ...(await portal.pin.startChange(session, command.input))};
				case 'confirmPinChange':
					await portal.pin.confirmChange(session, command.changeId, command.code);
					return {type: 'confirmed'};
				case 'close':
					onBack();
					return undefined;
			}
		},
		failed: (error): PinChangeEvent => ({type: 'failed', error}),
	});
	const {step} = flow;
	useEffect(refreshAttempts, [refreshAttempts, step.name]);
	/** A step's submit: a refusal that keeps the step open is the form's to show. */
	const submit = useCallback(
		async (event: PinChangeEvent) => {
			const next = await send(event);
			if (next.error !== undefined) throw next.error;
		},
		[send],
	);
	const cancel = (dirty: boolean) => void send({type: 'cancel', dirty});
	useKeymap([...detailBindings, helpBinding], action => (action === 'back' ? cancel(false) : help()), active && step.name === 'done');

	if (step.name === 'done') {
		return (
			<>
				<GuideNote step="pin.done" />
				<MessageLine kind="success" text={t('pinChange.done')} />
			</>
		);
	}
	return (
		<Box flexDirection="column">
			<StepDialog title={t('pinChange.title')} steps={[t('pinChange.step1'), t('pinChange.step2')]} guides={['pin.pins', 'pin.otp']} current={step.name === 'otp' ? 1 : 0}>
				{step.name === 'otp' ? (
					<OtpStep
						active={active && !flow.asking}
						challenge={step.challenge}
						confirmLabel={t('dialog.confirm')}
						onConfirm={code => submit({type: 'submitOtp', code})}
						onResend={() => portal.otp.resend(session, step.challenge.id)}
						onPoll={() => portal.otp.challengeState(session, step.challenge.id)}
						onRestart={message => void send({type: 'restart', message})}
						onCancel={cancel}
					/>
				) : (
					<PinsForm
						active={active && !flow.asking}
						attemptsLeft={attemptsLeft}
						restart={flow.restart}
						onSubmit={values => submit({type: 'submitPins', values}).finally(refreshAttempts)}
						onCancel={cancel}
					/>
				)}
			</StepDialog>
			{flow.asking ? <DiscardPrompt onAnswer={confirmed => void send({type: 'discard', confirmed})} /> : null}
		</Box>
	);
}

/** The current PIN and the new one twice; refused, all three are typed again. */
function PinsForm({active, attemptsLeft, restart, onSubmit, onCancel}: {active: boolean; attemptsLeft: number | undefined; restart: string | undefined; onSubmit: (values: PinChangeValues) => Promise<void>; onCancel: (dirty: boolean) => void}) {
	const {t} = useUi();
	const [form, dispatch] = useForm(CONTROLS, {
		submit: 'confirm',
		active,
		// Back from a spent OTP challenge: why the PINs are asked again.
		...(restart === undefined ? {} : {initialMessage: shownError(restart)}),
		onRequest: (action, current) => {
			if (action === 'cancel') return onCancel(current.dirty);
			if (action !== 'confirm') return;
			submit(() => onSubmit({current: current.fields.current.value, new: current.fields.new.value, again: current.fields.again.value}), {
				done: () => ({clear: ['current', 'new', 'again']}),
				failed: () => ({clear: ['current', 'new', 'again'], focus: 'current'}),
			});
		},
	});
	const {submit} = useSubmit(dispatch);
	const focused = (name: string) => active && CONTROLS[form.focus]?.name === name;
	const shown = form.checks.show;
	return (
		<Box flexDirection="column">
			<Text>{t('pinChange.intro')}</Text>
			<Text wrap="wrap">! {t('pinChange.warning')}</Text>
			<InlineField label={t('pinChange.current')} field={form.fields.current} focused={focused('current')} masked={!shown} labelWidth={24} />
			<InlineField label={t('pinChange.new')} field={form.fields.new} focused={focused('new')} masked={!shown} labelWidth={24} />
			<InlineField label={t('pinChange.again')} field={form.fields.again} focused={focused('again')} masked={!shown} labelWidth={24} />
			<Checkbox label={t('renewal.showPin')} checked={shown} focused={focused('show')} />
			{attemptsLeft === undefined ? null : <Hint>{t('pinChange.attempts', {count: attemptsLeft})}</Hint>}
			<FormButtons focused={focused} confirmLabel={t('dialog.confirm')} />
			{form.message ? <MessageLine kind={form.message.kind} text={form.message.text ?? t(form.message.key, form.message.params)} /> : null}
		</Box>
	);
}
