import {isDomainError, type PasswordContext} from '../../core/index.js';
import type {MessageKey} from '../i18n/index.js';
import {stay, type Transition} from './flow.js';

/*
 * The login screen's links. "Hai dimenticato la password?": User ID → code by SMS → secret
 * answer → new password (always two factors); it ends on the login screen, never logged in.
 * "Ho dimenticato lo User ID": codice fiscale and e-mail → the userID by e-mail. The core
 * answers both the same way whether the data match a holder or not.
 */

export type RecoveryStep =
	| {name: 'identifier'}
	| {name: 'code'; recoveryId: string}
	| {name: 'answer'; recoveryId: string; question: string; context: PasswordContext}
	| {name: 'password'; recoveryId: string; context: PasswordContext};

export interface RecoveryFlow {
	readonly step: RecoveryStep;
	/** The core's refusal of this step's last submit (or of a spent procedure, shown at the User ID). */
	readonly error?: unknown;
	readonly asking: boolean;
}

export interface NewPasswordValues {
	next: string;
	again: string;
}

export type RecoveryEvent =
	| {type: 'submitIdentifier'; identifier: string}
	| {type: 'submitCode'; code: string}
	| {type: 'resend'}
	| {type: 'submitAnswer'; answer: string}
	| {type: 'submitPassword'; values: NewPasswordValues}
	| {type: 'started'; recoveryId: string}
	| {type: 'resent'}
	| {type: 'codeConfirmed'; question: string; context: PasswordContext}
	| {type: 'answered'}
	| {type: 'passwordSet'}
	| {type: 'failed'; error: unknown}
	| {type: 'cancel'}
	| {type: 'discard'; confirmed: boolean};

export type RecoveryCommand =
	| {kind: 'startPasswordRecovery'; identifier: string}
	| {kind: 'resendRecoveryCode'; recoveryId: string}
	| {kind: 'confirmRecoveryCode'; recoveryId: string; code: string}
	| {kind: 'answerRecoveryQuestion'; recoveryId: string; answer: string}
	| {kind: 'setRecoveredPassword'; recoveryId: string; password: string; passwordAgain: string}
	/** Back to the login screen: with the notice it shows, or (left) without. */
	| {kind: 'close'; notice?: MessageKey};

type Next = Transition<RecoveryFlow, RecoveryCommand>;

export const startRecovery: RecoveryFlow = {step: {name: 'identifier'}, asking: false};

export const RECOVERY_STEPS = ['identifier', 'code', 'answer', 'password'] as const satisfies readonly RecoveryStep['name'][];

export function recoveryReducer(flow: RecoveryFlow, event: RecoveryEvent): Next {
	const {step} = flow;
	const call = (command: RecoveryCommand): Next => ({state: {...flow, error: undefined}, command});
	const to = (next: RecoveryStep): Next => ({state: {...flow, step: next, error: undefined}});
	switch (event.type) {
		case 'submitIdentifier':
			return step.name === 'identifier' ? call({kind: 'startPasswordRecovery', identifier: event.identifier}) : stay(flow);
		case 'started':
			return step.name === 'identifier' ? to({name: 'code', recoveryId: event.recoveryId}) : stay(flow);
		case 'resend':
			return step.name === 'code' ? call({kind: 'resendRecoveryCode', recoveryId: step.recoveryId}) : stay(flow);
		case 'resent':
			return stay(flow);
		case 'submitCode':
			return step.name === 'code' ? call({kind: 'confirmRecoveryCode', recoveryId: step.recoveryId, code: event.code}) : stay(flow);
		case 'codeConfirmed':
			// Always the secret question next (a holder without one is refused with what to do).
			return step.name === 'code' ? to({name: 'answer', recoveryId: step.recoveryId, question: event.question, context: event.context}) : stay(flow);
		case 'submitAnswer':
			return step.name === 'answer' ? call({kind: 'answerRecoveryQuestion', recoveryId: step.recoveryId, answer: event.answer}) : stay(flow);
		case 'answered':
			return step.name === 'answer' ? to({name: 'password', recoveryId: step.recoveryId, context: step.context}) : stay(flow);
		case 'submitPassword':
			if (step.name !== 'password') return stay(flow);
			return call({kind: 'setRecoveredPassword', recoveryId: step.recoveryId, password: event.values.next, passwordAgain: event.values.again});
		case 'passwordSet':
			return step.name === 'password' ? {state: flow, command: {kind: 'close', notice: 'recovery.done'}} : stay(flow);
		case 'failed':
			// A spent or expired procedure starts again from the User ID, saying why.
			if (isDomainError(event.error, 'recovery.expired') || isDomainError(event.error, 'otp.cancelled')) return {state: {...flow, step: {name: 'identifier'}, error: event.error}};
			return {state: {...flow, error: event.error}};
		case 'cancel':
			// Past the User ID a code has been sent: leaving asks first.
			return step.name === 'identifier' ? {state: flow, command: {kind: 'close'}} : {state: {...flow, asking: true}};
		case 'discard':
			return event.confirmed ? {state: {...flow, asking: false}, command: {kind: 'close'}} : {state: {...flow, asking: false}};
	}
}

/** "Ho dimenticato lo User ID": one form; the same answer for any data. */
export interface UserIdRecoveryFlow {
	readonly error?: unknown;
	/** A field left empty: nothing is sent. */
	readonly missing: boolean;
}

export interface UserIdValues {
	codiceFiscale: string;
	email: string;
}

export type UserIdRecoveryEvent = {type: 'submit'; values: UserIdValues} | {type: 'sent'} | {type: 'failed'; error: unknown} | {type: 'cancel'};

export type UserIdRecoveryCommand = {kind: 'remindUserId'; codiceFiscale: string; email: string} | {kind: 'close'; notice?: MessageKey};

export const startUserIdRecovery: UserIdRecoveryFlow = {missing: false};

export function userIdRecoveryReducer(flow: UserIdRecoveryFlow, event: UserIdRecoveryEvent): Transition<UserIdRecoveryFlow, UserIdRecoveryCommand> {
	switch (event.type) {
		case 'submit': {
			const {codiceFiscale, email} = event.values;
			if (codiceFiscale.trim() === '' || email.trim() === '') return {state: {missing: true}};
			return {state: {missing: false}, command: {kind: 'remindUserId', codiceFiscale, email}};
		}
		case 'sent':
			return {state: flow, command: {kind: 'close', notice: 'recovery.userIdSent'}};
		case 'failed':
			return {state: {missing: false, error: event.error}};
		case 'cancel':
			return {state: flow, command: {kind: 'close'}};
	}
}
