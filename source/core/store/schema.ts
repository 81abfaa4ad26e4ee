import {USER_ID_PATTERN} from '../holders/user-id.js';
import {z} from 'zod';
import {sealedKeySchema} from '../pki/holder-key.js';
import {sealedSchema} from '../sealed.js';
import {settingsSchema} from '../settings.js';
import {outboxMessageSchema} from '../notify/outbox.js';

/** The current database format. Bump it together with a new entry in `migrations.ts`. */
export const DATABASE_VERSION = 1;

const isoDate = z.string().refine(value => !Number.isNaN(Date.parse(value)), 'not an ISO date');
const argon2idHash = z.string().startsWith('$argon2id$', 'not an argon2id hash');

/** "Report": where and how often signature reports are e-mailed (notify/reports.ts sends them). */
export const reportFrequencySchema = z.enum(['each', 'daily', 'never']);
export type ReportFrequency = z.infer<typeof reportFrequencySchema>;
export const reportSettingsSchema = z.object({
	/** null: the account's e-mail address. */
	email: z.string().email().nullable(),
	frequency: reportFrequencySchema,
	/** The last Italian day (YYYY-MM-DD) a daily summary covered. */
	lastDailyReport: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
});
export type ReportSettings = z.infer<typeof reportSettingsSchema>;
export const DEFAULT_REPORT_SETTINGS: ReportSettings = {email: null, frequency: 'never', lastDailyReport: null};

export const otpChannelSchema = z.enum(['sms', 'app', 'token']);

/** An authenticator (the MyInfoCert app or a hardware token): its TOTP secret, sealed, and the last step used. */
export const authenticatorSchema = z.object({
	secret: sealedSchema,
	lastStep: z.number().int().nullable(),
	activatedAt: isoDate.nullable(),
});

export const holderOtpSchema = z.object({
	/** The channel that confirms operations. */
	preferred: otpChannelSchema,
	/** The MyInfoCert app: pending between "Attiva" and the first code. */
	/** `device`: the OS user the app was activated by (see otp/device.ts); null: the data folder's owner. */
	app: authenticatorSchema.extend({status: z.enum(['pending', 'active']), device: z.number().int().min(0).nullable().default(null)}).nullable(),
	/** The app may also approve operations and logins with a notification. */
	push: z.boolean(),
	token: authenticatorSchema.extend({serial: z.string().regex(/^[A-Z0-9-]{4,32}$/)}).nullable(),
});

export const holderSchema = z.object({
	userId: z.string().regex(USER_ID_PATTERN, 'userID must be JCPD followed by 4 to 8 digits'),
	name: z.string().min(1).max(200),
	surname: z.string().min(1).max(200),
	codiceFiscale: z.string().regex(/^[A-Z0-9]{16}$/, 'codice fiscale must be 16 letters and digits'),
	phone: z.string().regex(/^\+\d{6,15}$/, 'phone must be in international form (+39…)'),
	email: z.string().email(),
	passwordHash: argon2idHash,
	pinHash: argon2idHash,
	/** The PUK from the registration envelope (enrolled holders); peppered hash. */
	pukHash: argon2idHash.nullable().default(null),
	/** The emergency code (ERC) that suspends the certificate online; peppered hash. */
	ercHash: argon2idHash,
	/** Consecutive wrong signing PINs, in any operation; at the limit the certificate is blocked for good. */
	pinFailures: z.number().int().min(0).default(0),
	/** Set by an operator: the holder must request a new certificate by this date (seed 002). */
	replacementDeadline: isoDate.nullable().default(null),
	createdAt: isoDate,
	otp: holderOtpSchema,
	/** "Report": where and how often signature reports are e-mailed. */
	report: reportSettingsSchema.default(DEFAULT_REPORT_SETTINGS),
	/** "Cellulare" for password recovery; null: the OTP number. */
	recoveryPhone: z.string().regex(/^\+\d{6,15}$/).nullable().default(null),
	/** "Domanda Segreta": the question and a peppered hash of the normalised answer. */
	secretQuestion: z.object({question: z.string().min(1).max(200), answerHash: argon2idHash}).nullable().default(null),
	/** Holders enrolled with an initial password must choose their own at first access. */
	mustChangePassword: z.boolean().default(false),
	/** The interface language the holder chose; null: the one the program was started with. */
	language: z.enum(['it', 'en']).nullable().default(null),
});

/**
 * A holder as enrolled (or as `mysign demo` made them): what `mysign demo --reset --keep-enrolled`
 * restores. Hashes and the sealed key only, like the holder record: the original certificate
 * (`certificateId`) with its key sealed under the initial PIN, and the initial credentials.
 */
export const firstStateSchema = holderSchema
	.pick({phone: true, email: true, passwordHash: true, pinHash: true, pukHash: true, ercHash: true, replacementDeadline: true, otp: true, report: true, recoveryPhone: true, secretQuestion: true, mustChangePassword: true, language: true})
	.extend({certificateId: z.string().min(1), privateKey: sealedKeySchema});

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
	/** The X.509 serial number (hex) the CA gave it: what the CRL lists. */
	certificateSerial: z.string().regex(/^[0-9a-f]+$/),
	pem: z.string().startsWith('-----BEGIN CERTIFICATE-----'),
	/** The signing key, sealed under a key derived from the signing PIN. */
	privateKey: sealedKeySchema,
	revokedAt: isoDate.nullable(),
	revocationReason: z.enum(['superseded', 'keyCompromise', 'cessationOfOperation', 'unspecified']).nullable(),
	/** While suspended: the end date the holder chose; active again after it. */
	suspendedUntil: isoDate.nullable(),
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
	/** The last failure counted; null in files from before it was kept (see auth/throttle.ts for the pruning rule). */
	lastFailureAt: isoDate.nullable().default(null),
});

export const accessOutcomeSchema = z.enum([
	'success',
	'wrong-password',
	'locked',
	'app-approved',
	'logout',
	'session-idle',
	'session-expired',
	/** The portal was closed (Ctrl-C, SIGHUP, SIGTERM) while logged in: its session ended with it. */
	'session-closed',
	'sessions-ended',
	'password-changed',
	'password-recovered',
	'recovery-failed',
	'phone-changed',
	'email-changed',
	'secret-question-changed',
	'language-changed',
	'userid-reminder',
	// Changes to a certificate, a credential or a channel (notify/changes.ts), each also e-mailed
	// (so are the account's changes above: password, recovery phone, e-mail, secret question).
	'certificate-renewed',
	'certificate-issued',
	'certificate-suspended',
	'certificate-reactivated',
	'suspension-ended',
	'certificate-revoked',
	'replacement-flagged',
	'pin-changed',
	'pin-blocked',
	'otp-phone-changed',
	'otp-app-activated',
	'otp-channel-changed',
	'otp-push-changed',
	'report-changed',
]);

export const accessEntrySchema = z.object({
	id: z.number().int().positive(),
	at: isoDate,
	/** The holder, or null when the identifier matched nobody (then nothing identifies a person). */
	userId: z.string().nullable(),
	outcome: accessOutcomeSchema,
	terminal: z.string().max(200),
});

export const challengeSchema = z.object({
	id: z.string().min(1),
	userId: z.string(),
	/** What is being confirmed, e.g. "otp.changePhone"; with `dataHash`, the binding of the code. */
	operation: z.string().min(1),
	dataHash: z.string().regex(/^[0-9a-f]{64}$/),
	channel: z.enum(['sms', 'app', 'token', 'push', 'email']),
	/** SMS and e-mail only: HMAC of the code under the server pepper (never the code). */
	codeHash: z.string().nullable(),
	/** SMS only: the number the code was sent to, and whose phone that is (an operator's for a RAO renewal). */
	destination: z.string().nullable(),
	recipient: z.string().nullable().default(null),
	createdAt: isoDate,
	expiresAt: isoDate,
	failures: z.number().int().min(0),
	sends: z.array(isoDate),
	state: z.enum(['pending', 'approved', 'denied', 'confirmed', 'cancelled']),
});

/** A registration officer (RAO) who can authorise renewals with their own credentials and OTP. */
export const operatorSchema = z.object({
	userId: z.string().regex(/^RAO\d{4}$/, 'operator IDs are RAO followed by 4 digits'),
	name: z.string().min(1).max(200),
	passwordHash: argon2idHash,
	phone: z.string().regex(/^\+\d{6,15}$/),
	createdAt: isoDate,
});

/** An operator's confirmed authorisation of one holder's renewal, used by the next renewal it starts. */
export const raoApprovalSchema = z.object({id: z.string().min(1), userId: z.string(), operatorId: z.string(), at: isoDate, usedAt: isoDate.nullable()});

export const couponSchema = z.object({
	id: z.string().min(1),
	codeHash: z.string().regex(/^[0-9a-f]{64}$/),
	createdAt: isoDate,
	usedAt: isoDate.nullable(),
	usedBy: z.string().nullable(),
});

/** "Modifica PIN" waiting for its OTP: the key already re-sealed under the new PIN. */
export const pinChangeSchema = z.object({
	id: z.string().min(1),
	userId: z.string(),
	certificateId: z.string(),
	challengeId: z.string().nullable(),
	newPinHash: argon2idHash,
	newKey: sealedKeySchema,
	createdAt: isoDate,
});

/** A renewal in progress (seeds 000/001): the steps done so far and what the next step needs. */
export const renewalSchema = z.object({
	id: z.string().min(1),
	userId: z.string(),
	certificateId: z.string(),
	/** "Rinnova firma", or "Richiedi nuovo certificato" (seed 002), which adds the security information. */
	kind: z.enum(['renewal', 'replacement']).default('renewal'),
	step: z.enum(['confirmConsents', 'choosePin', 'securityInfo', 'confirmActivation', 'done']),
	challengeId: z.string().nullable(),
	/** Set at "Attiva il certificato": the new PIN's hash and the new key, sealed under it. */
	newPinHash: argon2idHash.nullable(),
	newKey: sealedKeySchema.nullable(),
	newPublicKey: z.string().nullable(),
	/** "Rinnova con Coupon": the coupon that pays for it, spent when the certificate is issued. */
	couponId: z.string().nullable().default(null),
	/** Replacement: the new emergency code's hash and the envelope holding it, already encrypted under the holder's passphrase. */
	newErcHash: argon2idHash.nullable().default(null),
	/** Replacement: the new certificate's IUT, chosen in phase 4 so the envelope with the ERC carries it. */
	newIut: z.string().regex(/^\d{8}$/).nullable().default(null),
	envelope: z.string().nullable().default(null),
	/** "Rinnova con credenziali RAO": the operator's authorisation it used (a resumed renewal shows the same steps). */
	raoApprovalId: z.string().nullable().default(null),
	createdAt: isoDate,
});

/** A logged-in session: one per login, in whichever process; ended by logout, idle or absolute timeout, or by the holder from another session. */
export const sessionSchema = z.object({
	id: z.string().min(1),
	userId: z.string(),
	terminal: z.string().max(200),
	startedAt: isoDate,
	lastActivityAt: isoDate,
	endedAt: isoDate.nullable(),
	endReason: z.enum(['logout', 'idle', 'expired', 'ended-by-holder', 'closed']).nullable(),
	/** A command-line session: SHA-256 (hex) of the secret in the holder's token file; absent for the portal's. */
	secretHash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});

/** "Hai dimenticato la password?": a recovery in progress (userId null when the userID matched nobody). */
export const recoverySchema = z.object({
	id: z.string().min(1),
	userId: z.string().nullable(),
	challengeId: z.string().nullable(),
	step: z.enum(['code', 'answer', 'password', 'done', 'cancelled']),
	failures: z.number().int().min(0),
	createdAt: isoDate,
	expiresAt: isoDate,
	/** Unknown userIDs only: the "SMS" that was never sent, counted and timed like a real one. */
	sends: z.array(isoDate).default([]),
	codeExpiresAt: isoDate.nullable().default(null),
	/** Unknown userIDs only: the keyed hash of the identifier, so its "messages" meet the same limit as a holder's. */
	anonymousKey: z.string().nullable().default(null),
});

/** "Accedi con l'app": a short code on the login screen that the holder's phone approves. */
export const loginRequestSchema = z.object({
	id: z.string().min(1),
	codeHash: z.string(),
	createdAt: isoDate,
	expiresAt: isoDate,
	state: z.enum(['pending', 'approved', 'denied', 'consumed']),
	userId: z.string().nullable(),
});

const CENTURIES = 200 * 366 * 86_400_000;
export const folderTimeSchema = z.discriminatedUnion('kind', [
	z.object({kind: z.literal('live')}),
	z.object({kind: z.literal('training'), offsetMs: z.number().int().min(-CENTURIES).max(CENTURIES)}),
]);
const keyFingerprintSchema = z.string().regex(/^hmac-sha256:[0-9a-f]{64}$/, 'not a key fingerprint');

export const databaseSchema = z.object({
	version: z.literal(DATABASE_VERSION),
	settings: settingsSchema,
	holders: z.array(holderSchema),
	certificates: z.array(certificateSchema),
	loginThrottle: z.record(z.string(), throttleSchema),
	/**
	 * An outbox: entries pushed here during an update go to `<data>/access/` (see Store.save and
	 * history/access-log.ts); on disk it holds at most the last operation's entries. An older
	 * file's entries move there on its first write.
	 */
	accessLog: z.array(accessEntrySchema).default([]),
	/** Messages announcing a change (notify/changes.ts), queued like `accessLog` and delivered to the outbox (notify/queue.ts). */
	notices: z.array(outboxMessageSchema).default([]),
	challenges: z.array(challengeSchema),
	renewals: z.array(renewalSchema),
	coupons: z.array(couponSchema),
	operators: z.array(operatorSchema).default([]),
	raoApprovals: z.array(raoApprovalSchema).default([]),
	pinChanges: z.array(pinChangeSchema).default([]),
	loginRequests: z.array(loginRequestSchema),
	sessions: z.array(sessionSchema).default([]),
	recoveries: z.array(recoverySchema).default([]),
	/** Each holder's first state, by userID (see firstStateSchema); none for holders from before it was kept. */
	firstStates: z.record(z.string(), firstStateSchema).default({}),
	/** Monotonic counters for identifiers (access-log ids, ...). */
	sequences: z.record(z.string(), z.number().int().min(0)),
	/** The folder's time (see clock.ts): real in a live folder; a training folder's offset from real time. */
	clock: folderTimeSchema.default({kind: 'live'}),
	/** The CRL Number of the last CRL issued (pki/crl.ts issueCrl); 0: none yet. */
	crlNumber: z.number().int().min(0).default(0),
	/**
	 * Fingerprints of the keys in keys/ this database was made with (see key-binding.ts): every
	 * command refuses a missing or different key. Null in a database older than them: its keys
	 * are trusted on first use and the first write records them.
	 */
	keys: z.object({pepper: keyFingerprintSchema, totp: keyFingerprintSchema}).nullable().default(null),
});

export type Database = z.infer<typeof databaseSchema>;
export type Holder = z.infer<typeof holderSchema>;
export type FirstState = z.infer<typeof firstStateSchema>;
export type CertificateRecord = z.infer<typeof certificateSchema>;
export type CertificateStatus = z.infer<typeof certificateStatusSchema>;
export type AccessEntry = z.infer<typeof accessEntrySchema>;
export type AccessOutcome = z.infer<typeof accessOutcomeSchema>;
export type Throttle = z.infer<typeof throttleSchema>;
export type Challenge = z.infer<typeof challengeSchema>;
export type LoginRequest = z.infer<typeof loginRequestSchema>;
export type Renewal = z.infer<typeof renewalSchema>;
export type SessionRecord = z.infer<typeof sessionSchema>;
export type Recovery = z.infer<typeof recoverySchema>;
export type OtpChannel = z.infer<typeof otpChannelSchema>;

export function emptyDatabase(): Database {
	return databaseSchema.parse({
		version: DATABASE_VERSION,
		settings: {},
		holders: [],
		certificates: [],
		loginThrottle: {},
		accessLog: [],
		challenges: [],
		renewals: [],
		coupons: [],
		operators: [],
		raoApprovals: [],
		pinChanges: [],
		loginRequests: [],
		sessions: [],
		recoveries: [],
		sequences: {},
		clock: {kind: 'live'},
	});
}

/**
 * The terminal of the process whose operation this is (its portal's, set on each snapshot by
 * Store.update; a symbol, so never written to db.json). A holder's change is logged under it:
 * the acting session is this process's (see notify/changes.ts).
 */
export const ACTING_TERMINAL = Symbol('actingTerminal');

// The counters (sequences.ts) are part of the schema's interface: every operation imports them from here.
export {holderSequenceKey, nextAccessId, nextSequence, OUTBOX_NUMBERS} from './sequences.js';
