import {useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import type {ChallengeView, Session} from '../../core/portal.js';
import {Checkbox, FormButtons, Hint, InlineField, MessageLine} from '../components/controls.js';
import {DiscardPrompt} from '../components/discard-prompt.js';
import type {Control} from '../components/form.js';
import {OtpStep} from '../components/otp-step.js';
import {StepDialog} from '../components/step-dialog.js';
import {useUi} from '../context.js';
import {useHelp} from '../screen-context.js';
import {useForm} from '../hooks/use-form.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {usePinAttempts} from '../hooks/use-pin-attempts.js';
import {describeError} from '../i18n/index.js';
import {detailBindings, helpBinding} from '../keymap.js';
import {GuideNote} from '../components/guide-note.js';

const CONTROLS: readonly Control[] = [
	{kind: 'text', name: 'current', max: 8, digitsOnly: true, masked: true, enterMovesOn: true},
	{kind: 'text', name: 'new', max: 8, digitsOnly: true, masked: true, enterMovesOn: true},
	{kind: 'text', name: 'again', max: 8, digitsOnly: true, masked: true},
	{kind: 'check', name: 'show'},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'confirm'},
];

/** "PIN di firma" → "Modifica PIN" (seed 003 §6): the PINs, then the OTP. */
export function PinChangeScreen({active, session, onBack}: {active: boolean; session: Session; onBack: () => void}) {
	const {t, portal} = useUi();
	const help = useHelp();
	const [pending, setPending] = useState<{changeId: string; challenge: ChallengeView} | undefined>();
	const [done, setDone] = useState<string | undefined>();
	const [asking, setAsking] = useState(false);
	const [attemptsLeft, refreshAttempts] = usePinAttempts(session);
	useEffect(refreshAttempts, [refreshAttempts, pending]);

	const cancel = (dirty: boolean) => (dirty || pending ? setAsking(true) : onBack());
	const [form, dispatch] = useForm(CONTROLS, {
		submit: 'confirm',
		active: active && !asking && !pending && !done,
		onRequest: (action, current) => {
			if (action === 'cancel') return cancel(current.dirty);
			if (action !== 'confirm') return;
			dispatch({type: 'busy'});
			const value = (name: string) => current.fields[name]!.value;
			portal.startPinChange(session, {currentPin: value('current'), newPin: value('new'), newPinAgain: value('again')}).then(
				started => {
					dispatch({type: 'done', clear: ['current', 'new', 'again']});
					setPending(started);
				},
				(error: unknown) => {
					refreshAttempts();
					dispatch({type: 'done', clear: ['current', 'new', 'again'], focus: 'current', message: {kind: 'error', key: 'errors.unexpected', text: describeError(t, error)}});
				},
			);
		},
	});
	useKeymap([...detailBindings, helpBinding], action => (action === 'back' ? onBack() : help()), active && done !== undefined);

	if (done) {
		return (
			<>
				<GuideNote step="pin.done" />
				<MessageLine kind="success" text={done} />
			</>
		);
	}
	const focused = (name: string) => active && !asking && !pending && CONTROLS[form.focus]?.name === name;
	const shown = form.checks['show'] ?? false;
	return (
		<Box flexDirection="column">
			<StepDialog title={t('pinChange.title')} steps={[t('pinChange.step1'), t('pinChange.step2')]} guides={['pin.pins', 'pin.otp']} current={pending ? 1 : 0}>
				{pending ? (
					<OtpStep
						active={active && !asking}
						challenge={pending.challenge}
						confirmLabel={t('dialog.confirm')}
						onConfirm={async code => {
							await portal.confirmPinChange(session, pending.changeId, code);
							setDone(t('pinChange.done'));
						}}
						onResend={() => portal.resendOtp(session, pending.challenge.id)}
						onPoll={() => portal.challengeState(session, pending.challenge.id)}
						onRestart={message => {
							setPending(undefined);
							dispatch({type: 'message', message: {kind: 'error', key: 'errors.unexpected', text: message}});
						}}
						onCancel={cancel}
					/>
				) : (
					<Box flexDirection="column">
						<Text>{t('pinChange.intro')}</Text>
						<Text wrap="wrap">! {t('pinChange.warning')}</Text>
						<InlineField label={t('pinChange.current')} field={form.fields['current']!} focused={focused('current')} masked={!shown} labelWidth={24} />
						<InlineField label={t('pinChange.new')} field={form.fields['new']!} focused={focused('new')} masked={!shown} labelWidth={24} />
						<InlineField label={t('pinChange.again')} field={form.fields['again']!} focused={focused('again')} masked={!shown} labelWidth={24} />
						<Checkbox label={t('renewal.showPin')} checked={shown} focused={focused('show')} />
						{attemptsLeft === undefined ? null : <Hint>{t('pinChange.attempts', {count: attemptsLeft})}</Hint>}
						<FormButtons focused={focused} confirmLabel={t('dialog.confirm')} />
						{form.message ? <MessageLine kind={form.message.kind} text={form.message.text ?? t(form.message.key, form.message.params)} /> : null}
					</Box>
				)}
			</StepDialog>
			{asking ? <DiscardPrompt onAnswer={discard => (discard ? onBack() : setAsking(false))} /> : null}
		</Box>
	);
}
