import {createCipheriv, createDecipheriv, randomBytes} from 'node:crypto';
import {nativeArgon2} from '../native-addons.js';
import {z} from 'zod';

/*
 * The holder's signing key never sits in the store in clear: its PKCS#8 bytes are sealed with
 * AES-256-GCM under a key derived from the signing PIN (argon2id, with the server pepper), so
 * the PIN is what activates it. Changing the PIN re-seals it.
 */

export const sealedKeySchema = z.object({kdf: z.literal('argon2id'), salt: z.string(), iv: z.string(), tag: z.string(), data: z.string()});
export type SealedKey = z.infer<typeof sealedKeySchema>;

async function keyFromPin(pin: string, salt: Buffer, pepper: Buffer): Promise<Buffer> {
	return nativeArgon2().hash(pin, {type: nativeArgon2().argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1, hashLength: 32, salt, secret: pepper, raw: true});
}

export async function sealPrivateKey(pkcs8: Buffer, pin: string, pepper: Buffer): Promise<SealedKey> {
	const salt = randomBytes(16);
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', await keyFromPin(pin, salt, pepper), iv);
	const data = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
	return {kdf: 'argon2id', salt: salt.toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64')};
}

/** The PKCS#8 key, or undefined when the PIN is wrong (the authentication tag does not match). */
export async function openPrivateKey(sealed: SealedKey, pin: string, pepper: Buffer): Promise<Buffer | undefined> {
	const key = await keyFromPin(pin, Buffer.from(sealed.salt, 'base64'), pepper);
	try {
		const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
		decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
		return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
	} catch {
		return undefined;
	}
}
