/** Injectable time source: the real clock, or one started at a fake instant (--now / MYSIGN_NOW) that keeps ticking. */
export interface Clock {
	now(): Date;
}

export const systemClock: Clock = {now: () => new Date()};

/** A clock that starts at `start` and advances in real time, so demos behave naturally from a chosen date. */
export function clockFrom(start: Date): Clock {
	const offset = start.getTime() - Date.now();
	return {now: () => new Date(Date.now() + offset)};
}

/** Parses an ISO-8601 date or date-time; returns undefined when it is not one. */
export function parseInstant(text: string): Date | undefined {
	if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return undefined;
	const date = new Date(text);
	return Number.isNaN(date.getTime()) ? undefined : date;
}

export const MINUTE = 60_000;
export const DAY = 86_400_000;
