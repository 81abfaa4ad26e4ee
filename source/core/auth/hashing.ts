import {nativeArgon2} from '../native-addons.js';

/*
 * argon2id everywhere a secret is kept (OWASP minimum: m = 19 MiB, t = 2, p = 1).
 * PINs and emergency codes are short, so they are also peppered with a server key that never
 * sits in the database: a stolen db.json alone does not allow an offline search.
 */
const PARAMETERS = {memoryCost: 19_456, timeCost: 2, parallelism: 1} as const;

/** The addon is loaded at the first hash, not when this module is (see native-addons.ts). */
function parameters() {
	return {...PARAMETERS, type: nativeArgon2().argon2id};
}

export function hashPassword(password: string): Promise<string> {
	return nativeArgon2().hash(password, parameters());
}

export function verifyPassword(hash: string, password: string): Promise<boolean> {
	return nativeArgon2().verify(hash, password).catch(() => false);
}

export function hashPeppered(secret: string, pepper: Buffer): Promise<string> {
	return nativeArgon2().hash(secret, {...parameters(), secret: pepper});
}

export function verifyPeppered(hash: string, secret: string, pepper: Buffer): Promise<boolean> {
	return nativeArgon2().verify(hash, secret, {secret: pepper}).catch(() => false);
}

let dummyHash: Promise<string> | undefined;

/** A hash to verify against when the account does not exist, so both cases cost the same time. */
export function dummyPasswordHash(): Promise<string> {
	dummyHash ??= hashPassword('not-a-real-password-' + Math.random());
	return dummyHash;
}
