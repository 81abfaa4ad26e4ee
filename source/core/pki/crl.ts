import type {Database} from '../store/schema.js';
import type {CrlEntry} from './authority.js';

/**
 * What the CRL must list now: revoked certificates with their reason, and suspended ones
 * (certificateHold) until the end of their suspension, after which they drop off (removeFromCRL).
 */
export function crlEntries(db: Database, now: Date): CrlEntry[] {
	const entries: CrlEntry[] = [];
	for (const certificate of db.certificates) {
		if (!certificate.revokedAt) continue;
		const revokedAt = new Date(certificate.revokedAt);
		if (certificate.status === 'revoked') entries.push({serialNumber: certificate.certificateSerial, revokedAt, reason: certificate.revocationReason ?? 'unspecified'});
		else if (certificate.status === 'suspended' && certificate.suspendedUntil && Date.parse(certificate.suspendedUntil) > now.getTime()) {
			entries.push({serialNumber: certificate.certificateSerial, revokedAt, reason: 'certificateHold'});
		}
	}
	return entries;
}
