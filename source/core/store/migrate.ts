import {existsSync, renameSync} from 'node:fs';
import {join as pathJoin} from 'node:path';
import {DomainError} from '../errors.js';
import type {DocumentSource} from './backend.js';
import {documentRows, topText} from './document-rules.js';
import {FOLDER_STORE, pointerOf, STORE_POINTER, writePointer} from './location.js';
import type {GlobalDocument} from './partition.js';
import {rebuiltIndex} from './partitioned-adapter.js';
import type {CopiedLogs} from './postgres/copy-logs.js';
import {finishImport, importDocuments, MIGRATING} from './postgres/import.js';
import {query} from './postgres/queries.js';
import {displayUrl} from './postgres/url.js';
import {readRegularFileSync} from './safe-file.js';
import {NO_HOLDER, Store} from './store.js';
import {loadBoundKeys} from '../key-binding.js';

/*
 * `mysign admin migrate --store postgres://…` (issue 22): a data folder's database moves into an
 * empty PostgreSQL database, once. A format-1 folder is split first (the documents are what is
 * copied). Then, under the folder's lock (no writer changes it meanwhile): the logs, every document
 * as the store reads it (validated, a broken one refused naming it) and the outbox counter, in one
 * transaction under the database's store lock (the commit point), then the folder names the database in store.url (every process started on the
 * folder uses it from then on) and its own db.json and holders/ are renamed aside (kept, never
 * read again). A writer still running on the folder finds no db.json and is refused (store.missing).
 */

export interface MigrationResult extends CopiedLogs {
	holders: number;
	store: string;
	/** What the folder's own database files were renamed to. */
	keptAside: string[];
	/** Those that could not be renamed (still there, never read again: store.url decides). */
	leftInPlace: string[];
	/** A folder without a database of its own that now uses the database (nothing was copied). */
	joined?: boolean;
}

/** Holder documents per INSERT: a few MB, whatever the number of holders. */
const BATCH = 500;

export async function migrateFolder(directory: string, url: string): Promise<MigrationResult> {
	const pointer = pointerOf(directory);
	if (pointer !== undefined) throw new DomainError('store.alreadyMigrated', {file: pathJoin(directory, STORE_POINTER), store: displayUrl(pointer)});
	const folder = new Store(directory, undefined, FOLDER_STORE);
	const target = new Store(directory, undefined, url);
	if (!(await folder.exists())) return joinDatabase(directory, url, target);
	// A format-1 db.json is split by any update (one that reads no holder and changes nothing writes nothing else).
	await folder.update(() => undefined, NO_HOLDER);
	return folder.backend.locked(async source => {
		const top = await source.readTop();
		if (top.kind !== 'partitioned') throw new DomainError('store.missing', {file: folder.file});
		// A commit whose writer was killed is finished first: what is copied is the last commit.
		await source.recover(top.global);
		const global: GlobalDocument = {...top.global, commit: []};
		const holders = await source.holderIds();
		// A move whose store.url was never written (killed, a full disk) is finished when the database
		// holds this very folder's documents; anything else there is refused.
		const logs = (await target.exists())
			? await finishImport(url, documentsOf(source, global, holders), directory)
			: await importDocuments(url, documentsOf(source, global, holders), outboxCounterOf(directory), directory);
		// Committed: from here a failure is no refusal. The database holds the folder's data, marked
		// unfinished (nobody joins it) until store.url is written and the mark cleared.
		try {
			await writePointer(directory, url);
			await query(url, `DELETE FROM mysign_counters WHERE name = '${MIGRATING}'`);
		} catch (error) {
			const reason = (error as {code?: string}).code ?? 'error';
			throw new DomainError('store.migrationUnfinished', {store: displayUrl(url), file: pathJoin(directory, STORE_POINTER), reason});
		}
		const stamp = new Date().toISOString().replace(/[:.]/g, '-');
		const keptAside: string[] = [];
		const leftInPlace: string[] = [];
		for (const name of ['db.json', 'holders', 'db.json.checked']) {
			const from = pathJoin(directory, name);
			if (!existsSync(from)) continue;
			const to = `${from}.migrated-${stamp}`;
			try {
				renameSync(from, to);
				keptAside.push(to);
			} catch {
				// Moved all the same: store.url decides, these are never read again.
				leftInPlace.push(from);
			}
		}
		return {holders: holders.length, ...logs, store: displayUrl(url), keptAside, leftInPlace};
	});
}

/**
 * A further server's folder (its keys and CA copied from the first, no database of its own) joins
 * the database: checked to hold the database's very keys (store.keyMissing / keyMismatch
 * otherwise), then named in store.url, so every process on the folder uses the database, with or
 * without MYSIGN_STORE.
 */
async function joinDatabase(directory: string, url: string, target: Store): Promise<MigrationResult> {
	if (!(await target.exists())) throw new DomainError('store.missing', {file: target.file});
	// A move whose folder does not use the database yet: joining it would part this server from that one.
	const {rowCount} = await query(url, `SELECT 1 FROM mysign_counters WHERE name = '${MIGRATING}'`);
	if ((rowCount ?? 0) > 0) throw new DomainError('store.migrationPending', {store: displayUrl(url)});
	const db = await target.read(NO_HOLDER);
	await loadBoundKeys(directory, db.keys);
	await writePointer(directory, url);
	const {rows} = await query<{holders: number}>(url, `SELECT count(*)::int AS holders FROM mysign_documents WHERE name LIKE 'holders/JCPD%'`);
	return {holders: rows[0]!.holders, messages: 0, accessEntries: 0, signatures: 0, store: displayUrl(url), keptAside: [], leftInPlace: [], joined: true};
}

/** The folder's documents as rows, checked as every commit checks them: holders in batches, the index, db.json last. */
async function* documentsOf(source: DocumentSource, global: GlobalDocument, userIds: readonly string[]): AsyncGenerator<{name: string; text: string}[]> {
	for (let start = 0; start < userIds.length; start += BATCH) {
		const documents = await source.readHolders(userIds.slice(start, start + BATCH), global);
		yield documentRows(name => source.nameOf(name), new Map(documents.map(document => [document.holder.userId, document])), undefined);
	}
	const index = (await source.readIndex(global)) ?? (await rebuiltIndex(source, global));
	yield [...documentRows(name => source.nameOf(name), new Map(), index), {name: 'db.json', text: topText(source.top, global)}];
}

/** The folder's last outbox number (outbox.sequence), so the database never gives it again. */
function outboxCounterOf(directory: string): number | undefined {
	const file = pathJoin(directory, 'outbox.sequence');
	if (!existsSync(file)) return undefined;
	const text = readRegularFileSync(file, 64).toString('utf8');
	if (!/^\d{1,15}\n$/.test(text)) throw new DomainError('store.invalid', {file, reason: 'not a number on one line'});
	return Number(text);
}
