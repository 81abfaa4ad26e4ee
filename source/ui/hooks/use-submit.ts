import {useCallback, useEffect, useRef, useState} from 'react';
import type {FormAction, FormMessage} from '../components/form.js';
import {useUi} from '../context.js';
import {describeError, type Translate} from '../i18n/index.js';

/** An error's message as a form shows it; `text` is in words already. */
export type ErrorMessage = FormMessage & {kind: 'error'; text: string};

/** What a form shows once a call has settled: fields emptied, where the focus goes, the message. */
export interface Settled {
	clear?: readonly string[];
	focus?: string;
	message?: FormMessage;
}

export interface SubmitHandlers<T> {
	/** The call succeeded: what the form shows now (by default: no message, nothing cleared). */
	done?: (value: T) => Settled | void;
	/**
	 * The call failed: what the form shows now besides the error's message (which is given here
	 * too, and shown unless `message` says otherwise).
	 */
	failed?: (error: unknown, message: ErrorMessage) => Settled | void;
}

/**
 * Starts `call` unless one is under way (then returns false and does nothing). Handlers run only
 * while the component is on screen: a screen that went meanwhile (logout, Esc) is not updated.
 */
export type Submit = <T>(call: () => Promise<T>, handlers?: SubmitHandlers<T>) => boolean;

/** A failure as a form shows it: a domain error's own translated message, anything else "Errore imprevisto: …". */
export function errorMessage(t: Translate, error: unknown): ErrorMessage {
	return shownError(describeError(t, error));
}

/** An error already put in words (by describeError, or a step that sends the user back) as a form's message. */
export function shownError(text: string): ErrorMessage {
	return {kind: 'error', key: 'errors.unexpected', text};
}

/**
 * The one submit sequence of every form: busy ("Attendere…", keys ignored), the call, then the
 * result or the error's message. With a form's `dispatch` the form shows each stage; without,
 * only `busy` says it and the handlers show the outcome.
 */
export function useSubmit(dispatch?: (action: FormAction) => void): {submit: Submit; busy: boolean} {
	const {t} = useUi();
	const [busy, setBusy] = useState(false);
	const running = useRef(false);
	const mounted = useRef(true);
	useEffect(() => {
		mounted.current = true;
		return () => {
			mounted.current = false;
		};
	}, []);
	const latest = useRef({t, dispatch});
	latest.current = {t, dispatch};

	const submit: Submit = useCallback(<T,>(call: () => Promise<T>, handlers: SubmitHandlers<T> = {}) => {
		if (running.current) return false;
		running.current = true;
		setBusy(true);
		latest.current.dispatch?.({type: 'busy'});
		const settle = (outcome: () => Settled | void) => {
			running.current = false;
			if (!mounted.current) return;
			setBusy(false);
			const shown = outcome() ?? {};
			latest.current.dispatch?.({type: 'done', ...shown});
		};
		let started: Promise<T>;
		try {
			started = call();
		} catch (error) {
			started = Promise.reject(error);
		}
		started.then(
			value => settle(() => handlers.done?.(value)),
			(error: unknown) =>
				settle(() => {
					const message = errorMessage(latest.current.t, error);
					return {message, ...handlers.failed?.(error, message)};
				}),
		);
		return true;
	}, []);
	return {submit, busy};
}
