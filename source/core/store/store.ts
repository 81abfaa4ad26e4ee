import {chmod, mkdir, stat} from 'node:fs/promises';
import {Low} from 'lowdb';
import {DomainError} from '../errors.js';
import type {AccessLogStore} from '../history/access-log.js';
import type {OutboxStore} from '../notify/outbox.js';
import {accessLogOf, outboxOf} from './postgres/logs.js';
import {deliverQueued} from '../notify/queue.js';
import {bindDatabase, type KeyFingerprints} from '../key-binding.js';
import {writeCheckedStamp} from './checked-stamp.js';
import {FolderBackend, type DocumentSource, type StoreBackend} from './backend.js';
import {storeUrlOf} from './location.js';
import {PostgresBackend} from './postgres/documents.js';
import {isUserId} from '../holders/user-id.js';
import {mergeDocuments, type GlobalDocument, type HolderIndex, type ListedCertificate} from './partition.js';
import {holdersIn, MISSING, PartitionedAdapter, rebuiltIndex, scoped, withoutStrays} from './partitioned-adapter.js';
import type {Scope} from './scope.js';
import {ACTING_TERMINAL, OUTBOX_NUMBERS, type Database} from './schema.js';

export {NO_HOLDER, type Scope} from './scope.js';

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
	/** db.json (its file, or its row in the database): what messages name. */
	readonly file: string;
	/** Where the documents are: the folder's files, or a PostgreSQL database (see backend.ts). */
	readonly backend: StoreBackend;
	/** The PostgreSQL URL the store uses, undefined for the folder's files. */
	readonly url: string | undefined;
	/** Where the entries an operation pushed to `db.accessLog` go (see history/access-log.ts). */
	readonly accessLog: AccessLogStore;
	/** Where the messages an operation queued in `db.notices` go (see notify/queue.ts). */
	private readonly outbox: OutboxStore;
	private cleaned = false;
	/** The keys this process uses with the database: every write checks (or first records) them. */
	private keyFingerprints: KeyFingerprints | undefined;
	/** This process's terminal, given to every operation's snapshot (see ACTING_TERMINAL); set by the portal. */
	actingTerminal: string | undefined;

	/**
	 * @param observe sees every snapshot this store reads or writes (the folder clock reads its
	 *   time from them: see clock.ts).
	 * @param store a PostgreSQL URL (tests, a portal option); by default this process's --store or
	 *   the folder's store.url (see location.ts), else the folder's own files.
	 */
	constructor(
		readonly directory: string,
		private readonly observe: (db: Database) => void = () => undefined,
		store?: string,
	) {
		this.url = storeUrlOf(directory, store);
		this.backend = this.url === undefined ? new FolderBackend(directory) : new PostgresBackend(this.url);
		this.file = this.backend.top;
		// The logs live where the documents do: the folder's files, or the same database.
		this.accessLog = accessLogOf(directory, this.url);
		this.outbox = outboxOf(directory, this.url);
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
		return this.backend.exists();
	}

	/**
	 * What identifies the file's current content: every write replaces it (a new inode), so an
	 * unchanged stamp means an unchanged database. Undefined when there is no file.
	 */
	async stamp(scope?: Scope): Promise<string | undefined> {
		// A scope names its holders without reading anything (see holdersIn).
		return this.backend.stamp(scope === undefined ? 'all' : isUserId(scope) ? [scope] : []);
	}

	/** A validated snapshot of `scope`, for display. Writers never use it: `update` re-reads under the lock. */
	async read(scope?: Scope): Promise<Database> {
		// One commit, never db.json of one and documents of another (see StoreBackend.snapshot).
		const data = await this.backend.snapshot(async source => {
			const top = await source.readTop();
			if (top.kind === 'missing') throw new DomainError('store.missing', {file: this.file});
			return top.kind === 'whole' ? scoped(top.db, scope) : this.load(source, top.global, scope);
		});
		this.observe(data);
		return data;
	}

	/**
	 * The holder whose e-mail address this is (any case), from holders/index.json: what a login,
	 * a recovery or a change of address by e-mail scopes its operation to. Under the lock (inside
	 * an update) the answer is current; outside it, as current as any snapshot.
	 */
	async holderIdByEmail(email: string): Promise<string | undefined> {
		const wanted = email.trim().toLowerCase();
		const found = await this.lookup();
		if (found.kind === 'whole') return found.db.holders.find(holder => holder.email.toLowerCase() === wanted)?.userId;
		return Object.hasOwn(found.index.emails, wanted) ? found.index.emails[wanted] : undefined;
	}

	/** The holder a certificate with this IUT belongs to, from holders/index.json (see holderIdByEmail). */
	async holderIdByIut(iut: string): Promise<string | undefined> {
		const found = await this.lookup();
		if (found.kind === 'whole') return found.db.certificates.find(certificate => certificate.iut === iut)?.userId;
		return Object.hasOwn(found.index.iuts, iut) ? found.index.iuts[iut] : undefined;
	}

	/**
	 * Every certificate with a revocation time (revoked, suspended, blocked while suspended), from
	 * holders/index.json: what the CRL lists, and where a suspension may be over. Current under the lock.
	 */
	async listedCertificates(): Promise<ListedCertificate[]> {
		const found = await this.lookup();
		const revoked = (certificates: readonly ListedCertificate[]) => certificates.filter(certificate => certificate.revokedAt !== null);
		if (found.kind === 'whole') return revoked(found.db.certificates);
		// Records of no holder (db.json's strays) are listed too, as the whole database did.
		return [...Object.values(found.index.listed), ...revoked(found.global.certificates)];
	}

	/** What the lookups above read: a format-1 database whole, or db.json and the index (rebuilt from the documents when missing). */
	private lookup(): Promise<{kind: 'whole'; db: Database} | {kind: 'partitioned'; global: GlobalDocument; index: HolderIndex}> {
		return this.backend.snapshot(async source => {
			const top = await source.readTop();
			if (top.kind === 'missing') throw new DomainError('store.missing', {file: this.file});
			if (top.kind === 'whole') return top;
			return {kind: 'partitioned', global: top.global, index: (await source.readIndex(top.global)) ?? (await rebuiltIndex(source, top.global))};
		});
	}

	/** db.json's global part and the documents of the holders in `scope`, merged. */
	private async load(source: DocumentSource, global: GlobalDocument, scope: Scope): Promise<Database> {
		const documents = await source.readHolders(await holdersIn(source, scope), global);
		return mergeDocuments(scope === undefined ? global : withoutStrays(global, scope), documents);
	}

	/**
	 * Runs one operation under the cross-process lock and saves what `change` did. Effects
	 * `change` registers with `transaction.afterCommit` run once the change is committed (a
	 * folder's lock still held; PostgreSQL's goes with its commit: see postgres/documents.ts), in
	 * order (a record before an effect: an OTP's SMS is written to the outbox only once its
	 * challenge is committed). Each effect runs even if an earlier one failed (one
	 * message not written does not keep back the others); then, if any failed, `update` rejects
	 * with the first error, the change staying committed.
	 */
	async update<R>(change: (db: Database, transaction: Transaction) => R | Promise<R>, scope?: Scope): Promise<R> {
		return this.backend.locked(async source => {
			const adapter = new PartitionedAdapter(source, scope);
			// lowdb keeps its default data when the file is missing; a sentinel default tells the two apart.
			const low = new Low<Database>(adapter, MISSING);
			await low.read();
			await this.cleanOnce();
			if (low.data === MISSING) throw new DomainError('store.missing', {file: this.file});
			if (this.keyFingerprints) bindDatabase(low.data, this.directory, this.keyFingerprints);
			this.observe(low.data);
			if (this.actingTerminal !== undefined) Object.defineProperty(low.data, ACTING_TERMINAL, {value: this.actingTerminal, enumerable: false});
			const snapshot = low.data;
			const numbers = () => source.nextOutboxNumber(snapshot.sequences['outbox'] ?? 0, () => this.outbox.highestNumber());
			Object.defineProperty(snapshot, OUTBOX_NUMBERS, {value: numbers, enumerable: false});
			// Entries already in the documents read: their last operation's (see `save`), or an older file's whole access log.
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
		return this.backend.locked(async source => {
			await this.cleanOnce();
			if (!options.replace && (await source.readTop()).kind !== 'missing') return false;
			const data = await initial();
			if (this.keyFingerprints) bindDatabase(data, this.directory, this.keyFingerprints);
			const low = new Low<Database>(new PartitionedAdapter(source, undefined, {create: true}), data);
			await this.save(low, 0);
			this.observe(low.data);
			return true;
		});
	}

	/**
	 * Writes (validated, atomic) under the lock, then says this program wrote it (see checked-stamp.ts).
	 * Access-log entries leave the documents like a write-ahead log: the first `carried` entries
	 * (written by an earlier operation) are appended to <data>/access/ unless they are there already;
	 * the commit (each document holding only this operation's entries of its own) commits them; then
	 * they are appended too, and the next write of that document drops them. A crash on either side loses no entry and never logs an
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
		// The fast start's stamp describes db.json's file: a database's store has none.
		if (this.url === undefined) writeCheckedStamp(this.directory, {loginMaxAttempts: low.data.settings.loginMaxAttempts});
		// Committed: a failure here (a full disk) is retried by the next write.
		if (low.data.accessLog.length > 0) await this.accessLog.append(low.data.accessLog).catch(() => undefined);
		if (low.data.notices.length > 0) await deliverQueued(this.outbox, low.data.notices).catch(() => undefined);
	}

	private async cleanOnce(): Promise<void> {
		if (this.cleaned) return;
		this.cleaned = true;
		await this.backend.clean();
		// An OTP's SMS is written after the commit, under the lock: a writer killed there leaves its temp file in outbox/.
		await this.outbox.removeStrayTemporaries();
	}
}
