import {useCallback, useRef, useState} from 'react';
import type {FlowReducer} from '../flows/flow.js';

/**
 * A flow (ui/flows/) on screen. `send(event)` applies the event, runs the command the reducer
 * asked for with `run` (the portal call, or closing the screen), feeds its answer back as the
 * next event (a thrown error as `failed(error)`), and so on until no command is left; it
 * resolves with the state reached, so a form can tell whether its step was refused.
 * Events are applied to the latest state, never to the one of the last render.
 */
export function useFlow<State, Event, Command>(
	reducer: FlowReducer<State, Event, Command>,
	initial: () => State,
	options: {run: (command: Command) => Promise<Event | undefined>; failed: (error: unknown) => Event},
): [State, (event: Event) => Promise<State>] {
	const [state, setState] = useState(initial);
	const latest = useRef(state);
	const handlers = useRef(options);
	handlers.current = options;
	const send = useCallback(
		async (event: Event): Promise<State> => {
			let next: Event | undefined = event;
			while (next !== undefined) {
				const transition = reducer(latest.current, next);
				latest.current = transition.state;
				setState(transition.state);
				const {command} = transition;
				if (command === undefined) break;
				const {run, failed} = handlers.current;
				next = await run(command).catch((error: unknown) => failed(error));
			}
			return latest.current;
		},
		[reducer],
	);
	return [state, send];
}
