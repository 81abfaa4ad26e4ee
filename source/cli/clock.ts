import {parseDuration, parseTrainerTime, type ClockChange, type FolderClockView, type Portal} from '../core/index.js';
import type {Translate} from '../ui/i18n/index.js';
import {isoWithOffset} from './time.js';
import {UsageError} from './usage.js';

/*
 * `mysign clock [set DATA-ORA | advance DURATA | reset]`: the data folder's clock. Every process
 * on the folder (each open portal, the phone, every command) reads it from the database, so one
 * command moves the time for the whole room. A live folder shows real time and refuses changes.
 */

/** Reads the words after `clock` before anything is opened: a mistake changes nothing. */
export function parseClockWords(t: Translate, words: readonly string[]): ClockChange | undefined {
	const [verb, value, ...rest] = words;
	if (verb === undefined) return undefined;
	if (verb === 'reset' && value === undefined) return {reset: true};
	if (rest.length === 0 && value !== undefined) {
		if (verb === 'set') {
			const to = parseTrainerTime(value);
			if (!to) throw new UsageError(t('clock.badTime', {value}));
			return {to};
		}
		if (verb === 'advance') {
			const advanceMs = parseDuration(value);
			if (advanceMs === undefined) throw new UsageError(t('clock.badDuration', {value}));
			return {advanceMs};
		}
	}
	throw new UsageError(t('cli.unknownCommand', {command: ['clock', ...words].join(' ')}));
}

/** "3 giorni 2 ore 5 minuti" from a span, for the offset line. */
function span(t: Translate, milliseconds: number): string {
	const seconds = Math.round(Math.abs(milliseconds) / 1000);
	const parts: [number, 'clock.days' | 'clock.hours' | 'clock.minutes' | 'clock.seconds'][] = [
		[Math.floor(seconds / 86_400), 'clock.days'],
		[Math.floor((seconds % 86_400) / 3600), 'clock.hours'],
		[Math.floor((seconds % 3600) / 60), 'clock.minutes'],
		[seconds % 60, 'clock.seconds'],
	];
	return parts
		.filter(([count]) => count > 0)
		.map(([count, key]) => t(key, {count}))
		.join(' ');
}

export function clockLines(t: Translate, view: FolderClockView, formatTime: (date: Date) => string): string[] {
	const lines = [t(view.kind === 'live' ? 'clock.live' : 'clock.training', {time: formatTime(view.now), iso: isoWithOffset(view.now)})];
	if (view.offsetMs !== 0) {
		lines.push(t(view.offsetMs > 0 ? 'clock.ahead' : 'clock.behind', {span: span(t, view.offsetMs)}));
		// openssl checks certificates and CRLs against real time unless told the folder's.
		lines.push(t('clock.openssl', {seconds: Math.floor(view.now.getTime() / 1000)}));
	}
	return lines;
}

export async function clockCommand(options: {t: Translate; portal: Portal; change: ClockChange | undefined; json: boolean; formatTime: (date: Date) => string}): Promise<number> {
	const view = options.change ? await options.portal.folder.changeClock(options.change) : await options.portal.folder.clock();
	if (options.json) {
		process.stdout.write(JSON.stringify({kind: view.kind, now: isoWithOffset(view.now), offsetMs: view.offsetMs, attime: Math.floor(view.now.getTime() / 1000)}) + '\n');
	} else {
		process.stdout.write(clockLines(options.t, view, options.formatTime).join('\n') + '\n');
	}
	return 0;
}
