import {createContext, useContext} from 'react';

/**
 * What the app shell gives every screen, form and control without props: the help overlay, and
 * whether a text field has focus (then `?` and `m` are typed, and the footer shows the form's keys).
 * Outside the shell (a component rendered on its own) both do nothing.
 */
export interface ScreenControls {
	openHelp: () => void;
	setTyping: (typing: boolean) => void;
}

const OUTSIDE_SHELL: ScreenControls = {openHelp: () => undefined, setTyping: () => undefined};

export const ScreenContext = createContext<ScreenControls>(OUTSIDE_SHELL);

/** Opens the help overlay over the current screen. */
export function useHelp(): () => void {
	return useContext(ScreenContext).openHelp;
}

/** Tells the shell whether a text field has focus. */
export function useTyping(): (typing: boolean) => void {
	return useContext(ScreenContext).setTyping;
}
