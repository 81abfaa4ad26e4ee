import {Box, Text} from 'ink';
import {useDisplay, useUi} from '../context.js';
import {FocusMarker, Hint, SpokenField} from './controls.js';
import type {FieldState} from './text-edit.js';
import {TextInput} from './text-input.js';

/** A signing-PIN field: digits only (the form enforces it), masked unless shown, with the attempts left. */
export function PinInput({label, field, focused, shown, attemptsLeft}: {label: string; field: FieldState; focused: boolean; shown: boolean; attemptsLeft?: number}) {
	const {t} = useUi();
	const {screenReader} = useDisplay();
	const attempts = attemptsLeft === undefined ? undefined : t('pinInput.attempts', {count: attemptsLeft});
	if (screenReader) return <SpokenField label={label} field={field} focused={focused} masked={!shown} note={attempts} />;
	return (
		<Box flexDirection="column">
			<Text>
				<FocusMarker focused={focused} />
				<Text bold={focused}>{label}</Text>
				{attempts === undefined ? null : <Hint> {attempts}</Hint>}
			</Text>
			<Box marginLeft={2} borderStyle={focused ? 'bold' : 'single'} width={14} paddingX={1} aria-role="textbox">
				<TextInput field={field} focus={focused} mask={shown ? undefined : '•'} placeholder="________" />
			</Box>
		</Box>
	);
}
