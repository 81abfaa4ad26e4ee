import type {ChallengeView} from '../../core/index.js';
import {stay, type Transition} from './flow.js';

/*
 * "PIN di firma" → "Modifica PIN" (seed 003 §6): the three PINs, then the OTP. The core checks
 * the current PIN and the new one at the first step and keeps the change until its OTP.
 */

export type PinChangeStep = {name: 'pins'} | {name: 'otp'; changeId: string; challenge: ChallengeView} | {name: 'done'};

export interface PinChangeFlow {
	readonly step: PinChangeStep;
	/** Why the PINs are asked again (the OTP's challenge was spent): shown on the PIN form. */
	readonly restart?: string;
	/** The core's refusal of this step's last submit. */
	readonly error?: unknown;
	readonly asking: boolean;
}

export interface PinChangeValues {
	current: string;
	new: string;
	again: string;
}

export type PinChangeEvent =
	| {type: 'submitPins'; values: PinChangeValues}
	| {type: 'submitOtp'; code: string}
	| {type: 'restart'; message: string}
	| {type: 'started'; changeId: string; challenge: ChallengeView}
	| {type: 'confirmed'}
	| {type: 'failed'; error: unknown}
	| {type: 'cancel'; dirty: boolean}
	| {type: 'discard'; confirmed: boolean};

export type PinChangeCommand =
	| {kind: 'startPinChange'; input: {currentPin: string; newPin: string; newPinAgain: string}}
	| {kind: 'confirmPinChange'; changeId: string; code: string}
	| {kind: 'close'};

export const startPinChange: PinChangeFlow = {step: {name: 'pins'}, asking: false};

export function pinChangeReducer(flow: PinChangeFlow, event: PinChangeEvent): Transition<PinChangeFlow, PinChangeCommand> {
	const {step} = flow;
	switch (event.type) {
		case 'submitPins':
			if (step.name !== 'pins') return stay(flow);
			return {state: {...flow, error: undefined}, command: {kind: 'startPinChange', input: {currentPin: event.values.current, newPin: event.values.new, newPinAgain: event.values.again}}};
		case 'started':
			return step.name === 'pins' ? {state: {...flow, step: {name: 'otp', changeId: event.changeId, challenge: event.challenge}, restart: undefined, error: undefined}} : stay(flow);
		case 'submitOtp':
			return step.name === 'otp' ? {state: {...flow, error: undefined}, command: {kind: 'confirmPinChange', changeId: step.changeId, code: event.code}} : stay(flow);
		case 'confirmed':
			return step.name === 'otp' ? {state: {...flow, step: {name: 'done'}, error: undefined}} : stay(flow);
		case 'restart':
			// A spent challenge: the PINs again (the change the core kept is gone with it), saying why.
			return step.name === 'otp' ? {state: {...flow, step: {name: 'pins'}, restart: event.message, error: undefined}} : stay(flow);
		case 'failed':
			return {state: {...flow, error: event.error}};
		case 'cancel':
			// Typed PINs, or a change waiting for its OTP: ask first.
			return step.name !== 'done' && (event.dirty || step.name === 'otp') ? {state: {...flow, asking: true}} : {state: flow, command: {kind: 'close'}};
		case 'discard':
			return event.confirmed ? {state: {...flow, asking: false}, command: {kind: 'close'}} : {state: {...flow, asking: false}};
	}
}
