import {useState} from 'react';
import {Box, Text} from 'ink';
import {type AccessEntry, type SignatureRecord, toDisplayText} from '../../core/index.js';
import {Hint} from '../components/controls.js';
import {useDisplay, useUi} from '../context.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {useTerminalSize} from '../hooks/use-terminal-size.js';
import type {Binding} from '../keymap.js';
import type {Language, MessageKey, Translate} from '../i18n/index.js';
import {formatZonedDateTime} from '../i18n/zoned-time.js';
import {textWidth} from '../text-width.js';

/*
 * One row of «Cronologia firme» or «Cronologia accessi» opened with Enter: every field in full
 * (the list cuts them to its columns), the reason wrapped, the time with its zone. What does not
 * fit the window scrolls with ↑/↓ and PgUp/PgDn; Esc goes back to the list, on the same row.
 * In screen-reader mode each field is one plain "Label: value" paragraph, no columns.
 */

export type HistoryItem = SignatureRecord | AccessEntry;

const detailBindings: readonly Binding<'up' | 'down' | 'pageUp' | 'pageDown' | 'back'>[] = [
	{action: 'up', keys: ['up'], keyLabel: 'key.arrows', description: 'history.detail.scroll', hint: true},
	{action: 'down', keys: ['down'], keyLabel: 'key.arrows', description: 'history.detail.scroll', hint: false},
	{action: 'pageUp', keys: ['pageUp'], keyLabel: 'key.pageUp', description: 'history.detail.scroll', hint: false},
	{action: 'pageDown', keys: ['pageDown'], keyLabel: 'key.pageDown', description: 'history.detail.scroll', hint: false},
	{action: 'back', keys: ['escape'], keyLabel: 'key.escape', description: 'history.detail.back', hint: true},
];

/** Rows the frame (header, footer, borders) and this view's title and hint line take. */
const CHROME_ROWS = 7;
/** The label column of the drawn (not spoken) view. */
const LABEL_WIDTH = 14;

/** Lines of at most `width` columns: words kept whole where they fit, longer ones cut. */
export function wrapText(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	let used = 0;
	for (const word of text.split(' ').filter(part => part !== '')) {
		const wide = textWidth(word);
		if (used > 0 && used + 1 + wide <= width) {
			line += ` ${word}`;
			used += 1 + wide;
			continue;
		}
		if (used > 0) lines.push(line);
		line = '';
		used = 0;
		for (const character of word) {
			const columns = textWidth(character);
			if (used + columns > width) {
				lines.push(line);
				line = '';
				used = 0;
			}
			line += character;
			used += columns;
		}
	}
	if (used > 0 || lines.length === 0) lines.push(line);
	return lines;
}

/** The fields of a row, in the order shown: label and plain (sanitised) value. */
export function detailFields(t: Translate, language: Language, item: HistoryItem, describe: {accessOutcome: (entry: AccessEntry) => string; reasonLabel: (code: string) => MessageKey | undefined}): [string, string][] {
	const when: [string, string] = [t('history.detail.when'), formatZonedDateTime(language, new Date(item.at))];
	if (!('document' in item)) {
		return [when, [t('history.detail.event'), describe.accessOutcome(item)], [t('history.terminal'), toDisplayText(item.terminal || '-', 200)]];
	}
	const fields: [string, string][] = [when, [t('history.document'), toDisplayText(item.document, 255)], [t('history.outcome'), item.outcome === 'success' ? t('history.success') : t('history.failure')]];
	if (item.outcome === 'failure') {
		const raw = item.reason ?? '';
		const known = describe.reasonLabel(raw);
		// A known code reads as its words (with the code, for whoever looks it up); anything else, in full.
		fields.push([t('history.detail.reason'), known ? `${t(known)} (${raw})` : toDisplayText(raw || '-', 4000)]);
	}
	fields.push(['SHA-256', item.sha256 ?? t('history.detail.none')]);
	fields.push([t('history.detail.channel'), item.channel ? t(`history.detail.channel.${item.channel}` as MessageKey) : t('history.detail.none')]);
	if (item.certificateSerial) fields.push([t('history.detail.serial'), toDisplayText(item.certificateSerial, 80)]);
	return fields;
}

/** The view's lines at `width` columns: drawn as a label column, or spoken as "Label: value" paragraphs. */
export function detailLines(fields: readonly [string, string][], width: number, spoken: boolean): string[] {
	const lines: string[] = [];
	for (const [label, value] of fields) {
		if (spoken) {
			lines.push(...wrapText(`${label}: ${value}`, width));
			continue;
		}
		const wrapped = wrapText(value, Math.max(10, width - LABEL_WIDTH));
		wrapped.forEach((part, index) => lines.push(`${(index === 0 ? label : '').padEnd(LABEL_WIDTH)}${part}`));
	}
	return lines;
}

export function HistoryDetail({active, item, onBack, describe}: {active: boolean; item: HistoryItem; onBack: () => void; describe: Parameters<typeof detailFields>[3]}) {
	const {t, language} = useUi();
	const {screenReader} = useDisplay();
	const {rows, columns} = useTerminalSize();
	const lines = detailLines(detailFields(t, language, item, describe), Math.max(20, columns - 2), screenReader);
	const height = Math.max(3, rows - CHROME_ROWS);
	const last = Math.max(0, lines.length - height);
	const [top, setTop] = useState(0);
	const first = Math.min(top, last);
	useKeymap(
		detailBindings,
		action => {
			if (action === 'back') return onBack();
			const step = action === 'up' ? -1 : action === 'down' ? 1 : action === 'pageUp' ? -height : height;
			setTop(Math.min(last, Math.max(0, first + step)));
		},
		active,
	);
	const shown = lines.slice(first, first + height);
	return (
		<Box flexDirection="column">
			<Text bold>{'document' in item ? t('history.detail.signatureTitle') : t('history.detail.accessTitle')}</Text>
			{shown.map((line, index) => (
				<Text key={first + index} wrap="truncate-end">
					{line}
				</Text>
			))}
			<Hint wrap="truncate-end">
				{last > 0 ? `${t('history.detail.lines', {first: first + 1, last: first + shown.length, total: lines.length})}  ` : ''}
				{last > 0 ? t('history.detail.keysScroll') : t('history.detail.keys')}
			</Hint>
		</Box>
	);
}
