import {useEffect, useMemo, useReducer, useRef} from 'react';
import {formReducer, indexOf, initialForm, isTyping, isTypingSecret, type Control, type FormAction, type FormMessage, type FormOf} from '../components/form.js';
import {useHelp, useTyping} from '../screen-context.js';
import {useKeys} from './key-router.js';

/**
 * A form on screen: its reducer, its keys while `active`, and `onRequest` called once per
 * request (a button, "cancel"); "help" opens the help overlay. The shell is told whether a text
 * field has focus (then `?` types).
 */
export function useForm<const Controls extends readonly Control[]>(
	controls: Controls,
	options: {submit: string; active: boolean; initialMessage?: FormMessage; initialFocus?: string; onRequest: (action: string, form: FormOf<Controls>) => void},
): [FormOf<Controls>, (action: FormAction) => void] {
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
	// The reducer keeps a field for every text control, a box for every check, an index for every choice.
	const typed = form as FormOf<Controls>;
	useEffect(() => {
		if (typed.request.sequence === seen.current) return;
		seen.current = typed.request.sequence;
		latest.current(typed.request.action, typed);
		// Only a new request triggers; the form is read as it was at that moment.
	}, [typed.request.sequence]);
	return [typed, dispatch];
}

/**
 * A dialog's form: `?` opens help and Esc asks `onCancel` (with whether anything was typed)
 * the same way in every dialog; `onAction` receives the buttons (Enter in a text field is
 * the `submit` button, "confirm" unless said otherwise).
 */
export function useDialogForm<const Controls extends readonly Control[]>(
	controls: Controls,
	options: {active: boolean; submit?: string; initialMessage?: FormMessage; initialFocus?: string; onCancel: (dirty: boolean) => void; onAction: (action: string, form: FormOf<Controls>) => void},
): [FormOf<Controls>, (action: FormAction) => void] {
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
