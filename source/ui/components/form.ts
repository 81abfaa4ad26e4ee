import type {Key} from 'ink';
import {describeCharacter, findForbiddenCharacter} from '../../core/index.js';
import type {MessageKey} from '../i18n/index.js';
import {bindingFor, formBindings} from '../keymap.js';
import {editField, emptyField, type FieldState} from './text-edit.js';

/*
 * Forms as reducers. Every key press is an action applied to the latest state, so keys that
 * arrive in one burst (a paste, fast typing over SSH) are never lost or sent to the wrong field.
 * Side effects (submit, resend, help, cancel) are requested by bumping `request`, which the
 * screen's effect turns into a call to the portal.
 */

export type Control =
	/**
	 * `secret: false` declares that what is typed is not a secret (a user ID, a date, a path, an
	 * address): `--show-keys` shows it to the room. Undeclared, a field is a secret: only "•".
	 */
	| {kind: 'text'; name: string; max: number; digitsOnly?: boolean; masked?: boolean; enterMovesOn?: boolean; secret?: boolean}
	| {kind: 'check'; name: string}
	/** One of several options: Space, Enter or ←/→ move to the next (or previous) one. */
	| {kind: 'choice'; name: string; options: number}
	| {kind: 'button'; name: string};

export type MessageKind = 'error' | 'info' | 'success' | 'busy';

export interface FormMessage {
	/** `busy`: the form waits for the portal ("Attendere…"). */
	kind: MessageKind;
	key: MessageKey;
	params?: Record<string, string | number>;
	/** Already translated text (an error described elsewhere); wins over `key`. */
	text?: string;
}

export interface FormRequest {
	/** Increments on every request, so the same request twice is seen twice. */
	sequence: number;
	/** A button name, or "help" / "cancel". */
	action: string;
}

/**
 * A form's state. Declared from a list of controls `as const` (see FormOf), the names are typed:
 * `form.fields.pin` exists, a misspelt name does not compile.
 */
export interface FormState<Field extends string = string, Check extends string = string, Choice extends string = string> {
	fields: Record<Field, FieldState>;
	checks: Record<Check, boolean>;
	/** The chosen option of each choice control. */
	choices: Record<Choice, number>;
	focus: number;
	message: FormMessage | undefined;
	busy: boolean;
	request: FormRequest;
	/** Anything typed or toggled: leaving would lose it. */
	dirty: boolean;
}

/** The names of the controls of one kind in a list of controls. */
type NamesOf<Controls extends readonly Control[], Kind extends Control['kind']> = Extract<Controls[number], {kind: Kind}>['name'];

/** The state of a form made of `Controls`, with their names typed when the list is declared `as const`. */
export type FormOf<Controls extends readonly Control[]> = FormState<NamesOf<Controls, 'text'>, NamesOf<Controls, 'check'>, NamesOf<Controls, 'choice'>>;

export type FormAction =
	| {type: 'key'; input: string; key: Key}
	| {type: 'busy'}
	| {type: 'done'; message?: FormMessage; clear?: readonly string[]; focus?: string}
	| {type: 'message'; message: FormMessage | undefined}
	| {type: 'set'; name: string; value: string}
	| {type: 'choose'; name: string; index: number}
	| {type: 'focus'; name: string};

export function initialForm(controls: readonly Control[], message?: FormMessage): FormState {
	const fields: Record<string, FieldState> = {};
	const checks: Record<string, boolean> = {};
	const choices: Record<string, number> = {};
	for (const control of controls) {
		if (control.kind === 'text') fields[control.name] = emptyField;
		if (control.kind === 'check') checks[control.name] = false;
		if (control.kind === 'choice') choices[control.name] = 0;
	}
	return {fields, checks, choices, focus: 0, message, busy: false, request: {sequence: 0, action: ''}, dirty: false};
}

export function focusedControl(controls: readonly Control[], form: FormState): Control | undefined {
	return controls[form.focus];
}

export function isTyping(controls: readonly Control[], form: FormState): boolean {
	return focusedControl(controls, form)?.kind === 'text';
}

/** The focused control is a text field that has not declared `secret: false`. */
export function isTypingSecret(controls: readonly Control[], form: FormState): boolean {
	const control = focusedControl(controls, form);
	return control?.kind === 'text' && control.secret !== false;
}

export function indexOf(controls: readonly Control[], name: string): number {
	return Math.max(0, controls.findIndex(control => control.name === name));
}

/** The reducer for a form made of `controls`; `submit` names the button Enter triggers from a text field. */
export function formReducer(controls: readonly Control[], submit: string) {
	const request = (form: FormState, action: string): FormState => ({...form, request: {sequence: form.request.sequence + 1, action}});
	return (form: FormState, action: FormAction): FormState => {
		switch (action.type) {
			case 'busy':
				return {...form, busy: true, message: {kind: 'busy', key: 'app.working'}};
			case 'done': {
				const fields = {...form.fields};
				for (const name of action.clear ?? []) fields[name] = emptyField;
				return {...form, busy: false, fields, message: action.message, focus: action.focus ? indexOf(controls, action.focus) : form.focus};
			}
			case 'message':
				return {...form, message: action.message};
			case 'set':
				return {...form, fields: {...form.fields, [action.name]: {value: action.value, cursor: action.value.length}}};
			case 'focus':
				return {...form, focus: indexOf(controls, action.name)};
			case 'choose':
				return {...form, choices: {...form.choices, [action.name]: action.index}, dirty: true};
			case 'key':
				return form.busy ? form : onKey(form, action.input, action.key);
		}
	};

	function onKey(form: FormState, input: string, key: Key): FormState {
		const control = controls[form.focus];
		if (control?.kind === 'choice' && (key.leftArrow || key.rightArrow)) return choose(form, control, key.leftArrow ? -1 : 1);
		const binding = bindingFor(formBindings, input, key);
		switch (binding?.action) {
			case 'next':
				return {...form, focus: (form.focus + 1) % controls.length};
			case 'previous':
				return {...form, focus: (form.focus + controls.length - 1) % controls.length};
			case 'cancel':
				return request(form, 'cancel');
			case 'activate':
				if (control?.kind === 'text') {
					if (control.enterMovesOn) return {...form, focus: form.focus + 1};
					return request(form, submit);
				}
				if (control?.kind === 'check') return toggle(form, control.name);
				if (control?.kind === 'choice') return choose(form, control, 1);
				if (control?.kind === 'button') return request(form, control.name);
				return form;
			case 'toggle':
				if (control?.kind === 'check') return toggle(form, control.name);
				if (control?.kind === 'choice') return choose(form, control, 1);
				break;
		}
		if (control?.kind !== 'text') return input === '?' ? request(form, 'help') : form;
		if (key.ctrl && /^[a-z]$/.test(input) && !EDITING_CONTROL_KEYS.has(input)) {
			// A control character (typed or pasted) is refused, and said so.
			return {...form, message: {kind: 'error', key: 'field.forbiddenCharacter', params: {character: describeCharacter(String.fromCharCode(input.charCodeAt(0) - 96))}}};
		}
		const edited = editField(form.fields[control.name] ?? emptyField, input, key);
		if (!edited) return form;
		const forbidden = findForbiddenCharacter(edited.value);
		if (forbidden !== undefined) return {...form, message: {kind: 'error', key: 'field.forbiddenCharacter', params: {character: describeCharacter(forbidden)}}};
		if (control.digitsOnly && /\D/.test(edited.value)) return {...form, message: {kind: 'error', key: 'field.digitsOnly'}};
		if (edited.value.length > control.max) return {...form, message: {kind: 'error', key: 'field.tooLong', params: {max: control.max}}};
		const previous = form.fields[control.name] ?? emptyField;
		// Moving the caret changes nothing; an edit does, and an error about what was there is old news.
		if (edited.value === previous.value) return {...form, fields: {...form.fields, [control.name]: edited}};
		const message = form.message?.kind === 'error' ? undefined : form.message;
		return {...form, fields: {...form.fields, [control.name]: edited}, dirty: true, message};
	}

	function choose(form: FormState, control: {name: string; options: number}, step: number): FormState {
		const index = ((form.choices[control.name] ?? 0) + step + control.options) % control.options;
		return {...form, choices: {...form.choices, [control.name]: index}, dirty: true};
	}

	function toggle(form: FormState, name: string): FormState {
		return {...form, checks: {...form.checks, [name]: !form.checks[name]}, dirty: true};
	}
}

/** Ctrl keys a text field understands: start and end of line, empty the field, quit. */
const EDITING_CONTROL_KEYS = new Set(['a', 'e', 'u', 'c']);

export {emptyField};
export type {FieldState};
