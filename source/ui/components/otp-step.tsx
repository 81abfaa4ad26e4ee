import {useEffect, useRef, useState} from 'react';
import {Box} from 'ink';
import {isDomainError, type ChallengeView, OTP_DIGITS} from '../../core/index.js';
import {useUi} from '../context.js';
import {useForm} from '../hooks/use-form.js';
import {describeError} from '../i18n/index.js';
import {MessageLine, FormButtons} from './controls.js';
import type {Control} from './form.js';
import {OtpInput} from './otp-input.js';

const SMS_CONTROLS: readonly Control[] = [
	{kind: 'text', name: 'otp', max: 8, digitsOnly: true},
	{kind: 'button', name: 'resend'},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'confirm'},
];
const TOTP_CONTROLS: readonly Control[] = SMS_CONTROLS.filter(control => control.name !== 'resend');

export interface OtpStepProps {
	active: boolean;
	challenge: ChallengeView;
	confirmLabel: string;
	/** Checks the code; throws the portal's errors. */
	onConfirm: (code: string) => Promise<void>;
	onResend: () => Promise<ChallengeView>;
	/** For push requests: the challenge as it is now (the phone may have answered). */
	onPoll?: () => Promise<ChallengeView>;
	/** The operation cannot go on with this challenge (used, cancelled, unknown): start again. */
	onRestart: (message: string) => void;
	onCancel: (dirty: boolean) => void;
	onHelp: () => void;
	onTypingChange?: (typing: boolean) => void;
}

/**
 * "Conferma l'operazione": the OTP step every procedure shares. A wrong or expired code
 * retries this step (seed 004); only a spent challenge sends the user back.
 */
export function OtpStep({active, challenge: initial, confirmLabel, onConfirm, onResend, onPoll, onRestart, onCancel, onHelp, onTypingChange}: OtpStepProps) {
	const {t} = useUi();
	const [challenge, setChallenge] = useState(initial);
	const controls = challenge.channel === 'sms' || challenge.channel === 'email' ? SMS_CONTROLS : TOTP_CONTROLS;

	const [form, dispatch] = useForm(controls, {
		submit: 'confirm',
		active,
		onTypingChange,
		onRequest: (action, current) => {
			if (action === 'help') return onHelp();
			if (action === 'cancel') return onCancel(current.dirty);
			if (action === 'resend') {
				dispatch({type: 'busy'});
				onResend().then(
					view => {
						setChallenge(view);
						dispatch({type: 'done', clear: ['otp'], focus: 'otp', message: {kind: 'info', key: 'otpInput.resent'}});
					},
					(error: unknown) => dispatch({type: 'done', message: {kind: 'error', key: 'errors.unexpected', text: describeError(t, error)}}),
				);
				return;
			}
			const code = current.fields['otp']!.value;
			// Empty or short: say what is wrong, and spend no attempt (the core would not count it either).
			if (code.length !== OTP_DIGITS) return dispatch({type: 'done', focus: 'otp', message: {kind: 'error', key: 'errors.otp.malformed', params: {digits: OTP_DIGITS}}});
			dispatch({type: 'busy'});
			onConfirm(code).then(
				() => dispatch({type: 'done', clear: ['otp']}),
				(error: unknown) => {
					if (isDomainError(error, 'otp.wrong')) {
						setChallenge(view => ({...view, attemptsLeft: Number(error.params['attemptsLeft'])}));
						dispatch({type: 'done', clear: ['otp'], focus: 'otp', message: {kind: 'error', key: 'errors.unexpected', text: describeError(t, error)}});
					} else if (isDomainError(error, 'otp.reused')) {
						// The same step's code again: the next one will do; nothing was counted.
						dispatch({type: 'done', clear: ['otp'], focus: 'otp', message: {kind: 'error', key: 'errors.unexpected', text: describeError(t, error)}});
					} else if (isDomainError(error, 'otp.expired')) {
						dispatch({type: 'done', clear: ['otp'], focus: 'resend', message: {kind: 'error', key: 'errors.unexpected', text: describeError(t, error)}});
					} else if (isDomainError(error) && error.code.startsWith('otp.')) {
						onRestart(describeError(t, error));
					} else {
						dispatch({type: 'done', clear: ['otp'], focus: 'otp', message: {kind: 'error', key: 'errors.unexpected', text: describeError(t, error)}});
					}
				},
			);
		},
	});

	// A push request: wait for the phone's answer (the app's code can still be typed meanwhile).
	const answered = useRef(false);
	useEffect(() => {
		if (challenge.channel !== 'push' || !onPoll) return;
		const timer = setInterval(() => {
			if (answered.current) return;
			onPoll().then(
				view => {
					if (view.state === 'approved' && !answered.current) {
						answered.current = true;
						dispatch({type: 'busy'});
						onConfirm('').then(
							() => dispatch({type: 'done'}),
							(error: unknown) => onRestart(describeError(t, error)),
						);
					} else if (view.state === 'denied' && !answered.current) {
						answered.current = true;
						onRestart(t('errors.otp.denied'));
					}
				},
				() => undefined,
			);
		}, 1000);
		return () => clearInterval(timer);
	}, [challenge.channel, onPoll, onConfirm, onRestart, dispatch, t]);

	const focused = (name: string) => active && controls[form.focus]?.name === name;
	return (
		<Box flexDirection="column">
			<OtpInput challenge={challenge} field={form.fields['otp']!} focused={focused('otp')} resendFocused={focused('resend')} />
			<FormButtons focused={focused} confirmLabel={confirmLabel} />
			{form.message ? <MessageLine kind={form.message.kind} text={form.message.text ?? t(form.message.key, form.message.params)} /> : null}
		</Box>
	);
}
