import {rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {DomainError} from '../../../source/core/errors.js';
import {Outbox} from '../../../source/core/notify/outbox.js';
import {undelivered} from '../../../source/core/otp/undelivered.js';
import {demoPortal, lastSmsCode, logIn, ManualClock, MARIO} from '../../helpers/portal.js';
import {storeOf} from '../../helpers/internals.js';
import {describeError, translator} from '../../../source/ui/i18n/index.js';

/*
 * A code's SMS is written to the outbox after its challenge is committed (a record before an
 * effect). When that write fails, the step is saved and the code never left: the holder is told
 * exactly that (otp.notSent, the file and the reason), not "unexpected error", and "Invia nuovo
 * OTP" recovers once the folder can be written again.
 */

let cleanup: (() => void) | undefined;
afterEach(() => {
	vi.restoreAllMocks();
	cleanup?.();
});

describe('an OTP whose SMS cannot be written after the commit', () => {
	it('says the request is saved and the code not sent, naming the file and the reason; a new OTP then completes the step', async () => {
		const context = await demoPortal(new ManualClock(new Date()));
		cleanup = context.remove;
		const {portal} = context;
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		const full = Object.assign(new Error('no space left on device'), {code: 'ENOSPC', path: `${portal.dataDirectory}/outbox/99.sms.json`});
		const deliver = vi.spyOn(Outbox.prototype, 'deliver').mockRejectedValueOnce(full);

		const refused = await portal.pin.startChange(session, {currentPin: MARIO.pin, newPin: '99887766', newPinAgain: '99887766'}).catch((error: unknown) => error);
		expect(refused).toBeInstanceOf(DomainError);
		expect(refused).toMatchObject({code: 'otp.notSent', params: {reason: 'ENOSPC', file: `${portal.dataDirectory}/outbox/99.sms.json`}});
		expect(deliver).toHaveBeenCalledTimes(1);

		// What was done is on disk: the PIN change with its challenge.
		const db = await storeOf(portal).read();
		const change = db.pinChanges.find(pending => pending.userId === MARIO.userId);
		expect(change?.challengeId).toBeTruthy();

		// The folder can be written again: "Invia nuovo OTP" sends a code that completes the change.
		await portal.otp.resend(session, change!.challengeId!);
		await portal.pin.confirmChange(session, change!.id, await lastSmsCode(portal, MARIO.userId));
		expect(await portal.pin.attemptsLeft(session)).toBeGreaterThan(0);
	});

	it('names the file and what it is when the program refused it (an outbox replaced by a file), in words', async () => {
		const context = await demoPortal(new ManualClock(new Date()));
		cleanup = context.remove;
		const {portal} = context;
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		const outbox = join(portal.dataDirectory, 'outbox');
		rmSync(outbox, {recursive: true, force: true});
		writeFileSync(outbox, '');

		const refused = await portal.pin.startChange(session, {currentPin: MARIO.pin, newPin: '99887766', newPinAgain: '99887766'}).catch((error: unknown) => error);
		expect(refused).toMatchObject({code: 'otp.notSent', params: {file: outbox, reason: 'file.notDirectory'}});
		expect(describeError(translator('it'), refused)).toBe(
			`La richiesta è registrata, ma il codice non è stato inviato (impossibile scrivere ${outbox}: non è una cartella vera). Risolvi il problema, poi premi «Invia nuovo OTP» se la pagina lo offre, altrimenti ripeti la richiesta.`,
		);
		expect(describeError(translator('en'), refused)).toBe(
			`The request is saved, but the code was not sent (could not write ${outbox}: not a real folder). Fix the problem, then press "Send new OTP" where the page offers it, or else make the request again.`,
		);
		// The step is saved, as with a full disk.
		expect((await storeOf(portal).read()).pinChanges.find(pending => pending.userId === MARIO.userId)?.challengeId).toBeTruthy();
	});

	it('says any other failure inside its own message, never an empty file name', async () => {
		const refused = await undelivered(() => Promise.reject(new Error('socket chiuso')), '/dati/outbox')().catch((error: unknown) => error);
		expect(refused).toMatchObject({code: 'otp.notSentBecause'});
		const said = describeError(translator('it'), refused);
		expect(said).toMatch(/^La richiesta è registrata, ma il codice non è stato inviato: .*socket chiuso.* Risolvi il problema/);
		expect(said).not.toContain('impossibile scrivere :');
	});

	it('a database that does not take the message names it and its reason, never "nothing was changed" (the step is saved)', async () => {
		const down = new DomainError('store.unreachable', {store: 'postgres://mysign@db/mysign', reason: 'ECONNREFUSED'});
		const refused = await undelivered(() => Promise.reject(down), 'postgres://mysign@db/mysign outbox')().catch((error: unknown) => error);
		expect(refused).toMatchObject({code: 'otp.notSent', params: {file: 'postgres://mysign@db/mysign', reason: 'ECONNREFUSED'}});
		const said = describeError(translator('en'), refused);
		expect(said).toContain('(could not write postgres://mysign@db/mysign: ECONNREFUSED)');
		expect(said).not.toContain('Nothing was changed');
	});

	it('a full disk whose error names no file (a write or fsync error has no path) names the outbox folder', async () => {
		const full = Object.assign(new Error('no space left on device'), {code: 'ENOSPC'});
		const refused = await undelivered(() => Promise.reject(full), '/dati/outbox')().catch((error: unknown) => error);
		expect(refused).toMatchObject({code: 'otp.notSent', params: {file: '/dati/outbox', reason: 'ENOSPC'}});
		expect(describeError(translator('it'), refused)).toContain('(impossibile scrivere /dati/outbox: ENOSPC)');
	});
});
