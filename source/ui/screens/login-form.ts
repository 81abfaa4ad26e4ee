import type {Key} from 'ink';
import {MAX_IDENTIFIER_LENGTH, MAX_PASSWORD_LENGTH} from '../../core/auth/login.js';
import {describeCharacter, findForbiddenCharacter} from '../../core/text/sanitize.js';
import {editField, emptyField, type FieldState} from '../components/text-edit.js';
import type {MessageKey} from '../i18n/index.js';
import {bindingFor, loginBindings} from '../keymap.js';

/*
 * The login form as a reducer: every key press is an action applied to the latest state, so
 * keys that arrive in one burst (paste, fast typing over SSH) are never lost or misrouted.
 */

export const IDENTIFIER = 0;
export const PASSWORD = 1;
export const SHOW = 2;
export const SUBMIT = 3;
const FIELD_COUNT = 4;

export interface LoginMessage {
	kind: 'error' | 'info';
	key: MessageKey;
	params?: Record<string, string | number>;
	/** Already translated text (an error described elsewhere); wins over `key`. */
	text?: string;
}

export interface LoginForm {
	identifier: FieldState;
	password: FieldState;
	showPassword: boolean;
	focus: number;
	attemptsLeft: number;
	message: LoginMessage | undefined;
	busy: boolean;
	/** Incremented to ask the screen to run a login (a side effect the reducer cannot run). */
	submitRequest: number;
	/** Incremented to ask for the help overlay. */
	helpRequest: number;
}

export type LoginFormAction =
	| {type: 'key'; input: string; key: Key}
	| {type: 'started'}
	| {type: 'failed'; attemptsLeft: number; message: LoginMessage}
	| {type: 'finished'};

export function initialLoginForm(maxAttempts: number, notice?: MessageKey): LoginForm {
	return {
		identifier: emptyField,
		password: emptyField,
		showPassword: false,
		focus: IDENTIFIER,
		attemptsLeft: maxAttempts,
		message: notice ? {kind: 'info', key: notice} : undefined,
		busy: false,
		submitRequest: 0,
		helpRequest: 0,
	};
}

export function isTyping(form: LoginForm): boolean {
	return form.focus === IDENTIFIER || form.focus === PASSWORD;
}

export function reduceLoginForm(form: LoginForm, action: LoginFormAction): LoginForm {
	switch (action.type) {
		case 'started':
			return {...form, busy: true, message: {kind: 'info', key: 'app.working'}};
		case 'failed':
			// The user name stays; the password is emptied and focused (as on the portal).
			return {...form, busy: false, password: emptyField, focus: PASSWORD, attemptsLeft: action.attemptsLeft, message: action.message};
		case 'finished':
			return {...form, busy: false, password: emptyField};
		case 'key':
			return form.busy ? form : onKey(form, action.input, action.key);
	}
}

function onKey(form: LoginForm, input: string, key: Key): LoginForm {
	const binding = bindingFor(loginBindings, input, key);
	switch (binding?.action) {
		case 'next':
			return {...form, focus: (form.focus + 1) % FIELD_COUNT};
		case 'previous':
			return {...form, focus: (form.focus + FIELD_COUNT - 1) % FIELD_COUNT};
		case 'submit':
			if (form.focus === IDENTIFIER) return {...form, focus: PASSWORD};
			if (form.focus === SHOW) return {...form, showPassword: !form.showPassword};
			return requestSubmit(form);
		case 'toggle':
			if (form.focus === SHOW) return {...form, showPassword: !form.showPassword};
			break;
	}
	if (!isTyping(form)) return input === '?' ? {...form, helpRequest: form.helpRequest + 1} : form;
	const name = form.focus === IDENTIFIER ? 'identifier' : 'password';
	const edited = editField(form[name], input, key);
	if (!edited) return form;
	const forbidden = findForbiddenCharacter(edited.value);
	if (forbidden !== undefined) return {...form, message: {kind: 'error', key: 'field.forbiddenCharacter', params: {character: describeCharacter(forbidden)}}};
	const max = name === 'identifier' ? MAX_IDENTIFIER_LENGTH : MAX_PASSWORD_LENGTH;
	if (edited.value.length > max) return {...form, message: {kind: 'error', key: 'field.tooLong', params: {max}}};
	return {...form, [name]: edited};
}

function requestSubmit(form: LoginForm): LoginForm {
	if (form.identifier.value.trim() === '' || form.password.value === '') {
		return {...form, focus: form.identifier.value.trim() === '' ? IDENTIFIER : PASSWORD, message: {kind: 'error', key: 'login.missingFields'}};
	}
	return {...form, submitRequest: form.submitRequest + 1};
}
