import {useEffect, useMemo, useReducer, useRef} from 'react';
import {formReducer, indexOf, initialForm, isTyping, isTypingSecret, type Control, type FormAction, type FormMessage, type FormState} from '../components/form.js';
import {useHelp, useTyping} from '../screen-context.js';
import {useKeys} from './key-router.js';

/**
 * A form on screen: its reducer, its keys while `active`, and `onRequest` called once per
 * request (a button, "cancel"); "help" opens the help overlay. The shell is told whether a text
 * field has focus (then `?` types).
 */
export function useForm(
	controls: readonly Control[],
	options: {submit: string; active: boolean; initialMessage?: FormMessage; initialFocus?: string; onRequest: (action: string, form: FormState) => void},
): [FormState, (action: FormAction) => void] {
	const reducer = useMemo(() => formReducer(controls, options.submit), [controls, options.submit]);
	const [form, dispatch] = useReducer(reducer, undefined, () => {
		const initial = initialForm(controls, options.initialMessage);
		return options.initialFocus ? {...initial, focus: indexOf(controls, options.initialFocus)} : initial;
	});
	const typing = isTyping(controls, form);
	useKeys((input, key) => dispatch({type: 'key', input, key}), {isActive: options.active, typing, secret: isTypingSecret(controls, form)});

	const setTyping = useTyping();
	const help = useHelp();
	useEffect(() => setTyping(typing), [typing, setTyping]);
	// A form that goes away takes its text field with it.
	useEffect(() => () => setTyping(false), [setTyping]);

	const seen = useRef(form.request.sequence);
	const latest = useRef(options.onRequest);
	latest.current = (action, current) => (action === 'help' ? help() : options.onRequest(action, current));
	useEffect(() => {
		if (form.request.sequence === seen.current) return;
		seen.current = form.request.sequence;
		latest.current(form.request.action, form);
		// Only a new request triggers; the form is read as it was at that moment.
	}, [form.request.sequence]);
	return [form, dispatch];
}

/**
 * A dialog's form: `?` opens help and Esc asks `onCancel` (with whether anything was typed)
 * the same way in every dialog; `onAction` receives the buttons (Enter in a text field is
 * the `submit` button, "confirm" unless said otherwise).
 */
export function useDialogForm(
	controls: readonly Control[],
	options: {active: boolean; submit?: string; initialMessage?: FormMessage; initialFocus?: string; onCancel: (dirty: boolean) => void; onAction: (action: string, form: FormState) => void},
): [FormState, (action: FormAction) => void] {
	return useForm(controls, {
		submit: options.submit ?? 'confirm',
		active: options.active,
		initialMessage: options.initialMessage,
		initialFocus: options.initialFocus,
		onRequest: (action, current) => {
			if (action === 'cancel') return options.onCancel(current.dirty);
			options.onAction(action, current);
		},
	});
}
