import {describe, expect, it} from 'vitest';
import {SignatureLog, type SignatureRecord} from '../../source/core/history/signature-log.js';
import type {HistoryFilter, Portal, Session} from '../../source/core/portal.js';
import {demoCopies} from '../helpers/demo-template.js';
import {DEMO_NOW, errorCode, logIn, MARIO, refusal, GIULIA} from '../helpers/portal.js';
import {rawRecords, romeDay} from '../helpers/signature-records.js';

/*
 * "Cronologia firme" and "Visualizza accessi" ("Report": signature-reports.test.ts). The expected
 * counts are computed here from the raw JSON lines with the test's own Italian-day arithmetic,
 * never with query.ts.
 */

const demoCopy = demoCopies();

const MINUTE = 60_000;
const DAY = 86_400_000;

const setup = () => demoCopy();

// ── The test's own calendar: Italian days as "YYYY-MM-DD" ─────────────────────────────────

function ymd(day: string): [number, number, number] {
	return day.split('-').map(Number) as [number, number, number];
}

function plusDays(day: string, days: number): string {
	const [year, month, date] = ymd(day);
	return new Date(Date.UTC(year, month - 1, date + days)).toISOString().slice(0, 10);
}

/** The same day `months` months earlier, or that month's last day when it has no such day. */
function monthsEarlier(day: string, months: number): string {
	const [year, month, date] = ymd(day);
	const lastOfTarget = new Date(Date.UTC(year, month - 1 - months + 1, 0));
	const target = new Date(Date.UTC(year, month - 1 - months, Math.min(date, lastOfTarget.getUTCDate())));
	return target.toISOString().slice(0, 10);
}

interface Expectation {
	since?: string;
	from?: string;
	to?: string;
	outcome?: 'success' | 'failure';
}

function expectedCount(records: readonly SignatureRecord[], expectation: Expectation): number {
	return records.filter(record => {
		const day = romeDay(record.at);
		if (expectation.since && day < expectation.since) return false;
		if (expectation.from && day < expectation.from) return false;
		if (expectation.to && day > expectation.to) return false;
		return !expectation.outcome || record.outcome === expectation.outcome;
	}).length;
}

function filter(partial: Partial<HistoryFilter>): HistoryFilter {
	return {from: '', to: '', period: 'all', outcome: 'all', order: 'newest', ...partial};
}

async function matching(portal: Portal, session: Session, partial: Partial<HistoryFilter>): Promise<number> {
	return (await portal.history.signatures(session, filter(partial), {page: 1, pageSize: 10})).matching;
}


describe('"Cronologia firme" over the demo’s 1000 signatures of GIULIA', () => {
	it('every filter counts what the raw JSON lines say, by Italian days', async () => {
		const {portal, directory, clock} = await setup();
		const session = await logIn(portal, GIULIA.userId, GIULIA.password);
		const records = rawRecords(directory, GIULIA.userId);
		expect(records).toHaveLength(1000);
		const today = romeDay(DEMO_NOW);
		expect(today).toBe('2026-11-24');

		const cases: [Partial<HistoryFilter>, Expectation][] = [
			[{}, {}],
			[{period: 'week'}, {since: plusDays(today, -6)}],
			[{period: 'quarter'}, {since: monthsEarlier(today, 3)}],
			[{from: '01/03/2026', to: '31/03/2026'}, {from: '2026-03-01', to: '2026-03-31'}],
			[{from: '25/10/2026'}, {from: '2026-10-25'}],
			[{to: '29/03/2026'}, {to: '2026-03-29'}],
			[{from: '15/06/2026', to: '15/06/2026'}, {from: '2026-06-15', to: '2026-06-15'}],
			[{outcome: 'success'}, {outcome: 'success'}],
			[{outcome: 'failure'}, {outcome: 'failure'}],
			[{period: 'quarter', outcome: 'failure'}, {since: monthsEarlier(today, 3), outcome: 'failure'}],
			[{outcome: 'success', from: '15/11/2026', to: '21/11/2026'}, {outcome: 'success', from: '2026-11-15', to: '2026-11-21'}],
		];
		for (const [given, expectation] of cases) {
			expect(await matching(portal, session, given), JSON.stringify(given)).toBe(expectedCount(records, expectation));
		}
		// A period with "Dal"/"Al" used to intersect silently (often into 0 rows): now it is refused, said so.
		for (const given of [{period: 'week', from: '01/01/2026'}, {period: 'quarter', from: '01/11/2026'}, {period: 'week', to: '21/11/2026'}, {period: 'quarter', from: '01/09/2026', to: '15/10/2026'}] as const) {
			await expect(matching(portal, session, given), JSON.stringify(given)).rejects.toMatchObject({code: 'history.periodAndDates'});
			await expect(portal.history.accesses(session, filter(given), {page: 1, pageSize: 10}), JSON.stringify(given)).rejects.toMatchObject({code: 'history.periodAndDates'});
		}
		// The cases are not vacuous.
		expect(expectedCount(records, {since: plusDays(today, -6)})).toBeGreaterThan(5);
		expect(expectedCount(records, {since: plusDays(today, -6)})).toBeLessThan(60);
		const failures = expectedCount(records, {outcome: 'failure'});
		expect(failures).toBeGreaterThan(20);
		expect(failures).toBeLessThan(120);

		// Other days of the clock: "today" is the Italian day, 31 − 3 months is the month's last day.
		const later: [string, Partial<HistoryFilter>, Expectation][] = [
			// 00:30 of 29/11 in Rome, still 28/11 in UTC.
			['2026-11-28T23:30:00Z', {period: 'week'}, {since: '2026-11-23'}],
			// 00:30 of 01/12 in Rome: three months back is 01/09, not 30/08.
			['2026-11-30T23:30:00Z', {period: 'quarter'}, {since: '2026-09-01'}],
			// 31/12 − 3 months = 30/09.
			['2026-12-31T12:00:00Z', {period: 'quarter'}, {since: '2026-09-30'}],
		];
		for (const [now, given, expectation] of later) {
			clock.set(new Date(now));
			// Days later the first session has timed out: GIULIA logs in again.
			const again = await logIn(portal, GIULIA.userId, GIULIA.password);
			expect(await matching(portal, again, given), now).toBe(expectedCount(records, expectation));
		}
		// The edges above matter for this data set: there are signatures on the days they exclude.
		expect(expectedCount(records, {from: '2026-11-22', to: '2026-11-22'})).toBeGreaterThan(0);
		expect(expectedCount(records, {from: '2026-08-30', to: '2026-08-31'})).toBeGreaterThan(0);
		expect(expectedCount(records, {from: '2026-09-30', to: '2026-09-30'})).toBeGreaterThan(0);
		// ... on the first day "Ultimi 3 mesi" leaves out at DEMO_NOW, and on the first days both keep.
		for (const day of ['2026-11-18', '2026-08-23', '2026-08-24']) expect(expectedCount(records, {from: day, to: day}), day).toBeGreaterThan(0);
	});

	it('totals 1000, sorts newest or oldest first, and pages (last page partial, beyond the end clamps)', async () => {
		const {portal, directory} = await setup();
		const session = await logIn(portal, GIULIA.userId, GIULIA.password);
		const records = rawRecords(directory, GIULIA.userId);
		const newestFirst = [...records].sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).map(record => record.document);

		const all: string[] = [];
		for (let page = 1; page <= 34; page++) {
			const result = await portal.history.signatures(session, filter({}), {page, pageSize: 30});
			expect(result.total).toBe(1000);
			expect(result.matching).toBe(1000);
			expect(result.pages).toBe(34);
			expect(result.page).toBe(page);
			expect(result.items).toHaveLength(page < 34 ? 30 : 10);
			all.push(...result.items.map(item => item.document));
		}
		expect(all).toEqual(newestFirst);
		const times = all.map(name => Date.parse(records.find(record => record.document === name)!.at));
		for (let index = 1; index < times.length; index++) expect(times[index]!).toBeLessThanOrEqual(times[index - 1]!);

		const beyond = await portal.history.signatures(session, filter({}), {page: 99, pageSize: 30});
		expect([beyond.page, beyond.items.map(item => item.document)]).toEqual([34, newestFirst.slice(990)]);
		const zero = await portal.history.signatures(session, filter({}), {page: 0, pageSize: 30});
		expect(zero.page).toBe(1);
		expect(zero.items.map(item => item.document)).toEqual(newestFirst.slice(0, 30));

		const oldest = await portal.history.signatures(session, filter({order: 'oldest'}), {page: 1, pageSize: 25});
		expect(oldest.pages).toBe(40);
		expect(oldest.items.map(item => item.document)).toEqual([...newestFirst].reverse().slice(0, 25));

		// Paging applies after the filter.
		const failures = await portal.history.signatures(session, filter({outcome: 'failure'}), {page: 2, pageSize: 10});
		const expectedFailures = expectedCount(records, {outcome: 'failure'});
		expect(failures.pages).toBe(Math.ceil(expectedFailures / 10));
		expect(failures.items.every(item => item.outcome === 'failure')).toBe(true);
		expect(failures.items.map(item => item.document)).toEqual(
			[...records]
				.filter(record => record.outcome === 'failure')
				.sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
				.slice(10, 20)
				.map(record => record.document),
		);
	});

	it('refuses dates that are not dd/mm/yyyy days, and a "Dal" after the "Al"', async () => {
		const {portal} = await setup();
		const session = await logIn(portal, GIULIA.userId, GIULIA.password);
		for (const bad of ['31/02/2026', '29/02/2026', '2026-03-01', '32/01/2026', '01/13/2026', '1/1/26', 'ieri', '01/03/2026 10:00']) {
			expect(await refusal(portal.history.signatures(session, filter({from: bad}), {page: 1, pageSize: 10})), bad).toEqual({code: 'history.badFromDate', params: {}});
			expect(await refusal(portal.history.signatures(session, filter({to: bad}), {page: 1, pageSize: 10})), bad).toEqual({code: 'history.badToDate', params: {}});
		}
		expect(await errorCode(portal.history.signatures(session, filter({from: '10/03/2026', to: '09/03/2026'}), {page: 1, pageSize: 10}))).toBe('history.rangeInverted');
		expect(await errorCode(portal.history.signatures(session, filter({from: '10/03/2026', to: '10/03/2026'}), {page: 1, pageSize: 10}))).toBeUndefined();
		expect(await errorCode(portal.history.accesses(session, filter({from: '31/04/2026'}), {page: 1, pageSize: 10}))).toBe('history.badFromDate');
	});

	it('a day is the Italian day, also on the days the clocks change', async () => {
		const {portal, directory} = await setup();
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		const at: Record<string, string> = {
			r1: '2026-03-28T22:59:59.999Z', // 28/03 23:59:59.999 CET
			r2: '2026-03-28T23:00:00.000Z', // 29/03 00:00 CET
			r3: '2026-03-29T00:30:00.000Z', // 29/03 01:30 CET, before the change
			r4: '2026-03-29T01:30:00.000Z', // 29/03 03:30 CEST
			r5: '2026-03-29T21:59:59.999Z', // 29/03 23:59:59.999 CEST
			r6: '2026-03-29T22:00:00.000Z', // 30/03 00:00 CEST
			r7: '2026-10-24T21:59:59.999Z', // 24/10 23:59:59.999 CEST
			r8: '2026-10-24T22:30:00.000Z', // 25/10 00:30 CEST
			r9: '2026-10-25T00:30:00.000Z', // 25/10 02:30 CEST
			r10: '2026-10-25T01:30:00.000Z', // 25/10 02:30 CET, the hour that repeats
			r11: '2026-10-25T22:59:59.999Z', // 25/10 23:59:59.999 CET
			r12: '2026-10-25T23:00:00.000Z', // 26/10 00:00 CET
		};
		const records: SignatureRecord[] = Object.entries(at).map(([name, instant]) => ({at: instant, document: `${name}.pdf`, sha256: null, size: 1, outcome: 'success', reason: null, channel: 'sms', certificateSerial: null}));
		await new SignatureLog(directory).replace(MARIO.userId, records);
		const day = async (from: string, to = from) =>
			(await portal.history.signatures(session, filter({from, to, order: 'oldest'}), {page: 1, pageSize: 50})).items.map(item => item.document.replace('.pdf', ''));
		expect(await day('28/03/2026')).toEqual(['r1']);
		expect(await day('29/03/2026')).toEqual(['r2', 'r3', 'r4', 'r5']);
		expect(await day('30/03/2026')).toEqual(['r6']);
		expect(await day('24/10/2026')).toEqual(['r7']);
		expect(await day('25/10/2026')).toEqual(['r8', 'r9', 'r10', 'r11']);
		expect(await day('26/10/2026')).toEqual(['r12']);
		expect(await day('29/03/2026', '25/10/2026')).toEqual(['r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11']);
		// The test's own calendar agrees.
		expect(romeDay(at['r3']!)).toBe('2026-03-29');
		expect(romeDay(at['r8']!)).toBe('2026-10-25');
	});
});

describe('"Visualizza accessi"', () => {
	it('lists the holder’s logins, right and wrong password, through the same filters', async () => {
		const {portal, clock} = await setup();
		expect((await portal.sessions.login(MARIO.userId, 'Sbagliata&1')).kind).toBe('invalid');
		clock.advance(MINUTE);
		await logIn(portal, MARIO.userId, MARIO.password);
		clock.advance(2 * DAY);
		expect((await portal.sessions.login(MARIO.email, 'Sbagliata&2')).kind).toBe('invalid');
		expect((await portal.sessions.login(MARIO.userId, 'Sbagliata&3')).kind).toBe('invalid');
		// Other people's logins are not MARIO's.
		await logIn(portal, GIULIA.userId, GIULIA.password);
		expect((await portal.sessions.login('JCPD0000', 'Sbagliata&4')).kind).toBe('invalid');
		clock.advance(MINUTE);
		const session = await logIn(portal, MARIO.userId, MARIO.password);

		const page = {page: 1, pageSize: 50};
		const LOGINS = ['success', 'wrong-password', 'locked', 'app-approved'];
		const logins = (entries: {outcome: string}[]) => entries.filter(entry => LOGINS.includes(entry.outcome)).map(entry => entry.outcome);
		const all = await portal.history.accesses(session, filter({}), page);
		expect(logins(all.items)).toEqual(['success', 'wrong-password', 'wrong-password', 'success', 'wrong-password']);
		expect(all.items.every(entry => entry.userId === MARIO.userId)).toBe(true);
		// "Riuscito": the two logins, newest first (account events such as a session that expired may be listed too,
		// as the screen shows them: "Riuscito (…)"); "Fallito": the three wrong passwords, nothing else.
		const succeeded = await portal.history.accesses(session, filter({outcome: 'success'}), page);
		expect(succeeded.items.filter(entry => LOGINS.includes(entry.outcome)).map(entry => [entry.outcome, entry.at])).toEqual([
			['success', clock.now().toISOString()],
			['success', new Date(DEMO_NOW.getTime() + MINUTE).toISOString()],
		]);
		expect(succeeded.items.some(entry => entry.outcome === 'wrong-password' || entry.outcome === 'locked')).toBe(false);
		const failed = await portal.history.accesses(session, filter({outcome: 'failure'}), page);
		expect(failed.items.map(entry => entry.outcome)).toEqual(['wrong-password', 'wrong-password', 'wrong-password']);
		// 26/11: the day of the second batch.
		expect((await portal.history.accesses(session, filter({from: '26/11/2026', to: '26/11/2026', outcome: 'failure'}), page)).matching).toBe(2);
		expect(logins((await portal.history.accesses(session, filter({to: '24/11/2026', order: 'oldest'}), page)).items)).toEqual(['wrong-password', 'success']);
		expect(logins((await portal.history.accesses(session, filter({period: 'week'}), page)).items)).toHaveLength(5);
	});
});

describe('the synchronous query of a log already opened (one frame per filter key)', () => {
	it('gives what signatureHistory gives, sees lines another process appended, and steps aside when the log was never opened or was replaced', async () => {
		const {portal, directory} = await setup();
		const session = await logIn(portal, GIULIA.userId, GIULIA.password);
		const page = {page: 2, pageSize: 7};
		expect(portal.history.signaturesNow(session, filter({}), page)).toBeUndefined();
		await portal.history.signatures(session, filter({}), page);
		for (const given of [{}, {outcome: 'failure'}, {order: 'oldest', period: 'quarter'}, {from: '01/03/2026', to: '31/03/2026'}] as Partial<HistoryFilter>[]) {
			expect(portal.history.signaturesNow(session, filter(given), page), JSON.stringify(given)).toEqual(await portal.history.signatures(session, filter(given), page));
		}
		// Another process appends: the next synchronous query indexes the new line.
		const appended: SignatureRecord = {...rawRecords(directory, GIULIA.userId).at(-1)!, at: DEMO_NOW.toISOString(), document: 'appeso.pdf'};
		await new SignatureLog(directory).append(GIULIA.userId, [appended]);
		const now = portal.history.signaturesNow(session, filter({}), {page: 1, pageSize: 3});
		expect(now?.total).toBe(1001);
		expect(now?.items[0]?.document).toBe('appeso.pdf');
		expect(await portal.history.signatures(session, filter({}), {page: 1, pageSize: 3})).toEqual(now);
		// Replaced (another inode): the asynchronous query reads it again.
		await new SignatureLog(directory).replace(GIULIA.userId, [appended]);
		expect(portal.history.signaturesNow(session, filter({}), page)).toBeUndefined();
		expect((await portal.history.signatures(session, filter({}), page)).total).toBe(1);
		expect(portal.history.signaturesNow(session, filter({}), page)?.total).toBe(1);
	});
});
