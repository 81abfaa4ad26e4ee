import {chmod, mkdir, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {Low} from 'lowdb';
import {DomainError} from '../errors.js';
import {AccessLog} from '../history/access-log.js';
import {Outbox} from '../notify/outbox.js';
import {deliverQueued} from '../notify/queue.js';
import {bindDatabase, type KeyFingerprints} from '../key-binding.js';
import {writeCheckedStamp} from './checked-stamp.js';
import {AtomicJsonFile} from './json-file.js';
import {FileLock} from './lock.js';
import {ACTING_TERMINAL, databaseSchema, type Database} from './schema.js';

const MISSING = Object.freeze({}) as Database;

/** What an operation does once its change is committed (under the lock still): e.g. write an OTP's SMS to the outbox. */
export type AfterCommit = () => Promise<void>;

/** What `Store.update` gives an operation besides the draft database. */
export interface Transaction {
	/** Runs `effect` after the commit, even if an earlier effect failed; never if the change throws or the write fails. */
	afterCommit(effect: AfterCommit): void;
}

/**
 * The database every process shares. Every change is one operation:
 * lock → re-read from disk → validate → change → write → unlock.
 * Nothing is ever written from an in-memory copy older than the lock.
 */
export class Store {
	readonly file: string;
	private readonly adapter: AtomicJsonFile<Database>;
	private readonly lock: FileLock;
	/** Where the entries an operation pushed to `db.accessLog` go (see history/access-log.ts). */
	readonly accessLog: AccessLog;
	/** Where the messages an operation queued in `db.notices` go (see notify/queue.ts). */
	private readonly outbox: Outbox;
	private cleaned = false;
	/** The keys this process uses with the database: every write checks (or first records) them. */
	private keyFingerprints: KeyFingerprints | undefined;
	/** This process's terminal, given to every operation's snapshot (see ACTING_TERMINAL); set by the portal. */
	actingTerminal: string | undefined;

	/**
	 * @param observe sees every snapshot this store reads or writes (the folder clock reads its
	 *   time from them: see clock.ts).
	 */
	constructor(
		readonly directory: string,
		private readonly observe: (db: Database) => void = () => undefined,
	) {
		this.file = join(directory, 'db.json');
		this.adapter = new AtomicJsonFile(this.file, databaseSchema);
		this.lock = new FileLock(join(directory, 'db.lock'));
		this.accessLog = new AccessLog(directory);
		this.outbox = new Outbox(directory);
	}

	/** From now on, every write refuses a database bound to other keys (see key-binding.ts). */
	bindKeys(fingerprints: KeyFingerprints): void {
		this.keyFingerprints = fingerprints;
	}

	/** Creates the data folder (0700) when missing: only when creating a database, never to read one. */
	async ensureDirectory(): Promise<void> {
		const existed = await stat(this.directory).then(() => true, () => false);
		await mkdir(this.directory, {recursive: true, mode: 0o700});
		if (!existed) await chmod(this.directory, 0o700);
	}

	async exists(): Promise<boolean> {
		return stat(this.file).then(() => true, () => false);
	}

	/**
	 * What identifies the file's current content: every write replaces it (a new inode), so an
	 * unchanged stamp means an unchanged database. Undefined when there is no file.
	 */
	async stamp(): Promise<string | undefined> {
		const info = await stat(this.file).catch(() => undefined);
		return info ? `${info.ino}:${info.size}:${info.mtimeMs}` : undefined;
	}

	/** A validated snapshot, for display. Writers never use it: `update` re-reads under the lock. */
	async read(): Promise<Database> {
		const data = await this.adapter.read();
		if (data === null) throw new DomainError('store.missing', {file: this.file});
		this.observe(data);
		return data;
	}

	/**
	 * Runs one operation under the cross-process lock and saves what `change` did. Effects
	 * `change` registers with `transaction.afterCommit` run once db.json is written, still under
	 * the lock, in order (a record before an effect: an OTP's SMS is written to the outbox only
	 * once its challenge is committed). Each effect runs even if an earlier one failed (one
	 * message not written does not keep back the others); then, if any failed, `update` rejects
	 * with the first error, the change staying committed.
	 */
	async update<R>(change: (db: Database, transaction: Transaction) => R | Promise<R>): Promise<R> {
		return this.lock.with(async () => {
			await this.cleanOnce();
			// lowdb keeps its default data when the file is missing; a sentinel default tells the two apart.
			const low = new Low<Database>(this.adapter, MISSING);
			await low.read();
			if (low.data === MISSING) throw new DomainError('store.missing', {file: this.file});
			if (this.keyFingerprints) bindDatabase(low.data, this.directory, this.keyFingerprints);
			this.observe(low.data);
			if (this.actingTerminal !== undefined) Object.defineProperty(low.data, ACTING_TERMINAL, {value: this.actingTerminal, enumerable: false});
			// Entries already in db.json: the last operation's (see `save`), or an older file's whole access log.
			const carried = low.data.accessLog.length;
			const carriedNotices = low.data.notices.length;
			const effects: AfterCommit[] = [];
			const result = await change(low.data, {afterCommit: effect => void effects.push(effect)});
			await this.save(low, carried, carriedNotices);
			this.observe(low.data);
			let failure: {error: unknown} | undefined;
			for (const effect of effects) {
				try {
					await effect();
				} catch (error) {
					failure ??= {error};
				}
			}
			if (failure) throw failure.error;
			return result;
		});
	}

	/** Creates the database with `initial()` unless a valid one already exists. Returns true if it created it. */
	async initialize(initial: () => Database | Promise<Database>, options: {replace?: boolean} = {}): Promise<boolean> {
		await this.ensureDirectory();
		return this.lock.with(async () => {
			await this.cleanOnce();
			if (!options.replace && (await this.adapter.read()) !== null) return false;
			const data = await initial();
			if (this.keyFingerprints) bindDatabase(data, this.directory, this.keyFingerprints);
			const low = new Low<Database>(this.adapter, data);
			await this.save(low, 0);
			this.observe(low.data);
			return true;
		});
	}

	/**
	 * Writes (validated, atomic) under the lock, then says this program wrote it (see checked-stamp.ts).
	 * Access-log entries leave db.json like a write-ahead log: the first `carried` entries (written
	 * by an earlier operation) are appended to <data>/access/ unless they are there already; the
	 * write of db.json, holding only this operation's entries, commits it; then they are appended
	 * too, and the next write drops them. A crash on either side loses no entry and never logs an
	 * operation that did not commit (its identifiers would be handed out again).
	 */
	private async save(low: Low<Database>, carried: number, carriedNotices = 0): Promise<void> {
		const entries = low.data.accessLog;
		if (carried > 0) await this.accessLog.append(entries.slice(0, carried));
		low.data.accessLog = entries.slice(carried);
		// The messages announcing a change (notify/changes.ts) go the same way, to the outbox.
		const notices = low.data.notices;
		if (carriedNotices > 0) await deliverQueued(this.outbox, notices.slice(0, carriedNotices));
		low.data.notices = notices.slice(carriedNotices);
		await low.write();
		writeCheckedStamp(this.directory, {loginMaxAttempts: low.data.settings.loginMaxAttempts});
		// Committed: a failure here (a full disk) is retried by the next write.
		if (low.data.accessLog.length > 0) await this.accessLog.append(low.data.accessLog).catch(() => undefined);
		if (low.data.notices.length > 0) await deliverQueued(this.outbox, low.data.notices).catch(() => undefined);
	}

	private async cleanOnce(): Promise<void> {
		if (this.cleaned) return;
		this.cleaned = true;
		await this.adapter.removeStrayTemporaries();
		// An OTP's SMS is written after the commit, under the lock: a writer killed there leaves its temp file in outbox/.
		await this.outbox.removeStrayTemporaries();
	}
}
