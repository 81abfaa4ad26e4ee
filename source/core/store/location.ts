import {accessSync, constants, existsSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {DomainError, isDomainError} from '../errors.js';
import {writeFileAtomic} from './atomic-write.js';
import {readRegularFileSync} from './safe-file.js';
import {displayUrl, storeUrlProblem} from './postgres/url.js';

/*
 * Where a data folder's shared state lives: in the folder's own files (the embedded default),
 * or in a PostgreSQL database (issue 22). A folder moved to a database by `mysign admin migrate`
 * names it in `<data>/store.url` (0600): every process started on that folder uses it, with or
 * without --store, so no process reads the folder's old files while others use the database.
 * `--store` / MYSIGN_STORE point a folder (its keys and CA, see README) at a database: they must
 * agree with store.url where there is one, and a folder holding its own db.json is refused (its
 * data would be silently left behind: `admin migrate` moves it).
 */

export const STORE_POINTER = 'store.url';
/** As a Store's `store`: the folder's own files, whatever the process or the folder names (`admin migrate` reads them). */
export const FOLDER_STORE = 'folder';

/** This process's --store / MYSIGN_STORE (set once by the command line). */
let requested: string | undefined;

/** The command line's choice: --store, else MYSIGN_STORE. A value that is no postgres:// URL is refused. */
export function requestStore(url: string | undefined): void {
	if (url !== undefined && url !== '' && storeUrlProblem(url)) throw new DomainError('store.badUrl', {store: displayUrl(url)});
	requested = url === '' ? undefined : url;
}

/** The URL a folder's pointer names, or undefined when it has none. */
export function pointerOf(directory: string): string | undefined {
	const file = join(directory, STORE_POINTER);
	let text: string;
	try {
		// A secret (its URL may carry a password): refused when others may read it, as a key is; and
		// only the folder's owner's or this user's: a pointer another member of a shared folder
		// planted would send this user's connection (their PGPASSWORD, their ~/.pgpass line) to the
		// host of that member's choosing.
		text = readRegularFileSync(file, 4096, {secret: true, check: info => trustedOwner(file, directory, info.uid)}).toString('utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		// A folder this user may not enter: its database's read says so, naming db.json (a pointer is not for them either).
		if (isDomainError(error, 'file.noAccess') && !searchable(directory)) return undefined;
		throw error;
	}
	// One URL on one line: a second line is no part of it (URL parsers drop newlines, joining the two).
	const url = text.endsWith('\n') ? text.slice(0, -1) : text;
	const problem = storeUrlProblem(url);
	if (problem) throw new DomainError('store.invalid', {file, reason: {fileParameter: 'a URL parameter that names a file (sslcert, sslkey, sslrootcert…)', targetParameter: 'a URL parameter that names another server, user or database (host, port, user…)', scheme: 'not one postgres:// URL on one line', unparsable: 'not one postgres:// URL on one line'}[problem]});
	return url;
}

/** Names the database in the folder's store.url (0600, a secret), durably. */
export async function writePointer(directory: string, url: string): Promise<void> {
	await writeFileAtomic(join(directory, STORE_POINTER), `${url}\n`, {syncDirectory: true, secret: true});
}

/**
 * The database the store of `directory` uses, or undefined for the folder's files: `explicit`
 * (a test's, or a portal option), else this process's --store, else the folder's pointer. A
 * choice other than the pointer's is refused (`store.elsewhere`).
 */
export function storeUrlOf(directory: string, explicit?: string): string | undefined {
	if (explicit === FOLDER_STORE) return undefined;
	const chosen = explicit ?? requested;
	// What the client would use is what the URL shows (no parameter naming another host, user or file).
	if (chosen !== undefined && storeUrlProblem(chosen)) throw new DomainError('store.badUrl', {store: displayUrl(chosen)});
	const pointer = pointerOf(directory);
	if (chosen !== undefined && pointer !== undefined && !sameDatabase(chosen, pointer)) {
		throw new DomainError('store.elsewhere', {file: join(directory, STORE_POINTER), store: displayUrl(pointer)});
	}
	// A folder with its own database is not silently left behind: its data moves with `admin migrate`
	// (which names both stores explicitly).
	if (explicit === undefined && chosen !== undefined && pointer === undefined && existsSync(join(directory, 'db.json'))) {
		throw new DomainError('store.folderHasData', {file: join(directory, 'db.json'), store: displayUrl(chosen)});
	}
	return chosen ?? pointer;
}

/** Whether two URLs name one database (user, host, port, database), whatever their spelling, password or parameters. */
function sameDatabase(one: string, other: string): boolean {
	const canonical = (url: string) => displayUrl(url).replace(/^postgresql:/i, 'postgres:').toLowerCase();
	return canonical(one) === canonical(other);
}

function trustedOwner(file: string, directory: string, uid: number): void {
	if (uid === process.getuid?.() || uid === statSync(directory).uid) return;
	throw new DomainError('store.invalid', {file, reason: `written by another user (uid ${uid}), neither the data folder's owner nor you`});
}

function searchable(directory: string): boolean {
	try {
		accessSync(directory, constants.X_OK);
		return true;
	} catch {
		return false;
	}
}
