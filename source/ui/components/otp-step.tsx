import {useEffect, useRef, useState} from 'react';
import {Box} from 'ink';
import {isDomainError, type ChallengeView, OTP_DIGITS} from '../../core/index.js';
import {useUi} from '../context.js';
import {useForm} from '../hooks/use-form.js';
import {useSubmit} from '../hooks/use-submit.js';
import {MessageLine, FormButtons} from './controls.js';
import type {Control} from './form.js';
import {OtpInput} from './otp-input.js';

const SMS_CONTROLS = [
	{kind: 'text', name: 'otp', max: 8, digitsOnly: true},
	{kind: 'button', name: 'resend'},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'confirm'},
] as const satisfies readonly Control[];
const TOTP_CONTROLS = SMS_CONTROLS.filter(control => control.name !== 'resend');

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
}

/**
 * "Conferma l'operazione": the OTP step every procedure shares. A wrong or expired code
 * retries this step (seed 004); only a spent challenge sends the user back.
 */
export function OtpStep({active, challenge: initial, confirmLabel, onConfirm, onResend, onPoll, onRestart, onCancel}: OtpStepProps) {
	const {t} = useUi();
	const [challenge, setChallenge] = useState(initial);
	const controls = challenge.channel === 'sms' || challenge.channel === 'email' ? SMS_CONTROLS : TOTP_CONTROLS;

	const [form, dispatch] = useForm(controls, {
		submit: 'confirm',
		active,
		onRequest: (action, current) => {
			if (action === 'cancel') return onCancel(current.dirty);
			if (action === 'resend') {
				submit(onResend, {
					done: view => {
						setChallenge(view);
						return {clear: ['otp'], focus: 'otp', message: {kind: 'info', key: 'otpInput.resent'}};
					},
				});
				return;
			}
			const code = current.fields.otp.value;
			// Empty or short: say what is wrong, and spend no attempt (the core would not count it either).
			if (code.length !== OTP_DIGITS) return dispatch({type: 'done', focus: 'otp', message: {kind: 'error', key: 'errors.otp.malformed', params: {digits: OTP_DIGITS}}});
			submit(() => onConfirm(code), {
				done: () => ({clear: ['otp']}),
				failed: (error, message) => {
					if (isDomainError(error, 'otp.wrong')) setChallenge(view => ({...view, attemptsLeft: Number(error.params['attemptsLeft'])}));
					// A spent challenge (used, cancelled, unknown): the operation starts again.
					else if (isDomainError(error) && error.code.startsWith('otp.') && !isDomainError(error, 'otp.reused') && !isDomainError(error, 'otp.expired')) onRestart(message.text);
					// An expired code: "Invia di nuovo" is next. A reused one: the next code will do; nothing was counted.
					return {clear: ['otp'], focus: isDomainError(error, 'otp.expired') ? 'resend' : 'otp'};
				},
			});
		},
	});
	const {submit} = useSubmit(dispatch);

	// A push request: wait for the phone's answer (the app's code can still be typed meanwhile).
	// The callbacks are read through a ref: a parent passing new functions on each render must not
	// restart the one-second timer (renders more often than that would keep it from ever firing).
	const answered = useRef(false);
	const latest = useRef({onPoll, onConfirm, onRestart, submit, t});
	latest.current = {onPoll, onConfirm, onRestart, submit, t};
	const polls = challenge.channel === 'push' && onPoll !== undefined;
	useEffect(() => {
		if (!polls) return;
		let asking = false;
		const timer = setInterval(() => {
			const {onPoll: poll} = latest.current;
			if (answered.current || asking || !poll) return;
			asking = true;
			poll()
				.then(
					view => {
						if (answered.current) return;
						const {onConfirm: confirm, onRestart: restart, submit: send, t: translate} = latest.current;
						if (view.state === 'approved') answered.current = send(() => confirm(''), {failed: (_, message) => void restart(message.text)});
						else if (view.state === 'denied') {
							answered.current = true;
							restart(translate('errors.otp.denied'));
						}
					},
					() => undefined,
				)
				.finally(() => (asking = false));
		}, 1000);
		return () => clearInterval(timer);
	}, [polls]);

	const focused = (name: string) => active && controls[form.focus]?.name === name;
	return (
		<Box flexDirection="column">
			<OtpInput challenge={challenge} field={form.fields.otp} focused={focused('otp')} resendFocused={focused('resend')} />
			<FormButtons focused={focused} confirmLabel={confirmLabel} />
			{form.message ? <MessageLine kind={form.message.kind} text={form.message.text ?? t(form.message.key, form.message.params)} /> : null}
		</Box>
	);
}
