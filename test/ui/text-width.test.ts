import {createRequire} from 'node:module';
import {pathToFileURL} from 'node:url';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {singleColumnLength} from '../../source/ui/text-width.js';

type Measure = (text: string) => number;

/** The libraries whose `string-width` the build puts singleColumnLength in front of. */
const WRAPPED_IMPORTERS = ['ink', 'cli-truncate', 'widest-line', 'wrap-ansi'];

/** Each distinct string-width those libraries load (wrap-ansi has its own older one), by path. */
async function wrappedStringWidths(): Promise<Map<string, Measure>> {
	const fromHere = createRequire(import.meta.url);
	const paths = new Set(WRAPPED_IMPORTERS.map(name => createRequire(fromHere.resolve(name)).resolve('string-width')));
	const versions = new Map<string, Measure>();
	for (const path of paths) versions.set(path, ((await import(pathToFileURL(path).href)) as {default: Measure}).default);
	return versions;
}

/** Every BMP code point the fast path accepts on its own. */
const CLASS = Array.from({length: 0x1_00_00}, (_, codePoint) => String.fromCharCode(codePoint))
	.filter(character => singleColumnLength(character) === 1);

const hex = (character: string) => `U+${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

describe('singleColumnLength', () => {
	it('accepts the characters the interface draws (box drawing, Italian letters, quotes, arrows, marks, spinner)', () => {
		expect(CLASS.length).toBeGreaterThan(1500);
		for (const character of '─│┌┐└┘━┃┏┓┗┛═║╴╵╶╷ èàùòìÈé «»‹›’‘“” … • · – — − § € ° × ≤ → ← ↑ ↓ ▼ ▲ ▾ ‖ ✓ ✗ ✘ ⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏') {
			expect(singleColumnLength(character), hex(character)).toBe(1);
		}
	});

	it('holds only characters that every wrapped string-width measures as one column', async () => {
		const versions = await wrappedStringWidths();
		expect([...versions.keys()].some(path => path.includes('wrap-ansi'))).toBe(true);
		expect(versions.get(createRequire(import.meta.url).resolve('string-width'))).toBe(stringWidth);
		for (const [path, measure] of versions) {
			const wider = CLASS.filter(character => measure(character) !== 1).map(hex);
			expect(wider, path).toEqual([]);
			// All of them in a row: no pair of neighbours changes the sum either.
			expect(measure(CLASS.join('')), path).toBe(CLASS.length);
		}
	});

	it('holds only assigned characters that never join a neighbour into one grapheme', () => {
		const segmenter = new Intl.Segmenter();
		const joining = CLASS.filter(character => [...segmenter.segment(`a${character}${character}a`)].length !== 4).map(hex);
		expect(joining).toEqual([]);
		// Nor unassigned ones, which a later Unicode version (a Node upgrade) could make marks.
		expect(CLASS.filter(character => /\p{Cn}/u.test(character)).map(hex)).toEqual([]);
	});

	it('leaves escape sequences other than colours, invisible, combining, emoji, wide and control characters to string-width', () => {
		for (const text of [
			'\u001B[2Jpulito',
			'\u001B]8;;https://example.org\u0007link\u001B]8;;\u0007',
			'\u001B[1m\u001B',
			'\u001B[1m\u25B6\u001B[22m',
			'\u009B1m',
			'ri\u00ADsultato',
			'e\u0301',
			'a\u200Bb',
			'a\u200Db',
			'\u2714\uFE0F',
			'\u25B6\uFE0F',
			'\uD83D\uDE00',
			'日',
			'a\tb',
			'\u25B6',
			'\u00A9',
			'\uD83D',
		]) expect(singleColumnLength(text), JSON.stringify(text)).toBeUndefined();
	});

	it('agrees with string-width on strings the interface draws, and answers them itself', () => {
		for (const text of [
			'',
			'┌──────────────────────────────┐',
			'│ mysign                       │',
			'└──────────────────────────────┘',
			'Tentativi rimasti: 5',
			'«Cronologia firme»',
			'✓ rispettata',
			'✗ non ancora rispettata',
			'→ ←',
			'⠋ Attendere…',
			'› Accedi con l’app MyInfoCert',
			'Codice OTP già utilizzato: ricomincia l’operazione.',
			// Styled as Ink draws it: bold, dim, inverse and colours take no column.
			'\u001B[1mgrassetto\u001B[22m',
			'\u001B[1m› \u001B[22m\u001B[1mIndirizzo e-mail o nome utente\u001B[22m',
			'\u001B[7mU\u001B[27m\u001B[2mser ID (es. JCPD7173) o e-mail\u001B[22m',
			'\u001B[38;5;33m┌─\u001B[39m\u001B[91m✗\u001B[0m',
		]) {
			expect(singleColumnLength(text), text).toBe(stringWidth(text));
		}
	});
});
