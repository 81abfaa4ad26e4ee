import type {Clock} from '../clock.js';
import type {ListedCertificate} from '../store/partition.js';
import {NO_HOLDER} from '../store/scope.js';
import type {Store} from '../store/store.js';
import type {CertificationAuthority, CrlEntry} from './authority.js';

/**
 * What the CRL must list now: revoked certificates with their reason, and suspended ones
 * (certificateHold) until the end of their suspension, after which they drop off (removeFromCRL).
 * A PIN blocked during a suspension keeps the hold to its end: the block is about the PIN, the
 * hold about the certificate (without this the next CRL would drop a suspended certificate).
 */
export function crlEntries(certificates: readonly ListedCertificate[], now: Date): CrlEntry[] {
	const entries: CrlEntry[] = [];
	for (const certificate of certificates) {
		if (!certificate.revokedAt) continue;
		const revokedAt = new Date(certificate.revokedAt);
		if (certificate.status === 'revoked') entries.push({serialNumber: certificate.certificateSerial, revokedAt, reason: certificate.revocationReason ?? 'unspecified'});
		else if ((certificate.status === 'suspended' || certificate.status === 'blocked') && certificate.suspendedUntil && Date.parse(certificate.suspendedUntil) > now.getTime()) {
			entries.push({serialNumber: certificate.certificateSerial, revokedAt, reason: 'certificateHold'});
		}
	}
	return entries;
}

/**
 * Issues pki/crl.pem from the store's certificates with the next CRL Number (RFC 5280 §5.2.3),
 * and returns that number. Everything happens inside one store update, under the cross-process
 * lock: two processes publishing at once issue one after the other, each with a higher number
 * and the later state, so a lower number never replaces a higher one. The number is one more
 * than the larger of `db.crlNumber` and the number in the file on disk, so that a CRL written
 * just before a failed save of db.json is never followed by another with its number.
 */
export async function issueCrl(store: Store, authority: Pick<CertificationAuthority, 'writeCrl' | 'publishedCrlNumber'>, clock: Clock): Promise<number> {
	return store.update(async db => {
		const crlNumber = Math.max(db.crlNumber, await authority.publishedCrlNumber()) + 1;
		const now = clock.now();
		// Under the lock, the index is current: every holder's listed certificates, no holder document read.
		await authority.writeCrl(crlEntries(await store.listedCertificates(), now), now, crlNumber);
		db.crlNumber = crlNumber;
		return crlNumber;
	}, NO_HOLDER);
}
