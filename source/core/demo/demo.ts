import {USER_ID_PATTERN} from '../holders/user-id.js';
import {createHash} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import {z} from 'zod';
import {DAY, type Clock} from '../clock.js';
import {hashPassword, hashPeppered} from '../auth/hashing.js';
import {normaliseAnswer} from '../account/secret-question.js';
import {newCertificateRecord} from '../certificate/record.js';
import {assertCodiceFiscale} from '../holders/identity.js';
import {seal} from '../sealed.js';
import type {CertificationAuthority} from '../pki/authority.js';
import {sealPrivateKey} from '../pki/holder-key.js';
import {DEFAULT_REPORT_SETTINGS, emptyDatabase, reportFrequencySchema, type CertificateRecord, type Database, type Holder} from '../store/schema.js';
import type {SignatureRecord} from '../history/signature-log.js';
import {italianDay} from '../italian-date.js';
import {firstStateOf} from './first-state.js';

const seedSchema = z.object({
	operators: z
		.array(z.object({userId: z.string().regex(/^RAO\d{4}$/), name: z.string(), password: z.string(), phone: z.string()}))
		.default([]),
	holders: z.array(
		z.object({
			userId: z.string().regex(USER_ID_PATTERN),
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
			report: z.object({frequency: reportFrequencySchema}).optional(),
			/** "Domanda Segreta" for password recovery (demo: printed with the credentials). */
			secretQuestion: z.object({question: z.string(), answer: z.string()}).optional(),
			/** A past signature history (records only), so «Cronologia firme» has something to show. */
			history: z.object({signatures: z.number().int().min(0).max(1_000_000), days: z.number().int().min(1), failureRate: z.number().min(0).max(1)}).optional(),
		}),
	),
});

export type DemoSeed = z.infer<typeof seedSchema>;

export interface DemoCredential {
	userId: string;
	/** The given name, as `name` in every `--json` output (the surname apart). */
	name: string;
	surname: string;
	password: string;
	pin: string;
	erc: string;
	about: {it: string; en: string};
	/** Demo only: the authenticator secrets, so a real phone app or oathtool can load them. */
	appSecret?: string;
	tokenSerial?: string;
	tokenSecret?: string;
	secretQuestion?: {question: string; answer: string};
}

export async function readSeed(file: string): Promise<DemoSeed> {
	const parsed = seedSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
	if (!parsed.success) throw new Error(`demo seed ${file} is invalid: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
	return parsed.data;
}

export type DemoHolderEntry = DemoSeed['holders'][number];

/**
 * One seeded holder as the demo starts, with a new key and certificate: expiry `expiresInDays`
 * from now (the seed's unless a scenario says otherwise).
 */
export async function buildDemoHolder(
	entry: DemoHolderEntry,
	now: Date,
	keys: {pepper: Buffer; totpKey: Buffer},
	authority: CertificationAuthority,
	settings: Database['settings'],
	options: {expiresInDays?: number; status?: CertificateRecord['status']} = {},
): Promise<{holder: Holder; certificate: CertificateRecord}> {
	const codiceFiscale = await assertCodiceFiscale(entry.codiceFiscale);
	const [passwordHash, pinHash, ercHash] = await Promise.all([hashPassword(entry.password), hashPeppered(entry.pin, keys.pepper), hashPeppered(entry.erc, keys.pepper)]);
	const holder: Holder = {
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
			app: entry.otp.appSecret ? {status: 'active', secret: seal(keys.totpKey, entry.otp.appSecret, entry.userId), lastStep: null, activatedAt: now.toISOString(), device: null} : null,
			push: entry.otp.push ?? false,
			token:
				entry.otp.tokenSecret && entry.otp.tokenSerial
					? {serial: entry.otp.tokenSerial, secret: seal(keys.totpKey, entry.otp.tokenSecret, entry.userId), lastStep: null, activatedAt: now.toISOString()}
					: null,
		},
		pukHash: null,
		recoveryPhone: null,
		secretQuestion: entry.secretQuestion ? {question: entry.secretQuestion.question, answerHash: await hashPeppered(normaliseAnswer(entry.secretQuestion.answer), keys.pepper)} : null,
		mustChangePassword: false,
		language: null,
		report: {...DEFAULT_REPORT_SETTINGS, frequency: entry.report?.frequency ?? 'never', lastDailyReport: entry.report?.frequency === 'daily' ? italianDay(new Date(now.getTime() - DAY)) : null},
	};
	const expiresAt = new Date(now.getTime() + (options.expiresInDays ?? entry.certificate.expiresInDays) * DAY);
	const activatedAt = new Date(expiresAt);
	activatedAt.setUTCFullYear(activatedAt.getUTCFullYear() - settings.certificateValidityYears);
	const issued = await authority.issue({givenName: entry.name, surname: entry.surname, codiceFiscale, iut: entry.certificate.iut}, {notBefore: activatedAt, notAfter: expiresAt});
	const certificate = newCertificateRecord({
		userId: entry.userId,
		codiceFiscale,
		iut: entry.certificate.iut,
		issued: {pem: issued.pem, serialNumber: issued.serialNumber},
		privateKey: await sealPrivateKey(issued.privateKey, entry.pin, keys.pepper),
		activatedAt,
		expiresAt,
		status: options.status ?? entry.certificate.status,
	});
	return {holder, certificate};
}

/** Builds a fresh database from the seed; expiry dates are placed relative to the clock. */
export async function buildDemoDatabase(seed: DemoSeed, clock: Clock, keys: {pepper: Buffer; totpKey: Buffer}, authority: CertificationAuthority): Promise<Database> {
	const db = emptyDatabase();
	const now = clock.now();
	// A training folder: its clock starts at the clock that built it (real time, or a test's) and
	// ticks with real time; the trainer moves it with `mysign clock`.
	db.clock = {kind: 'training', offsetMs: Math.round((now.getTime() - Date.now()) / 1000) * 1000};
	// Two at a time: argon2 and key generation keep both cores busy.
	const built = [];
	for (let index = 0; index < seed.holders.length; index += 2) {
		built.push(...(await Promise.all(seed.holders.slice(index, index + 2).map(entry => buildDemoHolder(entry, now, keys, authority, db.settings)))));
	}
	for (const {holder, certificate} of built) {
		db.holders.push(holder);
		db.certificates.push(certificate);
		db.firstStates[holder.userId] = firstStateOf(holder, certificate);
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
		name: holder.name,
		surname: holder.surname,
		password: holder.password,
		pin: holder.pin,
		erc: holder.erc,
		about: holder.about,
		...(holder.otp.appSecret ? {appSecret: holder.otp.appSecret} : {}),
		...(holder.otp.tokenSecret ? {tokenSerial: holder.otp.tokenSerial, tokenSecret: holder.otp.tokenSecret} : {}),
		...(holder.secretQuestion ? {secretQuestion: holder.secretQuestion} : {}),
	}));
}

const DEMO_DOCUMENTS = ['Contratto_fornitura', 'Verbale_esame', 'Delibera', 'Offerta_economica', 'Fattura', 'Procura', 'Relazione_tecnica', 'Modulo_adesione'];
const DEMO_REASONS = ['pin.wrong', 'otp.wrong', 'otp.expired'];

/**
 * A holder's demo history: `signatures` attempts at pseudo-random instants of the last `days`
 * days, a share failed. Deterministic for a given holder and clock, so a workshop sees the
 * same history on every machine.
 */
export function demoSignatureHistory(userId: string, history: {signatures: number; days: number; failureRate: number}, now: Date, certificateSerial: string): SignatureRecord[] {
	let counter = 0;
	// SHA-256 in counter mode: a seeded, portable random stream.
	const random = () => createHash('sha256').update(`${userId}:${counter++}`).digest().readUInt32BE(0) / 2 ** 32;
	const records: SignatureRecord[] = [];
	for (let index = 0; index < history.signatures; index++) {
		const at = new Date(now.getTime() - Math.floor(random() * history.days * DAY) - 60_000);
		const name = `${DEMO_DOCUMENTS[Math.floor(random() * DEMO_DOCUMENTS.length)]}_${String(index + 1).padStart(4, '0')}.pdf`;
		const failed = random() < history.failureRate;
		records.push({
			at: at.toISOString(),
			document: name,
			sha256: createHash('sha256').update(`${userId}/${name}`).digest('hex'),
			size: 20_000 + Math.floor(random() * 400_000),
			outcome: failed ? 'failure' : 'success',
			reason: failed ? DEMO_REASONS[Math.floor(random() * DEMO_REASONS.length)]! : null,
			channel: 'sms',
			certificateSerial,
		});
	}
	return records.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** Every seeded holder's demo history, by userID. */
export function demoHistories(seed: DemoSeed, db: Database, now: Date): Map<string, SignatureRecord[]> {
	const histories = new Map<string, SignatureRecord[]>();
	for (const entry of seed.holders) {
		const certificate = db.certificates.find(record => record.userId === entry.userId);
		histories.set(entry.userId, entry.history && certificate ? demoSignatureHistory(entry.userId, entry.history, now, certificate.certificateSerial) : []);
	}
	return histories;
}
