import argon2 from 'argon2';

/*
 * argon2id everywhere a secret is kept (OWASP minimum: m = 19 MiB, t = 2, p = 1).
 * PINs and emergency codes are short, so they are also peppered with a server key that never
 * sits in the database: a stolen db.json alone does not allow an offline search.
 */
const PARAMETERS = {type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1} as const;

export function hashPassword(password: string): Promise<string> {
	return argon2.hash(password, PARAMETERS);
}

export function verifyPassword(hash: string, password: string): Promise<boolean> {
	return argon2.verify(hash, password).catch(() => false);
}

export function hashPeppered(secret: string, pepper: Buffer): Promise<string> {
	return argon2.hash(secret, {...PARAMETERS, secret: pepper});
}

export function verifyPeppered(hash: string, secret: string, pepper: Buffer): Promise<boolean> {
	return argon2.verify(hash, secret, {secret: pepper}).catch(() => false);
}

let dummyHash: Promise<string> | undefined;

/** A hash to verify against when the account does not exist, so both cases cost the same time. */
export function dummyPasswordHash(): Promise<string> {
	dummyHash ??= hashPassword('not-a-real-password-' + Math.random());
	return dummyHash;
}
