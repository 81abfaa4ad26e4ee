import {createContext, useContext, useLayoutEffect, useRef, type ReactNode} from 'react';
import {useInput, type Key} from 'ink';
import {splitBurst} from './key-burst.js';

/*
 * One input listener for the whole app, routing each key press to the handlers registered now.
 * Ink's own useInput (re)attaches listeners in passive effects, which run after the frame is
 * drawn: a key that follows quickly ("m" then Enter in one burst, or typed just after a menu
 * appears) would still reach the screen underneath. Handlers here register and switch on or
 * off in layout effects, synchronously with each commit, so every key goes where the screen
 * says it goes.
 */

type Handler = (input: string, key: Key) => void;
interface Entry {
	handler: {current: Handler};
	active: {current: boolean};
	/** A text field of this handler's form has focus: what is typed is the user's data. */
	typing: {current: boolean};
	/** Not called for a press that goes into a text field (a shortcut letter must type there). */
	notWhileTyping: {current: boolean};
	/** That text field holds a secret (see Control's `secret`): observers show "•", never the text. */
	secret: {current: boolean};
}

/** A key press as an observer sees it: `typing` when it goes into a text field (see useKeyObserver). */
export type Observer = (press: {input: string; key: Key; typing: boolean; secret: boolean}) => void;

const RouterContext = createContext<{entries: Set<Entry>; observers: Set<{current: Observer}>} | undefined>(undefined);

/**
 * `paused`: presses are kept, in order, and delivered once it is lifted (the portal still
 * opening after the first frame: what is typed then is not lost, and nothing acts before it).
 */
export function KeyRouter({children, paused = false}: {children: ReactNode; paused?: boolean}) {
	const entries = useRef(new Set<Entry>()).current;
	const observers = useRef(new Set<{current: Observer}>()).current;
	const routes = useRef({entries, observers}).current;
	const queue = useRef<{input: string; key: Key}[]>([]).current;
	const draining = useRef(false);
	const pausedRef = useRef(paused);

	// One press per timer tick: React's scheduled render (setImmediate or a microtask) commits
	// first, and layout effects re-route, so the second key of a burst reaches the screen the
	// first key opened.
	const drain = () => {
		const press = pausedRef.current ? undefined : queue.shift();
		if (!press) {
			draining.current = false;
			return;
		}
		const receivers = [...entries].filter(entry => entry.active.current);
		// Observers are told first, with whether the press goes into a text field, as routed now.
		const typing = receivers.some(entry => entry.typing.current);
		const secret = receivers.some(entry => entry.typing.current && entry.secret.current);
		for (const observer of [...observers]) observer.current({...press, typing, secret});
		for (const entry of receivers) if (!(typing && entry.notWhileTyping.current)) entry.handler.current(press.input, press.key);
		setTimeout(drain, 0);
	};

	const startDraining = () => {
		if (draining.current || pausedRef.current || queue.length === 0) return;
		draining.current = true;
		setTimeout(drain, 0);
	};
	useLayoutEffect(() => {
		pausedRef.current = paused;
		startDraining();
	}, [paused]);

	useInput((input, key) => {
		queue.push(...splitBurst(input, key));
		startDraining();
	});
	return <RouterContext.Provider value={routes}>{children}</RouterContext.Provider>;
}

/**
 * Receives key presses while `isActive` (bursts already split into single presses). A form
 * says `typing` while one of its text fields has focus, so observers never show what is typed.
 * `notWhileTyping`: a shortcut that must not fire while a text field (of any form) takes the press.
 */
export function useKeys(handler: Handler, options: {isActive?: boolean; typing?: boolean; notWhileTyping?: boolean; secret?: boolean} = {}): void {
	const routes = useContext(RouterContext);
	if (!routes) throw new Error('useKeys needs a <KeyRouter> above it');
	const {entries} = routes;
	const handlerRef = useRef(handler);
	const activeRef = useRef(options.isActive ?? true);
	const typingRef = useRef(options.typing ?? false);
	const notWhileTypingRef = useRef(options.notWhileTyping ?? false);
	// Typing into a field that did not say otherwise is typing a secret.
	const secretRef = useRef(options.secret ?? true);
	useLayoutEffect(() => {
		handlerRef.current = handler;
		activeRef.current = options.isActive ?? true;
		typingRef.current = options.typing ?? false;
		notWhileTypingRef.current = options.notWhileTyping ?? false;
		secretRef.current = options.secret ?? true;
	});
	useLayoutEffect(() => {
		const entry: Entry = {handler: handlerRef, active: activeRef, typing: typingRef, notWhileTyping: notWhileTypingRef, secret: secretRef};
		entries.add(entry);
		return () => {
			entries.delete(entry);
		};
	}, [entries]);
}

/**
 * Sees every key press before the screens do, without taking it from them (`--show-keys`).
 * `typing` is judged from the handlers the press is routed to, switched in the same layout
 * effects as the routing itself, so it is right for the very press that enters a field.
 */
export function useKeyObserver(observer: Observer): void {
	const routes = useContext(RouterContext);
	if (!routes) throw new Error('useKeyObserver needs a <KeyRouter> above it');
	const {observers} = routes;
	const observerRef = useRef(observer);
	useLayoutEffect(() => {
		observerRef.current = observer;
	});
	useLayoutEffect(() => {
		const entry = observerRef;
		observers.add(entry);
		return () => {
			observers.delete(entry);
		};
	}, [observers]);
}
