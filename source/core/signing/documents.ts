import {createHash} from 'node:crypto';
import {lstat, readFile, stat} from 'node:fs/promises';
import {basename, resolve} from 'node:path';
import {DomainError} from '../errors.js';

/*
 * The documents of one signing operation: each read, measured and hashed before the OTP, so
 * the OTP confirms exactly these bytes; checked again at signing, so a file changed in
 * between is refused instead of signed unseen.
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

export function sha256Hex(content: Uint8Array): string {
	return createHash('sha256').update(content).digest('hex');
}

/** Reads one document; `DomainError` with the file's name for anything that stops its signing. */
export async function readDocument(path: string): Promise<{document: DocumentToSign; content: Buffer}> {
	const absolute = resolve(path.trim());
	const name = basename(absolute);
	const info = await stat(absolute).catch((error: NodeJS.ErrnoException) => {
		throw new DomainError(error.code === 'ENOENT' || error.code === 'ENOTDIR' ? 'sign.fileMissing' : 'sign.unreadable', {name, reason: error.code ?? 'error'});
	});
	if (!info.isFile()) throw new DomainError('sign.notAFile', {name});
	if (info.size > MAX_DOCUMENT_MEGABYTES * 1024 * 1024) throw new DomainError('sign.tooLarge', {name, megabytes: MAX_DOCUMENT_MEGABYTES});
	const content = await readFile(absolute).catch((error: NodeJS.ErrnoException) => {
		throw new DomainError('sign.unreadable', {name, reason: error.code ?? 'error'});
	});
	const output = `${absolute}.p7m`;
	// lstat: a dangling symbolic link there would still make the write fail.
	if (await lstat(output).then(() => true, () => false)) throw new DomainError('sign.outputExists', {name: basename(output)});
	return {document: {path: absolute, name, size: content.length, sha256: sha256Hex(content), output}, content};
}

/** Checks a list of paths (count, duplicates, each file) and returns what will be signed. */
export async function inspectDocuments(paths: readonly string[]): Promise<DocumentToSign[]> {
	const cleaned = paths.map(path => path.trim()).filter(path => path !== '');
	if (cleaned.length === 0) throw new DomainError('sign.noDocuments');
	if (cleaned.length > MAX_DOCUMENTS) throw new DomainError('sign.tooMany', {max: MAX_DOCUMENTS});
	const documents: DocumentToSign[] = [];
	for (const path of cleaned) {
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
