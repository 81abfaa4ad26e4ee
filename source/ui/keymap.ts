import type {Key} from 'ink';
import type {MessageKey} from './i18n/index.js';

/*
 * One key map drives both input handling and the footer/help: each binding names the keys,
 * the action they trigger and the words that describe it.
 */

export type KeyName = 'tab' | 'shiftTab' | 'enter' | 'space' | 'escape' | 'up' | 'down' | 'left' | 'right' | 'pageUp' | 'pageDown' | 'ctrlC' | 'digit' | `char:${string}`;

export interface Binding<Action extends string = string> {
	action: Action;
	keys: readonly KeyName[];
	/** The key as the footer shows it, and what it does. */
	keyLabel: MessageKey | `literal:${string}`;
	description: MessageKey;
	/** Shown in the footer (all bindings are shown in help). */
	hint?: boolean;
}

export function matches(name: KeyName, input: string, key: Key): boolean {
	switch (name) {
		case 'tab':
			return key.tab && !key.shift;
		case 'shiftTab':
			return key.tab && key.shift;
		case 'enter':
			return key.return;
		case 'space':
			return input === ' ' && !key.ctrl && !key.meta;
		case 'escape':
			return key.escape;
		case 'up':
			return key.upArrow;
		case 'down':
			return key.downArrow;
		case 'left':
			return key.leftArrow;
		case 'right':
			return key.rightArrow;
		case 'pageUp':
			return key.pageUp;
		case 'pageDown':
			return key.pageDown;
		case 'ctrlC':
			return key.ctrl && input === 'c';
		case 'digit':
			return /^[1-9]$/.test(input) && !key.ctrl && !key.meta;
		default:
			return !key.ctrl && !key.meta && input === name.slice('char:'.length);
	}
}

/** The first binding a key press triggers. */
export function bindingFor<Action extends string>(bindings: readonly Binding<Action>[], input: string, key: Key): Binding<Action> | undefined {
	return bindings.find(binding => binding.keys.some(name => matches(name, input, key)));
}

/** `?` where no text field has focus. */
export const helpBinding: Binding<'help'> = {action: 'help', keys: ['char:?'], keyLabel: 'literal:?', description: 'keys.help'};

export const globalBindings: readonly Binding<'quit' | 'help'>[] = [
	{action: 'quit', keys: ['ctrlC'], keyLabel: 'key.ctrlC', description: 'keys.quit', hint: true},
	{action: 'help', keys: ['char:?'], keyLabel: 'literal:?', description: 'keys.help', hint: true},
];

/** Every form: fields, check boxes and buttons. */
export const formBindings: readonly Binding<'next' | 'previous' | 'activate' | 'toggle' | 'cancel'>[] = [
	{action: 'next', keys: ['tab', 'down'], keyLabel: 'key.tab', description: 'keys.nextField', hint: true},
	{action: 'previous', keys: ['shiftTab', 'up'], keyLabel: 'key.shiftTab', description: 'keys.previousField', hint: false},
	{action: 'toggle', keys: ['space'], keyLabel: 'key.space', description: 'keys.toggle', hint: false},
	{action: 'activate', keys: ['enter'], keyLabel: 'key.enter', description: 'keys.submit', hint: true},
	{action: 'cancel', keys: ['escape'], keyLabel: 'key.escape', description: 'keys.back', hint: true},
];

/** The login form: the form keys without Esc (there is nothing to go back to). */
export const loginBindings = formBindings.filter(binding => binding.action !== 'cancel');

export const dashboardBindings: readonly Binding<'up' | 'down' | 'open' | 'pick' | 'userMenu' | 'newCertificate'>[] = [
	{action: 'up', keys: ['up', 'shiftTab'], keyLabel: 'key.arrows', description: 'keys.move', hint: true},
	{action: 'down', keys: ['down', 'tab'], keyLabel: 'key.arrows', description: 'keys.move', hint: false},
	{action: 'open', keys: ['enter', 'space'], keyLabel: 'key.enter', description: 'keys.open', hint: true},
	{action: 'pick', keys: ['digit'], keyLabel: 'key.digits', description: 'keys.pick', hint: false},
	// "Richiedi nuovo certificato" has its own key, so the numbered cards never shift (the footer shows it only when offered).
	{action: 'newCertificate', keys: ['char:n', 'char:N'], keyLabel: 'literal:N', description: 'keys.newCertificate', hint: true},
	{action: 'userMenu', keys: ['char:m'], keyLabel: 'literal:m', description: 'keys.userMenu', hint: true},
];

/**
 * `m` on the screens after login whose header says "menu utente: m" (the dashboard has its own
 * entry above); never while a text field has focus, where m is typed.
 */
export const userMenuBinding: Binding<'userMenu'> = {action: 'userMenu', keys: ['char:m'], keyLabel: 'literal:m', description: 'keys.userMenu', hint: false};

export const menuBindings: readonly Binding<'up' | 'down' | 'open' | 'pick' | 'close'>[] = [
	{action: 'up', keys: ['up', 'shiftTab'], keyLabel: 'key.arrows', description: 'keys.move', hint: true},
	{action: 'down', keys: ['down', 'tab'], keyLabel: 'key.arrows', description: 'keys.move', hint: false},
	{action: 'open', keys: ['enter', 'space'], keyLabel: 'key.enter', description: 'keys.open', hint: true},
	{action: 'pick', keys: ['digit'], keyLabel: 'key.digits', description: 'keys.pick', hint: false},
	{action: 'close', keys: ['escape', 'char:m'], keyLabel: 'key.escape', description: 'keys.close', hint: true},
];

export const detailBindings: readonly Binding<'back'>[] = [
	{action: 'back', keys: ['escape'], keyLabel: 'key.escape', description: 'keys.back', hint: true},
];

export const helpBindings: readonly Binding<'close' | 'page'>[] = [
	{action: 'close', keys: ['escape', 'char:?'], keyLabel: 'key.escape', description: 'keys.close', hint: true},
	{action: 'page', keys: ['tab', 'shiftTab', 'left', 'right'], keyLabel: 'key.tab', description: 'keys.helpPage', hint: true},
];

export const promptBindings: readonly Binding<'switch' | 'choose' | 'keep'>[] = [
	{action: 'switch', keys: ['tab', 'shiftTab', 'up', 'down', 'char:h', 'char:l'], keyLabel: 'key.tab', description: 'keys.move', hint: true},
	{action: 'choose', keys: ['enter', 'space'], keyLabel: 'key.enter', description: 'keys.submit', hint: true},
	{action: 'keep', keys: ['escape'], keyLabel: 'key.escape', description: 'keys.back', hint: true},
];

export const otpScreenBindings: readonly Binding<'up' | 'down' | 'open' | 'back'>[] = [
	{action: 'up', keys: ['up', 'shiftTab'], keyLabel: 'key.arrows', description: 'keys.move', hint: true},
	{action: 'down', keys: ['down', 'tab'], keyLabel: 'key.arrows', description: 'keys.move', hint: false},
	{action: 'open', keys: ['enter', 'space'], keyLabel: 'key.enter', description: 'keys.open', hint: true},
	{action: 'back', keys: ['escape'], keyLabel: 'key.escape', description: 'keys.back', hint: true},
];

/** "Cronologia firme": the form keys, ←/→ on a choice, and PgUp/PgDn through the pages. */
/** Forms with a choice ("Esito", "Frequenza", "Lingua"): documented in help; the form handles the keys. */
export const choiceBinding: Binding<'changeChoice'> = {action: 'changeChoice', keys: ['left', 'right'], keyLabel: 'key.leftRight', description: 'keys.changeChoice', hint: false};

export const historyBindings: readonly Binding<'previousPage' | 'nextPage' | 'changeChoice'>[] = [
	choiceBinding,
	{action: 'previousPage', keys: ['pageUp'], keyLabel: 'key.pageUp', description: 'keys.previousPage', hint: false},
	{action: 'nextPage', keys: ['pageDown'], keyLabel: 'key.pageDown', description: 'keys.nextPage', hint: true},
];
