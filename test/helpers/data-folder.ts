import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {Database} from '../../source/core/store/schema.js';
import type {GlobalDocument, HolderDocument} from '../../source/core/store/partition.js';

/*
 * The partitioned data folder (issue 22, source/core/store/partition.ts) as tests look at it:
 * db.json (format 2) holds what belongs to no holder, holders/<userID>.json each holder's records.
 * Tests about what an operation stored read the whole database through the store (readDatabase);
 * tests about what is on disk (secrets at rest, "nothing changed") look at every record file.
 * Types only from the core here: the store itself is loaded on first use (see readDatabase).
 */

export const holdersFolder = (directory: string): string => join(directory, 'holders');

export const holderFile = (directory: string, userId: string): string => join(directory, 'holders', `${userId}.json`);

/** The whole database as an operation sees it: db.json and every holder document, validated and merged. */
export async function readDatabase(directory: string): Promise<Database> {
	const {Store} = await import('../../source/core/store/store.js');
	return new Store(directory).read();
}

/** db.json as it is on disk (format 2: nothing of any holder). */
export function globalDocument(directory: string): GlobalDocument {
	return JSON.parse(readFileSync(join(directory, 'db.json'), 'utf8')) as GlobalDocument;
}

/** A holder's document as it is on disk. */
export function holderDocument(directory: string, userId: string): HolderDocument {
	return JSON.parse(readFileSync(holderFile(directory, userId), 'utf8')) as HolderDocument;
}

/**
 * Every file of the data folder that holds records: db.json, then every file in holders/ (the
 * holder documents and any temp file a commit left there), by path. For secret scans and for
 * "nothing changed" comparisons.
 */
export function recordFiles(directory: string): string[] {
	const files = existsSync(join(directory, 'db.json')) ? [join(directory, 'db.json')] : [];
	const holders = holdersFolder(directory);
	if (existsSync(holders)) files.push(...readdirSync(holders).sort().map(name => join(holders, name)));
	return files;
}

/** The bytes of every record file (see recordFiles), keyed by path: equal snapshots mean nothing was written. */
export function recordBytes(directory: string): Map<string, string> {
	return new Map(recordFiles(directory).map(file => [file, readFileSync(file).toString('base64')]));
}
