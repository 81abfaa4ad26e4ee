/*
 * The multi-step flows (renewal and new certificate, PIN change, suspension, password and
 * userID recovery) as pure reducers: `(state, event) → {state, command}`. A flow knows which
 * step is open, what was entered that must outlive its step, the ids the core returned and the
 * core's last refusal; it never calls the core, reads the clock or renders. The `command` is
 * the core call to make, as data: the screen makes it (useFlow in ui/hooks/use-flow.ts) and
 * feeds the answer back as an event.
 */

/** A flow's next state and, when something must happen outside it, the command to run. */
export interface Transition<State, Command> {
	readonly state: State;
	readonly command?: Command;
}

export type FlowReducer<State, Event, Command> = (state: State, event: Event) => Transition<State, Command>;

/** The state as it is, nothing to run (an event that does not apply at this step). */
export function stay<State>(state: State): Transition<State, never> {
	return {state};
}

/** Every flow's "discard what was entered?" prompt, asked on Esc once something would be lost. */
export interface Asking {
	readonly asking: boolean;
}
