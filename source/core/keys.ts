import {createHmac, randomBytes} from 'node:crypto';
import {link, unlink} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import {createExclusive, ensureRealDirectory, isRealDirectory, readSecretFile} from './store/safe-file.js';

/** The OTP keys of a data folder: the pepper (PIN/ERC and code hashes) and the key that seals the TOTP secrets. */
export interface OtpKeys {
	pepper: Buffer;
	totpKey: Buffer;
}

/**
 * Server-side secret keys (the pepper for PIN/ERC hashes, later the TOTP encryption key), each
 * 32 random bytes in `<data>/keys/<name>.key`, mode 0600 in a 0700 folder (0640 in a group's
 * 2770 folder: see safe-file.ts). A key file others may read is refused with the `chmod` that fixes it.
 * Creation is race-free across processes: write a private temp file, then link() it into place,
 * which fails if another process won; everyone then reads the winner's key.
 * Only a command that creates a database calls it (see key-binding.ts): one reading a folder
 * uses `loadKey`, which never creates anything.
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

/** The keys a database is bound to (their fingerprints are in db.json: see key-binding.ts). */
export const KEY_NAMES = ['pepper', 'totp'] as const;
export type KeyName = (typeof KEY_NAMES)[number];

export function keyFile(dataDirectory: string, name: string): string {
	return join(dataDirectory, 'keys', `${name}.key`);
}

/** An existing key, never created; undefined when the file is missing or does not hold a key. */
export async function loadKey(dataDirectory: string, name: string): Promise<Buffer | undefined> {
	return readKey(keyFile(dataDirectory, name));
}

/**
 * What db.json records of a key: HMAC-SHA256 of a fixed label under the key. It tells whether a
 * key file is the database's, and (the key being 32 random bytes) reveals nothing of the key.
 */
export function keyFingerprint(key: Buffer): string {
	return `hmac-sha256:${createHmac('sha256', key).update('mysign key fingerprint v1').digest('hex')}`;
}

async function readKey(file: string): Promise<Buffer | undefined> {
	// keys/ itself must be a real folder: a planted link would hand over keys from elsewhere.
	if (!isRealDirectory(dirname(file))) return undefined;
	try {
		const key = Buffer.from((await readSecretFile(file, MAX_KEY_BYTES)).toString('utf8').trim(), 'base64');
		return key.length === 32 ? key : undefined;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw error;
	}
}
