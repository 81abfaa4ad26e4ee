import type {Key} from 'ink';

/*
 * Ink splits terminal input only at escape sequences, so keys that arrive in one read
 * ("3" then Tab when typing fast over SSH) reach useInput as one string "3\t". Split such a
 * burst back into key presses: runs of ordinary characters stay together (a paste is one
 * insertion), Tab, Enter and Backspace become their keys, Ctrl+letter codes become those
 * keys as Ink reports them, and any other control character is passed on alone so the form
 * can refuse it with a message.
 */

export const NO_KEY: Key = {
	upArrow: false,
	downArrow: false,
	leftArrow: false,
	rightArrow: false,
	pageDown: false,
	pageUp: false,
	home: false,
	end: false,
	return: false,
	escape: false,
	ctrl: false,
	shift: false,
	tab: false,
	backspace: false,
	delete: false,
	meta: false,
	super: false,
	hyper: false,
	capsLock: false,
	numLock: false,
};

export function splitBurst(input: string, key: Key): {input: string; key: Key}[] {
	if (input.length <= 1 || !/[\u0000-\u001f\u007f]/.test(input)) return [{input, key}];
	const presses: {input: string; key: Key}[] = [];
	let run = '';
	const flush = () => {
		if (run !== '') presses.push({input: run, key: NO_KEY});
		run = '';
	};
	for (const character of input) {
		if (character === '\t') {
			flush();
			presses.push({input: '', key: {...NO_KEY, tab: true}});
		} else if (character === '\r' || character === '\n') {
			flush();
			presses.push({input: '', key: {...NO_KEY, return: true}});
		} else if (character === '\u007f' || character === '\b') {
			flush();
			presses.push({input: '', key: {...NO_KEY, delete: true}});
		} else if (character >= '\u0001' && character <= '\u001a') {
			// Ctrl+letter, reported the way Ink reports a single one.
			flush();
			presses.push({input: String.fromCharCode(character.charCodeAt(0) + 96), key: {...NO_KEY, ctrl: true}});
		} else if (/[\u0000-\u001f]/.test(character)) {
			flush();
			presses.push({input: character, key: NO_KEY});
		} else {
			run += character;
		}
	}
	flush();
	return presses;
}
