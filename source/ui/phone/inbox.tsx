import {Box, Text} from 'ink';
import {toDisplayText, type OutboxMessage} from '../../core/index.js';
import {Hint} from '../components/controls.js';
import {useDisplay, useUi} from '../context.js';
import {formatDate, formatTime, type Language} from '../i18n/index.js';
import {textWidth} from '../text-width.js';

/*
 * The phone's SMS inbox, newest first, in the rows left under the pinned code: whole messages,
 * wrapped by word to the width, from a first shown message PgUp/PgDn move; a line above and
 * below says how many messages are out of view, so nothing is cut silently.
 */

/** The longest text of one SMS shown (a real SMS is 160 characters; the outbox may hold anything). */
const MAX_TEXT = 300;

export interface InboxEntry {
	id: number;
	lines: string[];
}

/** Words into lines of at most `width` columns; a word longer than a line is cut into pieces. */
export function wrapWords(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/).filter(part => part !== '')) {
		let rest = word;
		while (textWidth(rest) > width) {
			if (line !== '') lines.push(line);
			line = '';
			let piece = '';
			for (const character of rest) {
				if (textWidth(piece + character) > width) break;
				piece += character;
			}
			lines.push(piece);
			rest = rest.slice(piece.length);
		}
		if (rest === '') continue;
		if (line === '') line = rest;
		else if (textWidth(`${line} ${rest}`) <= width) line = `${line} ${rest}`;
		else {
			lines.push(line);
			line = rest;
		}
	}
	if (line !== '' || lines.length === 0) lines.push(line);
	return lines;
}

/** Each message (newest first) as the lines it takes: its date and time, then its text. */
export function inboxEntries(language: Language, messages: readonly OutboxMessage[], width: number): InboxEntry[] {
	return messages.map(message => {
		const at = new Date(message.at);
		const text = `${formatDate(language, at)} ${formatTime(language, at)} ${toDisplayText(message.text, MAX_TEXT)}`;
		return {id: message.id, lines: wrapWords(text, Math.max(10, width))};
	});
}

export interface InboxPage {
	/** Index of the first message shown. */
	first: number;
	/** The messages shown, whole (only a single message taller than the room is cut). */
	shown: InboxEntry[];
	newer: number;
	older: number;
}

/** The messages from `first` that fit `rows`, leaving a row for each "n more" line needed. */
export function inboxPage(entries: readonly InboxEntry[], first: number, rows: number): InboxPage {
	const start = Math.max(0, Math.min(first, entries.length - 1));
	const fit = (room: number) => {
		const shown: InboxEntry[] = [];
		let used = 0;
		for (let index = start; index < entries.length; index++) {
			const lines = entries[index]!.lines;
			if (used + lines.length > room) {
				if (shown.length === 0) shown.push({...entries[index]!, lines: lines.slice(0, Math.max(1, room))});
				break;
			}
			shown.push(entries[index]!);
			used += lines.length;
		}
		return shown;
	};
	const room = rows - (start > 0 ? 1 : 0);
	let shown = fit(room);
	if (start + shown.length < entries.length) shown = fit(room - 1);
	return {first: start, shown, newer: start, older: Math.max(0, entries.length - start - shown.length)};
}

/** The first message of the last page: the oldest messages that fill the rows. */
export function lastPageStart(entries: readonly InboxEntry[], rows: number): number {
	let start = Math.max(0, entries.length - 1);
	while (start > 0 && inboxPage(entries, start - 1, rows).older === 0) start--;
	return start;
}

/** Where PgDn goes from a page: just after its last message, or the last page. */
export function nextPageStart(entries: readonly InboxEntry[], page: InboxPage, rows: number): number {
	return Math.min(page.first + Math.max(1, page.shown.length), lastPageStart(entries, rows));
}

/** Where PgUp goes from `first`: the earlier messages that fill the rows, ending just above it. */
export function previousPageStart(entries: readonly InboxEntry[], first: number, rows: number): number {
	let start = first;
	while (start > 0) {
		const page = inboxPage(entries, start - 1, rows);
		if (page.first + page.shown.length < first) break;
		start--;
	}
	return start === first ? Math.max(0, first - 1) : start;
}

export function Inbox({page, total}: {page: InboxPage; total: number}) {
	const {t} = useUi();
	const {screenReader, unicode} = useDisplay();
	const more = (kind: 'newer' | 'older', count: number) => {
		const text = t(kind === 'newer' ? 'phone.newer' : 'phone.older', {count});
		const arrow = screenReader ? '' : kind === 'newer' ? (unicode ? '▲ ' : '^ ') : unicode ? '▼ ' : 'v ';
		return <Text bold>{arrow + text}</Text>;
	};
	return (
		<Box flexDirection="column">
			<Text bold>{t('phone.inboxCount', {count: total})}</Text>
			{total === 0 ? <Hint>{t('phone.empty')}</Hint> : null}
			{page.newer > 0 ? more('newer', page.newer) : null}
			{page.shown.map(entry => (
				<Box key={entry.id} flexDirection="column">
					{entry.lines.map((line, index) => (
						<Text key={index} wrap="truncate-end">
							{index === 0 ? <Hint>{line.split(' ').slice(0, 2).join(' ')}</Hint> : null}
							{index === 0 ? line.split(' ').slice(2).join(' ').replace(/^/, ' ') : line}
						</Text>
					))}
				</Box>
			))}
			{page.older > 0 ? more('older', page.older) : null}
		</Box>
	);
}
