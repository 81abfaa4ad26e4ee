import {chmodSync, closeSync, constants, fchmodSync, fstatSync, lstatSync, mkdirSync, openSync, readSync, statSync, type Stats} from 'node:fs';
import {open, type FileHandle} from 'node:fs/promises';
import {dirname} from 'node:path';
import {DomainError} from '../errors.js';

/*
 * How every file in the data folder is opened. Someone who can write into the folder (another
 * member of a workshop group, a script gone wrong) must not make mysign write through a planted
 * symbolic link, hang on a FIFO or read /dev/zero forever:
 * - the last component is opened with O_NOFOLLOW (a symlink is refused, never followed) and
 *   O_NONBLOCK (a FIFO opens at once instead of waiting for a writer; regular files ignore it),
 *   then fstat must say "regular file", or the file is refused, naming it, with nothing changed;
 * - reads are bounded: at most the size fstat gave, never more than the caller's limit;
 * - the data folder's sub-folders must be real folders (lstat), not links to somewhere else;
 * - files are created with O_EXCL and their mode set with fchmod (the umask may strip group
 *   bits), the mode chosen by `folderModes` from the folder they are created in.
 */

const {O_NOFOLLOW, O_NONBLOCK, O_CREAT, O_EXCL, O_WRONLY} = constants;

/** The modes of a folder's new files, sub-folders and secrets (keys). */
export interface FolderModes {
	/** A folder shared by an OS group (`mysign admin init --group`): set-group-id and group-writable. */
	shared: boolean;
	file: number;
	secret: number;
	directory: number;
}

const PRIVATE: FolderModes = Object.freeze({shared: false, file: 0o600, secret: 0o600, directory: 0o700});
export const SHARED_MODES: FolderModes = Object.freeze({shared: true, file: 0o660, secret: 0o640, directory: 0o2770});

/**
 * The one rule for modes: a folder that is set-group-id and group-writable is shared by its group
 * (new files inherit the group from it; they are made 0660, secrets 0640, sub-folders 2770);
 * any other folder is private (0600, 0700), as before. Every folder of a shared data folder is
 * itself 2770, so the folder a file is created in answers for the whole data folder.
 */
export function folderModes(folder: string): FolderModes {
	let mode: number;
	try {
		mode = statSync(folder).mode;
	} catch {
		return PRIVATE;
	}
	return (mode & 0o2000) !== 0 && (mode & 0o020) !== 0 ? SHARED_MODES : PRIVATE;
}

/** A failed open of `file` as the refusal it is (a symlink, a FIFO or socket, a folder, a read not permitted); anything else unchanged. */
function refusal(file: string, error: unknown, flags: number): unknown {
	const code = (error as NodeJS.ErrnoException).code;
	// A read refused: most often a user outside the group of a shared folder (writes keep data.writeFailed).
	if ((code === 'EACCES' || code === 'EPERM') && (flags & (constants.O_WRONLY | constants.O_RDWR)) === 0) return new DomainError('file.noAccess', {file, reason: code});
	switch (code) {
		case 'ELOOP':
		case 'EMLINK':
			return new DomainError('file.symlink', {file});
		case 'ENXIO':
		case 'EISDIR':
			return new DomainError('file.notRegular', {file});
		default:
			return error;
	}
}

/** Creation with O_CREAT happens in two steps so that what was created (and only that) gets its mode. */
function wantsCreate(flags: number): boolean {
	return (flags & O_CREAT) !== 0 && (flags & O_EXCL) === 0;
}

/**
 * Opens a regular file without following a symlink at its last component; throws `file.symlink`
 * or `file.notRegular` naming it otherwise. With O_CREAT the file is created when missing (never
 * through a symlink) and given `mode` exactly; `mode` defaults to the folder's file mode.
 */
export function openRegularSync(file: string, flags: number, mode?: number): number {
	const safe = flags | O_NOFOLLOW | O_NONBLOCK;
	let fd: number | undefined;
	let created = false;
	for (let attempt = 0; fd === undefined; attempt++) {
		try {
			if (wantsCreate(flags)) {
				try {
					fd = openSync(file, safe & ~O_CREAT);
					break;
				} catch (error) {
					if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt > 3) throw error;
				}
				fd = openSync(file, safe | O_EXCL, 0o600);
			} else {
				fd = openSync(file, safe, 0o600);
			}
			created = (flags & O_CREAT) !== 0;
		} catch (error) {
			// Created by another process between the two steps: open it as it is.
			if (wantsCreate(flags) && (error as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 3) continue;
			throw refusal(file, error, flags);
		}
	}
	try {
		if (!fstatSync(fd).isFile()) throw new DomainError('file.notRegular', {file});
		if (created) fchmodSync(fd, mode ?? folderModes(dirname(file)).file);
		return fd;
	} catch (error) {
		closeSync(fd);
		throw error;
	}
}

/** `openRegularSync` returning a FileHandle (for the asynchronous readers and writers). */
export async function openRegular(file: string, flags: number, mode?: number): Promise<FileHandle> {
	const safe = flags | O_NOFOLLOW | O_NONBLOCK;
	let handle: FileHandle | undefined;
	let created = false;
	for (let attempt = 0; handle === undefined; attempt++) {
		try {
			if (wantsCreate(flags)) {
				try {
					handle = await open(file, safe & ~O_CREAT);
					break;
				} catch (error) {
					if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt > 3) throw error;
				}
				handle = await open(file, safe | O_EXCL, 0o600);
			} else {
				handle = await open(file, safe, 0o600);
			}
			created = (flags & O_CREAT) !== 0;
		} catch (error) {
			if (wantsCreate(flags) && (error as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 3) continue;
			throw refusal(file, error, flags);
		}
	}
	try {
		if (!(await handle.stat()).isFile()) throw new DomainError('file.notRegular', {file});
		if (created) await handle.chmod(mode ?? folderModes(dirname(file)).file);
		return handle;
	} catch (error) {
		await handle.close();
		throw error;
	}
}

/** A new file that must not exist yet (a temp file): O_EXCL, its mode set exactly (a secret's, or the folder's file mode). */
export function createExclusiveSync(file: string, options: {secret?: boolean} = {}): number {
	const modes = folderModes(dirname(file));
	return openRegularSync(file, O_WRONLY | O_CREAT | O_EXCL, options.secret ? modes.secret : modes.file);
}

export async function createExclusive(file: string, options: {secret?: boolean} = {}): Promise<FileHandle> {
	const modes = folderModes(dirname(file));
	return openRegular(file, O_WRONLY | O_CREAT | O_EXCL, options.secret ? modes.secret : modes.file);
}

function tooLarge(file: string, maxBytes: number): DomainError {
	return new DomainError('file.tooLarge', {file, max: maxBytes});
}

/** The whole content of a regular file of at most `maxBytes` (refused if larger; never reads more). */
export function readRegularFileSync(file: string, maxBytes: number, options: {secret?: boolean; check?: (info: Stats) => void} = {}): Buffer {
	const fd = openRegularSync(file, constants.O_RDONLY);
	try {
		const info = fstatSync(fd);
		const {size, mode} = info;
		// A secret others may read is refused, as readSecretFile refuses it.
		if (options.secret) exposedSecret(file, mode);
		// The caller's own test of the very file opened (its owner, say), not of whatever the path names later.
		options.check?.(info);
		if (size > maxBytes) throw tooLarge(file, maxBytes);
		// One byte more than announced tells a file that grew while read.
		const buffer = Buffer.allocUnsafe(Math.min(size, maxBytes) + 1);
		let read = 0;
		while (read < buffer.length) {
			const count = readSync(fd, buffer, read, buffer.length - read, read);
			if (count === 0) break;
			read += count;
		}
		if (read > maxBytes) throw tooLarge(file, maxBytes);
		return buffer.subarray(0, read);
	} finally {
		closeSync(fd);
	}
}

export async function readRegularFile(file: string, maxBytes: number): Promise<Buffer> {
	const handle = await openRegular(file, constants.O_RDONLY);
	try {
		return await readBounded(handle, file, (await handle.stat()).size, maxBytes);
	} finally {
		await handle.close();
	}
}

/** At most `maxBytes` of an open file (one byte more tells a file that grew past it: refused). */
async function readBounded(handle: FileHandle, file: string, size: number, maxBytes: number): Promise<Buffer> {
	if (size > maxBytes) throw tooLarge(file, maxBytes);
	const buffer = Buffer.allocUnsafe(Math.min(size, maxBytes) + 1);
	let read = 0;
	while (read < buffer.length) {
		const {bytesRead} = await handle.read(buffer, read, buffer.length - read, read);
		if (bytesRead === 0) break;
		read += bytesRead;
	}
	if (read > maxBytes) throw tooLarge(file, maxBytes);
	return buffer.subarray(0, read);
}

/** Refuses a secret others may read: in a shared folder the group may, in a private folder nobody else. */
function exposedSecret(file: string, mode: number): void {
	const modes = folderModes(dirname(file));
	const forbidden = modes.shared ? 0o007 : 0o077;
	if ((mode & forbidden) !== 0) {
		throw new DomainError('file.secretExposed', {file, mode: (mode & 0o777).toString(8).padStart(4, '0'), command: `chmod ${modes.secret.toString(8)} ${quoted(file)}`});
	}
}

/** Shell-quoted, for a command the message tells the user to run. */
function quoted(path: string): string {
	return /^[\w./-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;
}

/**
 * A secret (a key file), read as `readRegularFile` reads, refused when others may read it (as ssh
 * refuses a private key with mode 0644): in a shared folder the group may read it, in a private
 * folder nobody else. The refusal names the file and the exact `chmod` that fixes it.
 */
export async function readSecretFile(file: string, maxBytes: number): Promise<Buffer> {
	const handle = await openRegular(file, constants.O_RDONLY);
	try {
		const {mode, size} = await handle.stat();
		exposedSecret(file, mode);
		return await readBounded(handle, file, size, maxBytes);
	} finally {
		await handle.close();
	}
}

/**
 * Makes sure `folder` (a sub-folder of the data folder) is a real folder: created when missing
 * with its parent's mode for folders, refused (`file.notDirectory`) when it is a symlink or
 * anything else. Only the last component is created: the parent must exist.
 */
export function ensureRealDirectory(folder: string): void {
	let info;
	try {
		info = lstatSync(folder);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
		const mode = folderModes(dirname(folder)).directory;
		try {
			mkdirSync(folder, {mode});
			// The umask may have stripped bits; set-group-id is set explicitly too.
			chmodSync(folder, mode);
		} catch (error_) {
			if ((error_ as NodeJS.ErrnoException).code !== 'EEXIST') throw error_;
		}
		info = lstatSync(folder);
	}
	if (!info.isDirectory()) throw new DomainError('file.notDirectory', {file: folder});
}

/** `ensureRealDirectory` for a folder that is read, not written: true if it is a real folder, false if it is missing. */
export function isRealDirectory(folder: string): boolean {
	let info;
	try {
		info = lstatSync(folder);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
		throw error;
	}
	if (!info.isDirectory()) throw new DomainError('file.notDirectory', {file: folder});
	return true;
}
