import {randomBytes} from 'node:crypto';
import {link, unlink} from 'node:fs/promises';
import {join} from 'node:path';
import {createExclusive, ensureRealDirectory, readSecretFile} from './store/safe-file.js';

/**
 * Server-side secret keys (the pepper for PIN/ERC hashes, later the TOTP encryption key), each
 * 32 random bytes in `<data>/keys/<name>.key`, mode 0600 in a 0700 folder (0640 in a group's
 * 2770 folder: see safe-file.ts). A key file others may read is refused with the `chmod` that fixes it.
 * Creation is race-free across processes: write a private temp file, then link() it into place,
 * which fails if another process won; everyone then reads the winner's key.
 */
export async function loadOrCreateKey(dataDirectory: string, name: string): Promise<Buffer> {
	const folder = join(dataDirectory, 'keys');
	const file = join(folder, `${name}.key`);
	const existing = await readKey(file);
	if (existing) return existing;
	ensureRealDirectory(folder);
	const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
	const handle = await createExclusive(temporary, {secret: true});
	try {
		await handle.writeFile(randomBytes(32).toString('base64') + '\n');
		await handle.sync();
	} finally {
		await handle.close();
	}
	try {
		await link(temporary, file);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
	} finally {
		await unlink(temporary).catch(() => undefined);
	}
	const key = await readKey(file);
	if (!key) throw new Error(`key file ${file} is unreadable`);
	return key;
}

/** A key is 45 bytes of base64; nothing longer is read (a link to /dev/zero is refused before). */
const MAX_KEY_BYTES = 1024;

async function readKey(file: string): Promise<Buffer | undefined> {
	try {
		const key = Buffer.from((await readSecretFile(file, MAX_KEY_BYTES)).toString('utf8').trim(), 'base64');
		return key.length === 32 ? key : undefined;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw error;
	}
}
