import {describe, expect, it} from 'vitest';
import {cliDateTime, isoFromStored, isoWithOffset, jsonDocument, zoneName} from '../../source/cli/time.js';

/*
 * The command line's one time formatter (source/cli/time.ts): Italian time with its zone on
 * screen, ISO 8601 with the Italian offset in --json, across both daylight-saving changes.
 */

const cases: {utc: string; text: string; iso: string}[] = [
	{utc: '2026-12-03T13:05:00.000Z', text: '03/12/2026 14:05 CET', iso: '2026-12-03T14:05:00+01:00'},
	{utc: '2026-07-03T13:05:09.120Z', text: '03/07/2026 15:05 CEST', iso: '2026-07-03T15:05:09.120+02:00'},
	// The last minute of winter time and the first of summer time (29 March 2026, 02:00 CET → 03:00 CEST).
	{utc: '2026-03-29T00:59:00.000Z', text: '29/03/2026 01:59 CET', iso: '2026-03-29T01:59:00+01:00'},
	{utc: '2026-03-29T01:00:00.000Z', text: '29/03/2026 03:00 CEST', iso: '2026-03-29T03:00:00+02:00'},
	// 02:30 happens twice on 25 October 2026: the zone tells them apart.
	{utc: '2026-10-25T00:30:00.000Z', text: '25/10/2026 02:30 CEST', iso: '2026-10-25T02:30:00+02:00'},
	{utc: '2026-10-25T01:30:00.000Z', text: '25/10/2026 02:30 CET', iso: '2026-10-25T02:30:00+01:00'},
	// Just before midnight UTC is already the next day in Italy.
	{utc: '2026-12-31T23:30:00.000Z', text: '01/01/2027 00:30 CET', iso: '2027-01-01T00:30:00+01:00'},
];

describe('CLI times', () => {
	it.for(cases)('$utc is $text on screen and $iso in JSON, which reads back to the same instant', ({utc, text, iso}) => {
		const date = new Date(utc);
		expect(cliDateTime('it', date)).toBe(text);
		expect(cliDateTime('en', date)).toBe(text);
		expect(isoWithOffset(date)).toBe(iso);
		expect(new Date(isoWithOffset(date)).toISOString()).toBe(utc);
		expect(isoFromStored(utc)).toBe(iso);
		expect(zoneName(date)).toBe(text.slice(-4).trim());
	});

	it('with seconds, and in a JSON document every Date (nested too) gets the offset; strings stay as they are', () => {
		expect(cliDateTime('it', new Date('2026-12-03T13:05:07Z'), {seconds: true})).toBe('03/12/2026 14:05:07 CET');
		expect(JSON.parse(jsonDocument({at: new Date('2026-12-03T13:05:00Z'), list: [{when: new Date('2026-07-03T13:05:00Z')}], text: '2026-12-03T13:05:00Z', none: null}))).toEqual({
			at: '2026-12-03T14:05:00+01:00',
			list: [{when: '2026-07-03T15:05:00+02:00'}],
			text: '2026-12-03T13:05:00Z',
			none: null,
		});
		expect(isoFromStored(null)).toBeNull();
	});
});
