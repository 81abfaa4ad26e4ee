import {randomBytes} from 'node:crypto';
import {closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync} from 'node:fs';
import {open, readdir, rename, unlink} from 'node:fs/promises';
import {basename, dirname, join} from 'node:path';
import {createExclusive, createExclusiveSync} from './safe-file.js';

/**
 * Replaces `file` with `content` so that readers see the old or the new bytes, never a mix:
 * a unique temp file in the same folder (O_EXCL, never through a symlink, its mode set with fchmod:
 * 0600, or 0660 in a folder shared by a group, see safe-file.ts; `secret`: 0600 or 0640), fsync,
 * rename over the target (a symlink there is replaced, not followed), and (for the database)
 * fsync of the folder so the rename itself survives a crash. In a set-group-id folder the new
 * file inherits the folder's group, so a rewrite by any member keeps the file readable by all.
 * Temp names carry the pid, so a later process can tell a dead writer's leftovers.
 */
export async function writeFileAtomic(file: string, content: string | Uint8Array, options: {syncDirectory?: boolean; secret?: boolean} = {}): Promise<void> {
	const directory = dirname(file);
	const temporary = join(directory, `${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
	try {
		const handle = await createExclusive(temporary, {secret: options.secret});
		try {
			await handle.writeFile(content);
			await handle.sync();
		} finally {
			await handle.close();
		}
		await rename(temporary, file);
		if (options.syncDirectory) {
			const folder = await open(directory, 'r');
			try {
				await folder.sync();
			} finally {
				await folder.close();
			}
		}
	} catch (error) {
		await unlink(temporary).catch(() => undefined);
		throw namingFile(error, file);
	}
}

/** A write error (ENOSPC, EIO from a write or fsync carry no path) names the file it was for. */
function namingFile(error: unknown, file: string): unknown {
	if (error instanceof Error && (error as NodeJS.ErrnoException).code !== undefined) (error as NodeJS.ErrnoException).path ??= file;
	return error;
}

/**
 * `writeFileAtomic` in synchronous system calls, for the database under its lock: the same
 * steps (unique temp file, fsync, rename, fsync of the folder), without a trip through the
 * thread pool per step while other processes wait for the lock.
 */
export function writeFileAtomicSync(file: string, content: string | Uint8Array, options: {syncDirectory?: boolean; secret?: boolean; syncFile?: boolean} = {}): void {
	const directory = dirname(file);
	const temporary = join(directory, `${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
	try {
		const fd = createExclusiveSync(temporary, {secret: options.secret});
		try {
			const bytes = typeof content === 'string' ? Buffer.from(content) : content;
			for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
			// `syncFile: false`: the caller fsyncs it later, with others (one flush for many files).
			if (options.syncFile !== false) fsyncSync(fd);
		} finally {
			closeSync(fd);
		}
		renameSync(temporary, file);
		if (options.syncDirectory) {
			const folder = openSync(directory, 'r');
			try {
				fsyncSync(folder);
			} finally {
				closeSync(folder);
			}
		}
	} catch (error) {
		try {
			unlinkSync(temporary);
		} catch {
			// never created, or already renamed
		}
		throw namingFile(error, file);
	}
}

/**
 * Removes the temp files that writers who died mid-write (their pid no longer runs) left in
 * `directory`: all of them, or only those of the file named `target`. Call it where no other
 * writer of these files can be between open and rename (under their lock). Returns how many.
 */
export async function removeStrayTemporaries(directory: string, target?: string): Promise<number> {
	let removed = 0;
	for (const name of await readdir(directory)) {
		const match = /^(.+)\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name);
		if (!match || (target !== undefined && match[1] !== target)) continue;
		const pid = Number(match[2]);
		if (pid === process.pid || isRunning(pid)) continue;
		await unlink(join(directory, name)).catch(() => undefined);
		removed++;
	}
	return removed;
}

function isRunning(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
