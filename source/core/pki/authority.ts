import {webcrypto} from 'node:crypto';
import {join} from 'node:path';
import * as asn1js from 'asn1js';
import {x509} from './x509.js';
import {ISSUER} from '../certificate/record.js';
import type {Clock} from '../clock.js';
import {DomainError} from '../errors.js';
import {writeFileAtomic} from '../store/atomic-write.js';
import {FileLock} from '../store/lock.js';
import {ensureRealDirectory, isRealDirectory, readRegularFile, readSecretFile} from '../store/safe-file.js';
import {pkiFiles} from './files.js';
import {caSubject, holderSubject, POLICIES, qcStatementsExtension, URLS, type HolderName} from './profile.js';

/*
 * The local certification authority: "InfoCert Qualified Electronic Signature CA 3" (a
 * simulated CA with the real one's names). Created on first use in `<data>/pki/`: ca.pem,
 * ca.key (0600), crl.pem. Everything it issues verifies with openssl against ca.pem.
 */


const ALGORITHM = {name: 'ECDSA', namedCurve: 'P-256'} as const;
/** A CRL of every certificate of the largest folder stays far below this (as `mysign verify` reads it). */
const CRL_READ_LIMIT = 16 << 20;
const SIGNING = {name: 'ECDSA', hash: 'SHA-256'} as const;
const YEAR = 365 * 86_400_000;
/** RFC 5280 §5.2.3: cRLNumber, a non-critical INTEGER that grows with each CRL the CA issues. */
export const CRL_NUMBER_OID = '2.5.29.20';

export interface CrlEntry {
	/** The certificate's X.509 serial number, hex. */
	serialNumber: string;
	revokedAt: Date;
	reason: 'superseded' | 'certificateHold' | 'keyCompromise' | 'cessationOfOperation' | 'unspecified';
}

export interface IssuedCertificate {
	pem: string;
	serialNumber: string;
	/** PKCS#8 DER of the holder's private key: the caller seals it at once. */
	privateKey: Buffer;
}

export class CertificationAuthority {
	private constructor(
		readonly directory: string,
		readonly certificate: x509.X509Certificate,
		private readonly key: CryptoKey,
	) {}

	static files(dataDirectory: string) {
		return pkiFiles(dataDirectory);
	}

	/**
	 * Loads the CA; with `create` (only with a new database), creates it (once, whichever process
	 * comes first) when missing. Without it a missing CA is refused: a new one would issue and sign
	 * CRLs under another key with the same name, and every earlier certificate would stop verifying.
	 */
	static async open(dataDirectory: string, clock: Clock, options: {create?: boolean} = {}): Promise<CertificationAuthority> {
		const files = CertificationAuthority.files(dataDirectory);
		if (!options.create) {
			// pki/ itself must be a real folder: a planted link would take the CA and its CRL elsewhere.
			if (!isRealDirectory(files.directory)) throw new DomainError('store.caMissing', {file: files.key});
			const existing = await readExisting(files.certificate, files.key);
			if (!existing) throw new DomainError('store.caMissing', {file: files.key});
			return new CertificationAuthority(files.directory, existing.certificate, existing.key);
		}
		ensureRealDirectory(files.directory);
		return new FileLock(files.lock).with(async () => {
			const existing = await readExisting(files.certificate, files.key);
			if (existing) return new CertificationAuthority(files.directory, existing.certificate, existing.key);
			const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
			const now = clock.now();
			const certificate = await x509.X509CertificateGenerator.createSelfSigned({
				name: caSubject(ISSUER),
				keys,
				// Wide validity so holders' certificates from years ago (the demo's) chain to it.
				notBefore: new Date(now.getTime() - 10 * YEAR),
				notAfter: new Date(now.getTime() + 20 * YEAR),
				signingAlgorithm: SIGNING,
				extensions: [
					new x509.BasicConstraintsExtension(true, 0, true),
					new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
					await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
				],
			});
			const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
			await writeFileAtomic(files.key, x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'), {syncDirectory: true, secret: true});
			await writeFileAtomic(files.certificate, certificate.toString('pem') + '\n', {syncDirectory: true});
			return new CertificationAuthority(files.directory, certificate, keys.privateKey);
		});
	}

	/** A holder certificate of the Italian qualified profile, with a fresh key pair. */
	async issue(holder: HolderName, validity: {notBefore: Date; notAfter: Date}): Promise<IssuedCertificate> {
		const pair = await newKeyPair();
		const certificate = await this.issueFor(holder, validity, pair.publicKey);
		return {...certificate, privateKey: pair.privateKey};
	}

	/** A certificate for a public key generated earlier (SPKI DER), e.g. during a renewal. */
	async issueFor(holder: HolderName, validity: {notBefore: Date; notAfter: Date}, spki: Buffer): Promise<{pem: string; serialNumber: string}> {
		const publicKey = await webcrypto.subtle.importKey('spki', spki, ALGORITHM, true, ['verify']);
		const certificate = await x509.X509CertificateGenerator.create({
			serialNumber: randomSerial(),
			subject: holderSubject(holder),
			issuer: this.certificate.subjectName,
			notBefore: validity.notBefore,
			notAfter: validity.notAfter,
			publicKey,
			signingKey: this.key,
			signingAlgorithm: SIGNING,
			extensions: [
				new x509.BasicConstraintsExtension(false, undefined, true),
				new x509.KeyUsagesExtension(x509.KeyUsageFlags.nonRepudiation, true),
				new x509.CertificatePolicyExtension([POLICIES.agidQualified, POLICIES.qcpNaturalQscd]),
				qcStatementsExtension(),
				new x509.CRLDistributionPointsExtension([URLS.crl]),
				new x509.AuthorityInfoAccessExtension({caIssuers: new x509.GeneralName('url', URLS.caIssuers)}),
				await x509.AuthorityKeyIdentifierExtension.create(this.certificate),
				await x509.SubjectKeyIdentifierExtension.create(publicKey),
			],
		});
		return {pem: certificate.toString('pem'), serialNumber: certificate.serialNumber};
	}

	/**
	 * Reissues pki/crl.pem with these entries and this CRL Number; valid for a day (the portal
	 * promises ≤ 24 h). The number must be above every earlier one: pki/crl.ts issueCrl picks it
	 * under the store's lock.
	 */
	async writeCrl(entries: readonly CrlEntry[], now: Date, crlNumber: number): Promise<void> {
		if (!Number.isSafeInteger(crlNumber) || crlNumber < 1) throw new RangeError(`Invalid CRL number: ${crlNumber}`);
		const crl = await x509.X509CrlGenerator.create({
			issuer: this.certificate.subjectName,
			// Backdated a little, as CAs do, so relying parties with a slightly slow clock accept it.
			thisUpdate: new Date(now.getTime() - 5 * 60_000),
			nextUpdate: new Date(now.getTime() + 86_400_000),
			signingKey: this.key,
			signingAlgorithm: SIGNING,
			entries: entries.map(entry => ({serialNumber: entry.serialNumber, revocationDate: entry.revokedAt, reason: x509.X509CrlReason[entry.reason]})),
			extensions: [
				await x509.AuthorityKeyIdentifierExtension.create(this.certificate),
				new x509.Extension(CRL_NUMBER_OID, false, new asn1js.Integer({value: crlNumber}).toBER()),
			],
		});
		// OpenSSL reads the "X509 CRL" PEM label (the library writes "CRL").
		const pem = x509.PemConverter.encode(crl.rawData, 'X509 CRL');
		await writeFileAtomic(join(this.directory, 'crl.pem'), pem + '\n', {syncDirectory: true});
	}

	/**
	 * The CRL Number of pki/crl.pem as it is now; 0 when there is none, it does not parse or has
	 * no number (it is about to be replaced in each case).
	 */
	async publishedCrlNumber(): Promise<number> {
		let pem: string;
		try {
			pem = (await readRegularFile(join(this.directory, 'crl.pem'), CRL_READ_LIMIT)).toString('utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
			throw error;
		}
		return crlNumberOf(pem) ?? 0;
	}
}

/** The CRL Number of a PEM CRL, or undefined. */
export function crlNumberOf(pem: string): number | undefined {
	try {
		const crl = new x509.X509Crl(pem);
		const extension = crl.getExtension(CRL_NUMBER_OID);
		if (!extension) return undefined;
		const parsed = asn1js.fromBER(extension.value);
		if (!(parsed.result instanceof asn1js.Integer)) return undefined;
		const value = parsed.result.toBigInt();
		return value > 0n && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
	} catch {
		return undefined;
	}
}

/** A holder key pair: PKCS#8 private key (to be sealed at once) and SPKI public key, both DER. */
export async function newKeyPair(): Promise<{privateKey: Buffer; publicKey: Buffer}> {
	const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
	return {
		privateKey: Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)),
		publicKey: Buffer.from(await webcrypto.subtle.exportKey('spki', keys.publicKey)),
	};
}

async function readExisting(certificateFile: string, keyFile: string): Promise<{certificate: x509.X509Certificate; key: CryptoKey} | undefined> {
	let certificatePem: string;
	let keyPem: string;
	try {
		// Never through a link, bounded; the CA key is refused when others may read it (see safe-file.ts).
		[certificatePem, keyPem] = (await Promise.all([readRegularFile(certificateFile, 1 << 20), readSecretFile(keyFile, 1 << 20)])).map(String) as [string, string];
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw error;
	}
	const key = await webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(keyPem), ALGORITHM, false, ['sign']);
	const certificate = new x509.X509Certificate(certificatePem);
	// ca.key must be ca.pem's: another folder's key would sign CRLs nobody can verify against ca.pem.
	const probe = new TextEncoder().encode('mysign CA key check');
	const signature = await webcrypto.subtle.sign({name: 'ECDSA', hash: 'SHA-256'}, key, probe);
	const publicKey = await certificate.publicKey.export(webcrypto as unknown as Crypto);
	if (!(await webcrypto.subtle.verify({name: 'ECDSA', hash: 'SHA-256'}, publicKey, signature, probe))) throw new DomainError('store.caMismatch', {file: keyFile});
	return {certificate, key: key as CryptoKey};
}

/** 16 random bytes, first bit clear so the DER INTEGER stays positive. */
function randomSerial(): string {
	const bytes = webcrypto.getRandomValues(new Uint8Array(16));
	bytes[0] = (bytes[0]! & 0x7f) | 0x10;
	return Buffer.from(bytes).toString('hex');
}
