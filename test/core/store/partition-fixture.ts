import {createHash} from 'node:crypto';
import {lstatSync, readFileSync, readdirSync, writeFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import {afterEach} from 'vitest';
import {DomainError} from '../../../source/core/errors.js';
import {emptyDatabase, type Database, type Holder, type SessionRecord} from '../../../source/core/store/schema.js';
import {Store} from '../../../source/core/store/store.js';
import {temporaryDirectory} from '../../helpers/holders.js';
import {validHolder} from '../../helpers/stores.js';

/*
 * A partitioned data folder with two holders, and what an attacker or a killed writer leaves in
 * it, for the contract tests of the partitioned store (partition*.test.ts).
 */

export const A = 'JCPD1111';
export const B = 'JCPD2222';
export const EMAIL = {[A]: 'anna@example.it', [B]: 'bruno@example.it'} as const;
/** A pid no process has (above Linux's largest pid_max): a killed writer's. */
export const DEAD_PID = 9_999_999;

export function holder(userId: string, email: string): Holder {
	return {...validHolder(), userId, name: 'Anna', surname: 'Verdi', codiceFiscale: 'VRDNNA80A41H501U', email};
}

export function session(userId: string, id: string): SessionRecord {
	return {id, userId, terminal: 'tty1', startedAt: '2026-11-24T09:00:00.000Z', lastActivityAt: '2026-11-24T09:00:00.000Z', endedAt: null, endReason: null};
}

/** The format-1 database of the two holders, each with a session and a login throttle. */
export function twoHolders(): Database {
	const db = emptyDatabase();
	db.holders.push(holder(A, EMAIL[A]), holder(B, EMAIL[B]));
	db.sessions.push(session(A, 'sa'), session(B, 'sb'));
	db.loginThrottle[`user:${A}`] = {failures: 1, lockedUntil: null, lockouts: 0, lastFailureAt: '2026-11-24T09:00:00.000Z'};
	db.loginThrottle[`user:${B}`] = {failures: 2, lockedUntil: null, lockouts: 0, lastFailureAt: '2026-11-24T09:00:00.000Z'};
	return db;
}

/** Each test's folders, removed after it. */
export function folders(): {partitioned: () => Promise<Store>; path: () => string} {
	const removals: (() => void)[] = [];
	afterEach(() => {
		while (removals.length > 0) removals.pop()!();
	});
	const path = () => {
		const folder = temporaryDirectory();
		removals.push(folder.remove);
		return folder.path;
	};
	return {
		path,
		/** A data folder in format 2 (db.json, holders/A.json, holders/B.json, holders/index.json). */
		async partitioned() {
			const store = new Store(join(path(), 'data'));
			await store.initialize(() => twoHolders());
			return store;
		},
	};
}

export function holderPath(store: Store, userId: string): string {
	return join(store.directory, 'holders', `${userId}.json`);
}

export function readJson(file: string): Record<string, unknown> {
	return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** What the store writes: tab-indented JSON and a newline. */
export function serialise(document: unknown): string {
	return JSON.stringify(document, null, '\t') + '\n';
}

export function sha256(text: string | Buffer): string {
	return createHash('sha256').update(text).digest('hex');
}

/** Every entry under `root` (never following a link): a file's bytes (hashed), a link's target, or its kind. */
export function tree(root: string): Record<string, string> {
	const found: Record<string, string> = {};
	const walk = (folder: string) => {
		for (const name of readdirSync(folder).sort()) {
			const path = join(folder, name);
			const info = lstatSync(path);
			const key = relative(root, path);
			if (info.isDirectory()) {
				found[key] = `dir ${(info.mode & 0o7777).toString(8)}`;
				walk(path);
			} else if (info.isFile()) found[key] = `file ${(info.mode & 0o777).toString(8)} ${sha256(readFileSync(path))}`;
			else found[key] = info.isSymbolicLink() ? 'link' : 'special';
		}
	};
	walk(root);
	return found;
}

export {rejection} from '../../helpers/stores.js';

/** Expects a DomainError with this code naming this file. */
export function expectRefusal(error: unknown, code: string, file: string): void {
	if (!(error instanceof DomainError)) throw new Error(`expected ${code} naming ${file}, got ${String(error)}`);
	if (error.code !== code || error.params['file'] !== file) throw new Error(`expected ${code} naming ${file}, got ${error.message}`);
}

/**
 * What a writer killed after its commit point leaves: each document's new text in a temp beside
 * it (named with a dead pid), and db.json naming them. `renamed`: those whose rename it did.
 */
export function killedCommit(store: Store, documents: Record<string, string>, renamed: readonly string[] = []): Record<string, string> {
	const holders = join(store.directory, 'holders');
	const commit: {file: string; temporary: string; sha256: string}[] = [];
	let count = 0;
	for (const [file, text] of Object.entries(documents)) {
		const temporary = `${file}.${DEAD_PID}.${(++count).toString(16).padStart(12, '0')}.tmp`;
		commit.push({file, temporary, sha256: sha256(text)});
		writeFileSync(join(holders, renamed.includes(file) ? file : temporary), text, {mode: 0o600});
	}
	const top = readJson(store.file);
	writeFileSync(store.file, serialise({...top, commit}), {mode: 0o600});
	return Object.fromEntries(commit.map(entry => [entry.file, entry.temporary]));
}

/** holders/<userID>.json with its holder's name changed: a new version of their document. */
export function renamedHolder(store: Store, userId: string, name: string): string {
	const document = readJson(holderPath(store, userId)) as {holder: Holder};
	document.holder.name = name;
	return serialise(document);
}
