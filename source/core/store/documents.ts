import {randomBytes} from 'node:crypto';
import {existsSync, readdirSync, renameSync, unlinkSync} from 'node:fs';
import {join} from 'node:path';
import {DomainError} from '../errors.js';
import {removeStrayTemporaries, writeFileAtomicSync} from './atomic-write.js';
import {bounded, checkedBytes, readOptional, removeQuietly, serialise, sha256, statStamp, syncDirectory, syncFile, unreadable, writeNew} from './document-io.js';
import {checkDocument, parseJson} from './json-file.js';
import {documentsToCommit, holderDocumentOf, MAX_DATABASE_BYTES, MAX_HOLDER_BYTES, topDocumentOf, type TopDocument} from './document-rules.js';
import {
	globalDocumentSchema,
	HOLDER_FILE_PATTERN,
	holderDocumentSchema,
	holderIndexSchema,
	INDEX_FILE,
	recordInGlobal,
	type HolderIndex,
	type GlobalDocument,
	type HolderDocument,
} from './partition.js';
import {ensureRealDirectory, isRealDirectory, readRegularFileSync} from './safe-file.js';
import {USER_ID_PATTERN} from '../holders/user-id.js';

/** A temp of a holder's document (see `commit`). */
const HOLDER_TEMP_PATTERN = /^(JCPD\d{4,8})\.json\.\d{1,10}\.[0-9a-f]{12}\.tmp$/;

export type {TopDocument} from './document-rules.js';

/**
 * The files of a partitioned data folder (see partition.ts): reading them as what they must be
 * (regular files, never through a link, each holder document only its own holder's) and
 * committing changes to several of them at once.
 *
 * A commit that changes db.json and holder documents, or several holder documents: each holder
 * document is written (fsynced) beside its target as `<userID>.json.<pid>.<hex>.tmp`, holders/
 * is fsynced, then db.json is replaced naming each temp and its SHA-256 (the commit point), then
 * each temp is renamed over its target and holders/ fsynced. A writer killed after the commit
 * leaves temps that the next writer (under the lock) renames, checking their hashes, and that a
 * reader without the lock reads in place of the target. A writer killed before it leaves temps
 * nobody names: removed as strays. A commit that changes one document alone replaces it directly.
 */
export class DataFiles {
	readonly top: string;
	readonly holdersDirectory: string;

	constructor(readonly directory: string) {
		this.top = join(directory, 'db.json');
		this.holdersDirectory = join(directory, 'holders');
	}

	holderFile(userId: string): string {
		if (!USER_ID_PATTERN.test(userId)) throw new Error(`not a userID: ${userId}`);
		return join(this.holdersDirectory, `${userId}.json`);
	}

	readTop(): TopDocument {
		let text: string;
		try {
			text = readRegularFileSync(this.top, MAX_DATABASE_BYTES).toString('utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {kind: 'missing'};
			throw unreadable(error, this.top);
		}
		return topDocumentOf(this.top, text);
	}

	/**
	 * The holders with a document, in userID order (holders/ must be a real folder), and those
	 * with a temp of one: a holder created by a commit whose writer was killed before its renames
	 * has only their committed temp, which `readHolder` reads (a temp nobody committed gives
	 * undefined there, so it adds nobody). `documents`: real documents only.
	 */
	holderIds(options: {documents?: boolean} = {}): string[] {
		if (!isRealDirectory(this.holdersDirectory)) return [];
		const ids = new Set<string>();
		for (const name of readdirSync(this.holdersDirectory)) {
			const match = HOLDER_FILE_PATTERN.exec(name) ?? (options.documents ? null : HOLDER_TEMP_PATTERN.exec(name));
			if (match) ids.add(match[1]!);
		}
		return [...ids].sort();
	}

	/** A holder's document, or undefined when they have none; a committed temp stands in for its target (see above). */
	readHolder(userId: string, global: GlobalDocument): HolderDocument | undefined {
		// A holder the folder's re-creation removes is gone, whether or not their file still is.
		if (global.removing.includes(userId)) return undefined;
		const found = this.readCommitted(`${userId}.json`, MAX_HOLDER_BYTES, global);
		if (!found) return undefined;
		const document = this.parseHolder(found.file, userId, found.bytes);
		const misplaced = recordInGlobal(global, userId);
		if (misplaced) throw new DomainError('store.invalid', {file: this.top, reason: misplaced});
		return document;
	}

	/** Whether holders/index.json is there (a missing one is rebuilt by the next update). */
	hasIndex(): boolean {
		return existsSync(join(this.holdersDirectory, INDEX_FILE));
	}

	/** holders/index.json (see partition.ts), or undefined when there is none. */
	readIndex(global: GlobalDocument): HolderIndex | undefined {
		const found = this.readCommitted(INDEX_FILE, MAX_DATABASE_BYTES, global);
		return found && checkDocument(found.file, parseJson(found.file, found.bytes.toString('utf8')), holderIndexSchema);
	}

	/** The bytes of `name` in holders/ as last committed: its temp while the commit's rename is still to be done. */
	private readCommitted(name: string, maxBytes: number, global: GlobalDocument): {file: string; bytes: Buffer} | undefined {
		if (!isRealDirectory(this.holdersDirectory)) return undefined;
		const pending = global.commit.find(entry => entry.file === name);
		if (pending) {
			const temporary = join(this.holdersDirectory, pending.temporary);
			const bytes = readOptional(temporary, maxBytes);
			if (bytes) return {file: temporary, bytes: checkedBytes(temporary, bytes, pending.sha256)};
		}
		const file = join(this.holdersDirectory, name);
		const bytes = readOptional(file, maxBytes);
		return bytes && {file, bytes};
	}

	private parseHolder(file: string, userId: string, bytes: Buffer): HolderDocument {
		return holderDocumentOf(file, userId, bytes.toString('utf8'));
	}

	/**
	 * Under the lock, before anything else: renames the temps of the last commit that are still
	 * there (their writer was killed after committing), after checking each is what was committed.
	 */
	recover(global: GlobalDocument): void {
		if ((global.commit.length === 0 && global.removing.length === 0) || !isRealDirectory(this.holdersDirectory)) return;
		let renamed = false;
		// A re-creation killed before it removed the documents of the holders it dropped.
		for (const userId of global.removing) renamed = removeDocument(this.holderFile(userId)) || renamed;
		for (const entry of global.commit) {
			const temporary = join(this.holdersDirectory, entry.temporary);
			const holder = HOLDER_FILE_PATTERN.exec(entry.file);
			// The index's limit is db.json's, as readIndex reads it: a holder's would refuse a large
			// index's committed temp here for good (every later write refused) while readers accept it.
			const bytes = readOptional(temporary, holder ? MAX_HOLDER_BYTES : MAX_DATABASE_BYTES);
			if (!bytes) continue;
			checkedBytes(temporary, bytes, entry.sha256);
			if (holder) this.parseHolder(temporary, holder[1]!, bytes);
			else checkDocument(temporary, parseJson(temporary, bytes.toString('utf8')), holderIndexSchema);
			renameSync(temporary, join(this.holdersDirectory, entry.file));
			renamed = true;
		}
		if (renamed) syncDirectory(this.holdersDirectory);
	}

	/** Removes temps of writers that died before committing (call under the lock). */
	async removeStrayTemporaries(): Promise<void> {
		await removeStrayTemporaries(this.directory, 'db.json');
		// <data>/outbox.sequence (counter-file.ts) is replaced the same way, under the same lock.
		await removeStrayTemporaries(this.directory, 'outbox.sequence');
		if (!isRealDirectory(this.holdersDirectory)) return;
		// The temps of a writer killed after its commit point are no strays: finish its commit
		// first (Store.initialize cleans before it reads anything). A db.json or temp that cannot
		// be read as committed: which temps are committed is not known, so none goes (the next
		// read refuses the broken file, naming it).
		try {
			const top = this.readTop();
			if (top.kind === 'partitioned') this.recover(top.global);
		} catch {
			return;
		}
		await removeStrayTemporaries(this.holdersDirectory);
	}

	/**
	 * Writes what changed (checked against the schemas first: nothing invalid reaches the disk).
	 * `global` undefined: db.json is unchanged; it is required when more than one document
	 * changes (it carries the commit). `index`: the new holders/index.json, when it changed.
	 */
	commit(global: GlobalDocument | undefined, holders: ReadonlyMap<string, HolderDocument>, index?: HolderIndex): void {
		const documents = documentsToCommit(name => join(this.holdersDirectory, name), holders, index);
		if (global) checkDocument(this.top, global, globalDocumentSchema, true);
		if (documents.length > 0) ensureRealDirectory(this.holdersDirectory);
		if (documents.length === 0 || (documents.length === 1 && !global)) {
			if (global) this.writeWhole(this.top, serialise({...global, commit: []}));
			for (const {name, text} of documents) this.writeWhole(join(this.holdersDirectory, name), text);
			return;
		}
		if (!global) throw new Error('a commit of several documents needs db.json');
		const entries: GlobalDocument['commit'] = [];
		try {
			for (const {name, text} of documents) {
				const temporary = `${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
				// Named before it is written: a write that fails (a full disk) leaves no temp behind either.
				entries.push({file: name, temporary, sha256: sha256(text)});
				writeNew(join(this.holdersDirectory, temporary), text);
			}
			syncDirectory(this.holdersDirectory);
			this.writeWhole(this.top, serialise({...global, commit: entries}));
		} catch (error) {
			// Not committed: db.json names none of these temps.
			for (const entry of entries) removeQuietly(join(this.holdersDirectory, entry.temporary));
			throw error;
		}
		// Committed: a failure from here on (EIO on a rename) is not the operation's. Readers read the
		// committed temps meanwhile and the next writer's recover() finishes the renames (or says why not).
		try {
			for (const entry of entries) renameSync(join(this.holdersDirectory, entry.temporary), join(this.holdersDirectory, entry.file));
			syncDirectory(this.holdersDirectory);
		} catch {
			// left to recover()
		}
	}

	/**
	 * Format 1 → 2, under the lock: every holder's document and the index (holders/ must hold no
	 * other holder's), then db.json in format 2, the switch. Killed before it, db.json is still
	 * format 1 and the next writer splits it again, replacing the documents this one wrote.
	 */
	split(global: GlobalDocument, holders: ReadonlyMap<string, HolderDocument>, index: HolderIndex): void {
		ensureRealDirectory(this.holdersDirectory);
		const strangers = this.holderIds({documents: true}).filter(userId => !holders.has(userId));
		if (strangers.length > 0) {
			throw new DomainError('store.invalid', {file: this.holderFile(strangers[0]!), reason: `a holder document beside a format-1 db.json that has no holder ${strangers[0]}`});
		}
		this.writeAll(global, holders, index);
	}

	/** Creates db.json (format 2), the holders' documents and the index, replacing all (documents of holders not in `holders` go last). */
	create(global: GlobalDocument, holders: ReadonlyMap<string, HolderDocument>, index: HolderIndex): void {
		ensureRealDirectory(this.holdersDirectory);
		// Named in db.json before they go: killed in between, recover() finishes the removal.
		const removing = this.holderIds({documents: true}).filter(userId => !holders.has(userId));
		// The old index goes first and the new one comes after db.json: killed before the switch, the
		// old db.json is never read with an index of the new holders (a missing one is rebuilt).
		const indexFile = join(this.holdersDirectory, INDEX_FILE);
		if (removeQuietly(indexFile)) syncDirectory(this.holdersDirectory);
		this.writeAll({...global, removing}, holders, undefined);
		for (const userId of removing) removeQuietly(this.holderFile(userId));
		this.writeWhole(indexFile, bounded(indexFile, serialise(checkDocument(indexFile, index, holderIndexSchema, true)), MAX_DATABASE_BYTES));
	}

	/** Every holder's document and `index` (when given), flushed together, then db.json (the switch). */
	private writeAll(global: GlobalDocument, holders: ReadonlyMap<string, HolderDocument>, index: HolderIndex | undefined): void {
		checkDocument(this.top, global, globalDocumentSchema, true);
		const indexFile = join(this.holdersDirectory, INDEX_FILE);
		if (index) checkDocument(indexFile, index, holderIndexSchema, true);
		const written: string[] = [];
		const write = (file: string, text: string) => {
			// No fsync each: all are synced below, before db.json switches (one flush for all).
			writeFileAtomicSync(file, text, {syncFile: false});
			written.push(file);
		};
		for (const [userId, document] of holders) {
			const file = this.holderFile(userId);
			checkDocument(file, document, holderDocumentSchema, true);
			write(file, bounded(file, serialise(document), MAX_HOLDER_BYTES));
		}
		if (index) write(indexFile, bounded(indexFile, serialise(index), MAX_DATABASE_BYTES));
		for (const file of written) syncFile(file);
		syncDirectory(this.holdersDirectory);
		this.writeWhole(this.top, serialise({...global, commit: []}));
	}

	private writeWhole(file: string, text: string): void {
		try {
			writeFileAtomicSync(file, text, {syncDirectory: true});
		} catch (error) {
			throw new DomainError('store.writeFailed', {file, reason: (error as NodeJS.ErrnoException).code ?? 'error'});
		}
	}

	/**
	 * For a reader without the lock: runs `read` (db.json, then holder documents or the index)
	 * again while db.json was replaced during it. A multi-document commit replaces db.json: a read
	 * across its commit point would see db.json and documents of different commits (one holder at
	 * one commit, another at the next). A single-document commit leaves db.json as it is and
	 * touches no other document: what a read sees across it is a state some order of the commits
	 * gives. Undefined when commits kept coming (the caller then reads under the lock).
	 */
	consistentRead<T>(read: () => T, attempts = 20): T | undefined {
		for (let attempt = 0; attempt < attempts; attempt++) {
			const before = statStamp(this.top);
			let result: T;
			try {
				result = read();
			} catch (error) {
				// A refusal seen across a commit (records that moved meanwhile) is read again; a steady one stands.
				if (statStamp(this.top) !== before) continue;
				throw error;
			}
			if (statStamp(this.top) === before) return result;
		}
		return undefined;
	}

	/** What identifies db.json's and the named holders' documents as they are now (every write makes a new inode). */
	stamp(userIds: readonly string[] | 'all'): string | undefined {
		const top = statStamp(this.top);
		if (top === undefined) return undefined;
		const parts = [top];
		if (userIds === 'all') parts.push(statStamp(this.holdersDirectory) ?? '-');
		else for (const userId of userIds) parts.push(statStamp(this.holderFile(userId)) ?? '-');
		return parts.join('|');
	}
}

/** A dropped holder's document removed (true), or already gone; any other failure stops the write, `removing` kept. */
function removeDocument(file: string): boolean {
	try {
		unlinkSync(file);
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
		throw new DomainError('store.writeFailed', {file, reason: (error as NodeJS.ErrnoException).code ?? 'error'});
	}
}
