import {newUserId} from '../holders/user-id.js';
import {randomInt} from 'node:crypto';
import type {Clock} from '../clock.js';
import {DomainError} from '../errors.js';
import {checkPassword} from '../account/password-policy.js';
import {hashPassword, hashPeppered} from '../auth/hashing.js';
import {newCertificateRecord, newIut} from '../certificate/record.js';
import {assertCodiceFiscale, assertPlainText} from '../holders/identity.js';
import {firstStateOf} from '../demo/first-state.js';
import {normalizeMobileNumber} from '../otp/phone-number.js';
import type {CertificationAuthority} from '../pki/authority.js';
import {sealPrivateKey} from '../pki/holder-key.js';
import {DEFAULT_REPORT_SETTINGS, type Database, type Holder} from '../store/schema.js';
import type {Store} from '../store/store.js';

/*
 * Enrolment by an operator: a new holder gets a JCPD userID, a certificate from the local CA,
 * a PIN and emergency code (ERC) and an initial password they must change at first
 * access. The codes travel only in the registration envelope (a PDF encrypted under the
 * holder's codice fiscale) attached to the "InfoCert LegalCert: registrazione" e-mail.
 * A batch is checked whole before anything is written: one bad row changes nothing.
 * No PUK: a blocked PIN blocks the certificate for good (seeds 000, 003 §6), so a PUK would have
 * nothing to unblock; the way out is a new certificate (`admin reissue`, see reissue.ts).
 */

export interface EnrollmentInput {
	name: string;
	surname: string;
	codiceFiscale: string;
	phone: string;
	email: string;
	/** From a CSV: the file line the row starts on (header and multi-line fields counted), named in its errors. */
	line?: number;
}

/** Called as each holder of a batch is prepared (keys, certificate, hashes), then as their e-mails are sent: `done` of `total`. */
export type EnrollmentProgress = (done: number, total: number, holder: {name: string; surname: string}, phase: 'prepare' | 'deliver') => void;

export interface EnrolledHolder {
	userId: string;
	name: string;
	surname: string;
	codiceFiscale: string;
	email: string;
	iut: string;
	expiresAt: Date;
}

/** What only the envelope carries; no password when an operator reissues the certificate (the holder keeps theirs). */
export interface EnrollmentSecrets {
	password: string | null;
	pin: string;
	erc: string;
}

/** Sends the registration envelope: at enrolment, or with a reissued certificate (`admin reissue`). */
export type Deliver = (holder: EnrolledHolder, secrets: EnrollmentSecrets, occasion?: 'enrolment' | 'reissue') => Promise<void>;

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

function digits(count: number): string {
	return Array.from({length: count}, () => randomInt(0, 10)).join('');
}

/** An initial password that satisfies the rules it asks the holder to follow. */
function initialPassword(): string {
	const pools = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789', '&%!?+._'];
	for (;;) {
		const characters = pools.flatMap(pool => Array.from({length: 3}, () => pool[randomInt(0, pool.length)]!));
		for (let index = characters.length - 1; index > 0; index--) {
			const other = randomInt(0, index + 1);
			[characters[index], characters[other]] = [characters[other]!, characters[index]!];
		}
		const password = characters.join('');
		if (checkPassword(password).ok) return password;
	}
}

/** Checks and normalises one row; errors name the field (and the row, for a batch). */
async function normalise(input: EnrollmentInput, row: number | undefined): Promise<EnrollmentInput> {
	const at: Record<string, number> = row === undefined ? {} : {row};
	const field = (name: string, value: string) => {
		if (value.trim() === '') throw new DomainError('enroll.missingField', {field: name, ...at});
		try {
			assertPlainText(value, name, 200);
		} catch (error) {
			// A line break or control character in a CSV field: named on its row like every other refusal.
			if (error instanceof DomainError) throw new DomainError(error.code, {...error.params, ...at});
			throw error;
		}
		return value.trim();
	};
	const name = field('nome (--name)', input.name).toUpperCase();
	const surname = field('cognome (--surname)', input.surname).toUpperCase();
	let codiceFiscale: string;
	try {
		codiceFiscale = await assertCodiceFiscale(field('codice fiscale (--codice-fiscale)', input.codiceFiscale));
	} catch (error) {
		if (error instanceof DomainError && error.code === 'holder.invalidCodiceFiscale') throw new DomainError('enroll.badCodiceFiscale', {value: input.codiceFiscale, ...at});
		throw error;
	}
	let phone: string;
	try {
		phone = await normalizeMobileNumber(field('cellulare (--phone)', input.phone));
	} catch {
		throw new DomainError('enroll.badPhone', {value: input.phone, ...at});
	}
	const email = field('email (--email)', input.email).toLowerCase();
	if (!EMAIL.test(email) || email.length > 254) throw new DomainError('enroll.badEmail', {value: input.email, ...at});
	return {name, surname, codiceFiscale, phone, email, ...(input.line === undefined ? {} : {line: input.line})};
}

/** Refuses a codice fiscale or e-mail already registered, or repeated within the batch. */
function assertUnique(db: Database, rows: readonly EnrollmentInput[], numbered: boolean): void {
	const seen = new Map<string, number>();
	rows.forEach((row, index) => {
		const at: Record<string, number> = numbered ? {row: row.line ?? index + 1} : {};
		if (db.holders.some(holder => holder.codiceFiscale === row.codiceFiscale)) throw new DomainError('enroll.duplicate', {field: 'codice fiscale', value: row.codiceFiscale, ...at});
		if (db.holders.some(holder => holder.email.toLowerCase() === row.email)) throw new DomainError('enroll.duplicate', {field: 'email', value: row.email, ...at});
		for (const [key, field] of [
			[`cf:${row.codiceFiscale}`, 'codice fiscale'],
			[`email:${row.email}`, 'email'],
		] as const) {
			if (seen.has(key)) throw new DomainError('enroll.duplicate', {field, value: key.slice(key.indexOf(':') + 1), ...at});
			seen.set(key, index);
		}
	});
}

/** The rows of an enrolment checked and normalised, with no database: errors name the field (and row). */
export async function checkEnrollment(inputs: readonly EnrollmentInput[], options: {numbered: boolean}): Promise<EnrollmentInput[]> {
	if (inputs.length === 0) throw new DomainError('enroll.empty');
	const rows: EnrollmentInput[] = [];
	for (const [index, input] of inputs.entries()) rows.push(await normalise(input, options.numbered ? (input.line ?? index + 1) : undefined));
	return rows;
}

export async function enroll(
	store: Store,
	clock: Clock,
	pepper: Buffer,
	authority: CertificationAuthority,
	inputs: readonly EnrollmentInput[],
	deliver: Deliver,
	options: {numbered: boolean; progress?: EnrollmentProgress},
): Promise<EnrolledHolder[]> {
	const rows = await checkEnrollment(inputs, options);
	const snapshot = await store.read();
	assertUnique(snapshot, rows, options.numbered);

	// The expensive part (keys, certificates, argon2) runs outside the lock, two holders at a time.
	const now = clock.now();
	// Every userID in use, and those drawn for this batch (user-id.ts draws outside them).
	const taken = new Set(snapshot.holders.map(holder => holder.userId));
	const prepared: {holder: Holder; record: ReturnType<typeof newCertificateRecord>; enrolled: EnrolledHolder; secrets: EnrollmentSecrets}[] = [];
	const iuts = new Set<string>();
	let done = 0;
	const prepare = async (row: EnrollmentInput, position: number) => {
		const userId = newUserId(taken);
		taken.add(userId);
		let iut = newIut(snapshot);
		while (iuts.has(iut)) iut = newIut(snapshot);
		iuts.add(iut);
		const secrets: EnrollmentSecrets = {password: initialPassword(), pin: digits(8), erc: digits(8)};
		const expiresAt = new Date(now);
		expiresAt.setUTCFullYear(expiresAt.getUTCFullYear() + snapshot.settings.certificateValidityYears);
		const issued = await authority.issue({givenName: row.name, surname: row.surname, codiceFiscale: row.codiceFiscale, iut}, {notBefore: new Date(now.getTime() - 60_000), notAfter: expiresAt});
		const [passwordHash, pinHash, ercHash, privateKey] = await Promise.all([
			hashPassword(secrets.password!),
			hashPeppered(secrets.pin, pepper),
			hashPeppered(secrets.erc, pepper),
			sealPrivateKey(issued.privateKey, secrets.pin, pepper),
		]);
		issued.privateKey.fill(0);
		const holder: Holder = {
			userId,
			name: row.name,
			surname: row.surname,
			codiceFiscale: row.codiceFiscale,
			phone: row.phone,
			email: row.email,
			passwordHash,
			pinHash,
			pukHash: null,
			ercHash,
			pinFailures: 0,
			replacementDeadline: null,
			createdAt: now.toISOString(),
			otp: {preferred: 'sms', app: null, push: false, token: null},
			report: {...DEFAULT_REPORT_SETTINGS},
			recoveryPhone: null,
			secretQuestion: null,
			mustChangePassword: true,
			language: null,
		};
		const record = newCertificateRecord({userId, codiceFiscale: row.codiceFiscale, iut, issued, privateKey, activatedAt: now, expiresAt});
		prepared[position] = {holder, record, secrets, enrolled: {userId, name: row.name, surname: row.surname, codiceFiscale: row.codiceFiscale, email: row.email, iut, expiresAt}};
		options.progress?.(++done, rows.length, {name: row.name, surname: row.surname}, 'prepare');
	};
	for (let index = 0; index < rows.length; index += 2) await Promise.all(rows.slice(index, index + 2).map((row, offset) => prepare(row, index + offset)));

	await store.update(db => {
		// Checked again under the lock: another process may have enrolled someone meanwhile.
		assertUnique(db, rows, options.numbered);
		for (const {holder, record} of prepared) {
			if (db.holders.some(existing => existing.userId === holder.userId) || db.certificates.some(existing => existing.iut === record.iut)) {
				throw new DomainError('enroll.retry');
			}
		}
		for (const {holder, record} of prepared) {
			db.holders.push(holder);
			db.certificates.push(record);
			// What `mysign demo --reset --keep-enrolled` brings the holder back to.
			db.firstStates[holder.userId] = firstStateOf(holder, record);
		}
	});
	for (const [index, entry] of prepared.entries()) {
		await deliver(entry.enrolled, entry.secrets);
		options.progress?.(index + 1, prepared.length, entry.enrolled, 'deliver');
	}
	return prepared.map(entry => entry.enrolled);
}

