import {describe, expect, it} from 'vitest';
import stringWidth from 'string-width';
import {colourWanted, displayFor, localeIsUtf8} from '../../source/ui/display.js';
import {fitted} from '../../source/ui/components/key-hints.js';
import {toAscii} from '../../source/ui/terminal-output.js';

describe('display options', () => {
	it('NO_COLOR (non-empty) turns colours off, FORCE_COLOR decides over it, TERM=dumb has none', () => {
		expect(colourWanted({})).toBe(true);
		expect(colourWanted({NO_COLOR: '1'})).toBe(false);
		expect(colourWanted({NO_COLOR: ''})).toBe(true);
		expect(colourWanted({NO_COLOR: '1', FORCE_COLOR: '1'})).toBe(true);
		expect(colourWanted({FORCE_COLOR: '0'})).toBe(false);
		expect(colourWanted({FORCE_COLOR: 'false'})).toBe(false);
		expect(colourWanted({FORCE_COLOR: ''})).toBe(true);
		expect(colourWanted({TERM: 'dumb'})).toBe(false);
	});

	it('reads the character set as setlocale does: LC_ALL, then LC_CTYPE, then LANG; none is POSIX (ASCII)', () => {
		expect(localeIsUtf8({LANG: 'it_IT.UTF-8'})).toBe(true);
		expect(localeIsUtf8({LANG: 'C.utf8'})).toBe(true);
		expect(localeIsUtf8({LANG: 'it_IT.UTF-8', LC_ALL: 'C'})).toBe(false);
		expect(localeIsUtf8({LANG: 'C', LC_CTYPE: 'en_US.UTF-8'})).toBe(true);
		expect(localeIsUtf8({LANG: 'it_IT.ISO-8859-1'})).toBe(false);
		expect(localeIsUtf8({})).toBe(false);
	});

	it('screen-reader mode comes from the flag, INK_SCREEN_READER or TERM=dumb, and turns motion off', () => {
		expect(displayFor({}, {LANG: 'C.UTF-8'})).toEqual({color: true, screenReader: false, motion: true, highContrast: false, unicode: true, plain: false});
		expect(displayFor({screenReader: true}, {}).motion).toBe(false);
		expect(displayFor({}, {INK_SCREEN_READER: 'true'}).screenReader).toBe(true);
		expect(displayFor({}, {TERM: 'dumb'})).toMatchObject({screenReader: true, plain: true, color: false, motion: false});
		expect(displayFor({noMotion: true, highContrast: true}, {})).toMatchObject({motion: false, highContrast: true, screenReader: false});
	});
});

describe('ASCII fall-backs', () => {
	it('replace every symbol the screens draw by one ASCII character of the same width, and keep escape sequences', () => {
		const text = '\u001B[1m› ✓ ✗ ▼ ▶ ◀ ▾ ‖ • · … — ’ «» ↑↓←→ è à ù ┏━┓┃┗┛ ┌─┐│└┘ █▀▄ 中\u001B[22m';
		const ascii = toAscii(text);
		expect(ascii).toMatch(/^[\x00-\x7F]*$/);
		expect(ascii).toBe('\u001B[1m> + x v > < v | * - . - \' "" ^v<> e a u +-+|++ +-+|++ ### ??\u001B[22m');
		expect(stringWidth(ascii)).toBe(stringWidth(text));
	});
});

describe('key hints', () => {
	const parts = [
		{text: 'Tab campo successivo', help: false},
		{text: 'Invio conferma', help: false},
		{text: 'Esc indietro', help: false},
		{text: 'Ctrl+C esci dal programma', help: false},
		{text: '? aiuto', help: true},
	];

	it('all fit in 120 columns, in order, help last', () => {
		expect(fitted(parts, 120)).toEqual(['Tab campo successivo', 'Invio conferma', 'Esc indietro', 'Ctrl+C esci dal programma', '? aiuto']);
	});

	it('leave out whole hints that would overflow, never cutting one, and keep "? aiuto"', () => {
		const kept = fitted(parts, 78);
		expect(kept).toEqual(['Tab campo successivo', 'Invio conferma', 'Esc indietro', '? aiuto']);
		expect(kept.join('  ·  ').length).toBeLessThanOrEqual(78);
		expect(fitted(parts, 10)).toEqual(['? aiuto']);
	});
});
