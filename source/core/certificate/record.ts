import type {Clock} from '../clock.js';
import type {CertificateRecord} from '../store/schema.js';

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
export function suspensionIsOver(certificate: CertificateRecord, now: Date): boolean {
	return certificate.status === 'suspended' && certificate.suspendedUntil !== null && Date.parse(certificate.suspendedUntil) <= now.getTime();
}

/** The IUT as the portal shows it: first and last digit, the rest hidden ("2*****5"). */
export function maskIut(iut: string): string {
	if (iut.length <= 2) return '*'.repeat(iut.length);
	return iut[0] + '*'.repeat(iut.length - 2) + iut[iut.length - 1];
}

/** The holder's current certificate: the most recently activated one. */
export function currentCertificate(certificates: readonly CertificateRecord[], userId: string): CertificateRecord | undefined {
	let current: CertificateRecord | undefined;
	for (const certificate of certificates) {
		if (certificate.userId !== userId) continue;
		if (!current || Date.parse(certificate.activatedAt) > Date.parse(current.activatedAt)) current = certificate;
	}
	return current;
}
