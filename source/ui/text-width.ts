/**
 * A fast path for measuring text in terminal columns, for the common case of Latin text drawn
 * with box-drawing lines and a few symbols. string-width answers printable ASCII at once but
 * sends anything else through Intl.Segmenter and emoji regular expressions, whose first use
 * costs tens of milliseconds at start-up. The build (scripts/build.mjs) puts this check in front
 * of every string-width the bundled libraries import.
 *
 * Every character below is exactly one column wide for string-width (each version the bundle
 * uses) and never forms one grapheme with a neighbour, so a string made only of them is as wide
 * as it is long. Left out, among others: controls (tab, ESC), the soft hyphen U+00AD, combining
 * marks (U+0300-U+036F, U+0483-U+0489), zero-width and bidirectional formatting characters
 * (U+200B-U+200F, U+2028-U+202F, U+2060-U+206F), variation selectors (U+FE0F), surrogates
 * (emoji), East Asian wide characters, unassigned code points, and every Extended_Pictographic
 * character (© ® ‼ ⁉ ™ ℹ ↔-↙ ↩ ↪ ▪ ▫ ▶ ◀ ◻-◾ ✔): string-width 8 counts most of them as one
 * column alone, but the string-width 7 that wrap-ansi uses counts them as two (◽ ◾ are two for
 * both). test/ui/text-width.test.ts checks every character of the class against the real
 * libraries.
 *
 * Written with \u escapes only: the bundle stays ASCII.
 */
import stringWidth from 'string-width';

const SINGLE_COLUMN = new RegExp('^['
	// Printable ASCII.
	+ '\\u0020-\\u007E'
	// Latin-1 supplement: no-break space to ¬, ¯ to ÿ (not the soft hyphen U+00AD, ©, ®).
	+ '\\u00A0-\\u00A8\\u00AA-\\u00AC\\u00AF-\\u00FF'
	// Latin Extended-A and -B, IPA extensions, spacing modifier letters.
	+ '\\u0100-\\u02FF'
	// Greek and Coptic (assigned code points only).
	+ '\\u0370-\\u0377\\u037A-\\u037F\\u0384-\\u038A\\u038C\\u038E-\\u03A1\\u03A3-\\u03FF'
	// Cyrillic and Cyrillic Supplement, without the combining U+0483-U+0489.
	+ '\\u0400-\\u0482\\u048A-\\u052F'
	// General punctuation: dashes, quotes, dagger, bullet, ellipsis; per mille to U+205E (not ‼ ⁉).
	+ '\\u2010-\\u2027\\u2030-\\u203B\\u203D-\\u2048\\u204A-\\u205E'
	// Currency symbols.
	+ '\\u20A0-\\u20C0'
	// Letterlike symbols (not ™ ℹ).
	+ '\\u2100-\\u2121\\u2123-\\u2138\\u213A-\\u214F'
	// Arrows and mathematical operators (not ↔-↙ ↩ ↪).
	+ '\\u2190-\\u2193\\u219A-\\u21A8\\u21AB-\\u22FF'
	// Box drawing, block elements and geometric shapes (not ▪ ▫ ▶ ◀ ◻ ◼ ◽ ◾).
	+ '\\u2500-\\u25A9\\u25AC-\\u25B5\\u25B7-\\u25BF\\u25C1-\\u25FA\\u25FF'
	// Dingbats: check marks and ballot x (✓ ✗ ✘; not ✔).
	+ '\\u2713\\u2717\\u2718'
	// Braille patterns (spinners).
	+ '\\u2800-\\u28FF'
	+ ']*$');

/*
 * Ink measures styled text: colours and bold arrive as SGR sequences (ESC [ … m), which take no
 * column. They are removed here as string-width would remove them; any other escape leaves an
 * ESC behind, which is not in the class, so that text goes to string-width whole.
 */
const SGR = /\u001B\[[\d;]*m/g;

/** The width of `text` in columns if every character of it (colours and bold aside) is one column wide, otherwise undefined. */
export function singleColumnLength(text: string): number | undefined {
	const visible = text.includes('\u001B') ? text.replace(SGR, '') : text;
	return SINGLE_COLUMN.test(visible) ? visible.length : undefined;
}

type Measure = (text: string, options?: object) => number;

/**
 * A string-width with the fast path in front; calls with options always go to it. The build
 * puts every library's own string-width behind this (scripts/build.mjs).
 */
export function withSingleColumnFastPath(measure: Measure): Measure {
	return (text, options) => (options === undefined && typeof text === 'string' ? singleColumnLength(text) : undefined) ?? measure(text, options);
}

/** Columns `text` takes in a terminal, for this app's own measuring. */
export const textWidth: (text: string) => number = withSingleColumnFastPath(stringWidth);
