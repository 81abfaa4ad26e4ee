import {createCipheriv, createDecipheriv, randomBytes} from 'node:crypto';
import {z} from 'zod';

/** A secret encrypted at rest with AES-256-GCM; `context` (e.g. the userID) is bound as associated data. */
export const sealedSchema = z.object({iv: z.string(), tag: z.string(), data: z.string()});
export type Sealed = z.infer<typeof sealedSchema>;

export function seal(key: Buffer, plaintext: string, context: string): Sealed {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', key, iv);
	cipher.setAAD(Buffer.from(context, 'utf8'));
	const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
	return {iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64')};
}

export function unseal(key: Buffer, sealed: Sealed, context: string): string {
	const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
	decipher.setAAD(Buffer.from(context, 'utf8'));
	decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
	return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
}
