import {createHash, webcrypto} from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import {OID} from './profile.js';
import {x509} from './x509.js';

/*
 * CAdES-BES signed files (.p7m): a CMS SignedData with the content attached, signed by the
 * holder's key (ECDSA P-256, SHA-256), as Italian signature tools read them (`openssl cms
 * -verify -cades` accepts them too). Also the reading side: what a .p7m says and whether it
 * holds up, and whether a serial number is on the CA's CRL.
 */

const OIDS = {
	data: '1.2.840.113549.1.7.1',
	signedData: '1.2.840.113549.1.7.2',
	contentType: '1.2.840.113549.1.9.3',
	messageDigest: '1.2.840.113549.1.9.4',
	signingTime: '1.2.840.113549.1.9.5',
	signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
	sha256: '2.16.840.1.101.3.4.2.1',
	sha384: '2.16.840.1.101.3.4.2.2',
	sha512: '2.16.840.1.101.3.4.2.3',
} as const;

/** Hashes an ESSCertIDv2 may name (its default is SHA-256), as node:crypto calls them. */
const ESS_HASHES: Record<string, string> = {[OIDS.sha256]: 'sha256', [OIDS.sha384]: 'sha384', [OIDS.sha512]: 'sha512'};

/** Content types a user might hand us instead of a signed file, for the error message. */
const CONTENT_TYPE_NAMES: Record<string, string> = {
	[OIDS.data]: 'plain data',
	'1.2.840.113549.1.7.3': 'an encrypted envelope (EnvelopedData)',
	'1.2.840.113549.1.9.16.1.2': 'authenticated data',
	'1.2.840.113549.1.9.16.1.9': 'compressed data',
};

// Our own engine on Node's WebCrypto, so nothing depends on pkijs' process-wide default.
const engine = new pkijs.CryptoEngine({name: 'node', crypto: webcrypto as unknown as Crypto});

export interface CadesSignInput {
	content: Buffer;
	certificatePem: string;
	privateKeyPkcs8: Buffer;
	signingTime: Date;
	/** extra certs to embed, e.g. the CA */
	chainPem?: string[];
}

/**
 * DER bytes of a CMS ContentInfo(SignedData), content attached, CAdES-BES: signed attributes
 * contentType, signingTime, messageDigest (SHA-256) and ESS signingCertificateV2 (SHA-256 hash of
 * the signer certificate and issuerSerial); ECDSA with SHA-256; signer certificate embedded;
 * SignerIdentifier = issuerAndSerialNumber.
 */
export async function signCades(input: CadesSignInput): Promise<Buffer> {
	// pkijs would leave an empty eContent out, which makes the file look detached.
	if (input.content.length === 0) throw new Error('Nothing to sign: the file is empty.');
	if (Number.isNaN(input.signingTime.getTime())) throw new Error('The signing time is not a valid date.');
	const signerDer = certificateDer(input.certificatePem, 'signer certificate');
	const signer = pkijs.Certificate.fromBER(signerDer);
	const key = await importSigningKey(input.privateKeyPkcs8, new x509.X509Certificate(signerDer));

	// Whole seconds: signingTime has no fractions, and the caller should read back what it gave.
	const signingTime = new Date(Math.floor(input.signingTime.getTime() / 1000) * 1000);
	const attributes = derSorted([
		attribute(OIDS.contentType, new asn1js.ObjectIdentifier({value: OIDS.data})),
		attribute(OIDS.signingTime, timeValue(signingTime)),
		attribute(OIDS.messageDigest, new asn1js.OctetString({valueHex: createHash('sha256').update(input.content).digest()})),
		attribute(OIDS.signingCertificateV2, signingCertificateV2(signerDer, signer)),
	], item => item.toSchema().toBER());

	const chain = (input.chainPem ?? []).flatMap(pem => certificatesDer(pem, 'chain certificate'));
	const certificates = derSorted(uniqueBuffers([signerDer, ...chain]), der => der).map(der => pkijs.Certificate.fromBER(der));

	const signerInfo = new pkijs.SignerInfo({
		version: 1,
		sid: new pkijs.IssuerAndSerialNumber({issuer: signer.issuer, serialNumber: signer.serialNumber}),
		signedAttrs: new pkijs.SignedAndUnsignedAttributes({type: 0, attributes}),
	});
	const signedData = new pkijs.SignedData({
		version: 1,
		encapContentInfo: new pkijs.EncapsulatedContentInfo({eContentType: OIDS.data}),
		certificates,
		signerInfos: [signerInfo],
	});
	// Set after construction: pkijs' constructor cuts eContent into 64 KiB pieces (a constructed
	// OCTET STRING, BER only); Italian rules want DER, so one primitive OCTET STRING.
	signedData.encapContentInfo.eContent = new asn1js.OctetString({valueHex: new Uint8Array(input.content)});
	await signedData.sign(key, 0, 'SHA-256', undefined, engine);
	// RFC 5754: SHA-2 identifiers go without parameters (pkijs writes NULL). They are outside the signature.
	signedData.digestAlgorithms = [new pkijs.AlgorithmIdentifier({algorithmId: OIDS.sha256})];
	signerInfo.digestAlgorithm = new pkijs.AlgorithmIdentifier({algorithmId: OIDS.sha256});

	const contentInfo = new pkijs.ContentInfo({contentType: OIDS.signedData, content: signedData.toSchema(true)});
	const der = Buffer.from(contentInfo.toSchema().toBER());
	// Read our own output back: a key that is not the certificate's would give a file nobody can verify.
	const check = await checkSignature(parseSignedData(der));
	if (!check.signatureValid) throw new Error('The private key does not belong to the signer certificate.');
	return der;
}

export interface CadesVerification {
	/** the signed content, byte for byte */
	content: Buffer;
	signerCertificatePem: string;
	/** subject attributes (serialNumber is the TINIT-… value); commonName is the whole subject when there is no CN */
	signer: {commonName: string; serialNumber: string | null; givenName: string | null; surname: string | null};
	/** hex, lowercase, as @peculiar/x509 gives it */
	certificateSerial: string;
	/** issuer DN string */
	issuer: string;
	signingTime: Date | null;
	/** the CMS signature and messageDigest check out */
	signatureValid: boolean;
	/** signer certificate was issued (signature verifies) by the CA certificate given */
	chainValid: boolean;
	/** signingCertificateV2 present and its hash matches the signer certificate */
	cades: boolean;
	/** signingTime within the certificate's notBefore..notAfter */
	validAtSigningTime: boolean;
	notBefore: Date;
	notAfter: Date;
}

/**
 * Accepts DER, or PEM ("-----BEGIN PKCS7-----"/"-----BEGIN CMS-----"), or bare base64 as Italian
 * .p7m files often are. Throws an Error with a clear message for anything that is not a CMS
 * SignedData with attached content. A file that parses but does not hold up is no error: the
 * flags say what failed. With several signers, the first is the one checked and described.
 */
export async function verifyCades(p7m: Buffer, caCertificatePem: string): Promise<CadesVerification> {
	const ca = new x509.X509Certificate(certificateDer(caCertificatePem, 'CA certificate'));
	const signedData = readP7m(p7m);
	const eContent = signedData.encapContentInfo.eContent;
	if (!eContent) throw new Error('The signed file does not contain the document (a detached signature): there is nothing to extract.');
	if (!(eContent instanceof asn1js.OctetString)) throw new Error('The signed file is malformed: its content is not an OCTET STRING.');
	// getValue joins the pieces of a constructed (BER) OCTET STRING, as other tools may write.
	const content = Buffer.from(eContent.getValue());

	const {signatureValid, signerInfo, signerCertificate} = await checkSignature(signedData);
	const signerDer = new Uint8Array(signerCertificate.toSchema().toBER());
	const certificate = new x509.X509Certificate(signerDer);
	const signingTime = readSigningTime(signerInfo);
	const field = (oid: string) => certificate.subjectName.getField(oid)[0] ?? null;
	return {
		content,
		signerCertificatePem: certificate.toString('pem'),
		signer: {
			commonName: field(OID.commonName) ?? certificate.subject,
			serialNumber: field(OID.serialNumber),
			givenName: field(OID.givenName),
			surname: field(OID.surname),
		},
		certificateSerial: certificate.serialNumber.toLowerCase(),
		issuer: certificate.issuer,
		signingTime,
		signatureValid,
		chainValid: await issuedBy(certificate, ca),
		cades: signingCertificateMatches(signerInfo, signerDer, signerCertificate),
		validAtSigningTime: signingTime !== null && signingTime >= certificate.notBefore && signingTime <= certificate.notAfter,
		notBefore: certificate.notBefore,
		notAfter: certificate.notAfter,
	};
}

/**
 * From a PEM CRL (as written by authority.ts): whether `serialHex` is listed, with its revocation
 * date and reason ('certificateHold' | 'superseded' | 'keyCompromise' | … or null). It does not
 * check the CRL's signature: it reads the CA's own file.
 */
export function crlStatus(crlPem: string, serialHex: string): {listed: boolean; revokedAt: Date | null; reason: string | null} {
	let crl: x509.X509Crl;
	try {
		crl = new x509.X509Crl(crlPem);
	} catch (error) {
		throw new Error(`Not a readable CRL: ${(error as Error).message}`);
	}
	const wanted = normalSerial(serialHex);
	const entry = crl.entries.find(item => normalSerial(item.serialNumber) === wanted);
	if (!entry) return {listed: false, revokedAt: null, reason: null};
	return {listed: true, revokedAt: entry.revocationDate, reason: entry.reason === undefined ? null : (x509.X509CrlReason[entry.reason] ?? null)};
}

/** Serials compare as numbers: "00A1", "a1" and "a1:" spellings (openssl's colons) are one serial. */
function normalSerial(hex: string): string {
	const digits = hex.replace(/[\s:]/g, '').toLowerCase();
	if (!/^[0-9a-f]+$/.test(digits)) throw new Error(`Not a hexadecimal serial number: "${hex}"`);
	return digits.replace(/^0+(?=.)/, '');
}

/** DER in its own ArrayBuffer, the BufferSource pkijs and x509 take (a Buffer may sit in a shared pool). */
type Der = Uint8Array<ArrayBuffer>;

function certificatesDer(pem: string, what: string): Der[] {
	let ders: ArrayBuffer[];
	try {
		ders = x509.PemConverter.decode(pem);
	} catch {
		ders = [];
	}
	if (ders.length === 0) throw new Error(`The ${what} is not a PEM certificate.`);
	return ders.map(der => new Uint8Array(der));
}

function certificateDer(pem: string, what: string): Der {
	const der = certificatesDer(pem, what)[0]!;
	try {
		pkijs.Certificate.fromBER(der);
	} catch {
		throw new Error(`The ${what} is not a valid X.509 certificate.`);
	}
	return der;
}

async function importSigningKey(pkcs8: Buffer, certificate: x509.X509Certificate): Promise<CryptoKey> {
	const algorithm = certificate.publicKey.algorithm as EcKeyImportParams;
	if (algorithm.name !== 'ECDSA') throw new Error(`Only ECDSA signer keys are supported (the certificate has ${algorithm.name}).`);
	try {
		return (await webcrypto.subtle.importKey('pkcs8', pkcs8, {name: 'ECDSA', namedCurve: algorithm.namedCurve}, false, ['sign'])) as CryptoKey;
	} catch {
		throw new Error(`The private key is not a PKCS#8 ECDSA ${algorithm.namedCurve} key.`);
	}
}

function attribute(type: string, value: asn1js.AsnType): pkijs.Attribute {
	return new pkijs.Attribute({type, values: [value]});
}

/** RFC 5652 §11.3: UTCTime for 1950–2049, GeneralizedTime otherwise. */
function timeValue(date: Date): asn1js.UTCTime | asn1js.GeneralizedTime {
	const year = date.getUTCFullYear();
	return year >= 1950 && year < 2050 ? new asn1js.UTCTime({valueDate: date}) : new asn1js.GeneralizedTime({valueDate: date});
}

/**
 * ESS SigningCertificateV2 (RFC 5035) naming the signer certificate: { certs { ESSCertIDv2 {
 * certHash, issuerSerial } } }. The hash algorithm is left out because SHA-256 is its DEFAULT.
 */
function signingCertificateV2(signerDer: Der, signer: pkijs.Certificate): asn1js.Sequence {
	const issuerSerial = new asn1js.Sequence({
		value: [
			// GeneralNames with one directoryName ([4], explicit since Name is a CHOICE).
			new asn1js.Sequence({value: [new asn1js.Constructed({idBlock: {tagClass: 3, tagNumber: 4}, value: [signer.issuer.toSchema()]})]}),
			new asn1js.Integer({valueHex: signer.serialNumber.valueBlock.valueHexView}),
		],
	});
	const essCertId = new asn1js.Sequence({value: [new asn1js.OctetString({valueHex: createHash('sha256').update(signerDer).digest()}), issuerSerial]});
	return new asn1js.Sequence({value: [new asn1js.Sequence({value: [essCertId]})]});
}

/** DER orders the members of a SET OF by their encodings. */
function derSorted<T>(items: T[], encode: (item: T) => ArrayBuffer | Uint8Array): T[] {
	return items.map(item => ({item, der: new Uint8Array(encode(item))})).sort((a, b) => Buffer.compare(a.der, b.der)).map(entry => entry.item);
}

function uniqueBuffers(buffers: Der[]): Der[] {
	return buffers.filter((buffer, index) => buffers.findIndex(other => Buffer.compare(other, buffer) === 0) === index);
}

/** The bytes as they are, or decoded from PEM or bare base64; the first that parses as SignedData wins. */
function readP7m(p7m: Buffer): pkijs.SignedData {
	if (p7m.length === 0) throw new Error('Not a signed file (.p7m): the file is empty.');
	let problem: Error | undefined;
	if (p7m[0] === 0x30) {
		try {
			return parseSignedData(p7m);
		} catch (error) {
			problem = error as Error;
		}
	}
	const decoded = decodeText(p7m);
	if (decoded) return parseSignedData(decoded);
	throw problem ?? new Error('Not a signed file (.p7m): it is neither DER nor PEM or base64 CMS.');
}

function decodeText(bytes: Buffer): Buffer | undefined {
	// Files saved by Windows tools may start with a UTF-8 byte order mark.
	const text = bytes.toString('latin1').replace(/^\xef\xbb\xbf/, '');
	const pem = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
	if (pem && pem[1] !== 'PKCS7' && pem[1] !== 'CMS') throw new Error(`Not a signed file (.p7m): it holds a PEM "${pem[1]}", not PKCS7/CMS.`);
	const body = (pem ? pem[2]! : text).replace(/\s+/g, '');
	if (body.length === 0 || body.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return undefined;
	return Buffer.from(body, 'base64');
}

function parseSignedData(der: Buffer): pkijs.SignedData {
	let info: pkijs.ContentInfo;
	try {
		info = pkijs.ContentInfo.fromBER(new Uint8Array(der));
	} catch {
		throw new Error('Not a signed file (.p7m): the data is not a CMS structure.');
	}
	if (info.contentType !== OIDS.signedData) {
		throw new Error(`Not a signed file (.p7m): the CMS holds ${CONTENT_TYPE_NAMES[info.contentType] ?? `content of type ${info.contentType}`}, not SignedData.`);
	}
	try {
		return new pkijs.SignedData({schema: info.content});
	} catch {
		throw new Error('The signed file (.p7m) is malformed: its SignedData cannot be read.');
	}
}

/**
 * The first signer's signature over the signed attributes, the messageDigest against the content,
 * and the contentType attribute against the content's type (RFC 5652 §5.6, §11.1). Throws only
 * when the signer or its certificate cannot be found.
 */
async function checkSignature(signedData: pkijs.SignedData): Promise<{signatureValid: boolean; signerInfo: pkijs.SignerInfo; signerCertificate: pkijs.Certificate}> {
	const signerInfo = signedData.signerInfos[0];
	if (!signerInfo) throw new Error('The signed file (.p7m) has no signer.');
	let signatureValid: boolean;
	let signerCertificate: pkijs.Certificate | null | undefined;
	try {
		const result = await signedData.verify({signer: 0, extendedMode: true}, engine);
		signatureValid = result.signatureVerified === true;
		signerCertificate = result.signerCertificate;
	} catch (error) {
		if (!(error instanceof pkijs.SignedDataVerifyError)) throw error;
		signatureValid = false;
		signerCertificate = error.signerCertificate;
		if (!signerCertificate) throw new Error(`The signer's certificate is not in the signed file (.p7m): ${error.message}.`);
	}
	if (!signerCertificate) throw new Error("The signer's certificate is not in the signed file (.p7m).");
	const contentType = findAttribute(signerInfo, OIDS.contentType);
	if (contentType && !(contentType instanceof asn1js.ObjectIdentifier && contentType.valueBlock.toString() === signedData.encapContentInfo.eContentType)) signatureValid = false;
	return {signatureValid, signerInfo, signerCertificate};
}

function findAttribute(signerInfo: pkijs.SignerInfo, type: string): unknown {
	return signerInfo.signedAttrs?.attributes.find(item => item.type === type)?.values[0];
}

function readSigningTime(signerInfo: pkijs.SignerInfo): Date | null {
	const value = findAttribute(signerInfo, OIDS.signingTime);
	// GeneralizedTime extends UTCTime in asn1js; both turn into a Date.
	return value instanceof asn1js.UTCTime ? value.toDate() : null;
}

/** Whether the first ESSCertIDv2 names this certificate: its hash and, when given, its issuer and serial. */
function signingCertificateMatches(signerInfo: pkijs.SignerInfo, signerDer: Der, signer: pkijs.Certificate): boolean {
	const value = findAttribute(signerInfo, OIDS.signingCertificateV2);
	const certs = value instanceof asn1js.Sequence ? value.valueBlock.value[0] : undefined;
	const first = certs instanceof asn1js.Sequence ? certs.valueBlock.value[0] : undefined;
	if (!(first instanceof asn1js.Sequence)) return false;
	const fields = [...first.valueBlock.value];
	let hash = 'sha256';
	if (fields[0] instanceof asn1js.Sequence) {
		const algorithm = fields.shift() as asn1js.Sequence;
		const id = algorithm.valueBlock.value[0];
		const name = id instanceof asn1js.ObjectIdentifier ? ESS_HASHES[id.valueBlock.toString()] : undefined;
		if (!name) return false;
		hash = name;
	}
	const [certHash, issuerSerial] = fields;
	if (!(certHash instanceof asn1js.OctetString)) return false;
	if (!Buffer.from(certHash.valueBlock.valueHexView).equals(createHash(hash).update(signerDer).digest())) return false;
	if (issuerSerial === undefined) return true;
	if (!(issuerSerial instanceof asn1js.Sequence)) return false;
	const [names, serial] = issuerSerial.valueBlock.value;
	if (!(serial instanceof asn1js.Integer) || !Buffer.from(serial.valueBlock.valueHexView).equals(Buffer.from(signer.serialNumber.valueBlock.valueHexView))) return false;
	const issuer = Buffer.from(signer.issuer.toSchema().toBER());
	return names instanceof asn1js.Sequence && names.valueBlock.value.some(name =>
		name.idBlock.tagClass === 3 && name.idBlock.tagNumber === 4 && name instanceof asn1js.Constructed
		&& name.valueBlock.value[0] !== undefined && Buffer.from(name.valueBlock.value[0].toBER()).equals(issuer));
}

/** The CA's signature on the certificate, the names matching, and the CA being a CA. */
async function issuedBy(certificate: x509.X509Certificate, ca: x509.X509Certificate): Promise<boolean> {
	if (!Buffer.from(certificate.issuerName.toArrayBuffer()).equals(Buffer.from(ca.subjectName.toArrayBuffer()))) return false;
	if (ca.getExtension(x509.BasicConstraintsExtension)?.ca !== true) return false;
	try {
		return await certificate.verify({publicKey: ca, signatureOnly: true});
	} catch {
		return false;
	}
}
