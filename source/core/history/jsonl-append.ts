import {constants} from 'node:fs';
import {unlink, type FileHandle} from 'node:fs/promises';
import {openRegular} from '../store/safe-file.js';

/*
 * Durable appends to a JSON-lines log in the data folder (the signature log, the access log).
 * The caller serialises writers (a file lock, or the database lock).
 */

/**
 * Opens a file of the data folder without following a symlink and refuses anything but a
 * regular file (a FIFO, a device, a folder): see safe-file.ts. Created with the folder's mode.
 */
export function openRegularFile(file: string, flags: number): Promise<FileHandle> {
	return openRegular(file, flags);
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
