import {Text} from 'ink';
import {useDisplay} from '../context.js';
import type {FieldState} from './text-edit.js';

export interface TextInputProps {
	field: FieldState;
	focus: boolean;
	mask?: string;
	placeholder?: string;
}

/** Draws a single-line field with a block caret; editing happens in the form's reducer (see text-edit.ts). */
export function TextInput({field, focus, mask, placeholder = ''}: TextInputProps) {
	const {value, cursor} = field;
	// The placeholder is dimmed, except in the high-contrast theme.
	const dim = !useDisplay().highContrast;
	const shown = mask ? mask.repeat([...value].length) : value;
	// An empty field without a placeholder keeps its row (an empty Text has no height: the box would shrink).
	if (!focus) return <Text dimColor={dim && value === ''}>{value === '' ? placeholder || ' ' : shown}</Text>;
	if (value === '') {
		return (
			<Text>
				<Text inverse>{placeholder.slice(0, 1) || ' '}</Text>
				<Text dimColor={dim}>{placeholder.slice(1)}</Text>
			</Text>
		);
	}
	const characters = [...shown];
	const caret = [...value.slice(0, cursor)].length;
	return (
		<Text>
			{characters.slice(0, caret).join('')}
			<Text inverse>{characters[caret] ?? ' '}</Text>
			{characters.slice(caret + 1).join('')}
		</Text>
	);
}
