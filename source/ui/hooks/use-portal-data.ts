import {useEffect, useState} from 'react';

export type Loaded<T> = {state: 'loading'} | {state: 'ready'; value: T} | {state: 'failed'; error: unknown};

/** Loads data from the portal for a screen; results that arrive after the screen closed are dropped. */
export function usePortalData<T>(load: () => Promise<T>, dependencies: readonly unknown[]): Loaded<T> {
	const [loaded, setLoaded] = useState<Loaded<T>>({state: 'loading'});
	useEffect(() => {
		let current = true;
		// A failure belongs to what was loaded before (no session yet, at login): it is not shown while the new load runs.
		setLoaded(previous => (previous.state === 'failed' ? {state: 'loading'} : previous));
		load().then(
			value => current && setLoaded({state: 'ready', value}),
			(error: unknown) => current && setLoaded({state: 'failed', error}),
		);
		return () => {
			current = false;
		};
	}, dependencies);
	return loaded;
}
