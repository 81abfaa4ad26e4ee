import {randomUUID} from 'node:crypto';
import {DAY, MINUTE, type Clock} from '../clock.js';
import {DomainError} from '../errors.js';
import {nextAccessId, type AccessOutcome, type Database, type SessionRecord} from '../store/schema.js';
import type {Store} from '../store/store.js';

/*
 * Logged-in sessions, shared by every process through the store: "Dispositivi e sessioni"
 * lists them and "Esci da tutte le altre sessioni" ends them wherever they run (each TUI
 * polls its own). A session ends after `sessionIdleMinutes` without a key press or after
 * `sessionMaxHours` in all; the TUI warns a minute before the idle end.
 */

export type SessionEndReason = NonNullable<SessionRecord['endReason']>;

export type SessionStatus =
	| {state: 'active'; idleSecondsLeft: number; warning: boolean}
	| {state: 'ended'; reason: SessionEndReason | 'unknown'};

/** Seconds before the idle end when the warning shows. */
export const IDLE_WARNING_SECONDS = 60;
/** Key presses are written at most this often: enough for a timeout counted in minutes. */
const TOUCH_INTERVAL_MS = 5_000;

const END_EVENTS: Record<SessionEndReason, AccessOutcome> = {logout: 'logout', idle: 'session-idle', expired: 'session-expired', 'ended-by-holder': 'sessions-ended', closed: 'session-closed'};

function timeoutOf(db: Database, session: SessionRecord, now: Date): 'idle' | 'expired' | undefined {
	if (now.getTime() - Date.parse(session.startedAt) >= db.settings.sessionMaxHours * 60 * MINUTE) return 'expired';
	if (now.getTime() - Date.parse(session.lastActivityAt) >= db.settings.sessionIdleMinutes * MINUTE) return 'idle';
	return undefined;
}

function endSession(db: Database, session: SessionRecord, reason: SessionEndReason, now: Date): void {
	session.endedAt = now.toISOString();
	session.endReason = reason;
	// "ended-by-holder" is logged once by the session that asked, not once per session ended.
	if (reason !== 'ended-by-holder') db.accessLog.push({id: nextAccessId(db, session.userId), at: now.toISOString(), userId: session.userId, outcome: END_EVENTS[reason], terminal: session.terminal});
}

/** Throws `auth.sessionExpired` unless the session is open, not timed out, and the holder's own. */
export function assertLiveSession(db: Database, session: {id: string; userId: string}, now: Date): void {
	const record = db.sessions.find(entry => entry.id === session.id);
	if (!record || record.userId !== session.userId || record.endedAt !== null || timeoutOf(db, record, now)) throw new DomainError('auth.sessionExpired');
}

export class Sessions {
	constructor(
		private readonly store: Store,
		private readonly clock: Clock,
	) {}

	async open(userId: string, terminal: string): Promise<SessionRecord> {
		return this.store.update(db => {
			const now = this.clock.now();
			// Sessions left open by a process that died are closed as timed out; old ones are forgotten.
			for (const session of db.sessions) {
				const timeout = session.endedAt === null ? timeoutOf(db, session, now) : undefined;
				if (timeout) endSession(db, session, timeout, now);
			}
			db.sessions = db.sessions.filter(session => session.endedAt === null || Date.parse(session.endedAt) > now.getTime() - 7 * DAY);
			const record: SessionRecord = {id: randomUUID(), userId, terminal: terminal.slice(0, 200), startedAt: now.toISOString(), lastActivityAt: now.toISOString(), endedAt: null, endReason: null};
			db.sessions.push(record);
			return record;
		}, userId);
	}

	/** The last snapshot `status` read, and its stamp: every TUI asks once a second, and the file rarely changed. */
	private seen: {stamp: string; db: Database} | undefined;

	/** The session as it stands now; a session past its time is ended here (and logged). */
	async status(session: {id: string; userId: string}, options: {touch?: boolean} = {}): Promise<SessionStatus> {
		const sessionId = session.id;
		// A session is only its own holder's: an id paired with another userID is no session at all.
		const owned = (record: SessionRecord | undefined) => (record?.userId === session.userId ? record : undefined);
		// Parse db.json again only when it changed; timeouts are computed from the clock either way.
		const stamp = await this.store.stamp(session.userId);
		const db = stamp !== undefined && this.seen?.stamp === stamp ? this.seen.db : await this.store.read(session.userId);
		if (stamp !== undefined) this.seen = {stamp, db};
		// After the read: a training folder's clock moved in another terminal holds from here.
		const now = this.clock.now();
		const snapshot = owned(db.sessions.find(entry => entry.id === sessionId));
		if (!snapshot) return {state: 'ended', reason: 'unknown'};
		if (snapshot.endedAt !== null) return {state: 'ended', reason: snapshot.endReason ?? 'unknown'};
		const stale = now.getTime() - Date.parse(snapshot.lastActivityAt) >= TOUCH_INTERVAL_MS;
		// Only write when something changes: a timeout, or a key press after a quiet spell.
		if (timeoutOf(db, snapshot, now) || (options.touch && stale)) {
			return this.store.update(current => {
				const now = this.clock.now();
				const session = owned(current.sessions.find(entry => entry.id === sessionId));
				if (!session) return {state: 'ended', reason: 'unknown'} as const;
				if (session.endedAt !== null) return {state: 'ended', reason: session.endReason ?? 'unknown'} as const;
				const timeout = timeoutOf(current, session, now);
				if (timeout) {
					endSession(current, session, timeout, now);
					return {state: 'ended', reason: timeout} as const;
				}
				session.lastActivityAt = now.toISOString();
				return this.activeStatus(current, session, now);
			}, session.userId);
		}
		return this.activeStatus(db, snapshot, now);
	}

	private activeStatus(db: Database, session: SessionRecord, now: Date): SessionStatus {
		const idleEnd = Date.parse(session.lastActivityAt) + db.settings.sessionIdleMinutes * MINUTE;
		const absoluteEnd = Date.parse(session.startedAt) + db.settings.sessionMaxHours * 60 * MINUTE;
		const idleSecondsLeft = Math.max(0, Math.floor((Math.min(idleEnd, absoluteEnd) - now.getTime()) / 1000));
		return {state: 'active', idleSecondsLeft, warning: idleSecondsLeft <= IDLE_WARNING_SECONDS};
	}

	/** Ends a session; with `userId`, only if it is that holder's. */
	async end(sessionId: string, reason: SessionEndReason, userId?: string): Promise<void> {
		// Without a userID the session is looked for among every holder's.
		await this.store.update(db => {
			const session = db.sessions.find(entry => entry.id === sessionId && (userId === undefined || entry.userId === userId));
			if (!session || session.endedAt !== null) return;
			const now = this.clock.now();
			// A portal closed after its session had already timed out: the timeout is what happened.
			endSession(db, session, (reason === 'closed' ? timeoutOf(db, session, now) : undefined) ?? reason, now);
		}, userId);
	}

	/** The holder's open sessions, newest first. */
	async list(userId: string): Promise<SessionRecord[]> {
		const db = await this.store.read(userId);
		const now = this.clock.now();
		return db.sessions.filter(session => session.userId === userId && session.endedAt === null && !timeoutOf(db, session, now)).reverse();
	}

	/** "Esci da tutte le altre sessioni": ends every other open session of the holder; returns how many. */
	async endOthers(userId: string, keepId: string): Promise<number> {
		return this.store.update(db => {
			const now = this.clock.now();
			const others = db.sessions.filter(session => session.userId === userId && session.id !== keepId && session.endedAt === null);
			for (const session of others) endSession(db, session, 'ended-by-holder', now);
			const keep = db.sessions.find(session => session.id === keepId);
			db.accessLog.push({id: nextAccessId(db, userId), at: now.toISOString(), userId, outcome: 'sessions-ended', terminal: keep?.terminal ?? ''});
			return others.length;
		}, userId);
	}
}
