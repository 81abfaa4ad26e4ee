import {describe, expect, it} from 'vitest';
import {COMMANDS, FLAGS, flagNameOf, meowFlags, type FlagName} from '../../source/cli/command-table.js';
import {helpFor, wrapText} from '../../source/cli/command-help.js';
import {bashCompletion, manPage, zshCompletion} from '../../source/cli/command-docs.js';
import {displayPreferences, preferredLanguage} from '../../source/cli/preferences.js';
import {editDistance, suggestion} from '../../source/cli/suggest.js';
import {UsageError} from '../../source/cli/usage.js';
import {translator, type Language} from '../../source/ui/i18n/index.js';

const LANGUAGES: Language[] = ['it', 'en'];
const flagsOf = (text: string) => new Set([...text.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map(match => match[0]));
const long = (text: string, width: number) => text.split('\n').filter(line => [...line].length > width);

describe('the command table', () => {
	it('describes every flag the parser accepts, for every command, in the help of both languages', () => {
		// The parser reads exactly the table's flags; each command accepts its own list (cli.tsx).
		expect(Object.keys(meowFlags()).sort()).toEqual(Object.keys(FLAGS).sort());
		const used = new Set<FlagName>();
		for (const spec of COMMANDS) {
			for (const language of LANGUAGES) {
				const help = helpFor(translator(language), COMMANDS, spec.name === '' ? [] : [spec.name], 80);
				const listed = flagsOf(help);
				for (const flag of spec.flags) {
					used.add(flag);
					expect(listed.has(`--${FLAGS[flag].cli}`), `${language} mysign ${spec.name} --help: --${FLAGS[flag].cli}`).toBe(true);
				}
			}
		}
		// No flag is parsed that no command takes.
		expect([...used].sort()).toEqual(Object.keys(FLAGS).sort());
	});

	it('gives the Italian and the English help the same flags at every level (the portal\'s --no-motion and --high-contrast included)', () => {
		for (const spec of COMMANDS) {
			const words = spec.name === '' ? [] : [spec.name];
			const italian = flagsOf(helpFor(translator('it'), COMMANDS, words, 80));
			const english = flagsOf(helpFor(translator('en'), COMMANDS, words, 80));
			expect([...italian].sort(), spec.name).toEqual([...english].sort());
		}
		const global = helpFor(translator('it'), COMMANDS, [], 80);
		expect(global).toContain('--no-motion');
		expect(global).toContain('--high-contrast');
	});

	it('lists every command in the global help, with a summary, and gives each its own usage and example', () => {
		for (const language of LANGUAGES) {
			const t = translator(language);
			const global = helpFor(t, COMMANDS, [], 80);
			for (const spec of COMMANDS.filter(command => command.listed)) {
				expect(global, spec.name).toMatch(new RegExp(`^  ${spec.name} +\\S`, 'm'));
				const own = helpFor(t, COMMANDS, [spec.name], 80);
				expect(own, spec.name).toContain(`mysign ${spec.name}`);
				expect(own, spec.name).toContain(t(spec.example));
			}
		}
	});

	it('wraps every help at the width it is given', () => {
		for (const width of [80, 60]) {
			for (const language of LANGUAGES) {
				for (const words of [[], ...COMMANDS.filter(spec => spec.listed).map(spec => [spec.name]), ['admin', 'coupon'], ['admin', 'enroll']]) {
					expect(long(helpFor(translator(language), COMMANDS, words, width), width), `${language} ${words.join(' ')} at ${width}`).toEqual([]);
				}
			}
		}
		expect(wrapText('    one two three four', 14)).toBe('    one two\n    three four');
	});

	it('reads every flag as written, the negated default and -h included', () => {
		for (const [name, spec] of Object.entries(FLAGS)) expect(flagNameOf(`--${spec.cli}`)).toBe(name);
		expect(flagNameOf('-h')).toBe('help');
		expect(flagNameOf('--motion')).toBe('motion');
		expect(flagNameOf('--no-screen-reader')).toBe('screenReader');
		expect(flagNameOf('--no-data')).toBeUndefined();
		expect(flagNameOf('--usr')).toBeUndefined();
	});

	it('generates completion for every command and the man page from the table', () => {
		const bash = bashCompletion(COMMANDS);
		const zsh = zshCompletion(COMMANDS);
		for (const spec of COMMANDS.filter(command => command.listed)) {
			expect(bash).toContain(`\t${spec.name})`);
			expect(zsh).toContain(`\t${spec.name})`);
		}
		expect(bash).toContain('--codice-fiscale');
		const man = manPage(translator('en'), COMMANDS);
		expect(man.startsWith('.TH MYSIGN 1')).toBe(true);
		expect(man).toContain('\\-\\-warn\\-days');
		expect(man.split('\n').filter(line => line.startsWith('.') && !/^\.(TH|SH|TP|B|RS|RE|PP|nf|fi|br)\b/.test(line))).toEqual([]);
	});
});

describe('suggestions', () => {
	it('counts a swap of neighbouring letters as one edit', () => {
		expect(editDistance('stauts', 'status')).toBe(1);
		expect(editDistance('lst', 'list')).toBe(1);
	});

	it('suggests a close command, sub-command or flag, and nothing for a word far from all', () => {
		const commands = COMMANDS.filter(spec => spec.listed).map(spec => spec.name);
		expect(suggestion('stauts', commands)).toBe('status');
		expect(suggestion('verfy', commands)).toBe('verify');
		expect(suggestion('lst', ['list', 'show', 'unlock'])).toBe('list');
		expect(suggestion('usr', ['data', 'lang', 'user', 'json'])).toBe('user');
		expect(suggestion('frobnicate', commands)).toBeUndefined();
		expect(suggestion('x', commands)).toBeUndefined();
	});
});

describe('preferences from the environment', () => {
	it('speaks MYSIGN_LANG, else the locale\'s language when it is it or en, else Italian; --lang wins', () => {
		expect(preferredLanguage([], {})).toBe('it');
		expect(preferredLanguage([], {MYSIGN_LANG: 'en'})).toBe('en');
		expect(preferredLanguage([], {LANG: 'en_US.UTF-8'})).toBe('en');
		expect(preferredLanguage([], {LANG: 'it_IT.UTF-8', LC_MESSAGES: 'en_GB.UTF-8'})).toBe('en');
		expect(preferredLanguage([], {LANG: 'en_US.UTF-8', LC_ALL: 'it_IT.UTF-8'})).toBe('it');
		expect(preferredLanguage([], {LANG: 'de_DE.UTF-8'})).toBe('it');
		expect(preferredLanguage([], {LANG: 'C.UTF-8'})).toBe('it');
		expect(preferredLanguage([], {MYSIGN_LANG: 'it', LANG: 'en_US.UTF-8'})).toBe('it');
		expect(preferredLanguage(['--lang', 'it'], {MYSIGN_LANG: 'en'})).toBe('it');
		expect(preferredLanguage(['--lang=en'], {LANG: 'it_IT'})).toBe('en');
	});

	it('takes the display switches from the environment unless a flag is given', () => {
		const refuse = (name: string, value: string) => new UsageError(`${name}=${value}`);
		const none = new Set<string>();
		expect(displayPreferences(none, {}, {MYSIGN_SCREEN_READER: '1', MYSIGN_NO_MOTION: 'true', MYSIGN_HIGH_CONTRAST: 'yes'}, refuse)).toEqual({screenReader: true, noMotion: true, highContrast: true});
		expect(displayPreferences(none, {}, {MYSIGN_NO_MOTION: '0'}, refuse)).toEqual({screenReader: false, noMotion: false, highContrast: false});
		const given = new Set(['screenReader', 'motion', 'highContrast']);
		expect(displayPreferences(given, {screenReader: false, motion: true, highContrast: false}, {MYSIGN_SCREEN_READER: '1', MYSIGN_NO_MOTION: '1', MYSIGN_HIGH_CONTRAST: '1'}, refuse)).toEqual({
			screenReader: false,
			noMotion: false,
			highContrast: false,
		});
		expect(() => displayPreferences(none, {}, {MYSIGN_NO_MOTION: 'maybe'}, refuse)).toThrow('MYSIGN_NO_MOTION=maybe');
	});
});
