import {Box, Text} from 'ink';
import type {FieldState} from './text-edit.js';
import {TextInput} from './text-input.js';
import {useUi} from '../context.js';

/** The focus marker is a symbol and bold text, never colour alone. */
export function FocusMarker({focused}: {focused: boolean}) {
	return <Text bold>{focused ? '› ' : '  '}</Text>;
}

export interface TextFieldProps {
	label: string;
	field: FieldState;
	placeholder?: string;
	focused: boolean;
	masked?: boolean;
	width?: number;
}

export function TextField({label, field, placeholder, focused, masked = false, width = 50}: TextFieldProps) {
	return (
		<Box flexDirection="column">
			<Text>
				<FocusMarker focused={focused} />
				<Text bold={focused}>{label}</Text>
			</Text>
			<Box marginLeft={2} borderStyle={focused ? 'bold' : 'single'} width={width} paddingX={1} aria-label={label} aria-role="textbox">
				<TextInput field={field} placeholder={placeholder} focus={focused} mask={masked ? '•' : undefined} />
			</Box>
		</Box>
	);
}

export function Checkbox({label, checked, focused}: {label: string; checked: boolean; focused: boolean}) {
	const {t} = useUi();
	return (
		<Box aria-role="checkbox" aria-state={{checked}}>
			<Text>
				<FocusMarker focused={focused} />
				<Text bold={focused}>
					[{checked ? 'x' : ' '}] {label}
				</Text>
				<Text dimColor> ({checked ? t('checkbox.checked') : t('checkbox.unchecked')})</Text>
			</Text>
		</Box>
	);
}

export function Button({label, focused}: {label: string; focused: boolean}) {
	return (
		<Box aria-role="button">
			<Text>
				<FocusMarker focused={focused} />
				<Text bold={focused} inverse={focused}>
					[ {label} ]
				</Text>
			</Text>
		</Box>
	);
}

/** A message line: errors carry a ✗, notices an i, results a ✓; the words say what to do next. */
const MESSAGE_STYLE = {error: {symbol: '✗ ', colour: 'red'}, info: {symbol: 'i ', colour: 'cyan'}, success: {symbol: '✓ ', colour: 'green'}} as const;

export function MessageLine({kind, text}: {kind: 'error' | 'info' | 'success'; text: string}) {
	const {color} = useUi();
	return (
		<Text color={color ? MESSAGE_STYLE[kind].colour : undefined} wrap="wrap">
			{MESSAGE_STYLE[kind].symbol}
			{text}
		</Text>
	);
}

/** A one-line field for forms that must fit 80×24: "› Label  [value]". */
export function InlineField({label, field, focused, masked = false, labelWidth = 42}: {label: string; field: FieldState; focused: boolean; masked?: boolean; labelWidth?: number}) {
	return (
		<Box aria-label={label} aria-role="textbox">
			<Box width={labelWidth} flexShrink={0}>
				<Text>
					<FocusMarker focused={focused} />
					<Text bold={focused}>{label}</Text>
				</Text>
			</Box>
			<Text>[</Text>
			<TextInput field={field} focus={focused} mask={masked ? '•' : undefined} />
			<Text>]</Text>
		</Box>
	);
}

/** The "Annulla" / confirm pair every form ends with; `confirm` names the confirming control. */
export function FormButtons({focused, confirmLabel, confirm = 'confirm'}: {focused: (name: string) => boolean; confirmLabel: string; confirm?: string}) {
	const {t} = useUi();
	return (
		<Box gap={2}>
			<Button label={t('dialog.cancel')} focused={focused('cancel')} />
			<Button label={confirmLabel} focused={focused(confirm)} />
		</Box>
	);
}

/** "Label: ( ) one (•) two ( ) three": the chosen option is marked by a symbol, not by colour. */
export function ChoiceField({label, options, chosen, focused, labelWidth = 14}: {label: string; options: readonly string[]; chosen: number; focused: boolean; labelWidth?: number}) {
	return (
		<Box aria-role="radiogroup" aria-label={`${label}: ${options[chosen] ?? ''}`}>
			<Box width={labelWidth} flexShrink={0}>
				<Text>
					<FocusMarker focused={focused} />
					<Text bold={focused}>{label}</Text>
				</Text>
			</Box>
			<Text wrap="truncate-end">
				{options.map((option, index) => (
					<Text key={option} bold={index === chosen} inverse={focused && index === chosen}>
						{index === chosen ? '(•) ' : '( ) '}
						{option}
						{index < options.length - 1 ? ' ' : ''}
					</Text>
				))}
			</Text>
		</Box>
	);
}

/** A choice with long options, one per line: "(•) option"; ←/→, Space or Enter move the choice. */
export function ChoiceList({label, options, chosen, focused}: {label: string; options: readonly string[]; chosen: number; focused: boolean}) {
	return (
		<Box flexDirection="column" aria-role="radiogroup" aria-label={`${label}: ${options[chosen] ?? ''}`}>
			<Text>
				<FocusMarker focused={focused} />
				<Text bold={focused}>{label}</Text>
			</Text>
			{options.map((option, index) => (
				<Text key={option} wrap="truncate-end" bold={index === chosen} inverse={focused && index === chosen}>
					{'    '}
					{index === chosen ? '(•) ' : '( ) '}
					{option}
				</Text>
			))}
		</Box>
	);
}
