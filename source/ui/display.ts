/**
 * How the interface is drawn in this terminal: colours, screen-reader (linear) output, motion,
 * contrast and the character set, judged from the flags and the environment before the first frame.
 */
export interface Display {
	/** Colours on. Off with NO_COLOR or TERM=dumb; FORCE_COLOR decides over both. */
	color: boolean;
	/** Linear text for screen readers: `--screen-reader`, INK_SCREEN_READER=true or TERM=dumb. */
	screenReader: boolean;
	/** Spinners and ticking countdowns; off with `--no-motion` and in screen-reader mode. */
	motion: boolean;
	/** `--high-contrast`: no dimmed text, bright colours, bold messages. */
	highContrast: boolean;
	/** The locale's character set is UTF-8; otherwise every symbol is drawn with an ASCII fall-back. */
	unicode: boolean;
	/** TERM=dumb: no cursor movement or other escape sequences at all, each screen printed below the last. */
	plain: boolean;
}

export interface DisplayFlags {
	screenReader?: boolean;
	noMotion?: boolean;
	highContrast?: boolean;
}

type Environment = Record<string, string | undefined>;

/** FORCE_COLOR=0/false turns colours off, any other value on; then a non-empty NO_COLOR (no-color.org) turns them off. */
export function colourWanted(environment: Environment): boolean {
	const force = environment['FORCE_COLOR'];
	if (force !== undefined) return !['0', 'false'].includes(force.trim().toLowerCase());
	if ((environment['NO_COLOR'] ?? '') !== '') return false;
	return environment['TERM'] !== 'dumb';
}

/** The character set of LC_ALL, else LC_CTYPE, else LANG (the first one set, as setlocale reads them); no locale is POSIX, which is ASCII. */
export function localeIsUtf8(environment: Environment): boolean {
	const locale = [environment['LC_ALL'], environment['LC_CTYPE'], environment['LANG']].find(value => value !== undefined && value !== '');
	return locale !== undefined && /utf-?8/i.test(locale);
}

export function displayFor(flags: DisplayFlags, environment: Environment): Display {
	const plain = environment['TERM'] === 'dumb';
	const screenReader = flags.screenReader === true || environment['INK_SCREEN_READER'] === 'true' || plain;
	return {
		color: colourWanted(environment),
		screenReader,
		motion: !flags.noMotion && !screenReader,
		highContrast: flags.highContrast === true,
		unicode: localeIsUtf8(environment),
		plain,
	};
}

/** What component tests and the phone companion get unless told otherwise. */
export const DEFAULT_DISPLAY: Display = {color: true, screenReader: false, motion: true, highContrast: false, unicode: true, plain: false};
