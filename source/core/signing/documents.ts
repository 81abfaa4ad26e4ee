import {constants} from 'node:fs';
import {createHash} from 'node:crypto';
import {lstat, open, type FileHandle} from 'node:fs/promises';
import {basename, resolve} from 'node:path';
import {DomainError} from '../errors.js';

/*
 * The documents of one signing operation: each read, measured and hashed before the OTP, so
 * the OTP confirms exactly these bytes; checked again at signing, so a file changed in
 * between is refused instead of signed unseen.
 * A path is used exactly as given (spaces, a leading dash, a newline, any script): nothing is
 * trimmed, so `fattura.txt ` is never read as `fattura.txt`. Each file is opened once and what
 * is hashed and signed is what that descriptor read; only regular files are signed (a FIFO, a
 * folder or a device is refused and named, without waiting on it).
 */

export const MAX_DOCUMENTS = 100;
export const MAX_DOCUMENT_MEGABYTES = 64;

export interface DocumentToSign {
	/** Absolute path. */
	path: string;
	name: string;
	size: number;
	sha256: string;
	/** Where the signed envelope goes: the document's path + ".p7m". */
	output: string;
}

/** A document as read at signing: its bytes and who may read it (the .p7m is made no more readable). */
export interface DocumentContent {
	content: Buffer;
	/** Permission bits of the file read (rwx for owner, group, others). */
	mode: number;
	gid: number;
}

export function sha256Hex(content: Uint8Array): string {
	return createHash('sha256').update(content).digest('hex');
}

/** What kind of non-regular file a path names, for the refusal ("è una FIFO"). */
function fileKind(info: {isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean}): string {
	if (info.isDirectory()) return 'folder';
	if (info.isFIFO()) return 'fifo';
	if (info.isCharacterDevice() || info.isBlockDevice()) return 'device';
	if (info.isSocket()) return 'socket';
	return 'other';
}

/** Reads all of an open file, at most `limit` bytes (one more tells that it is larger). */
async function readBounded(handle: FileHandle, limit: number): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let total = 0;
	for (;;) {
		const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, limit + 1 - total));
		const {bytesRead} = await handle.read(chunk, 0, chunk.length, null);
		if (bytesRead === 0) break;
		chunks.push(chunk.subarray(0, bytesRead));
		total += bytesRead;
		if (total > limit) break;
	}
	return Buffer.concat(chunks, total);
}

/**
 * Opens `path` once (non-blocking, so a FIFO cannot hold the command) and reads it from that
 * descriptor: the bytes, their mode and group. `DomainError` naming the file for anything that
 * stops its signing.
 */
export async function readDocumentContent(path: string, megabytes = MAX_DOCUMENT_MEGABYTES): Promise<DocumentContent & {absolute: string; name: string}> {
	const absolute = resolve(path);
	const name = basename(absolute);
	const handle = await open(absolute, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY).catch((error: NodeJS.ErrnoException) => {
		throw new DomainError(error.code === 'ENOENT' || error.code === 'ENOTDIR' ? 'sign.fileMissing' : error.code === 'ENXIO' ? 'sign.notAFile' : 'sign.unreadable', {
			name,
			reason: error.code ?? 'error',
			kind: 'socket',
		});
	});
	try {
		const info = await handle.stat();
		if (!info.isFile()) throw new DomainError('sign.notAFile', {name, kind: fileKind(info)});
		const limit = megabytes * 1024 * 1024;
		if (info.size > limit) throw new DomainError('sign.tooLarge', {name, megabytes});
		const content = await readBounded(handle, limit).catch((error: NodeJS.ErrnoException) => {
			throw new DomainError('sign.unreadable', {name, reason: error.code ?? 'error'});
		});
		if (content.length > limit) throw new DomainError('sign.tooLarge', {name, megabytes});
		return {absolute, name, content, mode: info.mode & 0o777, gid: info.gid};
	} finally {
		await handle.close();
	}
}

/** Reads one document; `DomainError` with the file's name for anything that stops its signing. */
export async function readDocument(path: string): Promise<{document: DocumentToSign; content: Buffer}> {
	const {absolute, name, content} = await readDocumentContent(path);
	const output = `${absolute}.p7m`;
	// lstat: a dangling symbolic link there would still make the write fail.
	if (await lstat(output).then(() => true, () => false)) throw new DomainError('sign.outputExists', {name: basename(output)});
	return {document: {path: absolute, name, size: content.length, sha256: sha256Hex(content), output}, content};
}

/**
 * Checks a list of paths (count, duplicates, each file) and returns what will be signed. Paths
 * are taken exactly as given; an empty string names no file and is left out.
 */
export async function inspectDocuments(paths: readonly string[]): Promise<DocumentToSign[]> {
	const given = paths.filter(path => path !== '');
	if (given.length === 0) throw new DomainError('sign.noDocuments');
	if (given.length > MAX_DOCUMENTS) throw new DomainError('sign.tooMany', {max: MAX_DOCUMENTS});
	const documents: DocumentToSign[] = [];
	for (const path of given) {
		const {document} = await readDocument(path);
		if (documents.some(entry => entry.path === document.path)) throw new DomainError('sign.duplicate', {name: document.name});
		documents.push(document);
	}
	return documents;
}

/** What the OTP is bound to: every document's path and hash, in order. */
export function documentsBinding(documents: readonly DocumentToSign[]): {documents: {path: string; sha256: string}[]} {
	return {documents: documents.map(document => ({path: document.path, sha256: document.sha256}))};
}
