import {isDomainError, type ChallengeView, type PendingRenewal} from '../../core/index.js';
import type {GuideStep} from '../components/guide-note.js';
import type {MessageKey} from '../i18n/index.js';
import {stay, type Transition} from './flow.js';

/*
 * "Rinnova firma" (seeds 000/001) and "Richiedi nuovo certificato" (seed 002): one wizard, two
 * step lists. The core (certificate/renewal.ts) holds the progress of a begun renewal and checks
 * every step; this reducer holds what the dialog needs between steps: the coupon and the RAO
 * approval (sent with the consents), the renewal's id and the open OTP challenge.
 */

export type WizardKind = 'renewal' | 'replacement';

export type RenewalStep =
	| {name: 'coupon'}
	| {name: 'raoCredentials'}
	| {name: 'raoOtp'; operatorId: string; challenge: ChallengeView}
	| {name: 'consents'}
	| {name: 'confirmConsents'; renewalId: string; challenge: ChallengeView}
	| {name: 'choosePin'; renewalId: string}
	| {name: 'security'; renewalId: string}
	| {name: 'confirmActivation'; renewalId: string; challenge: ChallengeView}
	| {name: 'done'; expiresAt: Date; iut: string};

export type RenewalStepName = RenewalStep['name'];

export interface RenewalFlow {
	readonly kind: WizardKind;
	readonly withCoupon: boolean;
	readonly withRao: boolean;
	readonly step: RenewalStep;
	/** Accepted by the core at its step; sent with the consents. */
	readonly coupon?: string;
	/** The RAO operator's OTP-confirmed authorisation; sent with the consents. */
	readonly raoApprovalId?: string;
	/** Why the wizard came back (a spent OTP challenge): shown at the consents until they are accepted. */
	readonly restart?: string;
	/** The core's refusal of this step's last submit: the step stays open and says it. */
	readonly error?: unknown;
	/** Esc after something was entered or begun: "discard?" is open. */
	readonly asking: boolean;
}

/** The forms' values, by field name. */
export interface CouponValues {
	coupon: string;
}
export interface RaoValues {
	operator: string;
	password: string;
}
export interface ConsentValues {
	accept: boolean;
	/** "I dati sono invariati": the new certificate does not ask it (it is issued on the current data). */
	confirm: boolean;
	pin: string;
}
export interface NewPinValues {
	pin: string;
	pinAgain: string;
}
export interface SecurityValues {
	passphrase: string;
	passphraseAgain: string;
	useCf: boolean;
}

export type RenewalEvent =
	| {type: 'resume'; pending: PendingRenewal}
	| {type: 'submitCoupon'; values: CouponValues}
	| {type: 'submitRao'; values: RaoValues}
	| {type: 'submitConsents'; values: ConsentValues}
	| {type: 'submitPin'; values: NewPinValues}
	| {type: 'submitSecurity'; values: SecurityValues}
	/** The code of whichever OTP step is open ("" for an approved push request). */
	| {type: 'submitOtp'; code: string}
	/** The OTP step's challenge is spent (used up, cancelled, denied): start that part again. */
	| {type: 'restart'; message: string}
	// The core's answers.
	| {type: 'couponAccepted'; code: string}
	| {type: 'raoChallenge'; operatorId: string; challenge: ChallengeView}
	| {type: 'raoApproved'; approvalId: string}
	| {type: 'begun'; renewalId: string; challenge: ChallengeView}
	| {type: 'consentsConfirmed'}
	| {type: 'pinChosen'; challenge: ChallengeView | undefined}
	| {type: 'securitySaved'; challenge: ChallengeView}
	| {type: 'activated'; expiresAt: Date; iut: string}
	| {type: 'failed'; error: unknown}
	// The holder.
	| {type: 'cancel'; dirty: boolean}
	| {type: 'discard'; confirmed: boolean}
	| {type: 'home'};

/** How the wizard ended: done (go home), the procedure can no longer go on (say why), or left. */
export type WizardEnd = {kind: 'success'; expiresAt: Date} | {kind: 'error'; error: unknown} | undefined;

export type RenewalCommand =
	| {kind: 'checkCoupon'; code: string}
	| {kind: 'raoAuthorize'; input: {operatorId: string; password: string}}
	| {kind: 'raoConfirm'; input: {operatorId: string; challengeId: string; code: string}}
	| {kind: 'beginRenewal'; input: {acceptConditions: boolean; confirmData: boolean; pin: string; coupon?: string; raoApprovalId?: string}}
	| {kind: 'beginReplacement'; input: {acceptConditions: boolean; pin: string}}
	| {kind: 'confirmRenewalConsents'; renewalId: string; code: string}
	| {kind: 'chooseRenewalPin'; renewalId: string; pin: string; pinAgain: string}
	| {kind: 'replacementSecurityInfo'; renewalId: string; input: {passphrase: string; passphraseAgain: string; useCodiceFiscale: boolean}}
	| {kind: 'activateRenewal'; renewalId: string; code: string}
	| {kind: 'close'; end: WizardEnd};

type Next = Transition<RenewalFlow, RenewalCommand>;

/** Refusals after which the stored renewal is gone: the wizard closes with the reason instead of staying on a dead step. */
const ENDING = new Set(['renewal.windowClosed', 'renewal.notActive', 'renewal.notYet', 'renewal.expired', 'renewal.unknown', 'replacement.notAllowed']);

/** A new wizard: the coupon first, then the RAO operator, then the consents, as chosen. */
export function startRenewal(kind: WizardKind, withCoupon: boolean, withRao: boolean): RenewalFlow {
	const renewal = kind === 'renewal';
	return {kind, withCoupon: renewal && withCoupon, withRao: renewal && withRao, step: firstStep(renewal && withCoupon, renewal && withRao), asking: false};
}

function firstStep(withCoupon: boolean, withRao: boolean): RenewalStep {
	if (withCoupon) return {name: 'coupon'};
	return withRao ? {name: 'raoCredentials'} : {name: 'consents'};
}

/** The step a renewal stored in the core stopped at (the core gives an OTP step its challenge; without it, the consents again). */
export function resumedStep(pending: PendingRenewal): RenewalStep {
	const {renewalId, challenge} = pending;
	if (pending.step === 'choosePin') return {name: 'choosePin', renewalId};
	if (pending.step === 'securityInfo') return {name: 'security', renewalId};
	if (!challenge) return {name: 'consents'};
	return pending.step === 'confirmConsents' ? {name: 'confirmConsents', renewalId, challenge} : {name: 'confirmActivation', renewalId, challenge};
}

/** Past the consents: a renewal is stored in the core, and leaving is asked as "leave the renewal?". */
export function begun(flow: RenewalFlow): boolean {
	return !['coupon', 'raoCredentials', 'raoOtp', 'consents'].includes(flow.step.name);
}

export function renewalReducer(flow: RenewalFlow, event: RenewalEvent): Next {
	const {step} = flow;
	const at = (name: RenewalStepName) => step.name === name;
	const to = (next: RenewalStep, extra: Partial<RenewalFlow> = {}): Next => ({state: {...flow, ...extra, step: next, error: undefined}});
	const call = (command: RenewalCommand): Next => ({state: {...flow, error: undefined}, command});
	switch (event.type) {
		case 'resume':
			// Only a wizard that has not begun anything takes a stored renewal's place.
			if (begun(flow) || event.pending.kind !== flow.kind) return stay(flow);
			return to(resumedStep(event.pending), {withCoupon: event.pending.withCoupon, withRao: event.pending.withRao});
		case 'submitCoupon':
			return at('coupon') ? call({kind: 'checkCoupon', code: event.values.coupon}) : stay(flow);
		case 'couponAccepted':
			// The coupon the core accepted, kept for the consents.
			return at('coupon') ? to(flow.withRao ? {name: 'raoCredentials'} : {name: 'consents'}, {coupon: event.code}) : stay(flow);
		case 'submitRao':
			return at('raoCredentials') ? call({kind: 'raoAuthorize', input: {operatorId: event.values.operator, password: event.values.password}}) : stay(flow);
		case 'raoChallenge':
			return at('raoCredentials') ? to({name: 'raoOtp', operatorId: event.operatorId, challenge: event.challenge}) : stay(flow);
		case 'raoApproved':
			return at('raoOtp') ? to({name: 'consents'}, {raoApprovalId: event.approvalId}) : stay(flow);
		case 'submitConsents':
			return at('consents') ? call(beginCommand(flow, event.values)) : stay(flow);
		case 'begun':
			return at('consents') ? to({name: 'confirmConsents', renewalId: event.renewalId, challenge: event.challenge}, {restart: undefined}) : stay(flow);
		case 'submitOtp':
			return otpCommand(flow, event.code);
		case 'consentsConfirmed':
			return step.name === 'confirmConsents' ? to({name: 'choosePin', renewalId: step.renewalId}) : stay(flow);
		case 'submitPin':
			return step.name === 'choosePin' ? call({kind: 'chooseRenewalPin', renewalId: step.renewalId, pin: event.values.pin, pinAgain: event.values.pinAgain}) : stay(flow);
		case 'pinChosen':
			if (step.name !== 'choosePin') return stay(flow);
			// A new certificate asks the envelope's security information before its last OTP.
			return to(event.challenge ? {name: 'confirmActivation', renewalId: step.renewalId, challenge: event.challenge} : {name: 'security', renewalId: step.renewalId});
		case 'submitSecurity':
			if (step.name !== 'security') return stay(flow);
			return call({kind: 'replacementSecurityInfo', renewalId: step.renewalId, input: {passphrase: event.values.passphrase, passphraseAgain: event.values.passphraseAgain, useCodiceFiscale: event.values.useCf}});
		case 'securitySaved':
			return step.name === 'security' ? to({name: 'confirmActivation', renewalId: step.renewalId, challenge: event.challenge}) : stay(flow);
		case 'activated':
			return at('confirmActivation') ? to({name: 'done', expiresAt: event.expiresAt, iut: event.iut}) : stay(flow);
		case 'failed':
			// Past the consents a refusal that ends the stored renewal closes the wizard with its reason.
			if (begun(flow) && isDomainError(event.error) && ENDING.has(event.error.code)) return {state: flow, command: {kind: 'close', end: {kind: 'error', error: event.error}}};
			return {state: {...flow, error: event.error}};
		case 'restart':
			// The RAO operator's OTP is spent: the operator's credentials again. Any other: the consents again.
			if (at('raoOtp')) return to({name: 'raoCredentials'}, {restart: event.message});
			if (!at('confirmConsents') && !at('confirmActivation')) return stay(flow);
			// Past the consents the RAO approval is spent (one renewal each): the operator again. A
			// resumed wizard has no coupon code (the core keeps its id only): the coupon again.
			return {state: {...flow, raoApprovalId: undefined, restart: event.message, error: undefined, step: firstStep(flow.withCoupon && flow.coupon === undefined, flow.withRao)}};
		case 'cancel': {
			if (at('done')) return {state: flow, command: {kind: 'close', end: success(flow)}};
			const entered = event.dirty || begun(flow) || flow.coupon !== undefined || flow.raoApprovalId !== undefined || at('raoOtp');
			return entered ? {state: {...flow, asking: true}} : {state: flow, command: {kind: 'close', end: undefined}};
		}
		case 'discard':
			return event.confirmed ? {state: {...flow, asking: false}, command: {kind: 'close', end: undefined}} : {state: {...flow, asking: false}};
		case 'home':
			return at('done') ? {state: flow, command: {kind: 'close', end: success(flow)}} : stay(flow);
	}
}

function success(flow: RenewalFlow): WizardEnd {
	return flow.step.name === 'done' ? {kind: 'success', expiresAt: flow.step.expiresAt} : undefined;
}

function beginCommand(flow: RenewalFlow, values: ConsentValues): RenewalCommand {
	if (flow.kind === 'replacement') return {kind: 'beginReplacement', input: {acceptConditions: values.accept, pin: values.pin}};
	return {
		kind: 'beginRenewal',
		input: {
			acceptConditions: values.accept,
			confirmData: values.confirm,
			pin: values.pin,
			...(flow.coupon === undefined ? {} : {coupon: flow.coupon}),
			...(flow.raoApprovalId === undefined ? {} : {raoApprovalId: flow.raoApprovalId}),
		},
	};
}

function otpCommand(flow: RenewalFlow, code: string): Next {
	const {step} = flow;
	const call = (command: RenewalCommand): Next => ({state: {...flow, error: undefined}, command});
	if (step.name === 'raoOtp') return call({kind: 'raoConfirm', input: {operatorId: step.operatorId, challengeId: step.challenge.id, code}});
	if (step.name === 'confirmConsents') return call({kind: 'confirmRenewalConsents', renewalId: step.renewalId, code});
	if (step.name === 'confirmActivation') return call({kind: 'activateRenewal', renewalId: step.renewalId, code});
	return stay(flow);
}

/** One step of the dialog: what it is called ("2 Conferma l'operazione") and the guide's note for it (`--guide`). */
export interface DialogStep {
	name: RenewalStepName;
	label: MessageKey;
	guide: GuideStep;
}

const RENEWAL_STEPS: readonly DialogStep[] = [
	{name: 'coupon', label: 'renewal.stepCoupon', guide: 'renewal.coupon'},
	{name: 'raoCredentials', label: 'renewal.stepRao', guide: 'renewal.rao'},
	{name: 'raoOtp', label: 'renewal.stepRaoOtp', guide: 'renewal.raoOtp'},
	{name: 'consents', label: 'renewal.step1', guide: 'renewal.consents'},
	{name: 'confirmConsents', label: 'renewal.step2', guide: 'renewal.otp'},
	{name: 'choosePin', label: 'renewal.step3', guide: 'renewal.newPin'},
	{name: 'confirmActivation', label: 'renewal.step4', guide: 'renewal.activateOtp'},
];

/** The new certificate has the envelope's security information between the new PIN and the last OTP. */
const REPLACEMENT_STEPS: readonly DialogStep[] = [
	{name: 'consents', label: 'replacement.step1', guide: 'replacement.consents'},
	{name: 'confirmConsents', label: 'replacement.step2', guide: 'replacement.otp'},
	{name: 'choosePin', label: 'replacement.step3', guide: 'replacement.pin'},
	{name: 'security', label: 'replacement.step4', guide: 'replacement.security'},
	{name: 'confirmActivation', label: 'replacement.step5', guide: 'replacement.otpFinal'},
];

/** The dialog's steps, in order: the coupon and the RAO steps only when chosen. */
export function dialogSteps(kind: WizardKind, withCoupon: boolean, withRao: boolean): readonly DialogStep[] {
	if (kind === 'replacement') return REPLACEMENT_STEPS;
	return RENEWAL_STEPS.filter(step => (step.name === 'coupon' ? withCoupon : step.name === 'raoCredentials' || step.name === 'raoOtp' ? withRao : true));
}

/** The position of the open step in `dialogSteps` (the done page is past the last). */
export function openStepIndex(flow: RenewalFlow): number {
	const steps = dialogSteps(flow.kind, flow.withCoupon, flow.withRao);
	const index = steps.findIndex(step => step.name === flow.step.name);
	return index === -1 ? steps.length : index;
}

/** The label of the step a stored renewal resumes at ("Attiva il certificato"), as its dialog numbers it. */
export function resumedStepLabel(pending: PendingRenewal): MessageKey {
	const step = resumedStep(pending).name;
	const entry = dialogSteps(pending.kind, pending.withCoupon, pending.withRao).find(candidate => candidate.name === step);
	return entry?.label ?? (pending.kind === 'replacement' ? 'replacement.step1' : 'renewal.step1');
}
