import {readRegularFile} from '../store/safe-file.js';
import {MAX_DOCUMENT_MEGABYTES, readDocumentContent} from './documents.js';
import {basename} from 'node:path';
import {DomainError} from '../errors.js';
import type {pkiFiles} from '../pki/files.js';

/*
 * `mysign verify`: what a relying party checks in a .p7m, using the local CA certificate and
 * the published CRL (not the store): the signature, the signer, the signing time (as the
 * signer declared it), and the certificate's status at that time and now. A suspension that
 * has ended has left the CRL, so "at that time" can only see revocations and holds still listed.
 */

export type CertificateStatusAt = 'valid' | 'notYetValid' | 'expired' | 'suspended' | 'revoked';

export interface SignatureVerification {
	file: string;
	/** The signature, the chain to the CA and the CAdES signing-certificate attribute all check out. */
	intact: boolean;
	signatureValid: boolean;
	chainValid: boolean;
	cades: boolean;
	signer: {commonName: string; serialNumber: string | null};
	certificateSerial: string;
	issuer: string;
	signingTime: Date | null;
	statusAtSigning: CertificateStatusAt | null;
	statusNow: CertificateStatusAt;
	/** When the CRL lists the certificate: since when, and why. */
	revocation: {at: Date; reason: string | null} | null;
	content: Buffer;
	contentName: string;
}

function statusAt(time: Date, validity: {notBefore: Date; notAfter: Date}, listing: {listed: boolean; revokedAt: Date | null; reason: string | null}): CertificateStatusAt {
	if (listing.listed && listing.revokedAt && listing.revokedAt.getTime() <= time.getTime()) return listing.reason === 'certificateHold' ? 'suspended' : 'revoked';
	if (time.getTime() < validity.notBefore.getTime()) return 'notYetValid';
	if (time.getTime() > validity.notAfter.getTime()) return 'expired';
	return 'valid';
}

export async function verifySignatureFile(path: string, files: ReturnType<typeof pkiFiles>, now: Date): Promise<SignatureVerification> {
	// Opened once, non-blocking (a FIFO cannot hold the command), regular files only, and bounded:
	// the largest document that can be signed plus its envelope (a link to /dev/zero is refused).
	const bytes = await readDocumentContent(path, MAX_DOCUMENT_MEGABYTES + 16).then(
		read => read.content,
		(error: unknown) => {
			const params = error instanceof DomainError ? error.params : {};
			throw new DomainError('verify.unreadable', {name: basename(path), reason: String(params['kind'] ?? params['reason'] ?? (params['megabytes'] ? `> ${String(params['megabytes'])} MB` : 'error'))});
		},
	);
	// The data folder's CA files: never through a link, never a FIFO, bounded (see safe-file.ts).
	const [caPem, crlPem] = await Promise.all([readRegularFile(files.certificate, 16 << 20).then(String), readRegularFile(files.crl, 16 << 20).then(String, () => undefined)]);
	const {crlStatus, verifyCades} = await import('../pki/cades.js');
	let result: Awaited<ReturnType<typeof verifyCades>>;
	try {
		result = await verifyCades(bytes, caPem);
	} catch {
		throw new DomainError('verify.notCms', {name: basename(path)});
	}
	const listing = crlPem ? crlStatus(crlPem, result.certificateSerial) : {listed: false, revokedAt: null, reason: null};
	const validity = {notBefore: result.notBefore, notAfter: result.notAfter};
	return {
		file: path,
		intact: result.signatureValid && result.chainValid && result.cades,
		signatureValid: result.signatureValid,
		chainValid: result.chainValid,
		cades: result.cades,
		signer: {commonName: result.signer.commonName, serialNumber: result.signer.serialNumber},
		certificateSerial: result.certificateSerial,
		issuer: result.issuer,
		signingTime: result.signingTime,
		statusAtSigning: result.signingTime ? statusAt(result.signingTime, validity, listing) : null,
		statusNow: statusAt(now, validity, listing),
		revocation: listing.listed && listing.revokedAt ? {at: listing.revokedAt, reason: listing.reason} : null,
		content: result.content,
		contentName: basename(path).replace(/\.p7m$/i, ''),
	};
}
