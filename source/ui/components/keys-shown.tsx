import {useState} from 'react';
import {Text, type Key} from 'ink';
import {toDisplayText} from '../../core/index.js';
import {useUi} from '../context.js';
import {useKeyObserver} from '../hooks/key-router.js';
import type {Translate} from '../i18n/index.js';
import {Hint} from './controls.js';

/** What stands for a character typed into a text field: never the character itself. */
export const HIDDEN_KEY = '•';

/** How many presses are shown (a run of the same key counts once: "•×8"). */
const SHOWN = 5;
/** Columns the keys may take in the header, label included. */
const MAX_WIDTH = 34;

/** The longest run of typed text shown (its last characters, after "…"). */
const TYPED_SHOWN = 14;

/**
 * The name of a key press as the room should read it, or undefined for presses not worth
 * showing. Named keys (Tab, Invio, arrows, Esc, PgUp/PgDn, Backspace) are always shown.
 * What is typed into a text field (`typing`) is shown as "•" when the field holds a secret
 * (`secret`: password, PIN, OTP, ERC, answer, passphrase, and any field that did not declare
 * `secret: false`), as typed otherwise (user ID, dates, paths, addresses; see `typedText`).
 * Outside text fields characters are commands (m, ?, 1–9).
 */
export function describeKey(t: Translate, input: string, key: Key, typing: boolean, secret = true): string | undefined {
	if (key.return) return t('key.enter');
	if (key.tab) return key.shift ? t('key.shiftTab') : t('key.tab');
	if (key.escape) return t('key.escape');
	if (key.upArrow) return '↑';
	if (key.downArrow) return '↓';
	if (key.leftArrow) return '←';
	if (key.rightArrow) return '→';
	if (key.pageUp) return t('key.pageUp');
	if (key.pageDown) return t('key.pageDown');
	if (key.home) return t('key.home');
	if (key.end) return t('key.end');
	// Most terminals send DEL for Backspace, which Ink reports as "delete"; both erase backwards here.
	if (key.backspace || key.delete) return t('key.backspace');
	if (key.ctrl && /^[a-z]$/.test(input)) return `Ctrl+${input.toUpperCase()}`;
	if (input === '' || /[\u0000-\u001f\u007f]/.test(input)) return undefined;
	if (typing) return secret ? HIDDEN_KEY : TYPED;
	if (key.meta) return `Alt+${toDisplayText(input, 1)}`;
	if (input === ' ') return t('key.space');
	const shown = toDisplayText(input, 8);
	return shown === '' ? undefined : shown;
}

/** describeKey's answer for text typed into a field that is not secret: shown as `typedText` gives it. */
export const TYPED = '\u0000typed';

/** Typed characters of a non-secret field, made safe for the screen; a space as "␣". */
export function typedText(input: string): string {
	return toDisplayText(input.replaceAll(' ', '␣'), 64);
}

/** Typed text joins the run typed before it ("JCPD7173"), its last characters kept. */
export function addTyped(shown: readonly {label: string; count: number; typed?: boolean}[], text: string): {label: string; count: number; typed?: boolean}[] {
	const last = shown.at(-1);
	const joined = last?.typed ? last.label.replace(/^…/, '') + text : text;
	const label = [...joined].length > TYPED_SHOWN ? '…' + [...joined].slice(-(TYPED_SHOWN - 1)).join('') : joined;
	return [...(last?.typed ? shown.slice(0, -1) : shown), {label, count: 1, typed: true}].slice(-SHOWN);
}

/**
 * Appends `times` presses of a key, a repeat of the last one counting up ("↓×3"), and keeps
 * the last few. Typed text counts its characters ("•×8"), however the terminal grouped them.
 */
export function addKey(shown: readonly {label: string; count: number; typed?: boolean}[], label: string, times = 1): {label: string; count: number; typed?: boolean}[] {
	const last = shown.at(-1);
	const next = last?.label === label && !last.typed ? [...shown.slice(0, -1), {label, count: last.count + times}] : [...shown, {label, count: times}];
	return next.slice(-SHOWN);
}

function entryText(entry: {label: string; count: number}): string {
	return entry.count > 1 ? `${entry.label}×${entry.count}` : entry.label;
}

/** `--show-keys`: "Tasti: Tab Invio ↓ •×8 Esc", the oldest dropped first when it does not fit. */
export function KeysShown() {
	const {t} = useUi();
	const [shown, setShown] = useState<{label: string; count: number; typed?: boolean}[]>([]);
	useKeyObserver(({input, key, typing, secret}) => {
		const label = describeKey(t, input, key, typing, secret);
		if (label === TYPED) {
			const text = typedText(input);
			if (text !== '') setShown(current => addTyped(current, text));
		} else if (label !== undefined) setShown(current => addKey(current, label, label === HIDDEN_KEY ? [...input].length : 1));
	});
	const label = t('showKeys.label');
	let entries = shown.map(entryText);
	// Each entry takes a space and its text.
	const width = (list: readonly string[]) => [...label].length + list.reduce((sum, entry) => sum + [...entry].length + 1, 0);
	while (entries.length > 1 && width(entries) > MAX_WIDTH) entries = entries.slice(1);
	return (
		<Text wrap="truncate-start" aria-label={`${label} ${entries.join(', ')}`}>
			<Hint>{label}</Hint>
			{entries.length === 0 ? <Hint> —</Hint> : null}
			{entries.map((entry, index) => (
				// Each key in inverse video (an attribute, not a colour); a space between keys.
				<Text key={`${index}-${entry}`}>
					{' '}
					<Text bold inverse>
						{entry}
					</Text>
				</Text>
			))}
		</Text>
	);
}
