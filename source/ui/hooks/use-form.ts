import {useEffect, useMemo, useReducer, useRef} from 'react';
import {formReducer, indexOf, initialForm, isTyping, isTypingSecret, type Control, type FormAction, type FormMessage, type FormState} from '../components/form.js';
import {useKeys} from './key-router.js';

/**
 * A form on screen: its reducer, its keys while `active`, and `onRequest` called once per
 * request (a button, "help", "cancel"). `onTypingChange` tells the frame whether `?` types.
 */
export function useForm(
	controls: readonly Control[],
	options: {submit: string; active: boolean; initialMessage?: FormMessage; initialFocus?: string; onRequest: (action: string, form: FormState) => void; onTypingChange?: (typing: boolean) => void},
): [FormState, (action: FormAction) => void] {
	const reducer = useMemo(() => formReducer(controls, options.submit), [controls, options.submit]);
	const [form, dispatch] = useReducer(reducer, undefined, () => {
		const initial = initialForm(controls, options.initialMessage);
		return options.initialFocus ? {...initial, focus: indexOf(controls, options.initialFocus)} : initial;
	});
	const typing = isTyping(controls, form);
	useKeys((input, key) => dispatch({type: 'key', input, key}), {isActive: options.active, typing, secret: isTypingSecret(controls, form)});

	const {onTypingChange} = options;
	useEffect(() => onTypingChange?.(typing), [typing, onTypingChange]);
	// A form that goes away takes its text field with it.
	useEffect(() => () => onTypingChange?.(false), [onTypingChange]);

	const seen = useRef(form.request.sequence);
	const latest = useRef(options.onRequest);
	latest.current = options.onRequest;
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
	options: {active: boolean; submit?: string; initialMessage?: FormMessage; onTypingChange?: (typing: boolean) => void; onHelp: () => void; onCancel: (dirty: boolean) => void; onAction: (action: string, form: FormState) => void},
): [FormState, (action: FormAction) => void] {
	return useForm(controls, {
		submit: options.submit ?? 'confirm',
		active: options.active,
		initialMessage: options.initialMessage,
		onTypingChange: options.onTypingChange,
		onRequest: (action, current) => {
			if (action === 'help') return options.onHelp();
			if (action === 'cancel') return options.onCancel(current.dirty);
			options.onAction(action, current);
		},
	});
}
