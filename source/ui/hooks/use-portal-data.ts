import {useEffect, useRef, useState} from 'react';

/** `stale`: while loading, what was loaded for the previous dependencies (a header may keep showing it; a screen must not). */
export type Loaded<T> = {state: 'loading'; stale?: T} | {state: 'ready'; value: T} | {state: 'failed'; error: unknown};

function sameDependencies(left: readonly unknown[], right: readonly unknown[]): boolean {
	return left.length === right.length && left.every((value, index) => Object.is(value, right[index]));
}

/**
 * Loads data from the portal for a screen; results that arrive after the screen closed are
 * dropped. What was loaded for other dependencies is never returned as ready: returning to the
 * dashboard must not draw the state loaded before (Attivo) for a frame before the new one (Sospeso).
 */
export function usePortalData<T>(load: () => Promise<T>, dependencies: readonly unknown[]): Loaded<T> {
	// Which load the render belongs to, decided during the render (an effect would run one frame late).
	const generation = useRef({dependencies, count: 0});
	if (!sameDependencies(generation.current.dependencies, dependencies)) generation.current = {dependencies, count: generation.current.count + 1};
	const current = generation.current.count;
	const [loaded, setLoaded] = useState<{generation: number; value: Loaded<T>}>({generation: current, value: {state: 'loading'}});
	useEffect(() => {
		let live = true;
		load().then(
			value => live && setLoaded({generation: current, value: {state: 'ready', value}}),
			(error: unknown) => live && setLoaded({generation: current, value: {state: 'failed', error}}),
		);
		return () => {
			live = false;
		};
	}, dependencies);
	if (loaded.generation === current) return loaded.value;
	// A failure belongs to what was loaded before (no session yet, at login): it is not carried over.
	return loaded.value.state === 'ready' ? {state: 'loading', stale: loaded.value.value} : {state: 'loading'};
}
