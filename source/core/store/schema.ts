import {z} from 'zod';
import {settingsSchema} from '../settings.js';

/** The current database format. Bump it together with a new entry in `migrations.ts`. */
export const DATABASE_VERSION = 1;

const isoDate = z.string().refine(value => !Number.isNaN(Date.parse(value)), 'not an ISO date');
const argon2idHash = z.string().startsWith('$argon2id$', 'not an argon2id hash');

export const holderSchema = z.object({
	userId: z.string().regex(/^JCPD\d{4}$/, 'userID must be JCPD followed by 4 digits'),
	name: z.string().min(1).max(200),
	surname: z.string().min(1).max(200),
	codiceFiscale: z.string().regex(/^[A-Z0-9]{16}$/, 'codice fiscale must be 16 letters and digits'),
	phone: z.string().regex(/^\+\d{6,15}$/, 'phone must be in international form (+39…)'),
	email: z.string().email(),
	passwordHash: argon2idHash,
	pinHash: argon2idHash,
	createdAt: isoDate,
});

export const certificateStatusSchema = z.enum(['active', 'suspended', 'revoked', 'blocked']);

export const certificateSchema = z.object({
	id: z.string().min(1),
	userId: z.string(),
	/** `TINIT-<codice fiscale>`: the subject serialNumber of the Italian qualified profile. */
	serial: z.string().regex(/^TINIT-[A-Z0-9]{16}$/),
	/** Identificativo Univoco Titolare. */
	iut: z.string().regex(/^\d{8}$/),
	status: certificateStatusSchema,
	activatedAt: isoDate,
	expiresAt: isoDate,
	issuer: z.object({
		commonName: z.string(),
		organization: z.string(),
		organizationalUnit: z.string(),
		country: z.string().length(2),
	}),
});

export const throttleSchema = z.object({
	failures: z.number().int().min(0),
	lockedUntil: isoDate.nullable(),
	/** How many times this key has been locked out since its last success. */
	lockouts: z.number().int().min(0),
});

export const accessOutcomeSchema = z.enum(['success', 'wrong-password', 'locked']);

export const accessEntrySchema = z.object({
	id: z.number().int().positive(),
	at: isoDate,
	/** The holder, or null when the identifier matched nobody (then nothing identifies a person). */
	userId: z.string().nullable(),
	outcome: accessOutcomeSchema,
	terminal: z.string().max(200),
});

export const databaseSchema = z.object({
	version: z.literal(DATABASE_VERSION),
	settings: settingsSchema,
	holders: z.array(holderSchema),
	certificates: z.array(certificateSchema),
	loginThrottle: z.record(z.string(), throttleSchema),
	accessLog: z.array(accessEntrySchema),
	/** Monotonic counters for identifiers (access-log ids, ...). */
	sequences: z.record(z.string(), z.number().int().min(0)),
});

export type Database = z.infer<typeof databaseSchema>;
export type Holder = z.infer<typeof holderSchema>;
export type CertificateRecord = z.infer<typeof certificateSchema>;
export type CertificateStatus = z.infer<typeof certificateStatusSchema>;
export type AccessEntry = z.infer<typeof accessEntrySchema>;
export type AccessOutcome = z.infer<typeof accessOutcomeSchema>;
export type Throttle = z.infer<typeof throttleSchema>;

export function emptyDatabase(): Database {
	return databaseSchema.parse({
		version: DATABASE_VERSION,
		settings: {},
		holders: [],
		certificates: [],
		loginThrottle: {},
		accessLog: [],
		sequences: {},
	});
}

/** Takes the next value of a named counter; call it inside a store update. */
export function nextSequence(db: Database, name: string): number {
	const value = (db.sequences[name] ?? 0) + 1;
	db.sequences[name] = value;
	return value;
}
