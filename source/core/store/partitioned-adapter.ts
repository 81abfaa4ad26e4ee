import type {Adapter} from 'lowdb';
import {DomainError} from '../errors.js';
import {isUserId} from '../holders/user-id.js';
import type {DocumentSource} from './backend.js';
import {checkDocument} from './json-file.js';
import {HOLDER_COLLECTIONS, holderDocumentSchema, indexKeys, indexOf, mergeDocuments, noHolderRecords, splitDatabase, type GlobalDocument, type HolderCollections, type HolderDocument, type HolderIndex} from './partition.js';
import type {Database} from './schema.js';
import type {Scope} from './scope.js';

/*
 * How Store.update reads and writes the partitioned folder (see partition.ts): what a scope
 * sees, and lowdb's adapter for one operation under the lock.
 */

export {NO_HOLDER, type Scope} from './scope.js';

export async function holdersIn(source: DocumentSource, scope: Scope): Promise<string[]> {
	if (scope === undefined) return source.holderIds();
	// Anything but a userID (an operator's RAO…, nothing typed) names no holder document.
	return isUserId(scope) ? [scope] : [];
}

/** Only what `scope` sees of a whole (format-1) database: read without the lock, before its split. */
export function scoped(db: Database, scope: Scope): Database {
	if (scope === undefined) return db;
	const {global, holders} = splitDatabase(db);
	const own = isUserId(scope) ? holders.get(scope) : undefined;
	return mergeDocuments(withoutStrays(global, scope), own ? [own] : []);
}

export const MISSING = Object.freeze({}) as Database;

/**
 * lowdb's adapter for one operation's part of the partitioned folder (see partition.ts), under
 * the lock: `read` splits a format-1 db.json first (once, for good), finishes a commit its writer
 * was killed in, and merges db.json with the scope's holder documents; `write` splits the
 * result again and commits only the documents that changed.
 */
export class PartitionedAdapter implements Adapter<Database> {
	private global: GlobalDocument | undefined;
	private readonly loaded = new Map<string, string>();
	private readonly loadedKeys = new Map<string, ReturnType<typeof indexKeys>>();
	private readonly orders = new Map<string, number>();
	private loadedGlobal = '';
	/** holders/index.json was not there: this update writes it again (rebuilt from every holder's document). */
	private indexMissing = false;

	constructor(
		private readonly files: DocumentSource,
		private readonly scope: Scope,
		private readonly options: {create?: boolean} = {},
	) {}

	async read(): Promise<Database | null> {
		const top = await this.files.readTop();
		if (top.kind === 'missing') return null;
		let global: GlobalDocument;
		if (top.kind === 'whole') {
			const split = splitDatabase(top.db);
			await this.files.split(split.global, split.holders, indexOf(split.holders.values()));
			global = split.global;
		} else {
			global = top.global;
			await this.files.recover(global);
			this.indexMissing = !(await this.files.hasIndex());
		}
		this.global = {...global, commit: []};
		const documents: HolderDocument[] = [];
		for (const document of await this.files.readHolders(await holdersIn(this.files, this.scope), {...global, commit: []})) {
			const userId = document.holder.userId;
			documents.push(document);
			this.loaded.set(userId, JSON.stringify(document));
			this.loadedKeys.set(userId, indexKeys(document));
			this.orders.set(userId, document.order);
		}
		this.loadedGlobal = JSON.stringify(this.global);
		return mergeDocuments(this.scope === undefined ? this.global : withoutStrays(this.global, this.scope), documents);
	}

	async write(db: Database): Promise<void> {
		const split = splitDatabase(db, this.orders);
		const {holders} = split;
		let {global} = split;
		const changed = new Map<string, HolderDocument>();
		for (const [userId, document] of holders) if (this.options.create || this.loaded.get(userId) !== JSON.stringify(document)) changed.set(userId, document);
		// Each document to write checked first (a broken userID, a missing field): refused as store.invalid, naming it.
		for (const [userId, document] of changed) checkDocument(this.files.nameOf(`${userId}.json`), document, holderDocumentSchema, true);
		if (this.options.create) {
			await this.files.create(global, holders, indexOf(holders.values()));
			return;
		}
		for (const userId of this.loaded.keys()) {
			if (!holders.has(userId)) throw new Error(`holder ${userId} removed: holders are never deleted by an update`);
		}
		if (this.scope !== undefined) {
			for (const userId of holders.keys()) if (userId !== this.scope) throw new Error(`an operation scoped to ${this.scope} created holder ${userId}`);
			// The view had none of db.json's records of no holder: anything there now is for a holder outside the view.
			const other = keyedOutside(this.scope);
			if (strays(global) !== strays(withoutStrays(global, this.scope)) || Object.keys(global.loginThrottle).some(other) || Object.keys(global.sequences).some(other)) {
				throw new Error(`an operation scoped to ${this.scope} created or changed records of a holder outside its view`);
			}
			// db.accessLog and db.notices hold only this operation's entries here (see Store.save).
			const queued = [...global.accessLog, ...global.notices].find(entry => entry.userId !== null && entry.userId !== this.scope && isUserId(entry.userId));
			if (queued) throw new Error(`an operation scoped to ${this.scope} queued an entry of ${queued.userId}`);
			global = {...global, ...strayPart(this.global!), loginThrottle: restored(this.global!.loginThrottle, global.loginThrottle, other), sequences: restored(this.global!.sequences, global.sequences, other)};
		}
		const index = await this.indexAfter(changed);
		const globalChanged = JSON.stringify(global) !== this.loadedGlobal;
		await this.files.commit(globalChanged || changed.size + (index ? 1 : 0) > 1 ? global : undefined, changed, index);
	}

	/** The index (holders/index.json) with `changed`'s addresses and IUTs, if any is new or changed (undefined: unchanged). */
	private async indexAfter(changed: ReadonlyMap<string, HolderDocument>): Promise<HolderIndex | undefined> {
		const moves = [...changed.values()]
			.map(document => ({userId: document.holder.userId, before: this.loadedKeys.get(document.holder.userId), after: indexKeys(document)}))
			.filter(({before, after}) => JSON.stringify(before) !== JSON.stringify(after));
		if (moves.length === 0 && !this.indexMissing) return undefined;
		const index = (await this.files.readIndex(this.global!)) ?? (await rebuiltIndex(this.files, this.global!));
		const claim = (map: Record<string, string>, key: string, userId: string, what: string) => {
			const owner = Object.hasOwn(map, key) ? map[key] : undefined;
			if (owner !== undefined && owner !== userId) {
				throw new DomainError('store.invalid', {file: this.files.nameOf(`${userId}.json`), reason: `refused to save ${what} of ${userId}: it is ${owner}'s`});
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
export async function rebuiltIndex(source: DocumentSource, global: GlobalDocument): Promise<HolderIndex> {
	return indexOf(await source.readHolders(await source.holderIds(), global));
}

/** Whether a throttle or counter key is keyed to a holder other than `scope` (`user:<userID>`, `accessLog:<userID>`). */
function keyedOutside(scope: string): (key: string) => boolean {
	return key => {
		const owner = key.slice(key.indexOf(':') + 1);
		return key.includes(':') && isUserId(owner) && owner !== scope;
	};
}

function keysWhere<T>(record: Record<string, T>, keep: (key: string) => boolean): Record<string, T> {
	return Object.fromEntries(Object.entries(record).filter(([key]) => keep(key)));
}

/** `now` with db.json's entries outside the view put back, in db.json's order (an unchanged map stays byte-identical). */
function restored<T>(original: Record<string, T>, now: Record<string, T>, outside: (key: string) => boolean): Record<string, T> {
	const result: Record<string, T> = {};
	for (const [key, value] of Object.entries(original)) {
		if (outside(key)) result[key] = value;
		else if (Object.hasOwn(now, key)) result[key] = now[key]!;
	}
	for (const [key, value] of Object.entries(now)) if (!Object.hasOwn(result, key)) result[key] = value;
	return result;
}

/** db.json's records in a holder's collections (of a userID that is no holder: an older file's leftovers). */
function strayPart(global: GlobalDocument): HolderCollections & Pick<GlobalDocument, 'firstStates'> {
	const part = {firstStates: global.firstStates} as HolderCollections & Pick<GlobalDocument, 'firstStates'>;
	for (const name of HOLDER_COLLECTIONS) (part as Record<string, unknown>)[name] = global[name];
	return part;
}

function strays(global: GlobalDocument): string {
	return JSON.stringify(strayPart(global));
}

/**
 * db.json without them: what a scoped operation sees. They belong to nobody it may act for (a
 * cleanup of one would log for a holder outside its view); only a whole-database operation sees them.
 */
export function withoutStrays(global: GlobalDocument, scope: string): GlobalDocument {
	const outside = keyedOutside(scope);
	return {
		...global,
		...noHolderRecords(),
		firstStates: {},
		loginThrottle: keysWhere(global.loginThrottle, key => !outside(key)),
		sequences: keysWhere(global.sequences, key => !outside(key)),
	};
}
