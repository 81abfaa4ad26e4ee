import {randomUUID} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import {z} from 'zod';
import {DAY, type Clock} from '../clock.js';
import {hashPassword, hashPeppered} from '../auth/hashing.js';
import {ISSUER} from '../certificate/record.js';
import {assertCodiceFiscale} from '../holders/identity.js';
import {seal} from '../sealed.js';
import type {CertificationAuthority} from '../pki/authority.js';
import {sealPrivateKey} from '../pki/holder-key.js';
import {emptyDatabase, type Database} from '../store/schema.js';

const seedSchema = z.object({
	operators: z
		.array(z.object({userId: z.string().regex(/^RAO\d{4}$/), name: z.string(), password: z.string(), phone: z.string()}))
		.default([]),
	holders: z.array(
		z.object({
			userId: z.string().regex(/^JCPD\d{4}$/),
			name: z.string(),
			surname: z.string(),
			codiceFiscale: z.string(),
			phone: z.string(),
			email: z.string(),
			password: z.string(),
			pin: z.string().regex(/^\d{8}$/),
			/** Codice di Emergenza, for the online suspension. */
			erc: z.string().regex(/^\d{8}$/),
			certificate: z.object({
				iut: z.string().regex(/^\d{8}$/),
				expiresInDays: z.number().int(),
				status: z.enum(['active', 'suspended', 'revoked', 'blocked']),
			}),
			about: z.object({it: z.string(), en: z.string()}),
			replacementDeadlineInDays: z.number().int().optional(),
			otp: z.object({
				preferred: z.enum(['sms', 'app', 'token']),
				appSecret: z.string().optional(),
				push: z.boolean().optional(),
				tokenSerial: z.string().optional(),
				tokenSecret: z.string().optional(),
			}),
		}),
	),
});

export type DemoSeed = z.infer<typeof seedSchema>;

export interface DemoCredential {
	userId: string;
	name: string;
	password: string;
	pin: string;
	erc: string;
	about: {it: string; en: string};
	/** Demo only: the authenticator secrets, so a real phone app or oathtool can load them. */
	appSecret?: string;
	tokenSerial?: string;
	tokenSecret?: string;
}

export async function readSeed(file: string): Promise<DemoSeed> {
	const parsed = seedSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
	if (!parsed.success) throw new Error(`demo seed ${file} is invalid: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
	return parsed.data;
}

/** Builds a fresh database from the seed; expiry dates are placed relative to the clock. */
export async function buildDemoDatabase(seed: DemoSeed, clock: Clock, keys: {pepper: Buffer; totpKey: Buffer}, authority: CertificationAuthority): Promise<Database> {
	const db = emptyDatabase();
	const now = clock.now();
	for (const entry of seed.holders) {
		const codiceFiscale = await assertCodiceFiscale(entry.codiceFiscale);
		const [passwordHash, pinHash, ercHash] = await Promise.all([hashPassword(entry.password), hashPeppered(entry.pin, keys.pepper), hashPeppered(entry.erc, keys.pepper)]);
		db.holders.push({
			userId: entry.userId,
			name: entry.name,
			surname: entry.surname,
			codiceFiscale,
			phone: entry.phone,
			email: entry.email,
			passwordHash,
			pinHash,
			ercHash,
			pinFailures: 0,
			replacementDeadline: entry.replacementDeadlineInDays === undefined ? null : new Date(now.getTime() + entry.replacementDeadlineInDays * DAY).toISOString(),
			createdAt: now.toISOString(),
			otp: {
				preferred: entry.otp.preferred,
				app: entry.otp.appSecret ? {status: 'active', secret: seal(keys.totpKey, entry.otp.appSecret, entry.userId), lastStep: null, activatedAt: now.toISOString()} : null,
				push: entry.otp.push ?? false,
				token:
					entry.otp.tokenSecret && entry.otp.tokenSerial
						? {serial: entry.otp.tokenSerial, secret: seal(keys.totpKey, entry.otp.tokenSecret, entry.userId), lastStep: null, activatedAt: now.toISOString()}
						: null,
			},
		});
		const expiresAt = new Date(now.getTime() + entry.certificate.expiresInDays * DAY);
		const activatedAt = new Date(expiresAt);
		activatedAt.setUTCFullYear(activatedAt.getUTCFullYear() - db.settings.certificateValidityYears);
		const issued = await authority.issue(
			{givenName: entry.name, surname: entry.surname, codiceFiscale, iut: entry.certificate.iut},
			{notBefore: activatedAt, notAfter: expiresAt},
		);
		db.certificates.push({
			id: randomUUID(),
			userId: entry.userId,
			serial: `TINIT-${codiceFiscale}`,
			iut: entry.certificate.iut,
			status: entry.certificate.status,
			activatedAt: activatedAt.toISOString(),
			expiresAt: expiresAt.toISOString(),
			certificateSerial: issued.serialNumber,
			pem: issued.pem,
			privateKey: await sealPrivateKey(issued.privateKey, entry.pin, keys.pepper),
			revokedAt: null,
			revocationReason: null,
			suspendedUntil: null,
			issuer: {...ISSUER},
		});
	}
	for (const operator of seed.operators) {
		db.operators.push({userId: operator.userId, name: operator.name, passwordHash: await hashPassword(operator.password), phone: operator.phone, createdAt: now.toISOString()});
	}
	return db;
}

/** Demo only: the operators' credentials, printed with the holders'. */
export function demoOperators(seed: DemoSeed): {userId: string; name: string; password: string}[] {
	return seed.operators.map(operator => ({userId: operator.userId, name: operator.name, password: operator.password}));
}

export function demoCredentials(seed: DemoSeed): DemoCredential[] {
	return seed.holders.map(holder => ({
		userId: holder.userId,
		name: `${holder.name} ${holder.surname}`,
		password: holder.password,
		pin: holder.pin,
		erc: holder.erc,
		about: holder.about,
		...(holder.otp.appSecret ? {appSecret: holder.otp.appSecret} : {}),
		...(holder.otp.tokenSecret ? {tokenSerial: holder.otp.tokenSerial, tokenSecret: holder.otp.tokenSecret} : {}),
	}));
}
