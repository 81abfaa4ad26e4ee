import {useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import type {ChallengeView} from '../../core/portal.js';
import {useUi} from '../context.js';
import {Button, FocusMarker} from './controls.js';
import type {FieldState} from './text-edit.js';
import {TextInput} from './text-input.js';

/** The OTP field: 8 digits (a paste of all 8 works), "Invia nuovo OTP" for SMS, seconds of validity left. */
export function OtpInput({challenge, field, focused, resendFocused}: {challenge: ChallengeView; field: FieldState; focused: boolean; resendFocused: boolean}) {
	const {t, portal} = useUi();
	const seconds = useSecondsLeft(challenge.expiresAt, portal.clock);
	const hint = {
		sms: () => t('otpInput.sentSms', {phone: challenge.destination ?? ''}),
		email: () => t('otpInput.sentEmail', {email: challenge.destination ?? ''}),
		token: () => t('otpInput.useToken'),
		app: () => t('otpInput.useApp'),
		push: () => t('otpInput.push'),
	}[challenge.channel]();
	return (
		<Box flexDirection="column">
			<Text>
				<FocusMarker focused={focused} />
				<Text bold={focused}>{t('otpInput.label')}</Text>
				{'  '}
				<Text dimColor>{t('otpInput.attempts', {count: challenge.attemptsLeft})}</Text>
			</Text>
			<Box>
				<Box marginLeft={2} borderStyle={focused ? 'bold' : 'single'} width={14} paddingX={1} aria-label={t('otpInput.label')} aria-role="textbox">
					<TextInput field={field} focus={focused} placeholder="________" />
				</Box>
				{challenge.channel === 'sms' || challenge.channel === 'email' ? (
					<Box marginLeft={2} alignItems="center">
						<Button label={t('otpInput.resend')} focused={resendFocused} />
					</Box>
				) : null}
			</Box>
			<Text dimColor wrap="wrap">
				{hint}
				{seconds === undefined || challenge.channel === 'push' ? '' : ' · ' + (seconds > 0 ? t('otpInput.validity', {seconds}) : t('otpInput.expired'))}
			</Text>
		</Box>
	);
}

/** Seconds until `until`, ticking once a second; undefined when there is no deadline. */
function useSecondsLeft(until: Date | null, clock: {now(): Date}): number | undefined {
	const compute = () => (until ? Math.max(0, Math.ceil((until.getTime() - clock.now().getTime()) / 1000)) : undefined);
	const [seconds, setSeconds] = useState(compute);
	useEffect(() => {
		setSeconds(compute());
		if (!until) return;
		const timer = setInterval(() => setSeconds(compute()), 1000);
		return () => clearInterval(timer);
	}, [until?.getTime()]);
	return seconds;
}
