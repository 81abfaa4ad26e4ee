import {DomainError} from '../errors.js';
import {italianDay, italianDayBounds, parseItalianDate, type CalendarDay} from '../italian-date.js';

/*
 * The filters of "Cronologia firme" and "Visualizza accessi" (seed 003 §5): "Dal"/"Al"
 * (whole Italian days, both included), a period ("Vedi tutte le firme", "Ultimi 7 giorni",
 * "Ultimi 3 mesi"), "Esito" (Riuscito / Fallito), "Ordina per" and paging. The constraints
 * apply together, except a period with "Dal"/"Al": that is refused (`history.periodAndDates`),
 * not intersected into an empty list. Pure functions: the screens and the tests share them.
 */

export type HistoryPeriod = 'all' | 'week' | 'quarter';
export type HistoryOutcome = 'all' | 'success' | 'failure';
export type HistoryOrder = 'newest' | 'oldest';

export interface HistoryFilter {
	/** dd/mm/yyyy or empty. */
	from: string;
	to: string;
	period: HistoryPeriod;
	outcome: HistoryOutcome;
	order: HistoryOrder;
}

export const DEFAULT_HISTORY_FILTER: HistoryFilter = {from: '', to: '', period: 'all', outcome: 'all', order: 'newest'};

export interface HistoryPage<T> {
	/** Every entry of the holder ("Totale firme"). */
	total: number;
	/** Entries matching the filter ("Firme visualizzate: x su y" is matching su total). */
	matching: number;
	page: number;
	pages: number;
	items: T[];
}

/** A calendar day `months` months before `date` in Italy (31 March − 1 month = 28/29 February). */
function monthsBefore(date: Date, months: number): CalendarDay {
	const [year, month, day] = italianDay(date).split('-').map(Number) as [number, number, number];
	const target = new Date(Date.UTC(year, month - 1 - months, 1));
	const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
	return {year: target.getUTCFullYear(), month: target.getUTCMonth() + 1, day: Math.min(day, lastDay)};
}

function daysBefore(date: Date, days: number): CalendarDay {
	const [year, month, day] = italianDay(date).split('-').map(Number) as [number, number, number];
	const target = new Date(Date.UTC(year, month - 1, day - days));
	return {year: target.getUTCFullYear(), month: target.getUTCMonth() + 1, day: target.getUTCDate()};
}

/** The instants a filter admits, [start, end] in ms; throws `history.badFromDate`, `history.badToDate`, `history.rangeInverted` or `history.periodAndDates`. */
export function filterBounds(filter: HistoryFilter, now: Date): {start: number; end: number} {
	let start = Number.NEGATIVE_INFINITY;
	let end = Number.POSITIVE_INFINITY;
	if (filter.from.trim() !== '') {
		const day = parseItalianDate(filter.from);
		if (!day) throw new DomainError('history.badFromDate');
		start = italianDayBounds(day).start.getTime();
	}
	if (filter.to.trim() !== '') {
		const day = parseItalianDate(filter.to);
		if (!day) throw new DomainError('history.badToDate');
		end = italianDayBounds(day).end.getTime();
	}
	if (start > end) throw new DomainError('history.rangeInverted');
	// A period and dates together would intersect silently (often into nothing): refused, said so.
	if (filter.period !== 'all' && (filter.from.trim() !== '' || filter.to.trim() !== '')) throw new DomainError('history.periodAndDates', {period: filter.period});
	// "Ultimi 7 giorni": today and the 6 days before; "Ultimi 3 mesi": since the same day 3 months ago.
	if (filter.period !== 'all') {
		const first = filter.period === 'week' ? daysBefore(now, 6) : monthsBefore(now, 3);
		start = Math.max(start, italianDayBounds(first).start.getTime());
	}
	return {start, end};
}

/**
 * Filters, sorts and pages entries; `succeeded` says which outcome an entry counts as (undefined:
 * neither, e.g. a logout, shown only under "Vedi tutti gli esiti").
 * `times` (each entry's instant in ms) may be passed in when the caller keeps them; entries
 * already in time order (the usual case: logs are appended as things happen) are not sorted.
 */
export function queryHistory<T extends {at: string}>(
	entries: readonly T[],
	filter: HistoryFilter,
	options: {now: Date; page: number; pageSize: number; succeeded: (entry: T) => boolean | undefined; times?: readonly number[]},
): HistoryPage<T> {
	const times = options.times ?? entries.map(entry => Date.parse(entry.at));
	const result = queryPositions(times, filter, {...options, succeeded: index => options.succeeded(entries[index]!)});
	return {...result, items: result.items.map(index => entries[index]!)};
}

/**
 * `queryHistory` over columns: the entries are only their times (in ms, in recorded order) and
 * `succeeded(index)`; the page's items are the indexes of the entries it shows. `ascending`
 * says the times are known to be in order (no check, no sort).
 */
export function queryPositions(
	times: ArrayLike<number>,
	filter: HistoryFilter,
	options: {now: Date; page: number; pageSize: number; succeeded: (index: number) => boolean | undefined; ascending?: boolean},
): HistoryPage<number> {
	const {start, end} = filterBounds(filter, options.now);
	const count = times.length;
	let ascending = options.ascending ?? true;
	if (options.ascending === undefined) {
		for (let index = 1; index < count; index++) {
			if (times[index]! < times[index - 1]!) {
				ascending = false;
				break;
			}
		}
	}
	// Stable: equal times keep the order they were recorded in. Logs in time order need no sort.
	let order: number[] | undefined;
	if (!ascending) order = Array.from({length: count}, (_, index) => index).sort((a, b) => times[a]! - times[b]! || a - b);
	const wanted = filter.outcome === 'all' ? undefined : filter.outcome === 'success';
	const newest = filter.order === 'newest';
	const matching = new Int32Array(count);
	let found = 0;
	for (let step = 0; step < count; step++) {
		const position = newest ? count - 1 - step : step;
		const index = order ? order[position]! : position;
		const at = times[index]!;
		if (at < start || at > end) continue;
		if (wanted !== undefined && options.succeeded(index) !== wanted) continue;
		matching[found++] = index;
	}
	const pageSize = Math.max(1, Math.floor(options.pageSize));
	const pages = Math.max(1, Math.ceil(found / pageSize));
	const page = Math.min(Math.max(1, Math.floor(options.page)), pages);
	return {total: count, matching: found, page, pages, items: Array.from(matching.subarray((page - 1) * pageSize, Math.min(found, page * pageSize)))};
}
