import {join} from 'node:path';
import {CounterFile} from './counter-file.js';
import {statStamp} from './document-io.js';
import type {TopDocument} from './document-rules.js';
import {DataFiles} from './documents.js';
import {FileLock} from './lock.js';
import type {GlobalDocument, HolderDocument, HolderIndex} from './partition.js';

/*
 * Where the partitioned store's documents are kept (see partition.ts): a data folder's files
 * (FolderBackend, the embedded default) or a PostgreSQL database's rows (postgres/documents.ts).
 * The store (store.ts, partitioned-adapter.ts) sees only this.
 */

/** One operation's access to the documents: under the store's lock (`locked`) or a consistent snapshot. */
export interface DocumentSource {
	/** What a refusal of db.json names. */
	readonly top: string;
	/** What a refusal of a document in holders/ (`<userID>.json`, `index.json`) names. */
	nameOf(name: string): string;
	readTop(): Promise<TopDocument>;
	/** Every holder with a document, in userID order. */
	holderIds(): Promise<string[]>;
	readHolder(userId: string, global: GlobalDocument): Promise<HolderDocument | undefined>;
	/** The documents of those of `userIds` that have one (in any order). */
	readHolders(userIds: readonly string[], global: GlobalDocument): Promise<HolderDocument[]>;
	hasIndex(): Promise<boolean>;
	readIndex(global: GlobalDocument): Promise<HolderIndex | undefined>;
	/** Under the lock, first: finishes a commit whose writer was killed (folders). */
	recover(global: GlobalDocument): Promise<void>;
	/** Commits the changed documents together (`global` undefined: db.json unchanged); see DataFiles.commit. */
	commit(global: GlobalDocument | undefined, holders: ReadonlyMap<string, HolderDocument>, index?: HolderIndex): Promise<void>;
	/** Format 1 → 2 (see DataFiles.split). */
	split(global: GlobalDocument, holders: ReadonlyMap<string, HolderDocument>, index: HolderIndex): Promise<void>;
	/** Creates (or replaces) everything: db.json, every holder's document, the index. */
	create(global: GlobalDocument, holders: ReadonlyMap<string, HolderDocument>, index: HolderIndex): Promise<void>;
	/**
	 * The next outbox number, under the lock (synchronous: an operation's change takes it). Above
	 * `known` (db.json's old counter) and, for a folder without outbox.sequence, above `used()`.
	 */
	nextOutboxNumber(known: number, used: () => number): number;
}

export interface StoreBackend {
	/** What messages name for db.json. */
	readonly top: string;
	exists(): Promise<boolean>;
	/** Runs `work` under the store's lock (one writer at a time across every process sharing the store). */
	locked<T>(work: (source: DocumentSource) => Promise<T>): Promise<T>;
	/** Runs `read` on one commit's documents, without waiting for writers where it can. */
	snapshot<T>(read: (source: DocumentSource) => Promise<T>): Promise<T>;
	/** What identifies db.json's and these holders' documents as they are now ('all': every document). */
	stamp(userIds: readonly string[] | 'all'): Promise<string | undefined>;
	/** Once per process, under the lock: what killed writers left behind. */
	clean(): Promise<void>;
}

/** A data folder's files, under db.lock (see documents.ts). */
export class FolderBackend implements StoreBackend {
	readonly files: DataFiles;
	readonly top: string;
	private readonly lock: FileLock;
	private readonly outboxNumbers: CounterFile;
	private readonly source: DocumentSource;

	constructor(directory: string) {
		this.files = new DataFiles(directory);
		this.top = this.files.top;
		this.lock = new FileLock(join(directory, 'db.lock'));
		this.outboxNumbers = new CounterFile(join(directory, 'outbox.sequence'));
		this.source = folderSource(this.files, this.outboxNumbers);
	}

	async exists(): Promise<boolean> {
		return statStamp(this.top) !== undefined;
	}

	locked<T>(work: (source: DocumentSource) => Promise<T>): Promise<T> {
		return this.lock.with(() => work(this.source));
	}

	/**
	 * Runs `read` again while db.json was replaced during it (see DataFiles.consistentRead); after
	 * 20 tries (commits kept coming), under the lock.
	 */
	async snapshot<T>(read: (source: DocumentSource) => Promise<T>): Promise<T> {
		for (let attempt = 0; attempt < 20; attempt++) {
			const before = statStamp(this.top);
			let result: T;
			try {
				result = await read(this.source);
			} catch (error) {
				// A refusal seen across a commit (records that moved meanwhile) is read again; a steady one stands.
				if (statStamp(this.top) !== before) continue;
				throw error;
			}
			if (statStamp(this.top) === before) return result;
		}
		return this.locked(read);
	}

	async stamp(userIds: readonly string[] | 'all'): Promise<string | undefined> {
		return this.files.stamp(userIds);
	}

	clean(): Promise<void> {
		return this.files.removeStrayTemporaries();
	}
}

/** DataFiles (synchronous files) as a DocumentSource. */
function folderSource(files: DataFiles, outboxNumbers: CounterFile): DocumentSource {
	return {
		top: files.top,
		nameOf: name => join(files.holdersDirectory, name),
		readTop: async () => files.readTop(),
		holderIds: async () => files.holderIds(),
		readHolder: async (userId, global) => files.readHolder(userId, global),
		readHolders: async (userIds, global) => userIds.flatMap(userId => files.readHolder(userId, global) ?? []),
		hasIndex: async () => files.hasIndex(),
		readIndex: async global => files.readIndex(global),
		recover: async global => files.recover(global),
		commit: async (global, holders, index) => files.commit(global, holders, index),
		split: async (global, holders, index) => files.split(global, holders, index),
		create: async (global, holders, index) => files.create(global, holders, index),
		nextOutboxNumber: (known, used) => outboxNumbers.next(known, used),
	};
}
