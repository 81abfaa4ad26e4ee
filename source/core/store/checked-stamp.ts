import {closeSync, constants, ftruncateSync, lstatSync, statSync, writeSync} from 'node:fs';
import {join} from 'node:path';
import {openRegularSync, readRegularFileSync} from './safe-file.js';

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

/** The stamp is a line of ~120 bytes: a longer file (or /dev/zero behind a link) is not read. */
const MAX_STAMP_BYTES = 4096;

function fileIdentity(file: string, follow = true): string {
	// The database's own entry (lstat): a symlink db.json never matches a stamp, so it gets the full read, which refuses it.
	const info = follow ? statSync(file, {bigint: true}) : lstatSync(file, {bigint: true});
	return `${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}`;
}

/**
 * Called under the store lock right after db.json was validated and written. Best effort and
 * not synced: a stamp that is missing, stale or torn only costs the fast start.
 */
export function writeCheckedStamp(directory: string, facts: CheckedFacts): void {
	if (programIdentity === undefined) return;
	try {
		const stamp: Stamp = {program: programIdentity, file: fileIdentity(join(directory, DATABASE), false), loginMaxAttempts: facts.loginMaxAttempts};
		// Never through a planted symlink, never into a FIFO: such a stamp is left as it is (and never believed).
		const fd = openRegularSync(join(directory, STAMP), constants.O_WRONLY | constants.O_CREAT);
		try {
			ftruncateSync(fd, 0);
			const bytes = Buffer.from(JSON.stringify(stamp) + '\n');
			for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written, written);
		} finally {
			closeSync(fd);
		}
	} catch {
		// A full disk, a read-only folder, a refused stamp file: the write that mattered already succeeded.
	}
}

/** The stamp's facts when this program validated db.json exactly as it is now; otherwise undefined. */
export function readCheckedStamp(directory: string): CheckedFacts | undefined {
	if (programIdentity === undefined) return undefined;
	try {
		// Bounded and regular only: a stamp linked to /dev/zero or a FIFO is refused at once (the start then validates).
		const stamp = JSON.parse(readRegularFileSync(join(directory, STAMP), MAX_STAMP_BYTES).toString('utf8')) as Partial<Stamp>;
		if (stamp.program !== programIdentity || stamp.file !== fileIdentity(join(directory, DATABASE), false)) return undefined;
		const attempts = stamp.loginMaxAttempts;
		return typeof attempts === 'number' && Number.isInteger(attempts) && attempts > 0 ? {loginMaxAttempts: attempts} : undefined;
	} catch {
		return undefined;
	}
}
