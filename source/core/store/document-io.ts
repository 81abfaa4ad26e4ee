import {createHash} from 'node:crypto';
import {closeSync, constants, fsyncSync, openSync, statSync, unlinkSync, writeSync} from 'node:fs';
import {DomainError} from '../errors.js';
import {createExclusiveSync, openRegularSync, readRegularFileSync} from './safe-file.js';

/* The file steps DataFiles (documents.ts) is made of: reads, writes, syncs, hashes. */

export function statStamp(file: string): string | undefined {
	try {
		const info = statSync(file);
		return `${info.ino}:${info.size}:${info.mtimeMs}`;
	} catch {
		return undefined;
	}
}

/**
 * `text`, refused when larger than what the store reads back (`maxBytes`): written, the document
 * would be refused at every later read (file.tooLarge), its holder locked out for good.
 */
export function bounded(file: string, text: string, maxBytes: number): string {
	const size = Buffer.byteLength(text);
	if (size > maxBytes) throw new DomainError('store.invalid', {file, reason: `refused to save ${size} bytes: the store reads at most ${maxBytes}`});
	return text;
}

export function serialise(document: unknown): string {
	return JSON.stringify(document, null, '\t') + '\n';
}

export function sha256(text: string | Buffer): string {
	return createHash('sha256').update(text).digest('hex');
}

export function checkedBytes(file: string, bytes: Buffer, expected: string): Buffer {
	if (sha256(bytes) !== expected) throw new DomainError('store.invalid', {file, reason: 'not the document db.json committed (SHA-256 differs)'});
	return bytes;
}

export function readOptional(file: string, maxBytes: number): Buffer | undefined {
	try {
		return readRegularFileSync(file, maxBytes);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw unreadable(error, file);
	}
}

export function unreadable(error: unknown, file: string): unknown {
	if (error instanceof DomainError) return error;
	return new DomainError('store.unreadable', {file, reason: (error as NodeJS.ErrnoException).code ?? 'error'});
}

/** A new file (O_EXCL) with `text`, fsynced; a failure is `store.writeFailed` naming it (write and fsync errors carry no path). */
export function writeNew(file: string, text: string): void {
	try {
		const fd = createExclusiveSync(file);
		try {
			const bytes = Buffer.from(text);
			for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}
	} catch (error) {
		if (error instanceof DomainError) throw error;
		throw new DomainError('store.writeFailed', {file, reason: (error as NodeJS.ErrnoException).code ?? 'error'});
	}
}

export function syncFile(file: string): void {
	const fd = openRegularSync(file, constants.O_RDONLY);
	try {
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}

export function syncDirectory(directory: string): void {
	const fd = openSync(directory, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
	try {
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}

/** Removes `file` if it is there; true if it was. */
export function removeQuietly(file: string): boolean {
	try {
		unlinkSync(file);
		return true;
	} catch {
		// never created, or already gone
		return false;
	}
}
