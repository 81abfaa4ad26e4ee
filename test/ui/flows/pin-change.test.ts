import {describe, expect, it} from 'vitest';
import {DomainError} from '../../../source/core/errors.js';
import type {ChallengeView} from '../../../source/core/portal.js';
import {pinChangeReducer, startPinChange, type PinChangeEvent, type PinChangeFlow} from '../../../source/ui/flows/pin-change.js';

const challenge: ChallengeView = {id: 'c1', channel: 'sms', state: 'pending', destination: '+39347*****67', expiresAt: new Date(0), attemptsLeft: 5};
const pins = {current: '12345678', new: '24681357', again: '24681357'};

function run(flow: PinChangeFlow, ...events: PinChangeEvent[]) {
	const commands: unknown[] = [];
	let state = flow;
	for (const event of events) {
		const next = pinChangeReducer(state, event);
		state = next.state;
		if (next.command) commands.push(next.command);
	}
	return {state, commands, last: commands.at(-1)};
}

describe('PIN change', () => {
	it('the three PINs start the change in the core; its OTP confirms it', () => {
		const started = run(startPinChange, {type: 'submitPins', values: pins});
		expect(started.last).toEqual({kind: 'startPinChange', input: {currentPin: '12345678', newPin: '24681357', newPinAgain: '24681357'}});
		const otp = run(started.state, {type: 'started', changeId: 'p1', challenge});
		expect(otp.state.step).toEqual({name: 'otp', changeId: 'p1', challenge});
		const confirmed = run(otp.state, {type: 'submitOtp', code: '123456'});
		expect(confirmed.last).toEqual({kind: 'confirmPinChange', changeId: 'p1', code: '123456'});
		expect(run(confirmed.state, {type: 'confirmed'}).state.step).toEqual({name: 'done'});
	});

	it('a wrong current PIN stays on the PINs with the refusal; the next submit clears it', () => {
		const error = new DomainError('pin.wrong', {attemptsLeft: 2});
		const refused = run(startPinChange, {type: 'submitPins', values: pins}, {type: 'failed', error});
		expect(refused.state).toEqual({step: {name: 'pins'}, asking: false, error});
		expect(run(refused.state, {type: 'submitPins', values: pins}).state.error).toBeUndefined();
	});

	it('a refused OTP stays on the OTP step with the change kept', () => {
		const flow: PinChangeFlow = {step: {name: 'otp', changeId: 'p1', challenge}, asking: false};
		const error = new DomainError('otp.wrong', {attemptsLeft: 4});
		const next = run(flow, {type: 'submitOtp', code: '000000'}, {type: 'failed', error});
		expect(next.state.step).toEqual(flow.step);
		expect(run(next.state, {type: 'submitOtp', code: '111111'}).last).toEqual({kind: 'confirmPinChange', changeId: 'p1', code: '111111'});
	});

	it('a spent challenge asks the PINs again, saying why, until the next change starts', () => {
		const flow: PinChangeFlow = {step: {name: 'otp', changeId: 'p1', challenge}, asking: false};
		const back = run(flow, {type: 'restart', message: 'Troppi tentativi'});
		expect(back.state).toEqual({step: {name: 'pins'}, asking: false, restart: 'Troppi tentativi', error: undefined});
		expect(run(back.state, {type: 'submitPins', values: pins}, {type: 'started', changeId: 'p2', challenge}).state.restart).toBeUndefined();
	});

	it('Esc: leaves at once with nothing typed; asks with PINs typed or an OTP pending; "no" stays', () => {
		expect(run(startPinChange, {type: 'cancel', dirty: false}).last).toEqual({kind: 'close'});
		expect(run(startPinChange, {type: 'cancel', dirty: true}).state.asking).toBe(true);
		const otp: PinChangeFlow = {step: {name: 'otp', changeId: 'p1', challenge}, asking: false};
		const asked = run(otp, {type: 'cancel', dirty: false});
		expect(asked.state.asking).toBe(true);
		expect(asked.commands).toEqual([]);
		expect(run(asked.state, {type: 'discard', confirmed: false}).state).toEqual(otp);
		expect(run(asked.state, {type: 'discard', confirmed: true}).last).toEqual({kind: 'close'});
		// Done: Esc goes back.
		expect(run({step: {name: 'done'}, asking: false}, {type: 'cancel', dirty: false}).last).toEqual({kind: 'close'});
	});

	it('an answer for another step changes nothing', () => {
		expect(run(startPinChange, {type: 'confirmed'}).state).toBe(startPinChange);
		expect(run(startPinChange, {type: 'submitOtp', code: '123456'}).commands).toEqual([]);
	});
});
