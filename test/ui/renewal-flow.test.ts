import {describe, expect, it} from 'vitest';
import type {ChallengeView, PendingRenewal} from '../../source/core/portal.js';
import {resumeState, stepIndex, stepLabels} from '../../source/ui/screens/renewal-flow.js';

const challenge: ChallengeView = {id: 'c1', channel: 'sms', state: 'pending', destination: '+39347*****67', expiresAt: new Date(), attemptsLeft: 5};
const pending = (step: PendingRenewal['step'], extra: Partial<PendingRenewal> = {}): PendingRenewal => ({
	renewalId: 'r1',
	kind: 'renewal',
	step,
	challenge: step === 'confirmConsents' || step === 'confirmActivation' ? challenge : null,
	withCoupon: false,
	withRao: false,
	startedAt: new Date(),
	resumableUntil: new Date(),
	...extra,
});
/** The label of the step a stored renewal resumes at, as the dialog shows it. */
const resumedAt = (entry: PendingRenewal) => stepLabels(entry.kind, entry.withCoupon, entry.withRao)[stepIndex(resumeState(entry), entry.kind, entry.withCoupon, entry.withRao, undefined)];

describe('the renewal wizard resumes a stored renewal at its step', () => {
	it('renewal: 2 Conferma (same challenge), 3 Attiva il certificato, 4 Conferma', () => {
		expect(resumeState(pending('confirmConsents'))).toEqual({step: 1, renewalId: 'r1', challenge});
		expect(resumeState(pending('choosePin'))).toEqual({step: 2, renewalId: 'r1'});
		expect(resumeState(pending('confirmActivation'))).toEqual({step: 3, renewalId: 'r1', challenge});
		expect(resumedAt(pending('choosePin'))).toBe('renewal.step3');
		expect(stepIndex(resumeState(pending('choosePin')), 'renewal', false, false, undefined)).toBe(2);
	});

	it('after a coupon or a RAO authorisation the numbering keeps those steps', () => {
		expect(stepIndex(resumeState(pending('choosePin', {withCoupon: true})), 'renewal', true, false, undefined)).toBe(3);
		expect(stepIndex(resumeState(pending('confirmActivation', {withRao: true})), 'renewal', false, true, undefined)).toBe(5);
		expect(resumedAt(pending('confirmActivation', {withRao: true}))).toBe('renewal.step4');
	});

	it('new certificate: the security information is phase 4, the last OTP phase 5', () => {
		const replacement = (step: PendingRenewal['step']) => pending(step, {kind: 'replacement'});
		expect(resumedAt(replacement('choosePin'))).toBe('replacement.step3');
		expect(resumedAt(replacement('securityInfo'))).toBe('replacement.step4');
		expect(resumedAt(replacement('confirmActivation'))).toBe('replacement.step5');
	});

	it('an OTP step without its challenge starts again from the consents', () => {
		expect(resumeState(pending('confirmActivation', {challenge: null}))).toEqual({step: 0});
	});
});
