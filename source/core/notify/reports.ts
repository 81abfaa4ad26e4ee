import {z} from 'zod';
import type {Clock} from '../clock.js';
import {DomainError} from '../errors.js';
import {requireHolder} from '../holders/identity.js';
import type {SignatureLogStore} from '../history/signature-log.js';
import {italianDay} from '../italian-date.js';
import type {Store} from '../store/store.js';
import type {ChallengeView, Challenges} from '../otp/challenges.js';
import type {OutboxStore} from './outbox.js';
import {recordChange} from './changes.js';
import {messagesFor} from './messages/messages.js';
import type {Database, ReportFrequency, ReportSettings} from '../store/schema.js';

export type {ReportFrequency, ReportSettings} from '../store/schema.js';

/*
 * "Report" (seed 001): the address that receives signature reports and how often: at each
 * signature, a daily summary, or never. Reports are e-mails in the outbox with the quantity,
 * the date and the time. Daily summaries cover whole Italian days already over; they go out
 * after the next signature or when `mysign reports` runs (e.g. from cron). A new address is
 * proved first: a code goes to it, and the change is stored only once that code is confirmed.
 */

export const OPERATION_REPORT_ADDRESS = 'report.address';

/** What "Salva" did: saved, or a code went to the new address and waits for `confirmAddress`. */
export type ReportUpdate = {kind: 'saved'} | {kind: 'confirm'; email: string; challenge: ChallengeView};

function dayBefore(day: string): string {
	const date = new Date(`${day}T12:00:00Z`);
	date.setUTCDate(date.getUTCDate() - 1);
	return date.toISOString().slice(0, 10);
}

export class Reports {
	constructor(
		private readonly store: Store,
		private readonly outbox: OutboxStore,
		private readonly log: SignatureLogStore,
		private readonly clock: Clock,
		private readonly challenges: Challenges,
	) {}

	async settings(userId: string): Promise<ReportSettings & {accountEmail: string}> {
		const holder = requireHolder(await this.store.read(userId), userId);
		return {...holder.report, accountEmail: holder.email};
	}

	/**
	 * "Salva": the frequency, and the address (empty or the account's: the account's). A new
	 * address other than the account's is not stored yet: a code goes to it (`confirm`).
	 */
	async update(userId: string, input: {email: string; frequency: ReportFrequency}): Promise<ReportUpdate> {
		const email = input.email.trim();
		const parsed = z.string().email().max(254).safeParse(email);
		if (email !== '' && !parsed.success) throw new DomainError('report.badEmail');
		const holder = requireHolder(await this.store.read(userId), userId);
		const wanted = email === '' || email.toLowerCase() === holder.email.toLowerCase() ? null : email;
		if (wanted !== null && wanted.toLowerCase() !== holder.report.email?.toLowerCase()) {
			const challenge = await this.challenges.start({userId, operation: OPERATION_REPORT_ADDRESS, data: {email: wanted, frequency: input.frequency}, channel: 'email', emailTo: wanted});
			return {kind: 'confirm', email: wanted, challenge};
		}
		await this.save(userId, wanted === null ? null : holder.report.email, input.frequency);
		return {kind: 'saved'};
	}

	/** The code sent to the new address: only now are the address and the frequency stored. */
	async confirmAddress(userId: string, input: {challengeId: string; email: string; frequency: ReportFrequency; code: string}): Promise<void> {
		// The code and the settings in one write.
		await this.challenges.confirmAnd({challengeId: input.challengeId, userId, operation: OPERATION_REPORT_ADDRESS, data: {email: input.email, frequency: input.frequency}, code: input.code}, (db, now) =>
			saveIn(db, now, userId, input.email, input.frequency),
		);
	}

	private async save(userId: string, email: string | null, frequency: ReportFrequency): Promise<void> {
		await this.store.update(db => saveIn(db, this.clock.now(), userId, email, frequency), userId);
	}

	/** After a signing: the per-signature report, then any daily summary now due. */
	async signed(userId: string, documents: readonly {name: string}[], at: Date): Promise<void> {
		const holder = (await this.store.read(userId)).holders.find(entry => entry.userId === userId);
		if (!holder) return;
		if (holder.report.frequency === 'each') {
			const {subject, text} = messagesFor(holder.language).signatureReport({name: holder.name, surname: holder.surname, userId: holder.userId, at, documents: documents.map(document => document.name)});
			await this.send(userId, holder.report.email ?? holder.email, subject, text, at);
		}
		// Only a daily subscriber may have a summary due: nobody else's signing takes the store lock here.
		if (holder.report.frequency === 'daily') await this.sendDailySummaries(userId);
	}

	/** Daily summaries due for every holder who asked for them; returns how many were sent. */
	async sendAllDailySummaries(): Promise<number> {
		const holders = (await this.store.read()).holders.filter(holder => holder.report.frequency === 'daily');
		let sent = 0;
		for (const holder of holders) sent += await this.sendDailySummaries(holder.userId);
		return sent;
	}

	private async sendDailySummaries(userId: string): Promise<number> {
		const now = this.clock.now();
		const yesterday = dayBefore(italianDay(now));
		// Claim the days under the lock, so two processes never send the same summary.
		const claim = await this.store.update(db => {
			const holder = db.holders.find(entry => entry.userId === userId);
			if (!holder || holder.report.frequency !== 'daily') return undefined;
			const since = holder.report.lastDailyReport ?? dayBefore(yesterday);
			if (since >= yesterday) return undefined;
			holder.report.lastDailyReport = yesterday;
			return {since, holder: {name: holder.name, surname: holder.surname, userId: holder.userId, to: holder.report.email ?? holder.email, language: holder.language}};
		}, userId);
		if (!claim) return 0;
		const perDay = new Map<string, {success: number; failure: number}>();
		for (const record of (await this.log.read(userId)).records) {
			const day = italianDay(new Date(record.at));
			if (day <= claim.since || day > yesterday) continue;
			const counts = perDay.get(day) ?? {success: 0, failure: 0};
			counts[record.outcome] += 1;
			perDay.set(day, counts);
		}
		let sent = 0;
		for (const [day, counts] of [...perDay].sort(([a], [b]) => a.localeCompare(b))) {
			const {subject, text} = messagesFor(claim.holder.language).dailySummary({name: claim.holder.name, surname: claim.holder.surname, userId: claim.holder.userId, day: new Date(`${day}T12:00:00Z`), success: counts.success, failure: counts.failure, generatedAt: now});
			await this.send(userId, claim.holder.to, subject, text, now);
			sent++;
		}
		return sent;
	}

	private async send(userId: string, to: string, subject: string, text: string, at: Date): Promise<void> {
		const {sendEmail} = await import('./email.js');
		await sendEmail(this.store, this.outbox, {userId, to, subject, text, at});
	}
}

/** The report settings, changed in the caller's transaction. */
function saveIn(db: Database, now: Date, userId: string, email: string | null, frequency: ReportFrequency): void {
	const holder = requireHolder(db, userId);
	// A new daily subscription starts with today: no summaries of the past.
	const lastDailyReport = frequency === 'daily' && holder.report.frequency !== 'daily' ? dayBefore(italianDay(now)) : holder.report.lastDailyReport;
	const before = holder.report;
	holder.report = {email, frequency, lastDailyReport};
	// "Salva" with nothing changed is not a change.
	if (before.email !== email || before.frequency !== frequency) {
		recordChange(db, {kind: 'report-changed', userId, oldAddress: before.email ?? holder.email, newAddress: email ?? holder.email, frequency}, now);
	}
}
