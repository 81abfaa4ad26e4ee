import {existsSync, renameSync} from 'node:fs';
import {join} from 'node:path';
import {DomainError} from '../errors.js';
import {writeFileAtomic} from './atomic-write.js';
import {FOLDER_STORE, pointerOf, STORE_POINTER} from './location.js';
import {copyFolderLogs, type CopiedLogs} from './postgres/copy-logs.js';
import {displayUrl} from './postgres/url.js';
import type {Database} from './schema.js';
import {Store} from './store.js';

/*
 * `mysign admin migrate --store postgres://…` (issue 22): a data folder's database moves into an
 * empty PostgreSQL database, once. Under the folder's lock (no writer changes it meanwhile): the
 * whole database is read as every operation sees it (a format-1 file is read whole, as the split
 * would), its logs are copied, the documents are created in one transaction (the commit point),
 * then the folder names the database in store.url (every process started on the folder uses it
 * from then on) and its own db.json and holders/ are renamed aside (kept, never read again).
 * A writer still running on the folder finds no db.json and is refused (store.missing).
 */

export interface MigrationResult extends CopiedLogs {
	holders: number;
	store: string;
	/** What the folder's own database files were renamed to. */
	keptAside: string[];
}

export async function migrateFolder(directory: string, url: string): Promise<MigrationResult> {
	const pointer = pointerOf(directory);
	if (pointer !== undefined) throw new DomainError('store.alreadyMigrated', {file: join(directory, STORE_POINTER), store: displayUrl(pointer)});
	const folder = new Store(directory, undefined, FOLDER_STORE);
	if (!(await folder.exists())) throw new DomainError('store.missing', {file: folder.file});
	const target = new Store(directory, undefined, url);
	return folder.backend.locked(async () => {
		// Inside the lock: no commit can come between, so this read is one commit's.
		const db = await folder.read();
		if (await target.exists()) throw new DomainError('store.targetNotEmpty', {store: displayUrl(url)});
		// Its own transaction, before the documents': a rerun after a crash replaces these rows.
		const logs = await copyFolderLogs(directory, url);
		// A plain copy: the snapshot's non-enumerable markers (the outbox numbers' source) stay behind.
		const copy = JSON.parse(JSON.stringify(db)) as Database;
		if (!(await target.initialize(() => copy))) throw new DomainError('store.targetNotEmpty', {store: displayUrl(url)});
		await writeFileAtomic(join(directory, STORE_POINTER), `${url}\n`, {syncDirectory: true, secret: true});
		const stamp = new Date().toISOString().replace(/[:.]/g, '-');
		const keptAside: string[] = [];
		for (const name of ['db.json', 'holders', 'db.json.checked']) {
			const from = join(directory, name);
			if (!existsSync(from)) continue;
			const to = `${from}.migrated-${stamp}`;
			renameSync(from, to);
			keptAside.push(to);
		}
		return {holders: db.holders.length, ...logs, store: displayUrl(url), keptAside};
	});
}
