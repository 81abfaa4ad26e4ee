import {useEffect, useState} from 'react';
import {Box} from 'ink';
import {isDomainError} from '../../core/errors.js';
import type {ChallengeView, PendingRenewal, Session} from '../../core/portal.js';
import {toDisplayText} from '../../core/text/sanitize.js';
import {Button, MessageLine} from '../components/controls.js';
import {DiscardPrompt} from '../components/discard-prompt.js';
import {GuideNote} from '../components/guide-note.js';
import {OtpStep} from '../components/otp-step.js';
import {StepDialog} from '../components/step-dialog.js';
import {useUi} from '../context.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {describeError, formatDate} from '../i18n/index.js';
import {resumeState, stepGuides, stepIndex, stepLabels, type WizardKind, type WizardState} from './renewal-flow.js';
import {ConsentsStep, CouponStep, NewPinStep, RaoStep, SecurityStep} from './renewal-steps.js';

/** How the wizard ended: done (go home), or the procedure can no longer go on (say why). */
export type WizardResult = {kind: 'success' | 'error'; text: string};

/** Refusals after which the stored renewal is gone: the wizard closes with the reason instead of staying on a dead step. */
const ENDING = new Set(['renewal.windowClosed', 'renewal.notActive', 'renewal.notYet', 'renewal.expired', 'renewal.unknown', 'replacement.notAllowed']);

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

/** "Rinnova firma" (seeds 000/001) and "Richiedi nuovo certificato" (seed 002): the steps, each checked in the core. */
export function RenewalWizard({kind = 'renewal', withCoupon, withRao = false, resume, active, session, holderName, expiresAt, onClose}: RenewalWizardProps) {
	const {t, portal, language} = useUi();
	const [state, setState] = useState<WizardState>(() => (resume ? resumeState(resume) : {step: 0}));
	const [asking, setAsking] = useState(false);
	const [restart, setRestart] = useState<string | undefined>();
	const [iut, setIut] = useState('');
	useEffect(() => {
		void portal.currentIut(session).then(setIut);
	}, [portal, session]);

	const [coupon, setCoupon] = useState<string | undefined>();
	// RAO: the operator's credentials, then the OTP on the operator's phone, before the consents.
	const [rao, setRao] = useState<{operatorId: string; challenge: ChallengeView} | {approvalId: string} | undefined>();
	// Once the consents are given (or resumed after them), the coupon and RAO steps are behind.
	const begun = state.step !== 0;
	const stage = begun ? undefined : withCoupon && coupon === undefined ? 'coupon' : !withRao ? undefined : rao === undefined ? 'raoCredentials' : 'challenge' in rao ? 'raoOtp' : undefined;
	const cancel = (dirty: boolean) => (dirty || begun || coupon !== undefined || rao !== undefined ? setAsking(true) : onClose());
	const replacement = kind === 'replacement';
	// What every step of the dialog gets: keys while no discard prompt is open, Esc, help, typing.
	const stepProps = {active: active && !asking, onCancel: cancel};
	const restartWith = (text: string) => {
		setRestart(text);
		setState({step: 0});
	};
	/** A step's core call; a refusal that ends the stored renewal closes the wizard with its reason. */
	const run = async (call: () => Promise<void>) => {
		try {
			await call();
		} catch (error) {
			if (isDomainError(error) && ENDING.has(error.code)) onClose({kind: 'error', text: describeError(t, error)});
			else throw error;
		}
	};

	if (state.step === 4) {
		const done = {kind: 'success', text: replacement ? t('replacement.done') : t('renewal.done', {date: formatDate(language, state.expiresAt)})} as const;
		return <WizardDone active={active} replacement={replacement} text={done.text} iut={state.iut} onHome={() => onClose(done)} />;
	}
	return (
		<Box flexDirection="column">
			<StepDialog
				title={replacement ? t('replacement.title') : t('renewal.title')}
				steps={stepLabels(kind, withCoupon, withRao).map(key => t(key))}
				guides={stepGuides(kind, withCoupon, withRao)}
				current={stepIndex(state, kind, withCoupon, withRao, stage)}
			>
				{stage === 'coupon' ? (
					<CouponStep
						{...stepProps}
						onSubmit={async code => {
							await portal.checkCoupon(session, code);
							setCoupon(code);
						}}
					/>
				) : null}
				{stage === 'raoCredentials' ? (
					<RaoStep
						{...stepProps}
						onSubmit={async input => {
							const challenge = await portal.raoAuthorize(session, input);
							setRao({operatorId: input.operatorId, challenge});
						}}
					/>
				) : null}
				{stage === 'raoOtp' && rao && 'challenge' in rao ? (
					<OtpStep
						{...stepProps}
						challenge={rao.challenge}
						confirmLabel={t('dialog.confirm')}
						onConfirm={async code => setRao({approvalId: await portal.raoConfirm(session, {operatorId: rao.operatorId, challengeId: rao.challenge.id, code})})}
						onResend={() => portal.resendOtp(session, rao.challenge.id)}
						onRestart={message => {
							setRao(undefined);
							setRestart(message);
						}}
					/>
				) : null}
				{stage === undefined && state.step === 0 ? (
					<ConsentsStep
						holder={session}
						active={active && !asking}
						declaration={
							replacement
								? t('replacement.declaration', {name: toDisplayText(holderName, 60)})
								: t('renewal.declaration', {name: toDisplayText(holderName, 60), iut, date: formatDate(language, expiresAt)})
						}
						askDataConfirmation={!replacement}
						restartMessage={restart}
						onCancel={cancel}
						onSubmit={async input => {
							const started = replacement
								? await portal.beginReplacement(session, {acceptConditions: input.acceptConditions, pin: input.pin})
								: await portal.beginRenewal(session, {
										...input,
										...(coupon === undefined ? {} : {coupon}),
										...(rao && 'approvalId' in rao ? {raoApprovalId: rao.approvalId} : {}),
									});
							setRestart(undefined);
							setState({step: 1, renewalId: started.renewalId, challenge: started.challenge});
						}}
					/>
				) : null}
				{state.step === 1 || state.step === 3 ? (
					<OtpStep
						key={state.step}
						{...stepProps}
						challenge={state.challenge}
						confirmLabel={t('dialog.confirm')}
						onConfirm={code =>
							run(async () => {
								if (state.step === 1) {
									await portal.confirmRenewalConsents(session, state.renewalId, code);
									setState({step: 2, renewalId: state.renewalId});
								} else {
									const done = await portal.activateRenewal(session, state.renewalId, code);
									setState({step: 4, expiresAt: done.expiresAt, iut: done.iut});
								}
							})
						}
						onResend={() => portal.resendOtp(session, state.challenge.id)}
						onPoll={() => portal.challengeState(session, state.challenge.id)}
						onRestart={restartWith}
					/>
				) : null}
				{state.step === 2 ? (
					<NewPinStep
						{...stepProps}
						confirmLabel={replacement ? t('dialog.confirm') : t('renewal.activate')}
						onSubmit={(pin, pinAgain) =>
							run(async () => {
								const challenge = await portal.chooseRenewalPin(session, state.renewalId, pin, pinAgain);
								setState(challenge ? {step: 3, renewalId: state.renewalId, challenge} : {step: 'security', renewalId: state.renewalId});
							})
						}
					/>
				) : null}
				{state.step === 'security' ? (
					<SecurityStep
						{...stepProps}
						onSubmit={input =>
							run(async () => {
								const challenge = await portal.replacementSecurityInfo(session, state.renewalId, input);
								setState({step: 3, renewalId: state.renewalId, challenge});
							})
						}
					/>
				) : null}
			</StepDialog>
			{asking ? <DiscardPrompt question={begun ? t('renewal.leaveQuestion') : undefined} onAnswer={discard => (discard ? onClose() : setAsking(false))} /> : null}
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
