/*
 * Time. A live data folder runs on real time. A training folder (made by `mysign demo`) holds one
 * simulated clock in its database, an offset from real time that the trainer sets or advances
 * (`mysign clock`); every process on the folder reads it with the data, so a room sees one time.
 * No flag or environment variable of one process can move it. Tests inject a clock in-process.
 */
export interface Clock {
	now(): Date;
}

export const systemClock: Clock = {now: () => new Date()};

/** What a database says of its time: real, or real time shifted by `offsetMs` (training folders only). */
export type FolderTime = {kind: 'live'} | {kind: 'training'; offsetMs: number};

/**
 * The clock of a data folder as this process last read it. The store hands it every snapshot it
 * reads, and every operation reads under the lock before it decides, so a `mysign clock advance`
 * in another terminal holds from the next operation of every open portal.
 */
export class FolderClock implements Clock {
	private offsetMs = 0;

	now(): Date {
		return new Date(Date.now() + this.offsetMs);
	}

	observe(time: FolderTime): void {
		this.offsetMs = time.kind === 'training' ? time.offsetMs : 0;
	}
}

/** Simulated instants stay within this century: certificates, CRLs and logs need sane dates. */
export const EARLIEST_SIMULATED = Date.UTC(2000, 0, 1);
export const LATEST_SIMULATED = Date.UTC(2100, 0, 1) - 1;

/** Parses an ISO-8601 date or date-time; returns undefined when it is not one. */
export function parseInstant(text: string): Date | undefined {
	if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return undefined;
	const date = new Date(text);
	return Number.isNaN(date.getTime()) ? undefined : date;
}

const UNITS: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000};

/** "16m", "2h", "3d", "1d2h30m", "45s": a positive span in milliseconds; undefined otherwise. */
export function parseDuration(text: string): number | undefined {
	if (!/^(\d{1,6}[smhd])+$/.test(text)) return undefined;
	let total = 0;
	for (const [, amount, unit] of text.matchAll(/(\d+)([smhd])/g)) total += Number(amount) * UNITS[unit!]!;
	return total > 0 ? total : undefined;
}

export const MINUTE = 60_000;
export const DAY = 86_400_000;
