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
}

const RouterContext = createContext<Set<Entry> | undefined>(undefined);

export function KeyRouter({children}: {children: ReactNode}) {
	const entries = useRef(new Set<Entry>()).current;
	const queue = useRef<{input: string; key: Key}[]>([]).current;
	const draining = useRef(false);

	// One press per timer tick: React's scheduled render (setImmediate or a microtask) commits
	// first, and layout effects re-route, so the second key of a burst reaches the screen the
	// first key opened.
	const drain = () => {
		const press = queue.shift();
		if (!press) {
			draining.current = false;
			return;
		}
		for (const entry of [...entries]) if (entry.active.current) entry.handler.current(press.input, press.key);
		setTimeout(drain, 0);
	};

	useInput((input, key) => {
		queue.push(...splitBurst(input, key));
		if (!draining.current) {
			draining.current = true;
			setTimeout(drain, 0);
		}
	});
	return <RouterContext.Provider value={entries}>{children}</RouterContext.Provider>;
}

/** Receives key presses while `isActive` (bursts already split into single presses). */
export function useKeys(handler: Handler, options: {isActive?: boolean} = {}): void {
	const entries = useContext(RouterContext);
	if (!entries) throw new Error('useKeys needs a <KeyRouter> above it');
	const handlerRef = useRef(handler);
	const activeRef = useRef(options.isActive ?? true);
	useLayoutEffect(() => {
		handlerRef.current = handler;
		activeRef.current = options.isActive ?? true;
	});
	useLayoutEffect(() => {
		const entry: Entry = {handler: handlerRef, active: activeRef};
		entries.add(entry);
		return () => {
			entries.delete(entry);
		};
	}, [entries]);
}
