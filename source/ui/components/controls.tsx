import {useEffect, useState, type ReactNode} from 'react';
import {Box, Text} from 'ink';
import type {MessageKind} from './form.js';
import type {FieldState} from './text-edit.js';
import {TextInput} from './text-input.js';
import {useDisplay, useUi} from '../context.js';

/**
 * The focus marker is a symbol and bold text, never colour alone; in screen-reader mode it is
 * the word "Selezionato:" before the control in use, and nothing before the others.
 */
export function FocusMarker({focused}: {focused: boolean}) {
	const {t} = useUi();
	const {screenReader} = useDisplay();
	if (screenReader) return focused ? <Text>{t('a11y.focus')} </Text> : null;
	return <Text bold>{focused ? '› ' : '  '}</Text>;
}

/** Secondary text: dimmed, except in the high-contrast theme. */
export function Hint({children, wrap}: {children: ReactNode; wrap?: 'wrap' | 'truncate-end'}) {
	const {highContrast} = useDisplay();
	return (
		<Text dimColor={!highContrast} wrap={wrap}>
			{children}
		</Text>
	);
}

/**
 * A field as a screen reader hears it, on one line: "textbox: Selezionato: Password: 9 caratteri
 * nascosti". The value is said (a masked one only by its length), never a box or a caret.
 */
export function SpokenField({label, field, focused, masked = false, note}: {label: string; field: FieldState; focused: boolean; masked?: boolean; note?: string}) {
	const {t} = useUi();
	const length = [...field.value].length;
	const value = length === 0 ? t('a11y.empty') : masked ? t('a11y.hidden', {count: length}) : field.value;
	return (
		<Box aria-role="textbox">
			<Text>
				<FocusMarker focused={focused} />
				{label}: {value}
				{note ? ` (${note})` : ''}
			</Text>
		</Box>
	);
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
	const {screenReader} = useDisplay();
	if (screenReader) return <SpokenField label={label} field={field} focused={focused} masked={masked} />;
	return (
		<Box flexDirection="column">
			<Text>
				<FocusMarker focused={focused} />
				<Text bold={focused}>{label}</Text>
			</Text>
			<Box marginLeft={2} borderStyle={focused ? 'bold' : 'single'} width={width} paddingX={1} aria-role="textbox">
				<TextInput field={field} placeholder={placeholder} focus={focused} mask={masked ? '•' : undefined} />
			</Box>
		</Box>
	);
}

export function Checkbox({label, checked, focused}: {label: string; checked: boolean; focused: boolean}) {
	const {t} = useUi();
	const {screenReader} = useDisplay();
	const state = ` (${checked ? t('checkbox.checked') : t('checkbox.unchecked')})`;
	return (
		<Box aria-role="checkbox" aria-state={{checked}}>
			<Text>
				<FocusMarker focused={focused} />
				{screenReader ? (
					label + state
				) : (
					<>
						<Text bold={focused}>
							[{checked ? 'x' : ' '}] {label}
						</Text>
						<Hint>{state}</Hint>
					</>
				)}
			</Text>
		</Box>
	);
}

export function Button({label, focused}: {label: string; focused: boolean}) {
	const {screenReader} = useDisplay();
	return (
		<Box aria-role="button">
			<Text>
				<FocusMarker focused={focused} />
				{screenReader ? (
					label
				) : (
					<Text bold={focused} inverse={focused}>
						[ {label} ]
					</Text>
				)}
			</Text>
		</Box>
	);
}

/**
 * A message line: errors carry a ✗, notices an i, results a ✓, and in screen-reader mode the
 * words "Errore:", "Nota:", "Completato:"; the text says what to do next. While the app works
 * (`busy`, "Attendere…") the symbol is a spinner, unless motion is off.
 */
const MESSAGE_STYLE = {
	error: {symbol: '✗ ', word: 'a11y.error', colour: 'red', bright: 'redBright'},
	info: {symbol: 'i ', word: 'a11y.info', colour: 'cyan', bright: 'cyanBright'},
	busy: {symbol: 'i ', word: 'a11y.info', colour: 'cyan', bright: 'cyanBright'},
	success: {symbol: '✓ ', word: 'a11y.success', colour: 'green', bright: 'greenBright'},
} as const;

export function MessageLine({kind, text}: {kind: MessageKind; text: string}) {
	const {t} = useUi();
	const {color, screenReader, highContrast} = useDisplay();
	const style = MESSAGE_STYLE[kind];
	return (
		<Text color={color ? (highContrast ? style.bright : style.colour) : undefined} bold={highContrast} wrap="wrap">
			{screenReader ? `${t(style.word)} ` : kind === 'busy' ? <Spinner /> : style.symbol}
			{text}
		</Text>
	);
}

const SPINNER = {unicode: '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏', ascii: '|/-\\'};
const SPINNER_MS = 80;

/** A turning spinner, or a still "i" with --no-motion and in screen-reader mode. */
export function Spinner() {
	const {motion, unicode} = useDisplay();
	const frames = [...(unicode ? SPINNER.unicode : SPINNER.ascii)];
	const [frame, setFrame] = useState(0);
	useEffect(() => {
		if (!motion) return;
		const timer = setInterval(() => setFrame(value => (value + 1) % frames.length), SPINNER_MS);
		return () => clearInterval(timer);
	}, [motion, frames.length]);
	return <Text>{motion ? `${frames[frame]} ` : 'i '}</Text>;
}

/** A one-line field for forms that must fit 80×24: "› Label  [value]". */
export function InlineField({label, field, focused, masked = false, labelWidth = 42}: {label: string; field: FieldState; focused: boolean; masked?: boolean; labelWidth?: number}) {
	const {screenReader} = useDisplay();
	if (screenReader) return <SpokenField label={label} field={field} focused={focused} masked={masked} />;
	return (
		<Box aria-role="textbox">
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
	const {screenReader} = useDisplay();
	if (screenReader) return <SpokenChoice label={label} options={options} chosen={chosen} focused={focused} />;
	return (
		<Box aria-role="radiogroup">
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
	const {screenReader} = useDisplay();
	if (screenReader) return <SpokenChoice label={label} options={options} chosen={chosen} focused={focused} />;
	return (
		<Box flexDirection="column" aria-role="radiogroup">
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

/** A choice as a screen reader hears it: "radiogroup: Esito: Tutti (scelte possibili: Tutti, Riuscito, Fallito)". */
function SpokenChoice({label, options, chosen, focused}: {label: string; options: readonly string[]; chosen: number; focused: boolean}) {
	const {t} = useUi();
	return (
		<Box aria-role="radiogroup">
			<Text>
				<FocusMarker focused={focused} />
				{label}: {options[chosen] ?? ''} ({t('a11y.choices', {options: options.join(', ')})})
			</Text>
		</Box>
	);
}
