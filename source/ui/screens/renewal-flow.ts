import type {ChallengeView, PendingRenewal} from '../../core/index.js';
import type {GuideStep} from '../components/guide-note.js';
import type {MessageKey} from '../i18n/index.js';

/*
 * The renewal's and the new certificate's wizard, as pure data: which step is open, the step
 * list the dialog shows, and the state a renewal stored in the core resumes at. The core
 * (certificate/renewal.ts) holds the progress; this only maps it to the dialog.
 */

export type WizardKind = 'renewal' | 'replacement';

export type WizardState =
	| {step: 0}
	| {step: 1 | 3; renewalId: string; challenge: ChallengeView}
	| {step: 2 | 'security'; renewalId: string}
	| {step: 4; expiresAt: Date; iut: string};

/** Before the consents: the coupon, or the RAO operator's credentials and OTP. */
export type PrefixStage = 'coupon' | 'raoCredentials' | 'raoOtp' | undefined;

/** The wizard's state at the step a stored renewal stopped at (the core gives an OTP step its challenge). */
export function resumeState(pending: PendingRenewal): WizardState {
	const {renewalId, challenge} = pending;
	if (pending.step === 'choosePin') return {step: 2, renewalId};
	if (pending.step === 'securityInfo') return {step: 'security', renewalId};
	if (!challenge) return {step: 0};
	return {step: pending.step === 'confirmConsents' ? 1 : 3, renewalId, challenge};
}

/** The dialog's step labels (i18n keys), in order. */
export function stepLabels(kind: WizardKind, withCoupon: boolean, withRao: boolean): MessageKey[] {
	if (kind === 'replacement') return ['replacement.step1', 'replacement.step2', 'replacement.step3', 'replacement.step4', 'replacement.step5'];
	return [
		...(withCoupon ? (['renewal.stepCoupon'] as const) : []),
		...(withRao ? (['renewal.stepRao', 'renewal.stepRaoOtp'] as const) : []),
		'renewal.step1',
		'renewal.step2',
		'renewal.step3',
		'renewal.step4',
	];
}

/** What the guides say at each of those steps (`--guide`). */
export function stepGuides(kind: WizardKind, withCoupon: boolean, withRao: boolean): GuideStep[] {
	if (kind === 'replacement') return ['replacement.consents', 'replacement.otp', 'replacement.pin', 'replacement.security', 'replacement.otpFinal'];
	return [
		...(withCoupon ? (['renewal.coupon'] as const) : []),
		...(withRao ? (['renewal.rao', 'renewal.raoOtp'] as const) : []),
		'renewal.consents',
		'renewal.otp',
		'renewal.newPin',
		'renewal.activateOtp',
	];
}

/** The index in `stepLabels` of the open step. The replacement has the security information between the new PIN and the last OTP. */
export function stepIndex(state: WizardState, kind: WizardKind, withCoupon: boolean, withRao: boolean, stage: PrefixStage): number {
	if (stage === 'coupon' || stage === 'raoCredentials') return 0;
	if (stage === 'raoOtp') return 1;
	const prefix = (withCoupon ? 1 : 0) + (withRao ? 2 : 0);
	if (state.step === 'security') return 3;
	if (kind === 'replacement' && (state.step === 3 || state.step === 4)) return state.step + 1;
	return state.step + prefix;
}
