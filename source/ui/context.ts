import {createContext, useContext} from 'react';
import {useIsScreenReaderEnabled} from 'ink';
import type {Portal} from '../core/index.js';
import {DEFAULT_DISPLAY, type Display} from './display.js';
import type {Language, Translate} from './i18n/index.js';

export interface UiEnvironment {
	portal: Portal;
	language: Language;
	t: Translate;
	/** Colours off (NO_COLOR): state is still carried by symbols and words. */
	color: boolean;
	/** Contrast, motion and character set (see display.ts); `screenReader` is read from Ink, see useDisplay. */
	display?: Display;
	/** Switches the interface language at once (the account's "Lingua"). */
	setLanguage?: (language: Language) => void;
	/** `--guide`: each step of a procedure also says what the official guide says to do there. */
	guide?: boolean;
	/** `--show-keys`: the last keys pressed, in the header, for a room watching the screen. */
	showKeys?: boolean;
}

export const UiContext = createContext<UiEnvironment | undefined>(undefined);

export function useUi(): UiEnvironment {
	const value = useContext(UiContext);
	if (!value) throw new Error('UiContext missing');
	return value;
}

/**
 * How to draw: screen-reader mode as Ink was started (the flag, INK_SCREEN_READER or TERM=dumb),
 * and no motion in it.
 */
export function useDisplay(): Display {
	const {display = DEFAULT_DISPLAY, color} = useUi();
	const screenReader = useIsScreenReaderEnabled();
	return {...display, color, screenReader, motion: display.motion && !screenReader};
}
