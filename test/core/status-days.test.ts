import {afterEach, describe, expect, it} from 'vitest';
import {demoPortal, ManualClock, MARIO, logIn} from '../helpers/portal.js';
import {storeOf} from '../helpers/internals.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/*
 * `mysign status` counts days as the dashboard does: Italian calendar days to the expiry day, 0 on
 * the day itself, whatever the hour (it used to round the raw difference down: "tra 0 giorni" on
 * the morning of the expiry day and "1 giorno fa" at 23:58 the same day).
 */
describe('mysign status: days to expiry', () => {
	it('agrees with the dashboard on the day before, the morning of, and 23:58 of the expiry day', async () => {
		const clock = new ManualClock(new Date());
		const context = await demoPortal(clock);
		cleanup = context.remove;
		const {portal} = context;
		const expiresAt = new Date((await storeOf(portal).read()).certificates.find(entry => entry.userId === MARIO.userId && entry.status === 'active')!.expiresAt);
		// The expiry instant's Italian day, at 08:00 and 23:58 Italian time (UTC+1 in winter, +2 in summer: both stay within the day).
		const day = new Intl.DateTimeFormat('en-CA', {timeZone: 'Europe/Rome'}).format(expiresAt);
		const at = (time: string) => {
			const guess = new Date(`${day}T${time}:00Z`);
			const offset = Number(new Intl.DateTimeFormat('en-GB', {timeZone: 'Europe/Rome', timeZoneName: 'shortOffset'}).formatToParts(guess).find(part => part.type === 'timeZoneName')!.value.replace('GMT', '') || 0);
			return new Date(guess.getTime() - offset * 3_600_000);
		};
		const cases: [Date, number][] = [
			[new Date(at('12:00').getTime() - 86_400_000), 1],
			[at('08:00'), 0],
			[at('23:58'), 0],
		];
		for (const [now, days] of cases) {
			clock.set(now);
			const report = await portal.admin.certificateStatus(MARIO.userId);
			expect(report.daysLeft, now.toISOString()).toBe(days);
			const session = await logIn(portal, MARIO.userId, MARIO.password);
			expect((await portal.certificate.dashboard(session)).lifecycle?.daysLeft, now.toISOString()).toBe(days);
		}
	});
});
