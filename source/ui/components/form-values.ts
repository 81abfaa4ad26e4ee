import {emptyField, type Control, type FieldState, type FormState} from './form.js';

/*
 * A form's values by field name, typed from its controls: declare the controls `as const
 * satisfies readonly Control[]` and `formValues(CONTROLS, form)` is `{pin: string; show:
 * boolean; …}`, so a misspelt or missing field name is a type error, not `values['pin']!`.
 */

type Named<Controls extends readonly Control[], Kind extends Control['kind']> = Extract<Controls[number], {kind: Kind}>['name'];

export type TextName<Controls extends readonly Control[]> = Named<Controls, 'text'>;

export type FormValues<Controls extends readonly Control[]> = {[Name in Named<Controls, 'text'>]: string} & {[Name in Named<Controls, 'check'>]: boolean};

export function formValues<const Controls extends readonly Control[]>(controls: Controls, form: FormState): FormValues<Controls> {
	const values: Record<string, string | boolean> = {};
	for (const control of controls) {
		if (control.kind === 'text') values[control.name] = form.fields[control.name]?.value ?? '';
		if (control.kind === 'check') values[control.name] = form.checks[control.name] ?? false;
	}
	return values as FormValues<Controls>;
}

/** A text field's state, for rendering it. */
export function fieldOf<const Controls extends readonly Control[]>(_controls: Controls, form: FormState, name: TextName<Controls>): FieldState {
	return form.fields[name] ?? emptyField;
}
