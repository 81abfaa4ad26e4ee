import stripAnsi from 'strip-ansi';

/*
 * Terminal safety. Everything that came from a user or a file passes through `toDisplayText`
 * before it reaches the screen, and `findForbiddenCharacter` rejects such characters at input.
 */

// C0 controls (except none: newline and tab are handled by the caller), DEL and C1 controls.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// Bidi embeddings/overrides/isolates, marks, zero-width characters and the BOM.
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
// An OSC or DCS/APC/PM/SOS string that was never terminated: strip-ansi leaves its body.
const UNTERMINATED_STRING = /[\u001b\u009b\u009d\u0090\u009e\u009f\u0098]([\]P^_X]?)[^\u0007\u001b\u009c]*$/;

/** Inert, single-line text: escape sequences removed, other controls and invisible characters dropped. */
export function toDisplayText(value: string, maxLength = 2000): string {
	let text = value.length > maxLength * 4 ? value.slice(0, maxLength * 4) : value;
	text = stripAnsi(text);
	text = text.replace(UNTERMINATED_STRING, '');
	text = text.replace(/[\r\n\t]+/g, ' ');
	text = text.replace(CONTROL, '').replace(INVISIBLE, '');
	return text.length > maxLength ? text.slice(0, maxLength - 1) + '…' : text;
}

/** The first character that may not be typed into a field, or undefined when the text is clean. */
export function findForbiddenCharacter(value: string): string | undefined {
	const match = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/.exec(value);
	return match?.[0];
}

/** Describes a forbidden character for an error message without printing it. */
export function describeCharacter(character: string): string {
	return 'U+' + (character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
}
