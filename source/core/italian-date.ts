/*
 * The portal's dates are Italian calendar dates (dd/mm/yyyy, Europe/Rome): a suspension ends
 * at the end of an Italian day, and the history's "Dal"/"Al" filters cover whole Italian days.
 */

const ROME = 'Europe/Rome';

/** The calendar day in Italy (YYYY-MM-DD) of an instant. */
export function italianDay(date: Date): string {
	return new Intl.DateTimeFormat('en-CA', {timeZone: ROME, year: 'numeric', month: '2-digit', day: '2-digit'}).format(date);
}

/** Minutes Italy is ahead of UTC at that instant (60 or 120). */
function italianOffsetMinutes(date: Date): number {
	const parts = Object.fromEntries(
		new Intl.DateTimeFormat('en-US', {timeZone: ROME, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric'})
			.formatToParts(date)
			.map(part => [part.type, part.value]),
	);
	const wall = Date.UTC(Number(parts['year']), Number(parts['month']) - 1, Number(parts['day']), Number(parts['hour']), Number(parts['minute']));
	return Math.round((wall - Math.floor(date.getTime() / 60_000) * 60_000) / 60_000);
}

export interface CalendarDay {
	year: number;
	month: number;
	day: number;
}

/** Parses dd/mm/yyyy (as the portal's forms ask); undefined when it is not a real date. */
export function parseItalianDate(text: string): CalendarDay | undefined {
	const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
	if (!match) return undefined;
	const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const probe = new Date(Date.UTC(year, month - 1, day));
	if (probe.getUTCDate() !== day || probe.getUTCMonth() !== month - 1 || year < 1900) return undefined;
	return {year, month, day};
}

/** The instant in Italy at that wall-clock time of that day. */
export function italianWallTime(date: CalendarDay, hours: number, minutes: number, seconds: number, milliseconds = 0): Date {
	const asUtc = new Date(Date.UTC(date.year, date.month - 1, date.day, hours, minutes, seconds, milliseconds));
	return new Date(asUtc.getTime() - italianOffsetMinutes(asUtc) * 60_000);
}

/** The first and last millisecond of an Italian day. */
export function italianDayBounds(date: CalendarDay): {start: Date; end: Date} {
	return {start: italianWallTime(date, 0, 0, 0), end: italianWallTime(date, 23, 59, 59, 999)};
}

/** dd/mm/yyyy of an instant, in Italy. */
export function formatItalianDate(date: Date): string {
	return italianDay(date).split('-').reverse().join('/');
}

/** hh:mm of an instant, in Italy (24-hour clock). */
export function formatItalianTime(date: Date): string {
	return new Intl.DateTimeFormat('it-IT', {timeZone: ROME, hour: '2-digit', minute: '2-digit', hourCycle: 'h23'}).format(date);
}
