import {describe, expect, it} from 'vitest';
import {SignatureLog} from '../../source/core/history/signature-log.js';
import type {Portal, ReportFrequency, Session} from '../../source/core/portal.js';
import {demoCopies} from '../helpers/demo-template.js';
import {errorCode, GIULIA, logIn} from '../helpers/portal.js';
import {rawRecords, romeDay} from '../helpers/signature-records.js';
import {storeOf} from '../helpers/internals.js';

/*
 * "Report" of signatures: the daily summaries by Italian day (counted here from the raw JSON
 * lines, never with query.ts), and the report address proved by a code sent to it.
 */

const demoCopy = demoCopies();

const setup = () => demoCopy();

describe('"Report" of signatures', () => {
	/** Signature records for GIULIA at the given instants (as signings would leave them). */
	async function signedAt(directory: string, instants: [string, 'success' | 'failure'][]): Promise<void> {
		await new SignatureLog(directory).append(
			GIULIA.userId,
			instants.map(([at, outcome], index) => ({at, document: `doc-${at}-${index}.pdf`, sha256: null, size: 100, outcome, reason: outcome === 'failure' ? 'otp.wrong' : null, channel: 'push', certificateSerial: null})),
		);
	}

	function countsOn(directory: string, day: string): {success: number; failure: number} {
		const records = rawRecords(directory, GIULIA.userId).filter(record => romeDay(record.at) === day);
		return {success: records.filter(record => record.outcome === 'success').length, failure: records.filter(record => record.outcome === 'failure').length};
	}

	it("'daily' sends one summary per past Italian day with signatures, never twice; 'never' stops them", async () => {
		const {portal, directory, clock} = await setup();
		const emails = () => portal.mailbox.list({userId: GIULIA.userId, kind: 'email'});
		const session = await logIn(portal, GIULIA.userId, GIULIA.password);
		expect((await portal.history.reportSettings(session)).frequency).toBe('daily');
		// The demo subscription starts today: nothing is due yet.
		expect(await portal.history.sendDailyReports()).toBe(0);

		await signedAt(directory, [
			['2026-11-24T10:00:00Z', 'success'],
			['2026-11-24T22:30:00Z', 'failure'], // 23:30 of 24/11 in Rome
			['2026-11-25T12:00:00Z', 'success'],
			['2026-11-25T12:05:00Z', 'success'],
			['2026-11-26T23:30:00Z', 'success'], // 00:30 of 27/11 in Rome; nothing on 26/11
		]);

		clock.set(new Date('2026-11-25T08:00:00Z'));
		expect(await portal.history.sendDailyReports()).toBe(1);
		expect(await portal.history.sendDailyReports()).toBe(0);
		const first = (await emails()).at(-1)!;
		const on24 = countsOn(directory, '2026-11-24');
		expect(on24.failure).toBe(1);
		expect(first.to).toBe(GIULIA.email);
		expect(first.subject).toBe(`Riepilogo giornaliero firme del 24/11/2026: ${on24.success} ${on24.success === 1 ? 'firma' : 'firme'}`);
		expect(first.text).toContain(`firme riuscite: ${on24.success}`);
		expect(first.text).toContain(`tentativi falliti: ${on24.failure}`);

		clock.set(new Date('2026-11-28T07:00:00Z'));
		expect(await portal.history.sendDailyReports()).toBe(2);
		expect(await portal.history.sendDailyReports()).toBe(0);
		const summaries = (await emails()).slice(-2);
		expect(summaries.map(mail => mail.subject)).toEqual(['Riepilogo giornaliero firme del 25/11/2026: 2 firme', 'Riepilogo giornaliero firme del 27/11/2026: 1 firma']);
		expect(countsOn(directory, '2026-11-26')).toEqual({success: 0, failure: 0});
		const sent = (await emails()).length;
		expect(sent).toBe(3);

		// "Mai": no more summaries, whatever happens (days later, in a new session).
		await portal.history.updateReportSettings(await logIn(portal, GIULIA.userId, GIULIA.password), {email: '', frequency: 'never'});
		await signedAt(directory, [['2026-11-28T10:00:00Z', 'success']]);
		clock.set(new Date('2026-11-29T07:00:00Z'));
		expect(await portal.history.sendDailyReports()).toBe(0);
		// The only e-mail since: the notice of the change of settings (issue 18), no summary.
		expect((await emails()).slice(sent).map(mail => mail.subject)).toEqual(['InfoCert MySign: impostazioni dei report modificate']);

		// Subscribing again starts from today, to the address given.
		await setReportAddress(portal, await logIn(portal, GIULIA.userId, GIULIA.password), 'studio@legale.example.it', 'daily');
		await signedAt(directory, [['2026-11-29T10:00:00Z', 'success']]);
		clock.set(new Date('2026-11-30T07:00:00Z'));
		expect(await portal.history.sendDailyReports()).toBe(1);
		const last = (await emails()).at(-1)!;
		expect(last.to).toBe('studio@legale.example.it');
		expect(last.subject).toBe('Riepilogo giornaliero firme del 29/11/2026: 1 firma');
	});

	it('rejects a bad e-mail address (report.badEmail) and keeps the settings', async () => {
		const {portal} = await setup();
		const session = await logIn(portal, GIULIA.userId, GIULIA.password);
		for (const bad of ['giulia@', 'giulia.bianchi', '@example.it', 'giulia bianchi@example.it', 'a@b@example.it']) {
			expect(await errorCode(portal.history.updateReportSettings(session, {email: bad, frequency: 'each'})), bad).toBe('report.badEmail');
		}
		expect(await portal.history.reportSettings(session)).toEqual(expect.objectContaining({email: null, frequency: 'daily', accountEmail: GIULIA.email}));
		await setReportAddress(portal, session, 'ufficio@example.it', 'each');
		expect(await portal.history.reportSettings(session)).toEqual(expect.objectContaining({email: 'ufficio@example.it', frequency: 'each'}));
	});

	it('a new address is proved by a code sent to it, and stored only once that code is confirmed', async () => {
		const {portal} = await setup();
		const session = await logIn(portal, GIULIA.userId, GIULIA.password);
		const before = await portal.history.reportSettings(session);
		const update = await portal.history.updateReportSettings(session, {email: 'ufficio@example.it', frequency: 'each'});
		if (update.kind !== 'confirm') throw new Error('expected a code to confirm');
		expect(update.challenge).toMatchObject({channel: 'email', destination: 'uf*****@ex*****.it'});
		// Nothing stored yet; the code went to the NEW address only.
		expect(await portal.history.reportSettings(session)).toEqual(before);
		const mail = (await portal.mailbox.list({kind: 'email'})).at(-1)!;
		expect(mail.to).toBe('ufficio@example.it');
		const code = /codice (\d{8})/.exec(mail.text)![1]!;
		// The code confirms that address and frequency, nothing else.
		expect(await errorCode(portal.history.confirmReportAddress(session, {challengeId: update.challenge.id, email: 'altro@example.it', frequency: 'each', code}))).toBe('otp.wrongOperation');
		expect(await errorCode(portal.history.confirmReportAddress(session, {challengeId: update.challenge.id, email: 'ufficio@example.it', frequency: 'never', code}))).toBe('otp.wrongOperation');
		expect(await errorCode(portal.history.confirmReportAddress(session, {challengeId: update.challenge.id, email: 'ufficio@example.it', frequency: 'each', code: code === '12345678' ? '87654321' : '12345678'}))).toBe('otp.wrong');
		expect(await portal.history.reportSettings(session)).toEqual(before);
		await portal.history.confirmReportAddress(session, {challengeId: update.challenge.id, email: 'ufficio@example.it', frequency: 'each', code});
		expect(await portal.history.reportSettings(session)).toEqual(expect.objectContaining({email: 'ufficio@example.it', frequency: 'each'}));
		// The account's own address, or the one already proved, needs no code.
		expect(await portal.history.updateReportSettings(session, {email: 'ufficio@example.it', frequency: 'daily'})).toEqual({kind: 'saved'});
		expect(await portal.history.updateReportSettings(session, {email: '', frequency: 'daily'})).toEqual({kind: 'saved'});
		expect(await portal.history.reportSettings(session)).toEqual(expect.objectContaining({email: null, frequency: 'daily'}));
		// After logout the confirmation is refused.
		const again = await portal.history.updateReportSettings(session, {email: 'ufficio@example.it', frequency: 'each'});
		if (again.kind !== 'confirm') throw new Error('expected a code to confirm');
		const second = /codice (\d{8})/.exec((await portal.mailbox.list({kind: 'email'})).at(-1)!.text)![1]!;
		await portal.sessions.logout(session);
		expect(await errorCode(portal.history.confirmReportAddress(session, {challengeId: again.challenge.id, email: 'ufficio@example.it', frequency: 'each', code: second}))).toBe('auth.sessionExpired');
		expect((await storeOf(portal).read()).holders.find(holder => holder.userId === GIULIA.userId)!.report.email).toBeNull();
	});
});

/** Sets a new report address the way the holder must: "Salva", then the code e-mailed to that address. */
async function setReportAddress(portal: Portal, session: Session, email: string, frequency: ReportFrequency): Promise<void> {
	const update = await portal.history.updateReportSettings(session, {email, frequency});
	if (update.kind !== 'confirm') return;
	const code = /codice (\d{8})/.exec((await portal.mailbox.list({kind: 'email'})).at(-1)!.text)![1]!;
	await portal.history.confirmReportAddress(session, {challengeId: update.challenge.id, email: update.email, frequency, code});
}

