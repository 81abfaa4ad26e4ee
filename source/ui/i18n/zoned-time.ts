import type {Language} from './index.js';

/*
 * A moment as the holder reads it in a detail view: Italian local time with its zone,
 * "03/12/2026 14:05:09 CET" (CEST in summer), whatever the machine's own zone.
 */

const formatters = new Map<Language, Intl.DateTimeFormat>();

export function formatZonedDateTime(language: Language, date: Date): string {
	let format = formatters.get(language);
	if (!format) {
		format = new Intl.DateTimeFormat(language === 'it' ? 'it-IT' : 'en-GB', {timeZone: 'Europe/Rome', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short'});
		formatters.set(language, format);
	}
	const parts = format.formatToParts(date);
	const value = (type: Intl.DateTimeFormatPartTypes) => parts.find(entry => entry.type === type)?.value ?? '';
	// A zone without an abbreviation in this ICU ("GMT+1") is still a zone.
	return `${value('day')}/${value('month')}/${value('year')} ${value('hour')}:${value('minute')}:${value('second')} ${value('timeZoneName')}`;
}
