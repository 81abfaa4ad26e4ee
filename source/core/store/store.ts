import {chmod, mkdir, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {Low, type Adapter} from 'lowdb';
import {DomainError} from '../errors.js';
import {isUserId} from '../holders/user-id.js';
import {AccessLog} from '../history/access-log.js';
import {Outbox} from '../notify/outbox.js';
import {deliverQueued} from '../notify/queue.js';
import {bindDatabase, type KeyFingerprints} from '../key-binding.js';
import {writeCheckedStamp} from './checked-stamp.js';
import {DataFiles} from './documents.js';
import {checkDocument} from './json-file.js';
import {FileLock} from './lock.js';
import {holderDocumentSchema, indexKeys, indexOf, mergeDocuments, splitDatabase, type GlobalDocument, type HolderDocument, type HolderIndex, type ListedCertificate} from './partition.js';
import {CounterFile} from './counter-file.js';
import {ACTING_TERMINAL, OUTBOX_NUMBERS, type Database} from './schema.js';

/** What an operation does once its change is committed (under the lock still): e.g. write an OTP's SMS to the outbox. */
export type AfterCommit = () => Promise<void>;

/** What `Store.update` gives an operation besides the draft database. */
export interface Transaction {
	/** Runs `effect` after the commit, even if an earlier effect failed; never if the change throws or the write fails. */
	afterCommit(effect: AfterCommit): void;
}

/**
 * Which part of the database an operation sees: one holder's (their userID: the holder, if they
 * exist, with their records, and everything that belongs to no holder), or all of it (undefined).
 * A scoped operation costs the same whatever the number of holders (see partition.ts); it must
 * not look for other holders (they are not there) nor create records for them (refused).
 */
export type Scope = string | undefined;

/** The scope of an operation on what belongs to no holder (counters, settings, coupons): no holder document is read. */
export const NO_HOLDER = '';

function holdersIn(files: DataFiles, scope: Scope): string[] {
	if (scope === undefined) return files.holderIds();
	// Anything but a userID (an operator's RAO…, nothing typed) names no holder document.
	return isUserId(scope) ? [scope] : [];
}

/**
 * The database every process shares. Every change is one operation:
 * lock → re-read from disk → validate → change → write → unlock.
 * Nothing is ever written from an in-memory copy older than the lock.
 */
export class Store {
	/** db.json: the whole database in format 1, db.json and holders/ in format 2 (see partition.ts). */
	readonly file: string;
	readonly files: DataFiles;
	private readonly lock: FileLock;
	private readonly outboxNumbers: CounterFile;
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
		this.files = new DataFiles(directory);
		this.file = this.files.top;
		this.lock = new FileLock(join(directory, 'db.lock'));
		this.outboxNumbers = new CounterFile(join(directory, 'outbox.sequence'));
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
	async stamp(scope?: Scope): Promise<string | undefined> {
		return this.files.stamp(scope === undefined ? 'all' : holdersIn(this.files, scope));
	}

	/** A validated snapshot of `scope`, for display. Writers never use it: `update` re-reads under the lock. */
	async read(scope?: Scope): Promise<Database> {
		const once = () => {
			const top = this.files.readTop();
			if (top.kind === 'missing') throw new DomainError('store.missing', {file: this.file});
			return top.kind === 'whole' ? scoped(top.db, scope) : this.load(top.global, scope);
		};
		// One commit, never db.json of one and documents of another (see DataFiles.consistentRead).
		const data = this.files.consistentRead(once) ?? (await this.lock.with(async () => once()));
		this.observe(data);
		return data;
	}

	/**
	 * The holder whose e-mail address this is (any case), from holders/index.json: what a login,
	 * a recovery or a change of address by e-mail scopes its operation to. Under the lock (inside
	 * an update) the answer is current; outside it, as current as any snapshot.
	 */
	async holderIdByEmail(email: string): Promise<string | undefined> {
		const top = this.files.readTop();
		if (top.kind === 'missing') throw new DomainError('store.missing', {file: this.file});
		const wanted = email.trim().toLowerCase();
		if (top.kind === 'whole') return top.db.holders.find(holder => holder.email.toLowerCase() === wanted)?.userId;
		const index = this.files.readIndex(top.global) ?? rebuiltIndex(this.files, top.global);
		return Object.hasOwn(index.emails, wanted) ? index.emails[wanted] : undefined;
	}

	/** The holder a certificate with this IUT belongs to, from holders/index.json (see holderIdByEmail). */
	async holderIdByIut(iut: string): Promise<string | undefined> {
		const top = this.files.readTop();
		if (top.kind === 'missing') throw new DomainError('store.missing', {file: this.file});
		if (top.kind === 'whole') return top.db.certificates.find(certificate => certificate.iut === iut)?.userId;
		const index = this.files.readIndex(top.global) ?? rebuiltIndex(this.files, top.global);
		return Object.hasOwn(index.iuts, iut) ? index.iuts[iut] : undefined;
	}

	/**
	 * Every certificate with a revocation time (revoked, suspended, blocked while suspended), from
	 * holders/index.json: what the CRL lists, and where a suspension may be over. Current under the lock.
	 */
	async listedCertificates(): Promise<ListedCertificate[]> {
		const top = this.files.readTop();
		if (top.kind === 'missing') throw new DomainError('store.missing', {file: this.file});
		if (top.kind === 'whole') return top.db.certificates.filter(certificate => certificate.revokedAt !== null);
		const index = this.files.readIndex(top.global) ?? rebuiltIndex(this.files, top.global);
		// Records of no holder (db.json's strays) are listed too, as the whole database did.
		return [...Object.values(index.listed), ...top.global.certificates.filter(certificate => certificate.revokedAt !== null)];
	}

	/** db.json's global part and the documents of the holders in `scope`, merged. */
	private load(global: GlobalDocument, scope: Scope): Database {
		const documents: HolderDocument[] = [];
		for (const userId of holdersIn(this.files, scope)) {
			const document = this.files.readHolder(userId, global);
			if (document) documents.push(document);
		}
		return mergeDocuments(scope === undefined ? global : withoutStrays(global), documents);
	}

	/**
	 * Runs one operation under the cross-process lock and saves what `change` did. Effects
	 * `change` registers with `transaction.afterCommit` run once db.json is written, still under
	 * the lock, in order (a record before an effect: an OTP's SMS is written to the outbox only
	 * once its challenge is committed). Each effect runs even if an earlier one failed (one
	 * message not written does not keep back the others); then, if any failed, `update` rejects
	 * with the first error, the change staying committed.
	 */
	async update<R>(change: (db: Database, transaction: Transaction) => R | Promise<R>, scope?: Scope): Promise<R> {
		return this.lock.with(async () => {
			const adapter = new PartitionedAdapter(this.files, scope);
			// lowdb keeps its default data when the file is missing; a sentinel default tells the two apart.
			const low = new Low<Database>(adapter, MISSING);
			await low.read();
			await this.cleanOnce();
			if (low.data === MISSING) throw new DomainError('store.missing', {file: this.file});
			if (this.keyFingerprints) bindDatabase(low.data, this.directory, this.keyFingerprints);
			this.observe(low.data);
			if (this.actingTerminal !== undefined) Object.defineProperty(low.data, ACTING_TERMINAL, {value: this.actingTerminal, enumerable: false});
			const snapshot = low.data;
			const numbers = () => this.outboxNumbers.next(snapshot.sequences['outbox'] ?? 0, () => this.outbox.highestNumber());
			Object.defineProperty(snapshot, OUTBOX_NUMBERS, {value: numbers, enumerable: false});
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
			if (!options.replace && this.files.readTop().kind !== 'missing') return false;
			const data = await initial();
			if (this.keyFingerprints) bindDatabase(data, this.directory, this.keyFingerprints);
			const low = new Low<Database>(new PartitionedAdapter(this.files, undefined, {create: true}), data);
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
		await this.files.removeStrayTemporaries();
		// An OTP's SMS is written after the commit, under the lock: a writer killed there leaves its temp file in outbox/.
		await this.outbox.removeStrayTemporaries();
	}
}

/** Only what `scope` sees of a whole (format-1) database: read without the lock, before its split. */
function scoped(db: Database, scope: Scope): Database {
	if (scope === undefined) return db;
	const {global, holders} = splitDatabase(db);
	const own = isUserId(scope) ? holders.get(scope) : undefined;
	return mergeDocuments(withoutStrays(global), own ? [own] : []);
}

const MISSING = Object.freeze({}) as Database;

/**
 * lowdb's adapter for one operation's part of the partitioned folder (see partition.ts), under
 * the lock: `read` splits a format-1 db.json first (once, for good), finishes a commit its writer
 * was killed in, and merges db.json with the scope's holder documents; `write` splits the
 * result again and commits only the documents that changed.
 */
class PartitionedAdapter implements Adapter<Database> {
	private global: GlobalDocument | undefined;
	private readonly loaded = new Map<string, string>();
	private readonly loadedKeys = new Map<string, ReturnType<typeof indexKeys>>();
	private readonly orders = new Map<string, number>();
	private loadedGlobal = '';
	/** holders/index.json was not there: this update writes it again (rebuilt from every holder's document). */
	private indexMissing = false;

	constructor(
		private readonly files: DataFiles,
		private readonly scope: Scope,
		private readonly options: {create?: boolean} = {},
	) {}

	async read(): Promise<Database | null> {
		const top = this.files.readTop();
		if (top.kind === 'missing') return null;
		let global: GlobalDocument;
		if (top.kind === 'whole') {
			const split = splitDatabase(top.db);
			this.files.split(split.global, split.holders, indexOf(split.holders.values()));
			global = split.global;
		} else {
			global = top.global;
			this.files.recover(global);
			this.indexMissing = !this.files.hasIndex();
		}
		this.global = {...global, commit: []};
		const documents: HolderDocument[] = [];
		for (const userId of holdersIn(this.files, this.scope)) {
			const document = this.files.readHolder(userId, {...global, commit: []});
			if (!document) continue;
			documents.push(document);
			this.loaded.set(userId, JSON.stringify(document));
			this.loadedKeys.set(userId, indexKeys(document));
			this.orders.set(userId, document.order);
		}
		this.loadedGlobal = JSON.stringify(this.global);
		return mergeDocuments(this.scope === undefined ? this.global : withoutStrays(this.global), documents);
	}

	async write(db: Database): Promise<void> {
		const split = splitDatabase(db, this.orders);
		const {holders} = split;
		let {global} = split;
		// Each holder's document checked first (a broken userID, a missing field): refused as store.invalid, naming it.
		for (const [userId, document] of holders) checkDocument(join(this.files.holdersDirectory, `${userId}.json`), document, holderDocumentSchema, true);
		if (this.options.create) {
			this.files.create(global, holders, indexOf(holders.values()));
			return;
		}
		for (const userId of this.loaded.keys()) {
			if (!holders.has(userId)) throw new Error(`holder ${userId} removed: holders are never deleted by an update`);
		}
		if (this.scope !== undefined) {
			for (const userId of holders.keys()) if (userId !== this.scope) throw new Error(`an operation scoped to ${this.scope} created holder ${userId}`);
			// The view had none of db.json's records of no holder: anything there now is for a holder outside the view.
			if (strays(global) !== strays(withoutStrays(global)) || keyedElsewhere(global, this.scope) !== keyedElsewhere(this.global!, this.scope)) {
				throw new Error(`an operation scoped to ${this.scope} created or changed records of a holder outside its view`);
			}
			// db.accessLog and db.notices hold only this operation's entries here (see Store.save).
			const queued = [...global.accessLog, ...global.notices].find(entry => entry.userId !== null && entry.userId !== this.scope && isUserId(entry.userId));
			if (queued) throw new Error(`an operation scoped to ${this.scope} queued an entry of ${queued.userId}`);
			global = {...global, ...strayPart(this.global!)};
		}
		const changed = new Map<string, HolderDocument>();
		for (const [userId, document] of holders) if (this.loaded.get(userId) !== JSON.stringify(document)) changed.set(userId, document);
		const index = this.indexAfter(changed);
		const globalChanged = JSON.stringify(global) !== this.loadedGlobal;
		this.files.commit(globalChanged || changed.size + (index ? 1 : 0) > 1 ? global : undefined, changed, index);
	}

	/** The index (holders/index.json) with `changed`'s addresses and IUTs, if any is new or changed (undefined: unchanged). */
	private indexAfter(changed: ReadonlyMap<string, HolderDocument>): HolderIndex | undefined {
		const moves = [...changed.values()]
			.map(document => ({userId: document.holder.userId, before: this.loadedKeys.get(document.holder.userId), after: indexKeys(document)}))
			.filter(({before, after}) => JSON.stringify(before) !== JSON.stringify(after));
		if (moves.length === 0 && !this.indexMissing) return undefined;
		const index = this.files.readIndex(this.global!) ?? rebuiltIndex(this.files, this.global!);
		const claim = (map: Record<string, string>, key: string, userId: string, what: string) => {
			const owner = Object.hasOwn(map, key) ? map[key] : undefined;
			if (owner !== undefined && owner !== userId) {
				throw new DomainError('store.invalid', {file: join(this.files.holdersDirectory, `${userId}.json`), reason: `refused to save ${what} of ${userId}: it is ${owner}'s`});
			}
			map[key] = userId;
		};
		for (const {userId, before, after} of moves) {
			if (before && index.emails[before.email] === userId) delete index.emails[before.email];
			for (const iut of before?.iuts ?? []) if (index.iuts[iut] === userId) delete index.iuts[iut];
			for (const entry of before?.listed ?? []) if (index.listed[entry.certificateSerial]?.userId === userId) delete index.listed[entry.certificateSerial];
			claim(index.emails, after.email, userId, 'the e-mail address');
			for (const iut of after.iuts) claim(index.iuts, iut, userId, `IUT ${iut}`);
			for (const entry of after.listed) index.listed[entry.certificateSerial] = entry;
		}
		return index;
	}
}

/** The index made from every holder's document (when holders/index.json is missing). */
export function rebuiltIndex(files: DataFiles, global: GlobalDocument): HolderIndex {
	const documents: HolderDocument[] = [];
	for (const userId of files.holderIds()) {
		const document = files.readHolder(userId, global);
		if (document) documents.push(document);
	}
	return indexOf(documents);
}

/** db.json's throttles and counters keyed to a holder other than `scope` (`user:<userID>`, `accessLog:<userID>`). */
function keyedElsewhere(global: GlobalDocument, scope: string): string {
	const elsewhere = ([key]: [string, unknown]) => {
		const owner = key.slice(key.indexOf(':') + 1);
		return key.includes(':') && isUserId(owner) && owner !== scope;
	};
	return JSON.stringify([Object.entries(global.loginThrottle).filter(elsewhere), Object.entries(global.sequences).filter(elsewhere)]);
}

/** db.json's records in a holder's collections (of a userID that is no holder: an older file's leftovers). */
function strayPart(global: GlobalDocument): Pick<GlobalDocument, 'certificates' | 'challenges' | 'renewals' | 'raoApprovals' | 'pinChanges' | 'sessions' | 'firstStates'> {
	const {certificates, challenges, renewals, raoApprovals, pinChanges, sessions, firstStates} = global;
	return {certificates, challenges, renewals, raoApprovals, pinChanges, sessions, firstStates};
}

function strays(global: GlobalDocument): string {
	return JSON.stringify(strayPart(global));
}

/**
 * db.json without them: what a scoped operation sees. They belong to nobody it may act for (a
 * cleanup of one would log for a holder outside its view); only a whole-database operation sees them.
 */
function withoutStrays(global: GlobalDocument): GlobalDocument {
	return {...global, certificates: [], challenges: [], renewals: [], raoApprovals: [], pinChanges: [], sessions: [], firstStates: {}};
}
