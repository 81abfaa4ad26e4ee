import type {Key} from 'ink';

/** A text field's content and caret. Pure, so forms can edit fields inside a reducer. */
export interface FieldState {
	value: string;
	cursor: number;
}

export const emptyField: FieldState = {value: '', cursor: 0};

/**
 * Applies one key press to a field. Returns undefined for keys that are not editing keys
 * (Tab, Enter, Esc, up/down, Ctrl-C), which the form's key map handles.
 * Characters are inserted as received; the form decides whether to accept the result.
 */
export function editField(field: FieldState, input: string, key: Key): FieldState | undefined {
	if (key.tab || key.upArrow || key.downArrow || key.return || key.escape || (key.ctrl && input === 'c')) return undefined;
	const {value, cursor} = field;
	const at = (position: number) => ({value, cursor: Math.max(0, Math.min(position, value.length))});
	if (key.leftArrow) return at(cursor - 1);
	if (key.rightArrow) return at(cursor + 1);
	if (key.home || (key.ctrl && input === 'a')) return at(0);
	if (key.end || (key.ctrl && input === 'e')) return at(value.length);
	// Most terminals send DEL (0x7f) for Backspace, which Ink reports as "delete".
	if (key.backspace || key.delete) return cursor > 0 ? {value: value.slice(0, cursor - 1) + value.slice(cursor), cursor: cursor - 1} : field;
	if (key.ctrl && input === 'u') return emptyField;
	if (key.ctrl || key.meta || input === '') return undefined;
	return {value: value.slice(0, cursor) + input + value.slice(cursor), cursor: cursor + input.length};
}
