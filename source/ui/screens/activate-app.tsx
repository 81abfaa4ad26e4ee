import {useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import type {AppActivation} from '../../core/index.js';
import {Button, Hint, MessageLine} from '../components/controls.js';
import {DiscardPrompt} from '../components/discard-prompt.js';
import {OtpStep} from '../components/otp-step.js';
import {QrCode} from '../components/qr-code.js';
import {StepDialog} from '../components/step-dialog.js';
import {GuideNote} from '../components/guide-note.js';
import {useDisplay, useUi} from '../context.js';
import {useHelp} from '../screen-context.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {useTerminalSize} from '../hooks/use-terminal-size.js';
import {describeError} from '../i18n/index.js';
import {promptBindings, helpBinding} from '../keymap.js';
import type {DialogProps} from './change-phone.js';

/** "Attiva" the MyInfoCert app: scan the QR code (or type the key), then confirm with the first code. */
export function ActivateAppDialog({active, session, onClose}: DialogProps) {
	const {t, portal, guide} = useUi();
	const [activation, setActivation] = useState<AppActivation | undefined>();
	const [error, setError] = useState<string | undefined>();
	const [step, setStep] = useState(0);
	const [asking, setAsking] = useState(false);
	const help = useHelp();
	const {screenReader} = useDisplay();
	const compact = useTerminalSize().rows < 26 && !screenReader;
	const steps = [t('activate.step1'), t('activate.step2')] as const;

	useEffect(() => {
		let current = true;
		portal.otp.startAppActivation(session).then(
			started => current && setActivation(started),
			(caught: unknown) => current && setError(describeError(t, caught)),
		);
		return () => {
			current = false;
		};
	}, [portal, session, t]);

	// Step 1 has no fields: Enter goes on, Esc cancels.
	useKeymap(
		[...promptBindings, helpBinding],
		action => {
			if (action === 'help') help();
			else if (action === 'choose' && activation) setStep(1);
			else if (action === 'keep') onClose();
		},
		active && step === 0 && !asking,
	);

	// The key in groups of four, four groups a line, so it fits beside the QR code.
	const groups = activation?.secret.match(/.{1,4}/g) ?? [];
	const secretLines = [groups.slice(0, 4).join(' '), groups.slice(4).join(' ')].filter(line => line !== '');
	const scan = (withSteps: boolean) =>
		activation ? (
			// Beside the code, its quiet zone is room enough: one more column lets a step's line fit.
			<Box gap={withSteps ? 1 : 2}>
				<QrCode text={activation.uri} label={t('activate.qrLabel')} compact={compact} />
				<Box flexDirection="column" flexShrink={1}>
					{withSteps ? <StepLine number={1} label={steps[0]} state="current" /> : null}
					<Text wrap="wrap">{t('activate.scan')}</Text>
					<Box marginTop={1}>
						<Text wrap="wrap">{t('activate.manual')}</Text>
					</Box>
					{secretLines.map(line => (
						<Text key={line} bold>
							{line}
						</Text>
					))}
					<Box marginTop={1}>
						<Text wrap="wrap">{t('activate.next')}</Text>
					</Box>
					<Button label={t('dialog.confirm')} focused={active && !asking} />
					{/* The QR code fills the height: the guide's note goes in the room beside it. */}
					{guide ? (
						<Box marginTop={1}>
							<GuideNote step="otp.activateQr" inline />
						</Box>
					) : null}
					{withSteps ? <StepLine number={2} label={steps[1]} state="future" /> : null}
				</Box>
			</Box>
		) : null;
	// At 80×24 the code and its quiet zone (light on every side, or it does not scan on a dark
	// terminal) take every row between the header and the footer: the steps go beside it.
	if (compact && step === 0 && activation && !error) {
		return (
			<Box flexDirection="column">
				{scan(true)}
				{asking ? <DiscardPrompt onAnswer={discard => (discard ? onClose() : setAsking(false))} /> : null}
			</Box>
		);
	}
	return (
		<Box flexDirection="column">
			<StepDialog title={t('activate.title')} showTitle={step > 0} steps={steps} guides={[undefined, 'otp.activateCode']} current={step}>
				{error ? <MessageLine kind="error" text={error} /> : null}
				{!activation && !error ? <Text>{t('app.loading')}</Text> : null}
				{step === 0 ? scan(false) : null}
				{activation && step === 1 ? (
					<OtpStep
						active={active && !asking}
						challenge={activation.challenge}
						confirmLabel={t('dialog.confirm')}
						onConfirm={async code => {
							await portal.otp.confirmAppActivation(session, activation.challenge.id, code);
							onClose(t('activate.done'));
						}}
						onResend={() => Promise.resolve(activation.challenge)}
						onRestart={message => {
							setError(message);
							setStep(0);
						}}
						onCancel={() => setAsking(true)}
					/>
				) : null}
			</StepDialog>
			{asking ? <DiscardPrompt onAnswer={discard => (discard ? onClose() : setAsking(false))} /> : null}
		</Box>
	);
}

/** A step's line as StepDialog draws it ("▼ 1 Inquadra il codice QR (in corso)"), for the compact layout. */
function StepLine({number, label, state}: {number: number; label: string; state: 'current' | 'future'}) {
	const {t} = useUi();
	const {highContrast} = useDisplay();
	return (
		<Text bold={state === 'current'} dimColor={!highContrast && state === 'future'}>
			{state === 'current' ? '▼' : '▶'} {number} {label} <Hint>({t(`steps.${state}`)})</Hint>
		</Text>
	);
}
