import {describe, expect, it} from 'vitest';
import {DomainError} from '../../../source/core/errors.js';
import type {ChallengeView, PendingRenewal} from '../../../source/core/portal.js';
import {dialogSteps, openStepIndex, renewalReducer, resumedStepLabel, startRenewal, type RenewalEvent, type RenewalFlow} from '../../../source/ui/flows/renewal.js';

const challenge = (id: string): ChallengeView => ({id, channel: 'sms', state: 'pending', destination: '+39347*****67', expiresAt: new Date(0), attemptsLeft: 5});
const pending = (step: PendingRenewal['step'], extra: Partial<PendingRenewal> = {}): PendingRenewal => ({
	renewalId: 'r1',
	kind: 'renewal',
	step,
	challenge: step === 'confirmConsents' || step === 'confirmActivation' ? challenge('c1') : null,
	withCoupon: false,
	withRao: false,
	startedAt: new Date(0),
	resumableUntil: new Date(0),
	...extra,
});

/** Feeds the events in turn; returns the last transition and every command asked on the way. */
function run(flow: RenewalFlow, ...events: RenewalEvent[]) {
	const commands: unknown[] = [];
	let state = flow;
	for (const event of events) {
		const next = renewalReducer(state, event);
		state = next.state;
		if (next.command) commands.push(next.command);
	}
	return {state, commands, last: commands.at(-1)};
}

const label = (flow: RenewalFlow) => dialogSteps(flow.kind, flow.withCoupon, flow.withRao)[openStepIndex(flow)]?.label;
const consents = {accept: true, confirm: true, pin: '12345678'};

describe('renewal: every step of the standard renewal', () => {
	it('consents → OTP → new PIN → OTP → done, each asking its core call with what was entered and the ids returned', () => {
		let flow = startRenewal('renewal', false, false);
		expect(label(flow)).toBe('renewal.step1');
		let next = run(flow, {type: 'submitConsents', values: consents});
		expect(next.last).toEqual({kind: 'beginRenewal', input: {acceptConditions: true, confirmData: true, pin: '12345678'}});
		flow = run(next.state, {type: 'begun', renewalId: 'r1', challenge: challenge('c1')}).state;
		expect(flow.step).toEqual({name: 'confirmConsents', renewalId: 'r1', challenge: challenge('c1')});
		expect(label(flow)).toBe('renewal.step2');
		next = run(flow, {type: 'submitOtp', code: '123456'});
		expect(next.last).toEqual({kind: 'confirmRenewalConsents', renewalId: 'r1', code: '123456'});
		flow = run(next.state, {type: 'consentsConfirmed'}).state;
		expect(flow.step).toEqual({name: 'choosePin', renewalId: 'r1'});
		next = run(flow, {type: 'submitPin', values: {pin: '24681357', pinAgain: '24681357'}});
		expect(next.last).toEqual({kind: 'chooseRenewalPin', renewalId: 'r1', pin: '24681357', pinAgain: '24681357'});
		flow = run(next.state, {type: 'pinChosen', challenge: challenge('c2')}).state;
		expect(label(flow)).toBe('renewal.step4');
		next = run(flow, {type: 'submitOtp', code: '654321'});
		expect(next.last).toEqual({kind: 'activateRenewal', renewalId: 'r1', code: '654321'});
		const expiresAt = new Date('2030-01-20T00:00:00Z');
		flow = run(next.state, {type: 'activated', expiresAt, iut: '12345678'}).state;
		expect(flow.step).toEqual({name: 'done', expiresAt, iut: '12345678'});
		// "Torna alla homepage": the wizard closes as done.
		expect(run(flow, {type: 'home'}).last).toEqual({kind: 'close', end: {kind: 'success', expiresAt}});
	});

	it('with a coupon: the code is checked first and sent with the consents', () => {
		const flow = startRenewal('renewal', true, false);
		expect(label(flow)).toBe('renewal.stepCoupon');
		const checked = run(flow, {type: 'submitCoupon', values: {coupon: 'RINNOVO-2027'}});
		expect(checked.last).toEqual({kind: 'checkCoupon', code: 'RINNOVO-2027'});
		const next = run(checked.state, {type: 'couponAccepted', code: 'RINNOVO-2027'}, {type: 'submitConsents', values: consents});
		expect(label(next.state)).toBe('renewal.step1');
		expect(openStepIndex(next.state)).toBe(1);
		expect(next.last).toEqual({kind: 'beginRenewal', input: {acceptConditions: true, confirmData: true, pin: '12345678', coupon: 'RINNOVO-2027'}});
	});

	it('with a RAO operator: credentials, the OTP on the operator’s phone, then the approval goes with the consents', () => {
		const flow = startRenewal('renewal', false, true);
		const authorised = run(flow, {type: 'submitRao', values: {operator: 'RAO001', password: 'secret'}});
		expect(authorised.last).toEqual({kind: 'raoAuthorize', input: {operatorId: 'RAO001', password: 'secret'}});
		const otp = run(authorised.state, {type: 'raoChallenge', operatorId: 'RAO001', challenge: challenge('rao')});
		expect(label(otp.state)).toBe('renewal.stepRaoOtp');
		const confirmed = run(otp.state, {type: 'submitOtp', code: '111111'});
		expect(confirmed.last).toEqual({kind: 'raoConfirm', input: {operatorId: 'RAO001', challengeId: 'rao', code: '111111'}});
		const next = run(confirmed.state, {type: 'raoApproved', approvalId: 'a1'}, {type: 'submitConsents', values: consents});
		expect(openStepIndex(next.state)).toBe(2);
		expect(next.last).toEqual({kind: 'beginRenewal', input: {acceptConditions: true, confirmData: true, pin: '12345678', raoApprovalId: 'a1'}});
	});
});

describe('new certificate: five phases, the security information before the last OTP', () => {
	it('asks beginReplacement without the data confirmation, then the passphrase, then the last OTP', () => {
		const flow = startRenewal('replacement', true, true);
		// Neither coupon nor RAO for a new certificate.
		expect(flow.step.name).toBe('consents');
		const begun = run(flow, {type: 'submitConsents', values: {accept: true, confirm: false, pin: '12345678'}});
		expect(begun.last).toEqual({kind: 'beginReplacement', input: {acceptConditions: true, pin: '12345678'}});
		const atPin = run(begun.state, {type: 'begun', renewalId: 'n1', challenge: challenge('c1')}, {type: 'submitOtp', code: '123456'}, {type: 'consentsConfirmed'});
		const security = run(atPin.state, {type: 'submitPin', values: {pin: '11223344', pinAgain: '11223344'}}, {type: 'pinChosen', challenge: undefined});
		expect(label(security.state)).toBe('replacement.step4');
		const saved = run(security.state, {type: 'submitSecurity', values: {passphrase: '', passphraseAgain: '', useCf: true}});
		expect(saved.last).toEqual({kind: 'replacementSecurityInfo', renewalId: 'n1', input: {passphrase: '', passphraseAgain: '', useCodiceFiscale: true}});
		const last = run(saved.state, {type: 'securitySaved', challenge: challenge('c3')});
		expect(label(last.state)).toBe('replacement.step5');
		expect(run(last.state, {type: 'submitOtp', code: '999999'}).last).toEqual({kind: 'activateRenewal', renewalId: 'n1', code: '999999'});
	});
});

describe('refusals', () => {
	const atPin = (): RenewalFlow => ({...startRenewal('renewal', true, false), coupon: 'C', step: {name: 'choosePin', renewalId: 'r1'}});

	it('a refused step stays open with the refusal; what earlier steps kept (coupon, renewal id) stays', () => {
		const refused = new DomainError('pin.mismatch');
		const next = run(atPin(), {type: 'submitPin', values: {pin: '1', pinAgain: '2'}}, {type: 'failed', error: refused});
		expect(next.state.step).toEqual({name: 'choosePin', renewalId: 'r1'});
		expect(next.state.error).toBe(refused);
		expect(next.state.coupon).toBe('C');
		expect(next.commands).toHaveLength(1);
		// The next submit clears it.
		expect(run(next.state, {type: 'submitPin', values: {pin: '1', pinAgain: '1'}}).state.error).toBeUndefined();
	});

	it('at the consents the window’s refusals (the day of expiry, not yet open) stay on the step with their reason', () => {
		for (const code of ['renewal.windowClosed', 'renewal.notYet', 'renewal.tooLate'] as const) {
			const error = new DomainError(code);
			const next = run(startRenewal('renewal', false, false), {type: 'submitConsents', values: consents}, {type: 'failed', error});
			expect(next.state.step.name).toBe('consents');
			expect(next.state.error).toBe(error);
			expect(next.commands).toHaveLength(1);
		}
	});

	it('past the consents a refusal that ends the stored renewal (the window closed at midnight, too old) closes the wizard with it', () => {
		for (const code of ['renewal.windowClosed', 'renewal.expired', 'renewal.unknown', 'replacement.notAllowed'] as const) {
			const error = new DomainError(code);
			expect(run(atPin(), {type: 'failed', error}).last).toEqual({kind: 'close', end: {kind: 'error', error}});
		}
		// Anything else stays on the step.
		expect(run(atPin(), {type: 'failed', error: new Error('disk full')}).last).toBeUndefined();
	});

	it('a spent OTP challenge goes back to the consents saying why, the coupon kept; accepted consents clear the reason', () => {
		const flow: RenewalFlow = {...atPin(), step: {name: 'confirmActivation', renewalId: 'r1', challenge: challenge('c2')}};
		const back = run(flow, {type: 'restart', message: 'Codice annullato'});
		expect(back.state.step.name).toBe('consents');
		expect(back.state.restart).toBe('Codice annullato');
		const again = run(back.state, {type: 'submitConsents', values: consents});
		expect(again.last).toEqual({kind: 'beginRenewal', input: {acceptConditions: true, confirmData: true, pin: '12345678', coupon: 'C'}});
		expect(run(again.state, {type: 'begun', renewalId: 'r2', challenge: challenge('c4')}).state.restart).toBeUndefined();
	});

	it('a resumed coupon renewal whose OTP is spent asks the coupon again (the wizard no longer holds it), never a renewal without it', () => {
		// The core keeps the coupon's id, not its code: a resumed wizard has none to send with the consents.
		const resumed = run(startRenewal('renewal', true, false), {type: 'resume', pending: pending('confirmActivation', {withCoupon: true})}).state;
		const back = run(resumed, {type: 'restart', message: 'Codice annullato'});
		expect(back.state.step).toEqual({name: 'coupon'});
		const again = run(back.state, {type: 'couponAccepted', code: 'RINNOVO-2027'}, {type: 'submitConsents', values: consents});
		expect(again.last).toEqual({kind: 'beginRenewal', input: {acceptConditions: true, confirmData: true, pin: '12345678', coupon: 'RINNOVO-2027'}});
		// Shown at the consents, as for any restart.
		expect(again.state.restart).toBe('Codice annullato');
	});

	it('a RAO renewal whose OTP is spent asks the operator again: the consents spent the approval (one renewal each)', () => {
		const begun: RenewalFlow = {...startRenewal('renewal', false, true), raoApprovalId: 'a1', step: {name: 'confirmConsents', renewalId: 'r1', challenge: challenge('c1')}};
		const back = run(begun, {type: 'restart', message: 'x'});
		expect(back.state.step).toEqual({name: 'raoCredentials'});
		expect(back.state.raoApprovalId).toBeUndefined();
		const resumed = run(startRenewal('renewal', false, true), {type: 'resume', pending: pending('confirmConsents', {withRao: true})}).state;
		expect(run(resumed, {type: 'restart', message: 'x'}).state.step).toEqual({name: 'raoCredentials'});
	});

	it('the RAO operator’s spent OTP asks the operator’s credentials again', () => {
		const flow: RenewalFlow = {...startRenewal('renewal', false, true), step: {name: 'raoOtp', operatorId: 'RAO001', challenge: challenge('rao')}};
		expect(run(flow, {type: 'restart', message: 'x'}).state.step).toEqual({name: 'raoCredentials'});
	});

	it('an answer that does not belong to the open step changes nothing', () => {
		const flow = startRenewal('renewal', false, false);
		expect(run(flow, {type: 'activated', expiresAt: new Date(0), iut: '1'}).state).toBe(flow);
		expect(run(flow, {type: 'submitOtp', code: '123456'}).commands).toEqual([]);
	});
});

describe('Esc and the discard prompt', () => {
	it('nothing entered: closes at once; typed or begun: asks, and "no" stays where it was', () => {
		const fresh = startRenewal('renewal', false, false);
		expect(run(fresh, {type: 'cancel', dirty: false}).last).toEqual({kind: 'close', end: undefined});
		expect(run(fresh, {type: 'cancel', dirty: true}).state.asking).toBe(true);
		const begun: RenewalFlow = {...fresh, step: {name: 'choosePin', renewalId: 'r1'}};
		const asked = run(begun, {type: 'cancel', dirty: false});
		expect(asked.state.asking).toBe(true);
		expect(asked.commands).toEqual([]);
		expect(run(asked.state, {type: 'discard', confirmed: false}).state).toEqual({...begun, asking: false});
		expect(run(asked.state, {type: 'discard', confirmed: true}).last).toEqual({kind: 'close', end: undefined});
	});

	it('an accepted coupon is something to lose: Esc asks', () => {
		const flow = run(startRenewal('renewal', true, false), {type: 'couponAccepted', code: 'C'}).state;
		expect(run(flow, {type: 'cancel', dirty: false}).state.asking).toBe(true);
	});
});

describe('resume ("Riprendi il rinnovo") at the saved step', () => {
	it('opens the stored step with its challenge, and the step names follow the coupon and RAO steps', () => {
		const resume = (entry: PendingRenewal) => run(startRenewal(entry.kind, entry.withCoupon, entry.withRao), {type: 'resume', pending: entry}).state;
		expect(resume(pending('confirmConsents')).step).toEqual({name: 'confirmConsents', renewalId: 'r1', challenge: challenge('c1')});
		expect(label(resume(pending('choosePin')))).toBe('renewal.step3');
		expect(openStepIndex(resume(pending('choosePin', {withCoupon: true})))).toBe(3);
		expect(openStepIndex(resume(pending('confirmActivation', {withRao: true})))).toBe(5);
		expect(label(resume(pending('securityInfo', {kind: 'replacement'})))).toBe('replacement.step4');
		// The core holds the renewal: the OTP goes to it.
		expect(run(resume(pending('confirmActivation')), {type: 'submitOtp', code: '123456'}).last).toEqual({kind: 'activateRenewal', renewalId: 'r1', code: '123456'});
	});

	it('the "Riprendi" text names the step; an OTP step without its challenge starts again from the consents', () => {
		expect(resumedStepLabel(pending('choosePin'))).toBe('renewal.step3');
		expect(resumedStepLabel(pending('confirmActivation', {withRao: true}))).toBe('renewal.step4');
		expect(resumedStepLabel(pending('confirmActivation', {kind: 'replacement'}))).toBe('replacement.step5');
		const flow = run(startRenewal('renewal', false, false), {type: 'resume', pending: pending('confirmActivation', {challenge: null})}).state;
		expect(flow.step).toEqual({name: 'consents'});
	});

	it('a wizard already begun is not replaced by a stored renewal', () => {
		const flow: RenewalFlow = {...startRenewal('renewal', false, false), step: {name: 'choosePin', renewalId: 'mine'}};
		expect(run(flow, {type: 'resume', pending: pending('confirmActivation')}).state).toBe(flow);
	});
});
