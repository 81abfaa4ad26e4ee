import {randomInt, randomUUID} from 'node:crypto';
import type {Clock} from '../clock.js';
import type {SealedKey} from '../pki/holder-key.js';
import type {CertificateRecord, Database} from '../store/schema.js';

/** The issuing CA's names, as in the MySign manual (seed 003 §3). */
export const ISSUER = {
	commonName: 'InfoCert Qualified Electronic Signature CA 3',
	organization: 'InfoCert S.p.A.',
	organizationalUnit: 'Qualified Trust Service Provider',
	country: 'IT',
} as const;

/** What the holder sees: the stored status, or "expired" once the expiry instant has passed. */
export type CertificateState = 'active' | 'suspended' | 'revoked' | 'blocked' | 'expired';

export function certificateState(certificate: CertificateRecord, clock: Clock): CertificateState {
	if (certificate.status === 'revoked' || certificate.status === 'blocked') return certificate.status;
	const now = clock.now().getTime();
	if (now >= Date.parse(certificate.expiresAt)) return 'expired';
	// A suspension ends by itself after its end date, even before anyone rewrites the record.
	if (suspensionIsOver(certificate, new Date(now))) return 'active';
	return certificate.status;
}

/** A suspended certificate whose end date has passed. */
export function suspensionIsOver(certificate: Pick<CertificateRecord, 'status' | 'suspendedUntil'>, now: Date): boolean {
	return certificate.status === 'suspended' && certificate.suspendedUntil !== null && Date.parse(certificate.suspendedUntil) <= now.getTime();
}

/** The IUT as the portal shows it: first and last digit, the rest hidden ("2*****5"). */
export function maskIut(iut: string): string {
	if (iut.length <= 2) return '*'.repeat(iut.length);
	return iut[0] + '*'.repeat(iut.length - 2) + iut[iut.length - 1];
}

/**
 * The holder's current certificate: the one issued last. Records are only ever appended, so
 * that is the holder's last record (a scenario may issue one with an older validity period).
 */
export function currentCertificate(certificates: readonly CertificateRecord[], userId: string): CertificateRecord | undefined {
	for (let index = certificates.length - 1; index >= 0; index--) {
		if (certificates[index]!.userId === userId) return certificates[index];
	}
	return undefined;
}

/** A fresh IUT (8 digits) that no certificate in the store has. */
export function newIut(db: Database): string {
	for (;;) {
		const iut = String(randomInt(10_000_000, 100_000_000));
		if (!db.certificates.some(certificate => certificate.iut === iut)) return iut;
	}
}

/**
 * A new IUT that no holder's certificate has: checked against holders/index.json, which the store
 * keeps with every commit (a scoped operation sees only its own holder's certificates). The
 * store refuses a commit that would give one IUT to two holders.
 */
export async function newUniqueIut(store: {holderIdByIut(iut: string): Promise<string | undefined>}): Promise<string> {
	for (;;) {
		const iut = String(randomInt(10_000_000, 100_000_000));
		if ((await store.holderIdByIut(iut)) === undefined) return iut;
	}
}

/** The store record of a certificate the CA has just issued (demo, enrolment, renewal). */
export function newCertificateRecord(input: {
	userId: string;
	codiceFiscale: string;
	iut: string;
	issued: {pem: string; serialNumber: string};
	privateKey: SealedKey;
	activatedAt: Date;
	expiresAt: Date;
	status?: CertificateRecord['status'];
}): CertificateRecord {
	return {
		id: randomUUID(),
		userId: input.userId,
		serial: `TINIT-${input.codiceFiscale}`,
		iut: input.iut,
		status: input.status ?? 'active',
		activatedAt: input.activatedAt.toISOString(),
		expiresAt: input.expiresAt.toISOString(),
		certificateSerial: input.issued.serialNumber,
		pem: input.issued.pem,
		privateKey: input.privateKey,
		revokedAt: null,
		revocationReason: null,
		suspendedUntil: null,
		issuer: {...ISSUER},
	};
}
