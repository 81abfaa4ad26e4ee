import {constants} from 'node:fs';
import {open, unlink, type FileHandle} from 'node:fs/promises';

/*
 * Durable appends to a JSON-lines log in the data folder (the signature log, the access log).
 * The caller serialises writers (a file lock, or the database lock).
 */

/**
 * Opens a file of the data folder without following a symlink and refuses anything but a
 * regular file (a FIFO, a device, a folder), so a planted link or special file is never written
 * through. Created 0600. One small function on purpose: the common safe-file module replaces it.
 */
export async function openRegularFile(file: string, flags: number, mode = 0o600): Promise<FileHandle> {
	// O_NONBLOCK: opening a FIFO must not wait for a writer before fstat can refuse it.
	const handle = await open(file, flags | constants.O_NOFOLLOW | constants.O_NONBLOCK, mode);
	try {
		if (!(await handle.stat()).isFile()) throw Object.assign(new Error(`not a regular file: ${file}`), {code: 'ENOTREGULAR'});
		return handle;
	} catch (error) {
		await handle.close();
		throw error;
	}
}

/**
 * Appends whole lines (`text` ends with a newline) and fsyncs them. A crash may have left half
 * a line at the end: the new text then starts on a line of its own, so the next record is whole
 * (readers skip the torn one).
 */
export async function appendLines(file: string, text: string): Promise<void> {
	if (text === '') return;
	let created = false;
	let handle: FileHandle;
	try {
		handle = await openRegularFile(file, constants.O_RDWR | constants.O_APPEND);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
		handle = await openRegularFile(file, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_EXCL);
		created = true;
	}
	try {
		const {size} = await handle.stat();
		let prefix = '';
		if (size > 0) {
			const last = Buffer.alloc(1);
			await handle.read(last, 0, 1, size - 1);
			if (last[0] !== 0x0a) prefix = '\n';
		}
		await handle.appendFile(prefix + text);
		await handle.sync();
	} catch (error) {
		// A full disk: a file this call created is not left behind empty.
		if (created) await unlink(file).catch(() => undefined);
		throw error;
	} finally {
		await handle.close();
	}
}
