import {useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import type {ChallengeView} from '../../core/index.js';
import {useDisplay, useUi} from '../context.js';
import {formatTimeWithSeconds} from '../i18n/index.js';
import {Button, FocusMarker, Hint, SpokenField} from './controls.js';
import type {FieldState} from './text-edit.js';
import {TextInput} from './text-input.js';

/** The OTP field: 8 digits (a paste of all 8 works), "Invia nuovo OTP" for SMS, seconds of validity left. */
export function OtpInput({challenge, field, focused, resendFocused}: {challenge: ChallengeView; field: FieldState; focused: boolean; resendFocused: boolean}) {
	const {t, portal, language} = useUi();
	const {motion, screenReader} = useDisplay();
	// Without motion the validity is a time that stays put, not a countdown redrawn every second.
	const seconds = useSecondsLeft(motion ? challenge.expiresAt : null, portal);
	let validity = '';
	if (challenge.channel !== 'push' && challenge.expiresAt) {
		if (!motion) validity = t('otpInput.validUntil', {time: formatTimeWithSeconds(language, challenge.expiresAt)});
		else if (seconds !== undefined) validity = seconds > 0 ? t('otpInput.validity', {seconds}) : t('otpInput.expired');
	}
	const hint = {
		sms: () => t('otpInput.sentSms', {phone: challenge.destination ?? ''}),
		email: () => t('otpInput.sentEmail', {email: challenge.destination ?? ''}),
		token: () => t('otpInput.useToken'),
		app: () => t('otpInput.useApp'),
		push: () => t('otpInput.push'),
	}[challenge.channel]();
	const attempts = t('otpInput.attempts', {count: challenge.attemptsLeft});
	const resend = challenge.channel === 'sms' || challenge.channel === 'email' ? <Button label={t('otpInput.resend')} focused={resendFocused} /> : null;
	if (screenReader) {
		return (
			<Box flexDirection="column">
				<SpokenField label={t('otpInput.label')} field={field} focused={focused} note={attempts} />
				{resend}
				<Text wrap="wrap">
					{hint}
					{validity === '' ? '' : ` · ${validity}`}
				</Text>
			</Box>
		);
	}
	return (
		<Box flexDirection="column">
			<Text>
				<FocusMarker focused={focused} />
				<Text bold={focused}>{t('otpInput.label')}</Text>
				{'  '}
				<Hint>{attempts}</Hint>
			</Text>
			<Box>
				<Box marginLeft={2} borderStyle={focused ? 'bold' : 'single'} width={14} paddingX={1} aria-role="textbox">
					<TextInput field={field} focus={focused} placeholder="________" />
				</Box>
				{resend ? (
					<Box marginLeft={2} alignItems="center">
						{resend}
					</Box>
				) : null}
			</Box>
			<Hint wrap="wrap">
				{hint}
				{validity === '' ? '' : ` · ${validity}`}
			</Hint>
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
