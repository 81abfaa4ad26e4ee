import {assertLiveSession} from '../account/sessions.js';
import {DomainError} from '../errors.js';
import {accessSucceeded} from '../history/access-log.js';
import {queryHistory, queryPositions, type HistoryFilter, type HistoryPage} from '../history/query.js';
import type {SignatureRecord} from '../history/signature-log.js';
import type {ReportFrequency, ReportSettings, ReportUpdate} from '../notify/reports.js';
import type {AccessEntry} from '../store/schema.js';
import type {PortalContext} from './context.js';
import type {Session} from './types.js';

type Page = {page: number; pageSize: number};

/** "Cronologia firme", "Visualizza accessi" and "Report". */
export class HistoryService {
	constructor(private readonly context: PortalContext) {}

	/** The holder's signature attempts through the history filters. */
	async signatures(session: Session, filter: HistoryFilter, page: Page): Promise<HistoryPage<SignatureRecord> & {skipped: number}> {
		await this.context.requireSession(session);
		// Columns (times and outcomes); only the page's records are read from their lines.
		for (let attempt = 0; ; attempt++) {
			const log = await this.context.signatureLog.view(session.userId);
			const result = queryPositions(log.times, filter, {...page, now: this.context.clock.now(), ascending: log.ascending, succeeded: index => log.succeeded(index)});
			const items = await log.records(result.items);
			if (items) return {...result, items, skipped: log.skipped};
			// The file changed under the view (replaced, or edited in place): a new view reads it again.
			if (attempt === 2) throw new Error('the signature log keeps changing while it is read');
		}
	}

	/**
	 * `signatures` without waiting, from the columns this process already read (a filter change
	 * draws its result in the same frame as the choice). Undefined when the log has not been
	 * opened here yet, or changed under it: call `signatures`.
	 */
	signaturesNow(session: Session, filter: HistoryFilter, page: Page): (HistoryPage<SignatureRecord> & {skipped: number}) | undefined {
		// Synchronous, so checked against the newest database this process read: every open portal
		// reads it at least once a second (the session watch), and no snapshot at all refuses.
		const snapshot = this.context.lastSnapshot;
		if (!snapshot) throw new DomainError('auth.sessionExpired');
		assertLiveSession(snapshot, session, this.context.clock.now());
		const log = this.context.signatureLog.viewNow(session.userId);
		if (!log) return undefined;
		const result = queryPositions(log.times, filter, {...page, now: this.context.clock.now(), ascending: log.ascending, succeeded: index => log.succeeded(index)});
		const items = log.records(result.items);
		return items ? {...result, items, skipped: log.skipped} : undefined;
	}

	/** The holder's logins through the same filters ("Visualizza accessi"). */
	async accesses(session: Session, filter: HistoryFilter, page: Page): Promise<HistoryPage<AccessEntry>> {
		const {store, clock} = this.context;
		// The holder's file in <data>/access/, then entries db.json holds that it lacks (see Store.save).
		const [logged, snapshot] = await Promise.all([store.accessLog.read(session.userId), this.context.liveSnapshot(session)]);
		const lastId = logged.entries.at(-1)?.id ?? 0;
		const pending = snapshot.accessLog.filter(entry => entry.userId === session.userId && entry.id > lastId);
		const entries = pending.length === 0 ? logged.entries : [...logged.entries, ...pending];
		const times = pending.length === 0 ? logged.times : undefined;
		return queryHistory(entries, filter, {...page, now: clock.now(), times, succeeded: entry => accessSucceeded(entry.outcome)});
	}

	async reportSettings(session: Session): Promise<ReportSettings & {accountEmail: string}> {
		await this.context.requireSession(session);
		return this.context.reports.settings(session.userId);
	}

	/** "Salva": saved, or (a new address) a code sent to that address, to confirm with `confirmReportAddress`. */
	async updateReportSettings(session: Session, input: {email: string; frequency: ReportFrequency}): Promise<ReportUpdate> {
		await this.context.requireSession(session);
		return this.context.reports.update(session.userId, input);
	}

	/** The code sent to the new report address; the address and frequency are stored only now. */
	async confirmReportAddress(session: Session, input: {challengeId: string; email: string; frequency: ReportFrequency; code: string}): Promise<void> {
		await this.context.requireSession(session);
		return this.context.reports.confirmAddress(session.userId, input);
	}

	/** Daily signature summaries now due, for every holder who asked for them; returns how many went out. */
	sendDailyReports(): Promise<number> {
		return this.context.reports.sendAllDailySummaries();
	}
}
