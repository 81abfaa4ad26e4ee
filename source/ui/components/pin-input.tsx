import {Box, Text} from 'ink';
import {useUi} from '../context.js';
import {FocusMarker} from './controls.js';
import type {FieldState} from './text-edit.js';
import {TextInput} from './text-input.js';

/** A signing-PIN field: digits only (the form enforces it), masked unless shown, with the attempts left. */
export function PinInput({label, field, focused, shown, attemptsLeft}: {label: string; field: FieldState; focused: boolean; shown: boolean; attemptsLeft?: number}) {
	const {t} = useUi();
	return (
		<Box flexDirection="column">
			<Text>
				<FocusMarker focused={focused} />
				<Text bold={focused}>{label}</Text>
				{attemptsLeft === undefined ? null : <Text dimColor> {t('pinInput.attempts', {count: attemptsLeft})}</Text>}
			</Text>
			<Box marginLeft={2} borderStyle={focused ? 'bold' : 'single'} width={14} paddingX={1} aria-label={label} aria-role="textbox">
				<TextInput field={field} focus={focused} mask={shown ? undefined : '•'} placeholder="________" />
			</Box>
		</Box>
	);
}
