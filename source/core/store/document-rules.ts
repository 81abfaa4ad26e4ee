import {DomainError} from '../errors.js';
import {bounded, serialise} from './document-io.js';
import {checkDocument, parseJson} from './json-file.js';
import {foreignRecord, globalDocumentSchema, holderDocumentSchema, holderIndexSchema, INDEX_FILE, PARTITIONED_VERSION, type GlobalDocument, type HolderDocument, type HolderIndex} from './partition.js';
import {databaseSchema, DATABASE_VERSION, type Database} from './schema.js';

/*
 * What a document must be, wherever it is kept (a folder's files, PostgreSQL's rows): the same
 * parsing, the same schemas, the same refusals, each naming the document (`name`: a file path,
 * or the database and the row's name).
 */

/** The largest db.json read: far above any real one, below V8's longest string. */
export const MAX_DATABASE_BYTES = 256 * 1024 * 1024;
/** The largest holder document: a holder with hundreds of certificates and sessions stays far below. */
export const MAX_HOLDER_BYTES = 16 * 1024 * 1024;

/** What db.json holds: nothing yet, a format-1 database (all of it, before the split), or format 2. */
export type TopDocument = {kind: 'missing'} | {kind: 'whole'; db: Database} | {kind: 'partitioned'; global: GlobalDocument};

/** db.json's text as what it is (format 1 whole, or format 2's global part), or refused as store.invalid/futureVersion. */
export function topDocumentOf(name: string, text: string): TopDocument {
	const document = parseJson(name, text);
	const version = typeof document === 'object' && document !== null && !Array.isArray(document) ? (document as Record<string, unknown>)['version'] : undefined;
	if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) throw new DomainError('store.invalid', {file: name, reason: 'no valid "version" field'});
	if (version > PARTITIONED_VERSION) throw new DomainError('store.futureVersion', {file: name, version});
	if (version === DATABASE_VERSION) {
		const db = checkDocument(name, document, databaseSchema);
		// The split keys holder documents by userID: a second holder with the same userID would
		// silently replace the first (their record lost, their records handed to the other).
		const seen = new Set<string>();
		for (const [position, holder] of db.holders.entries()) {
			if (seen.has(holder.userId)) throw new DomainError('store.invalid', {file: name, reason: `holders.${position}.userId ${holder.userId} is not unique`});
			seen.add(holder.userId);
		}
		return {kind: 'whole', db};
	}
	return {kind: 'partitioned', global: checkDocument(name, document, globalDocumentSchema)};
}

/** A holder's document from its text: valid, and holding only `userId`'s records. */
export function holderDocumentOf(name: string, userId: string, text: string): HolderDocument {
	const document = checkDocument(name, parseJson(name, text), holderDocumentSchema);
	const foreign = foreignRecord(document, userId);
	if (foreign) throw new DomainError('store.invalid', {file: name, reason: foreign});
	return document;
}

export function holderIndexOf(name: string, text: string): HolderIndex {
	return checkDocument(name, parseJson(name, text), holderIndexSchema);
}

/**
 * The texts of a commit's holder documents and index (`nameOf(<userID>.json | index.json)`: what
 * a refusal names), each checked first: nothing invalid, foreign or oversized is ever written.
 */
export function documentsToCommit(nameOf: (name: string) => string, holders: ReadonlyMap<string, HolderDocument>, index: HolderIndex | undefined): {name: string; text: string}[] {
	const documents: {name: string; text: string}[] = [];
	for (const [userId, document] of holders) {
		const file = nameOf(`${userId}.json`);
		checkDocument(file, document, holderDocumentSchema, true);
		const foreign = foreignRecord(document, userId);
		if (foreign) throw new DomainError('store.invalid', {file, reason: `refused to save ${foreign}`});
		documents.push({name: `${userId}.json`, text: bounded(file, serialise(document), MAX_HOLDER_BYTES)});
	}
	if (index) {
		const file = nameOf(INDEX_FILE);
		checkDocument(file, index, holderIndexSchema, true);
		documents.push({name: INDEX_FILE, text: bounded(file, serialise(index), MAX_DATABASE_BYTES)});
	}
	return documents;
}

/** The same, named as rows are (`holders/<userID>.json`, `holders/index.json`: the folder's paths). */
export function documentRows(nameOf: (name: string) => string, holders: ReadonlyMap<string, HolderDocument>, index: HolderIndex | undefined): {name: string; text: string}[] {
	return documentsToCommit(nameOf, holders, index).map(({name, text}) => ({name: `holders/${name}`, text}));
}

/** db.json's text for `global` (checked), with no pending commit. */
export function topText(name: string, global: GlobalDocument): string {
	checkDocument(name, global, globalDocumentSchema, true);
	return bounded(name, serialise({...global, commit: []}), MAX_DATABASE_BYTES);
}
