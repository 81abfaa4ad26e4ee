import {readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

/*
 * "This program validated and wrote db.json as it is now." After each store write (whose text
 * passed the whole schema just before), the store leaves `db.json.checked` beside it: which
 * program wrote it, the file's identity (inode, size, modification time in nanoseconds, the
 * same test `make` and git use) and the one setting the login screen shows. A start that finds
 * the stamp true can draw the login screen before loading the schema code and the core (zod
 * and ~200 KB of the domain, ~90 ms of every start), then validate db.json in full right after
 * the first frame, while keys wait (see cli.tsx and the App's `portal`).
 *
 * Nothing here is trusted for more than that first frame, so no cryptography is needed: another
 * version of the program, a hand edit, a copied file, a crash between the two writes or a torn
 * stamp simply do not match, and the start validates first, as always. (Like any such test, it
 * cannot see a rewrite in place, of the same size, within the file system's clock tick of the
 * store's write, a few milliseconds: only a program racing the store could do that, and the full
 * validation after the first frame still refuses what is wrong.) This module loads no schema
 * code, so the start can use it before anything else.
 */

const DATABASE = 'db.json';
const STAMP = 'db.json.checked';

/** What the first frame may show from a stamped database. */
export interface CheckedFacts {
	loginMaxAttempts: number;
}

interface Stamp extends CheckedFacts {
	program: string;
	file: string;
}

let programIdentity: string | undefined;

/**
 * Who validates: the running program's entry file, by the same identity test (every build and
 * every install writes new files). Unset (tests running the sources), no stamp is written or believed.
 */
export function setProgramIdentity(entryFile: string | undefined): void {
	programIdentity = entryFile === undefined ? undefined : fileIdentity(entryFile);
}

function fileIdentity(file: string): string {
	const info = statSync(file, {bigint: true});
	return `${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}`;
}

/**
 * Called under the store lock right after db.json was validated and written. Best effort and
 * not synced: a stamp that is missing, stale or torn only costs the fast start.
 */
export function writeCheckedStamp(directory: string, facts: CheckedFacts): void {
	if (programIdentity === undefined) return;
	try {
		const stamp: Stamp = {program: programIdentity, file: fileIdentity(join(directory, DATABASE)), loginMaxAttempts: facts.loginMaxAttempts};
		writeFileSync(join(directory, STAMP), JSON.stringify(stamp) + '\n', {mode: 0o600});
	} catch {
		// A full disk or a read-only folder: the write that mattered already succeeded.
	}
}

/** The stamp's facts when this program validated db.json exactly as it is now; otherwise undefined. */
export function readCheckedStamp(directory: string): CheckedFacts | undefined {
	if (programIdentity === undefined) return undefined;
	try {
		const stamp = JSON.parse(readFileSync(join(directory, STAMP), 'utf8')) as Partial<Stamp>;
		if (stamp.program !== programIdentity || stamp.file !== fileIdentity(join(directory, DATABASE))) return undefined;
		const attempts = stamp.loginMaxAttempts;
		return typeof attempts === 'number' && Number.isInteger(attempts) && attempts > 0 ? {loginMaxAttempts: attempts} : undefined;
	} catch {
		return undefined;
	}
}
