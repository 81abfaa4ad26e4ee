import {afterEach, describe, expect, it, vi} from 'vitest';
import {DomainError} from '../../../source/core/errors.js';
import {Challenges} from '../../../source/core/otp/challenges.js';
import {demoPortal, logIn, ManualClock, MARIO} from '../../helpers/portal.js';
import {storeOf} from '../../helpers/internals.js';

/*
 * A PIN is verified outside the lock and counted inside it. If the OTP message limit fills up in
 * between (other requests of the same holder, in other terminals), the PIN must still be counted:
 * otherwise every request that loses that race is a PIN guess nobody counts (and a right PIN
 * costs more time than a wrong one, which would tell them apart).
 */

let cleanup: (() => void) | undefined;
afterEach(() => {
	vi.restoreAllMocks();
	cleanup?.();
});

const LIMIT = new DomainError('otp.messageLimit', {max: 5, minutes: 15, time: '10:15', date: '24/11/2026'});

/** The limit passes on the snapshot (before the PIN is checked) and is full under the lock. */
function limitFillsUpMeanwhile() {
	const real = Challenges.prototype.assertCanStartIn;
	let calls = 0;
	vi.spyOn(Challenges.prototype, 'assertCanStartIn').mockImplementation(function (this: Challenges, ...args: Parameters<Challenges['assertCanStartIn']>) {
		calls += 1;
		if (calls > 1) throw LIMIT;
		real.apply(this, args);
	});
}

async function setup() {
	const context = await demoPortal(new ManualClock(new Date()));
	cleanup = context.remove;
	return {...context, session: await logIn(context.portal, MARIO.userId, MARIO.password)};
}

const failures = async (portal: Parameters<typeof storeOf>[0]) => (await storeOf(portal).read()).holders.find(holder => holder.userId === MARIO.userId)!.pinFailures;

describe('the OTP limit filling up between the PIN check and the lock', () => {
	it('a wrong PIN is still counted (PIN change)', async () => {
		const {portal, session} = await setup();
		limitFillsUpMeanwhile();
		const refused = await portal.pin.startChange(session, {currentPin: '00000000', newPin: '99887766', newPinAgain: '99887766'}).catch((error: unknown) => error);
		expect(refused).toMatchObject({code: 'pin.wrong'});
		expect(await failures(portal)).toBe(1);
	});

	it('a right PIN is counted as right and the request is refused for the limit, storing no change and no challenge', async () => {
		const {portal, session} = await setup();
		const before = await storeOf(portal).read();
		limitFillsUpMeanwhile();
		const refused = await portal.pin.startChange(session, {currentPin: MARIO.pin, newPin: '99887766', newPinAgain: '99887766'}).catch((error: unknown) => error);
		expect(refused).toBe(LIMIT);
		const after = await storeOf(portal).read();
		expect(after.pinChanges).toEqual(before.pinChanges);
		expect(after.challenges).toEqual(before.challenges);
		expect(await failures(portal)).toBe(0);
	});
});
