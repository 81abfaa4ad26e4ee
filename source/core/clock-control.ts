import {EARLIEST_SIMULATED, LATEST_SIMULATED, parseInstant, type FolderTime} from './clock.js';
import {DomainError} from './errors.js';
import {italianWallTime, parseItalianDate} from './italian-date.js';
import {NO_HOLDER} from './store/scope.js';
import type {Store} from './store/store.js';

/*
 * `mysign clock`: the trainer's control of a training folder's one clock. A live folder refuses
 * every change. Moving the clock does not undo what happened: records written at a later time
 * keep their stamps; the caller reissues the CRL at the new time (see Portal.changeFolderClock).
 */

export type ClockChange = {to: Date} | {advanceMs: number} | {reset: true};

export interface FolderClockView {
	kind: FolderTime['kind'];
	/** The folder's time now. */
	now: Date;
	/** How far it is from real time (0 in a live folder). */
	offsetMs: number;
}

export function describeFolderTime(time: FolderTime, realNow = Date.now()): FolderClockView {
	const offsetMs = time.kind === 'training' ? time.offsetMs : 0;
	return {kind: time.kind, now: new Date(realNow + offsetMs), offsetMs};
}

/** Applies a change under the store's lock; refuses a live folder and instants outside 2000–2099. */
export async function changeFolderTime(store: Store, change: ClockChange): Promise<FolderClockView> {
	return store.update(db => {
		if (db.clock.kind === 'live') throw new DomainError('clock.live');
		const realNow = Date.now();
		const current = realNow + db.clock.offsetMs;
		const target = 'to' in change ? change.to.getTime() : 'advanceMs' in change ? current + change.advanceMs : realNow;
		if (target < EARLIEST_SIMULATED || target > LATEST_SIMULATED) throw new DomainError('clock.outOfRange');
		// Exact: `clock set 10:00` shows 10:00:00, not a rounding of it.
		db.clock = {kind: 'training', offsetMs: Math.round(target - realNow)};
		return describeFolderTime(db.clock, realNow);
	}, NO_HOLDER);
}

/**
 * A trainer's date-time: ISO 8601. Without a zone it is Italian wall-clock time (the time the
 * portal shows), and a date alone is that day's midnight in Italy. Undefined when it is not one.
 */
export function parseTrainerTime(text: string): Date | undefined {
	const instant = parseInstant(text);
	if (!instant) return undefined;
	const [date, rest = '00:00:00'] = text.split(/[T ]/);
	const [year, month, day] = date!.split('-').map(Number) as [number, number, number];
	// A day that does not exist (30 February) is a mistake, not the 2nd of March.
	if (!parseItalianDate(`${day}/${month}/${year}`)) return undefined;
	if (/(Z|[+-]\d{2}:?\d{2})$/.test(text)) return instant;
	const [hours = 0, minutes = 0, seconds = 0] = rest.split(':').map(Number);
	if (hours > 23 || minutes > 59 || seconds >= 60) return undefined;
	const wall = italianWallTime({year, month, day}, hours, minutes, Math.floor(seconds), Math.round((seconds % 1) * 1000));
	// A wall-clock time the spring change skips (02:30 on the last Sunday of March) does not exist in Italy.
	const shown = new Intl.DateTimeFormat('en-GB', {timeZone: 'Europe/Rome', hour: '2-digit', minute: '2-digit', hourCycle: 'h23'}).format(wall);
	return shown === `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}` ? wall : undefined;
}
