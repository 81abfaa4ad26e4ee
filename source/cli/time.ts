import type {Language} from '../ui/i18n/index.js';

/*
 * Every time the command line prints, in one place. On screen: Italian local time with its
 * zone, as the SMS texts and the portal speak (`03/12/2026 14:05 CET`, `… CEST` in summer);
 * in `--json`: ISO 8601 with the Italian offset (`2026-12-03T14:05:00+01:00`), which any
 * parser reads back to the same instant. Dates alone (an expiry day) stay dd/mm/yyyy, the
 * Italian calendar day.
 */

const ROME = 'Europe/Rome';

const formats = new Map<string, Intl.DateTimeFormat>();
function format(language: Language, seconds: boolean): Intl.DateTimeFormat {
	const key = `${language}:${seconds}`;
	let made = formats.get(key);
	if (!made) {
		made = new Intl.DateTimeFormat(language === 'it' ? 'it-IT' : 'en-GB', {
			timeZone: ROME,
			day: '2-digit',
			month: '2-digit',
			year: 'numeric',
			hour: '2-digit',
			minute: '2-digit',
			hourCycle: 'h23',
			timeZoneName: 'short',
			...(seconds ? {second: '2-digit'} : {}),
		});
		formats.set(key, made);
	}
	return made;
}

/** `03/12/2026 14:05 CET` (with `seconds`, `03/12/2026 14:05:09 CET`): Italian time and its zone. */
export function cliDateTime(language: Language, date: Date, options: {seconds?: boolean} = {}): string {
	const parts = format(language, options.seconds ?? false).formatToParts(date);
	const part = (type: Intl.DateTimeFormatPartTypes) => parts.find(entry => entry.type === type)?.value ?? '';
	const time = `${part('hour')}:${part('minute')}${options.seconds ? `:${part('second')}` : ''}`;
	return `${part('day')}/${part('month')}/${part('year')} ${time} ${part('timeZoneName')}`;
}

/*
 * Built on first use, not when the module loads: the first Intl.DateTimeFormat of a process sets
 * up ICU's date formatting (~16–30 ms of CPU), which a command that prints no time (--help, a
 * usage error) need not pay.
 */
let wall: Intl.DateTimeFormat | undefined;
const wallClock = () => (wall ??= new Intl.DateTimeFormat('en-US', {timeZone: ROME, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit'}));

/** `2026-12-03T14:05:00+01:00`: the instant in ISO 8601 with Italy's offset at that instant (milliseconds when there are any). */
export function isoWithOffset(date: Date): string {
	const parts = Object.fromEntries(wallClock().formatToParts(date).map(entry => [entry.type, entry.value]));
	const milliseconds = date.getUTCMilliseconds();
	const local = Date.UTC(Number(parts['year']), Number(parts['month']) - 1, Number(parts['day']), Number(parts['hour']), Number(parts['minute']), Number(parts['second']), milliseconds);
	const offset = Math.round((local - date.getTime()) / 60_000);
	const sign = offset < 0 ? '-' : '+';
	const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
	const minutes = String(Math.abs(offset) % 60).padStart(2, '0');
	const fraction = milliseconds === 0 ? '' : `.${String(milliseconds).padStart(3, '0')}`;
	return `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}:${parts['minute']}:${parts['second']}${fraction}${sign}${hours}:${minutes}`;
}

/** An ISO string as stored (UTC, `Z`) given back with the Italian offset; null stays null. */
export function isoFromStored(value: string | null | undefined): string | null {
	if (value === null || value === undefined) return null;
	const date = new Date(value);
	return Number.isNaN(date.getTime()) ? value : isoWithOffset(date);
}

/** One JSON document for `--json`: every Date in it as ISO 8601 with the Italian offset. */
export function jsonDocument(value: unknown): string {
	return JSON.stringify(value, function (this: Record<string, unknown>, key: string, shown: unknown) {
		const original = key === '' ? value : this[key];
		return original instanceof Date ? (Number.isNaN(original.getTime()) ? null : isoWithOffset(original)) : shown;
	});
}

let zone: Intl.DateTimeFormat | undefined;

/** CET or CEST: Italy's zone at that instant (after an hh:mm the messages already place). */
export function zoneName(date: Date): string {
	return (zone ??= new Intl.DateTimeFormat('en-GB', {timeZone: ROME, timeZoneName: 'short'})).formatToParts(date).find(entry => entry.type === 'timeZoneName')?.value ?? 'CET';
}
