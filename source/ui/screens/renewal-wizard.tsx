import {useCallback, useEffect, useState} from 'react';
import {Box} from 'ink';
import {type PendingRenewal, type Portal, type Session, toDisplayText} from '../../core/index.js';
import {Button, MessageLine} from '../components/controls.js';
import {DiscardPrompt} from '../components/discard-prompt.js';
import {GuideNote} from '../components/guide-note.js';
import {OtpStep} from '../components/otp-step.js';
import {StepDialog} from '../components/step-dialog.js';
import {useUi} from '../context.js';
import {begun, dialogSteps, openStepIndex, renewalReducer, startRenewal, type RenewalCommand, type RenewalEvent, type RenewalFlow, type WizardEnd, type WizardKind} from '../flows/renewal.js';
import {useFlow} from '../hooks/use-flow.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {describeError, formatDate} from '../i18n/index.js';
import {ConsentsStep, CouponStep, NewPinStep, RaoStep, SecurityStep} from './renewal-steps.js';

/** How the wizard ended: done (go home), or the procedure can no longer go on (say why). */
export type WizardResult = {kind: 'success' | 'error'; text: string};

export interface RenewalWizardProps {
	kind?: WizardKind;
	withCoupon: boolean;
	withRao?: boolean;
	/** A renewal left mid-way, stored in the core: the wizard opens at its step. */
	resume?: PendingRenewal;
	active: boolean;
	session: Session;
	holderName: string;
	expiresAt: Date;
	onClose: (result?: WizardResult) => void;
}

/** The core call a command of the flow names, and its answer as the flow's next event. */
async function runCommand(portal: Portal, session: Session, command: Exclude<RenewalCommand, {kind: 'close'}>): Promise<RenewalEvent> {
	switch (command.kind) {
		case 'checkCoupon':
			await portal.renewal.checkCoupon(session, command.code);
			return {type: 'couponAccepted', code: command.code};
		case 'raoAuthorize':
			return {type: 'raoChallenge', operatorId: command.input.operatorId, challenge: await portal.renewal.raoAuthorize(session, command.input)};
		case 'raoConfirm':
			return {type: 'raoApproved', approvalId: await portal.renewal.raoConfirm(session, command.input)};
		case 'beginRenewal':
			return {type: 'begun', ...(await portal.renewal.begin(session, command.input))};
		case 'beginReplacement':
			return {type: 'begun', ...(await portal.renewal.beginReplacement(session, command.input))};
		case 'confirmRenewalConsents':
			await portal.renewal.confirmConsents(session, command.renewalId, command.code);
			return {type: 'consentsConfirmed'};
		case 'chooseRenewalPin':
			return {type: 'pinChosen', challenge: await portal.renewal.choosePin(session, command.renewalId, command.pin, command.pinAgain)};
		case 'replacementSecurityInfo':
			return {type: 'securitySaved', challenge: await portal.renewal.securityInfo(session, command.renewalId, command.input)};
		case 'activateRenewal':
			return {type: 'activated', ...(await portal.renewal.activate(session, command.renewalId, command.code))};
	}
}

/** "Rinnova firma" (seeds 000/001) and "Richiedi nuovo certificato" (seed 002): the flow's steps, each checked in the core. */
export function RenewalWizard({kind = 'renewal', withCoupon, withRao = false, resume, active, session, holderName, expiresAt, onClose}: RenewalWizardProps) {
	const {t, portal, language} = useUi();
	const [iut, setIut] = useState('');
	useEffect(() => {
		// A session ended meanwhile: the session watch says so; the step's own call would refuse too.
		portal.certificate.currentIut(session).then(setIut, () => undefined);
	}, [portal, session]);
	const replacement = kind === 'replacement';
	const doneText = (date: Date) => (replacement ? t('replacement.done') : t('renewal.done', {date: formatDate(language, date)}));
	const close = (end: WizardEnd) => {
		if (end === undefined) onClose();
		else onClose(end.kind === 'success' ? {kind: 'success', text: doneText(end.expiresAt)} : {kind: 'error', text: describeError(t, end.error)});
	};
	const [flow, send] = useFlow(
		renewalReducer,
		() => {
			const fresh = startRenewal(kind, withCoupon, withRao);
			return resume ? renewalReducer(fresh, {type: 'resume', pending: resume}).state : fresh;
		},
		{
			run: async command => {
				if (command.kind !== 'close') return runCommand(portal, session, command);
				close(command.end);
				return undefined;
			},
			failed: (error): RenewalEvent => ({type: 'failed', error}),
		},
	);
	/** A step's submit: the flow runs its core call; a refusal that keeps the step open is the form's to show. */
	const submit = useCallback(
		async (event: RenewalEvent) => {
			const next: RenewalFlow = await send(event);
			if (next.error !== undefined) throw next.error;
		},
		[send],
	);
	const restart = useCallback((message: string) => void send({type: 'restart', message}), [send]);
	const {step} = flow;

	if (step.name === 'done') {
		return <WizardDone active={active} replacement={replacement} text={doneText(step.expiresAt)} iut={step.iut} onHome={() => void send({type: 'home'})} />;
	}
	// What every step of the dialog gets: keys while no discard prompt is open, and Esc.
	const stepProps = {active: active && !flow.asking, onCancel: (dirty: boolean) => void send({type: 'cancel', dirty})};
	const steps = dialogSteps(flow.kind, flow.withCoupon, flow.withRao);
	return (
		<Box flexDirection="column">
			<StepDialog title={replacement ? t('replacement.title') : t('renewal.title')} steps={steps.map(entry => t(entry.label))} guides={steps.map(entry => entry.guide)} current={openStepIndex(flow)}>
				{step.name === 'coupon' ? <CouponStep {...stepProps} onSubmit={values => submit({type: 'submitCoupon', values})} /> : null}
				{step.name === 'raoCredentials' ? <RaoStep {...stepProps} onSubmit={values => submit({type: 'submitRao', values})} /> : null}
				{step.name === 'consents' ? (
					<ConsentsStep
						{...stepProps}
						holder={session}
						declaration={
							replacement
								? t('replacement.declaration', {name: toDisplayText(holderName, 60)})
								: t('renewal.declaration', {name: toDisplayText(holderName, 60), iut, date: formatDate(language, expiresAt)})
						}
						askDataConfirmation={!replacement}
						restartMessage={flow.restart}
						onSubmit={values => submit({type: 'submitConsents', values})}
					/>
				) : null}
				{step.name === 'raoOtp' || step.name === 'confirmConsents' || step.name === 'confirmActivation' ? (
					<OtpStep
						key={step.name}
						{...stepProps}
						challenge={step.challenge}
						confirmLabel={t('dialog.confirm')}
						onConfirm={code => submit({type: 'submitOtp', code})}
						onResend={() => portal.otp.resend(session, step.challenge.id)}
						{...(step.name === 'raoOtp' ? {} : {onPoll: () => portal.otp.challengeState(session, step.challenge.id)})}
						onRestart={restart}
					/>
				) : null}
				{step.name === 'choosePin' ? (
					<NewPinStep {...stepProps} confirmLabel={replacement ? t('dialog.confirm') : t('renewal.activate')} onSubmit={values => submit({type: 'submitPin', values})} />
				) : null}
				{step.name === 'security' ? <SecurityStep {...stepProps} onSubmit={values => submit({type: 'submitSecurity', values})} /> : null}
			</StepDialog>
			{flow.asking ? <DiscardPrompt question={begun(flow) ? t('renewal.leaveQuestion') : undefined} onAnswer={confirmed => void send({type: 'discard', confirmed})} /> : null}
		</Box>
	);
}

/**
 * The end of both procedures: what was done and the new IUT in full (it changes with the
 * certificate, and suspension needs it with the ERC). No timed return (seed 002 has one): a
 * code the holder must write down does not vanish after a few seconds; Enter goes home.
 */
function WizardDone({active, replacement, text, iut, onHome}: {active: boolean; replacement: boolean; text: string; iut: string; onHome: () => void}) {
	const {t} = useUi();
	useKeymap([{action: 'home' as const, keys: ['enter', 'escape'], keyLabel: 'key.enter', description: 'keys.back', hint: true}], onHome, active);
	return (
		<Box flexDirection="column">
			<GuideNote step={replacement ? 'replacement.done' : 'renewal.done'} />
			<MessageLine kind="success" text={text} />
			<MessageLine kind="info" text={t('renewal.newIut', {iut})} />
			<Box marginTop={1}>
				<Button label={t('renewal.home')} focused={active} />
			</Box>
		</Box>
	);
}
