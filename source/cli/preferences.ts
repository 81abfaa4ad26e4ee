import {isLanguage, type Language} from '../ui/i18n/index.js';
import {UsageError} from './usage.js';

/*
 * Preferences that need not be typed every run: the language (MYSIGN_LANG, else the language of
 * the locale — LC_ALL, LC_MESSAGES, LANG, the first one set, as setlocale reads them — when it is
 * Italian or English, else Italian) and the display (MYSIGN_SCREEN_READER, MYSIGN_NO_MOTION,
 * MYSIGN_HIGH_CONTRAST: 1/0, true/false, yes/no, on/off). A flag on the command line wins.
 */

type Environment = Record<string, string | undefined>;

/** `--lang X` / `--lang=X` as written (undefined when absent), up to a bare `--`. */
export function languageFlag(argv: readonly string[]): string | undefined {
	for (let index = 0; index < argv.length; index++) {
		const argument = argv[index]!;
		if (argument === '--') break;
		if (argument.startsWith('--lang=')) return argument.slice(7);
		if (argument === '--lang') return argv[index + 1];
	}
	return undefined;
}

/** The language of the locale variables, when it is one of ours. */
function localeLanguage(environment: Environment): Language | undefined {
	const locale = [environment['LC_ALL'], environment['LC_MESSAGES'], environment['LANG']].find(value => value !== undefined && value !== '');
	const language = locale === undefined ? undefined : /^([a-z]{2})(?:[_.@-]|$)/i.exec(locale)?.[1]?.toLowerCase();
	return language !== undefined && isLanguage(language) ? language : undefined;
}

/** The language to speak: a valid --lang, else MYSIGN_LANG, else the locale's, else Italian. An invalid value is refused later (badLang). */
export function preferredLanguage(argv: readonly string[], environment: Environment): Language {
	const flag = languageFlag(argv);
	if (flag !== undefined && isLanguage(flag)) return flag;
	const chosen = environment['MYSIGN_LANG'];
	if (chosen !== undefined && chosen !== '' && isLanguage(chosen)) return chosen;
	return localeLanguage(environment) ?? 'it';
}

/** MYSIGN_LANG set to something other than it or en (a usage error, like --lang de). */
export function badLanguageVariable(environment: Environment): string | undefined {
	const chosen = environment['MYSIGN_LANG'];
	return chosen !== undefined && chosen !== '' && !isLanguage(chosen) ? chosen : undefined;
}

const TRUE = ['1', 'true', 'yes', 'on'];
const FALSE = ['0', 'false', 'no', 'off', ''];

/** A yes/no variable; unset is undefined; anything else is a usage error that names the variable. */
export function switchVariable(environment: Environment, name: string, refuse: (name: string, value: string) => UsageError): boolean | undefined {
	const value = environment[name];
	if (value === undefined) return undefined;
	const normal = value.trim().toLowerCase();
	if (TRUE.includes(normal)) return true;
	if (FALSE.includes(normal)) return false;
	throw refuse(name, value);
}

export interface DisplayPreferences {
	screenReader: boolean;
	noMotion: boolean;
	highContrast: boolean;
}

/**
 * The display preferences: a flag given on the command line (`--screen-reader`,
 * `--no-screen-reader`, `--no-motion`, `--motion`, `--high-contrast`) decides; otherwise the variable.
 */
export function displayPreferences(
	given: ReadonlySet<string>,
	flags: {screenReader?: boolean; motion?: boolean; highContrast?: boolean},
	environment: Environment,
	refuse: (name: string, value: string) => UsageError,
): DisplayPreferences {
	const screenReader = switchVariable(environment, 'MYSIGN_SCREEN_READER', refuse);
	const noMotion = switchVariable(environment, 'MYSIGN_NO_MOTION', refuse);
	const highContrast = switchVariable(environment, 'MYSIGN_HIGH_CONTRAST', refuse);
	return {
		screenReader: given.has('screenReader') ? flags.screenReader === true : (screenReader ?? false),
		noMotion: given.has('motion') ? flags.motion === false : (noMotion ?? false),
		highContrast: given.has('highContrast') ? flags.highContrast === true : (highContrast ?? false),
	};
}
