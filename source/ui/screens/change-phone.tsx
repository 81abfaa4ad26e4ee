import {useState} from 'react';
import {Box, Text} from 'ink';
import type {ChallengeView, Session} from '../../core/index.js';
import {FormButtons, Hint, MessageLine, TextField} from '../components/controls.js';
import {DiscardPrompt} from '../components/discard-prompt.js';
import type {Control} from '../components/form.js';
import {OtpStep} from '../components/otp-step.js';
import {StepDialog} from '../components/step-dialog.js';
import {useUi} from '../context.js';
import {useDialogForm} from '../hooks/use-form.js';
import {useSubmit} from '../hooks/use-submit.js';

const NUMBER_CONTROLS = [
	{kind: 'text', name: 'phone', max: 20, secret: false},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'next'},
] as const satisfies readonly Control[];

export interface DialogProps {
	active: boolean;
	session: Session;
	onClose: (result?: string) => void;
}

/** "Modifica numero" (seed 003 §4): the new number, then the OTP sent to the OLD number. */
export function ChangePhoneDialog({active, session, phoneMasked, onClose}: DialogProps & {phoneMasked: string}) {
	const {t, portal} = useUi();
	const [pending, setPending] = useState<{newPhone: string; challenge: ChallengeView} | undefined>();
	const [asking, setAsking] = useState(false);
	const [restartMessage, setRestartMessage] = useState<string | undefined>();
	const cancel = (dirty: boolean) => (dirty || pending ? setAsking(true) : onClose());

	const [form, dispatch] = useDialogForm(NUMBER_CONTROLS, {
		submit: 'next',
		active: active && !asking && !pending,
		onCancel: cancel,
		onAction: (action, current) => {
			if (action !== 'next') return;
			const phone = current.fields.phone.value;
			submit(() => portal.otp.startPhoneChange(session, phone), {
				done: started => {
					setRestartMessage(undefined);
					setPending(started);
				},
				failed: () => ({focus: 'phone'}),
			});
		},
	});
	const {submit} = useSubmit(dispatch);

	const focused = (name: string) => active && !asking && !pending && NUMBER_CONTROLS[form.focus]?.name === name;
	return (
		<Box flexDirection="column">
			<StepDialog title={t('changePhone.title')} steps={[t('changePhone.step1'), t('changePhone.step2')]} guides={['otp.phoneNumber', 'otp.phoneOtp']} current={pending ? 1 : 0}>
				{pending ? (
					<OtpStep
						active={active && !asking}
						challenge={pending.challenge}
						confirmLabel={t('dialog.save')}
						onConfirm={async code => {
							await portal.otp.confirmPhoneChange(session, pending.challenge.id, pending.newPhone, code);
							onClose(t('changePhone.done', {phone: pending.newPhone}));
						}}
						onResend={() => portal.otp.resend(session, pending.challenge.id)}
						onRestart={message => {
							setPending(undefined);
							setRestartMessage(message);
						}}
						onCancel={cancel}
					/>
				) : (
					<Box flexDirection="column">
						<Text wrap="wrap">! {t('changePhone.needOld', {phone: phoneMasked})}</Text>
						<TextField label={t('changePhone.newNumber')} placeholder={t('changePhone.placeholder')} field={form.fields.phone} focused={focused('phone')} width={30} />
						<FormButtons focused={focused} confirmLabel={t('dialog.confirm')} confirm="next" />
						<Hint wrap="wrap">
							! {t('changePhone.warning')}
						</Hint>
						{restartMessage ? <MessageLine kind="error" text={restartMessage} /> : null}
						{form.message ? <MessageLine kind={form.message.kind} text={form.message.text ?? t(form.message.key, form.message.params)} /> : null}
					</Box>
				)}
			</StepDialog>
			{asking ? <DiscardPrompt onAnswer={discard => (discard ? onClose() : setAsking(false))} /> : null}
		</Box>
	);
}
