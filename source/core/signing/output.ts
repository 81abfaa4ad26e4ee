import {randomBytes} from 'node:crypto';
import {constants} from 'node:fs';
import {link, lstat, open, readFile, unlink} from 'node:fs/promises';
import {basename, dirname, join} from 'node:path';

/*
 * Writing a signed envelope beside its document, in two steps so that the signature log can
 * record it in between ("record before effect"):
 *   stage   — a hidden temporary file in the same folder, created new (O_EXCL, never through a
 *             symbolic link) with the document's permissions less the umask, fchmod'ed to
 *             exactly that (a default ACL cannot widen it), the group of the document kept
 *             (or the group bits dropped), the bytes written and fsynced;
 *   publish — the envelope appears under its name with link(2), which never replaces an
 *             existing file, then the temporary name goes and the folder is fsynced.
 * So a .p7m is never more readable than what it contains, nor than the umask allows, and it
 * appears only complete.
 */

/** The mode of an envelope: the source's read/write bits, never more than the umask allows. */
export function envelopeMode(sourceMode: number, umask = currentUmask()): number {
	return sourceMode & 0o666 & ~umask;
}

function currentUmask(): number {
	return process.umask();
}

export interface StagedEnvelope {
	temporary: string;
	output: string;
	mode: number;
}

/** Writes the envelope to a new temporary file beside `output`; nothing is left behind on failure. */
export async function stageEnvelope(output: string, envelope: Uint8Array, source: {mode: number; gid: number}): Promise<StagedEnvelope> {
	const temporary = join(dirname(output), `.${basename(output)}.${randomBytes(6).toString('hex')}.tmp`);
	const mode = envelopeMode(source.mode);
	const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
	try {
		await handle.chmod(mode);
		const info = await handle.stat();
		if (info.gid !== source.gid) {
			// A set-group-id folder gave it another group: the document's own, or no group access.
			await handle.chown(-1, source.gid).catch(() => handle.chmod(mode & ~0o070));
		}
		await handle.writeFile(envelope);
		await handle.sync();
		await handle.close();
	} catch (error) {
		await handle.close().catch(() => undefined);
		await unlink(temporary).catch(() => undefined);
		throw error;
	}
	return {temporary, output, mode: (await lstat(temporary)).mode & 0o777};
}

/** Makes a staged envelope appear under its name; refuses (EEXIST) to replace anything there. */
export async function publishEnvelope(staged: StagedEnvelope): Promise<void> {
	try {
		await link(staged.temporary, staged.output).catch(async (error: NodeJS.ErrnoException) => {
			// A file system without hard links: a new file, created exclusively, takes the bytes.
			if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK'].includes(error.code ?? '')) throw error;
			await copyExclusive(staged);
		});
	} finally {
		await unlink(staged.temporary).catch(() => undefined);
	}
	await syncFolder(dirname(staged.output));
}

/** Removes a staged envelope that will not be published. */
export async function discardEnvelope(staged: StagedEnvelope): Promise<void> {
	await unlink(staged.temporary).catch(() => undefined);
}

async function copyExclusive(staged: StagedEnvelope): Promise<void> {
	const content = await readFile(staged.temporary);
	const handle = await open(staged.output, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, staged.mode);
	try {
		await handle.chmod(staged.mode);
		await handle.writeFile(content);
		await handle.sync();
		await handle.close();
	} catch (error) {
		await handle.close().catch(() => undefined);
		await unlink(staged.output).catch(() => undefined);
		throw error;
	}
}

async function syncFolder(folder: string): Promise<void> {
	const handle = await open(folder, constants.O_RDONLY | constants.O_DIRECTORY).catch(() => undefined);
	if (!handle) return;
	await handle.sync().catch(() => undefined);
	await handle.close();
}
