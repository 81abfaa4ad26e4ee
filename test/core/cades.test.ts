import {spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {systemClock} from '../../source/core/clock.js';
import {CertificationAuthority} from '../../source/core/pki/authority.js';
import {crlStatus, signCades, verifyCades} from '../../source/core/pki/cades.js';
import {x509} from '../../source/core/pki/x509.js';
import {temporaryDirectory} from '../helpers/portal.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
	for (const cleanup of cleanups.splice(0)) cleanup();
});

const MARIO = {givenName: 'MARIO', surname: 'ROSSI', codiceFiscale: 'RSSMRA80A01H501U', iut: '20547815'};
const YEAR = 365 * 86_400_000;
const SIGNING_CERTIFICATE_V2 = '1.2.840.113549.1.9.16.2.47';

/** Random bytes past one 64 KiB piece, with NUL, CRLF, a lone LF and bytes that are not UTF-8 in it. */
function awkwardContent(): Buffer {
	return Buffer.concat([Buffer.from([0x00, 0x0d, 0x0a, 0x0a, 0xff, 0xfe, 0xc3, 0x28, 0x80, 0x00]), randomBytes(70_000), Buffer.from('\r\nfine\r\n\x00')]);
}

async function newCa() {
	const folder = temporaryDirectory();
	cleanups.push(folder.remove);
	const ca = await CertificationAuthority.open(folder.path, systemClock, {create: true});
	const caFile = CertificationAuthority.files(folder.path).certificate;
	return {ca, folder: folder.path, caFile, caPem: readFileSync(caFile, 'utf8')};
}

async function setup() {
	const {ca, folder, caFile, caPem} = await newCa();
	const now = Date.now();
	const issued = await ca.issue(MARIO, {notBefore: new Date(now - YEAR), notAfter: new Date(now + 2 * YEAR)});
	const content = awkwardContent();
	const signingTime = new Date(now - 1234);
	const p7m = await signCades({content, certificatePem: issued.pem, privateKeyPkcs8: issued.privateKey, signingTime});
	const p7mFile = join(folder, 'documento.pdf.p7m');
	writeFileSync(p7mFile, p7m);
	return {ca, folder, caFile, caPem, issued, content, signingTime, p7m, p7mFile};
}

function openssl(...args: string[]) {
	return spawnSync('openssl', args, {encoding: 'utf8'});
}

/** `openssl cms -verify` of a DER file; the extracted content, or undefined when it refuses. */
function opensslVerify(p7mFile: string, caFile: string, folder: string, ...extra: string[]) {
	const out = join(folder, `out-${randomBytes(4).toString('hex')}.bin`);
	const result = openssl('cms', '-verify', '-binary', '-inform', 'DER', '-in', p7mFile, '-CAfile', caFile, '-out', out, ...extra);
	return {status: result.status, stderr: result.stderr, content: result.status === 0 ? readFileSync(out) : undefined};
}

const pem = (der: Buffer, label: string) => x509.PemConverter.encode(new Uint8Array(der).buffer, label);

describe('signCades', () => {
	it('writes a .p7m that openssl cms -verify accepts, also with -cades, giving back the content byte for byte', async () => {
		const {p7mFile, caFile, folder, content} = await setup();
		const plain = opensslVerify(p7mFile, caFile, folder);
		expect(plain.status, plain.stderr).toBe(0);
		expect(plain.content!.equals(content)).toBe(true);
		const cades = opensslVerify(p7mFile, caFile, folder, '-cades');
		expect(cades.status, cades.stderr).toBe(0);
		expect(cades.content!.equals(content)).toBe(true);
	});

	it('carries signingTime, messageDigest, contentType and signingCertificateV2, signed with ECDSA-SHA256 by issuer and serial', async () => {
		const {p7mFile, issued, folder} = await setup();
		const printed = openssl('cms', '-cmsout', '-print', '-inform', 'DER', '-in', p7mFile);
		expect(printed.status, printed.stderr).toBe(0);
		const text = printed.stdout;
		expect(text).toContain('signingTime');
		expect(text).toContain(SIGNING_CERTIFICATE_V2);
		expect(text).toContain('messageDigest');
		expect(text).toContain('contentType');
		expect(text).toContain('ecdsa-with-SHA256');
		expect(text).toMatch(/d\.issuerAndSerialNumber:/);
		expect(text).toContain(`serialNumber: ${BigInt(`0x${issued.serialNumber}`)}`);
		// The ESS certHash is the signer certificate's SHA-256 fingerprint.
		const certificateFile = join(folder, 'mario.pem');
		writeFileSync(certificateFile, issued.pem);
		const fingerprint = openssl('x509', '-in', certificateFile, '-noout', '-fingerprint', '-sha256').stdout.trim().split('=')[1]!.replaceAll(':', '');
		const ess = text.slice(text.indexOf(SIGNING_CERTIFICATE_V2));
		expect(ess).toMatch(new RegExp(`OCTET STRING\\s+\\[HEX DUMP\\]:${fingerprint}`));
	});

	it('is DER: one primitive OCTET STRING holds the content, and openssl re-encodes the file to the same bytes', async () => {
		const {p7m, p7mFile, content, folder} = await setup();
		// pkijs on its own would cut the content into 64 KiB pieces.
		expect(p7m.indexOf(content)).toBeGreaterThan(0);
		const again = join(folder, 'again.der');
		const result = openssl('cms', '-cmsout', '-inform', 'DER', '-in', p7mFile, '-outform', 'DER', '-out', again);
		expect(result.status, result.stderr).toBe(0);
		expect(readFileSync(again).equals(p7m)).toBe(true);
	});

	it('embeds the chain certificates it is given; openssl then verifies with the CA as the only trust anchor', async () => {
		const {ca, caFile, caPem, folder} = await newCa();
		const issued = await ca.issue(MARIO, {notBefore: new Date(Date.now() - YEAR), notAfter: new Date(Date.now() + YEAR)});
		const content = awkwardContent();
		const p7m = await signCades({content, certificatePem: issued.pem, privateKeyPkcs8: issued.privateKey, signingTime: new Date(), chainPem: [caPem]});
		const p7mFile = join(folder, 'chain.p7m');
		writeFileSync(p7mFile, p7m);
		const certificates = openssl('pkcs7', '-inform', 'DER', '-in', p7mFile, '-print_certs', '-noout');
		expect(certificates.stdout).toContain('subject=C = IT, GN = MARIO');
		expect(certificates.stdout).toContain('subject=C = IT, O = InfoCert S.p.A.');
		const verified = opensslVerify(p7mFile, caFile, folder, '-cades');
		expect(verified.status, verified.stderr).toBe(0);
		expect(verified.content!.equals(content)).toBe(true);
	});

	it('refuses a private key that is not the certificate’s, and an empty file', async () => {
		const {ca, issued, content, signingTime} = await setup();
		const other = await ca.issue(MARIO, {notBefore: new Date(Date.now() - YEAR), notAfter: new Date(Date.now() + YEAR)});
		await expect(signCades({content, certificatePem: issued.pem, privateKeyPkcs8: other.privateKey, signingTime})).rejects.toThrow('does not belong to the signer certificate');
		await expect(signCades({content, certificatePem: issued.pem, privateKeyPkcs8: Buffer.from('not a key'), signingTime})).rejects.toThrow('not a PKCS#8 ECDSA P-256 key');
		await expect(signCades({content: Buffer.alloc(0), certificatePem: issued.pem, privateKeyPkcs8: issued.privateKey, signingTime})).rejects.toThrow('the file is empty');
	});
});

describe('verifyCades', () => {
	it('reads back the content, the signer and the signing time, with every check passing', async () => {
		const {p7m, caPem, content, signingTime, issued} = await setup();
		const result = await verifyCades(p7m, caPem);
		expect(result.content.equals(content)).toBe(true);
		expect(result).toMatchObject({signatureValid: true, chainValid: true, cades: true, validAtSigningTime: true});
		expect(result.signingTime?.getTime()).toBe(Math.floor(signingTime.getTime() / 1000) * 1000);
		expect(result.signer).toEqual({commonName: 'MARIO ROSSI', serialNumber: 'TINIT-RSSMRA80A01H501U', givenName: 'MARIO', surname: 'ROSSI'});
		expect(result.signer.serialNumber).toMatch(/^TINIT-/);
		const certificate = new x509.X509Certificate(issued.pem);
		expect(result.certificateSerial).toBe(certificate.serialNumber.toLowerCase());
		expect(result.certificateSerial).toBe(issued.serialNumber.toLowerCase());
		expect(result.issuer).toBe(certificate.issuer);
		expect(result.issuer).toContain('CN=InfoCert Qualified Electronic Signature CA 3');
		expect(new x509.X509Certificate(result.signerCertificatePem).equal(certificate)).toBe(true);
		expect(result.notBefore.getTime()).toBe(certificate.notBefore.getTime());
		expect(result.notAfter.getTime()).toBe(certificate.notAfter.getTime());
	});

	it('a flipped byte in the content fails the signature check, and openssl refuses the file', async () => {
		const {p7m, caPem, caFile, folder, content} = await setup();
		const tampered = Buffer.from(p7m);
		const at = tampered.indexOf(content) + 30_000;
		tampered[at] = tampered[at]! ^ 0x01;
		const result = await verifyCades(tampered, caPem);
		expect(result.signatureValid).toBe(false);
		expect(result.content.equals(content)).toBe(false);
		// The certificate itself is untouched.
		expect(result.chainValid).toBe(true);
		const file = join(folder, 'tampered.p7m');
		writeFileSync(file, tampered);
		expect(opensslVerify(file, caFile, folder).status).not.toBe(0);
	});

	it('a signature from another CA’s holder does not chain to ours, for us and for openssl', async () => {
		const {p7mFile, p7m, folder} = await setup();
		const other = await newCa();
		const result = await verifyCades(p7m, other.caPem);
		expect(result.chainValid).toBe(false);
		expect(result.signatureValid).toBe(true);
		expect(opensslVerify(p7mFile, other.caFile, folder).status).not.toBe(0);
	});

	it('verifies the PEM (PKCS7 or CMS) and bare base64 forms of the same file', async () => {
		const {p7m, p7mFile, caPem, content} = await setup();
		const cmsPem = openssl('cms', '-cmsout', '-inform', 'DER', '-in', p7mFile, '-outform', 'PEM').stdout;
		expect(cmsPem).toContain('-----BEGIN CMS-----');
		const base64 = p7m.toString('base64');
		const forms = [
			Buffer.from(cmsPem),
			Buffer.from(pem(p7m, 'PKCS7')),
			Buffer.from(base64),
			// As Windows tools save it: a BOM and CRLF lines of 76.
			Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(base64.replace(/.{76}/g, '$&\r\n') + '\r\n')]),
		];
		for (const form of forms) {
			const result = await verifyCades(form, caPem);
			expect(result.content.equals(content)).toBe(true);
			expect(result).toMatchObject({signatureValid: true, chainValid: true, cades: true, validAtSigningTime: true});
		}
	});

	it('refuses what is not an attached CMS signature with a clear message', async () => {
		const {caPem, caFile, issued, folder} = await setup();
		await expect(verifyCades(randomBytes(500), caPem)).rejects.toThrow(/^Not a signed file \(\.p7m\)/);
		await expect(verifyCades(Buffer.from('Gentile cliente, ecco il documento firmato.'), caPem)).rejects.toThrow('neither DER nor PEM or base64');
		await expect(verifyCades(Buffer.alloc(0), caPem)).rejects.toThrow('the file is empty');
		// A certificate is DER, but not CMS; as PEM it is named for what it is.
		await expect(verifyCades(Buffer.from(x509.PemConverter.decodeFirst(caPem)), caPem)).rejects.toThrow('not a CMS structure');
		await expect(verifyCades(Buffer.from(issued.pem), caPem)).rejects.toThrow('PEM "CERTIFICATE", not PKCS7/CMS');
		await expect(verifyCades(Buffer.from('bm90IGEgc2lnbmVkIGZpbGU='), caPem)).rejects.toThrow('not a CMS structure');

		// A detached signature and an encrypted envelope, both made by openssl.
		const keyFile = join(folder, 'mario.key');
		const certificateFile = join(folder, 'mario.pem');
		const documentFile = join(folder, 'documento.txt');
		writeFileSync(keyFile, pem(issued.privateKey, 'PRIVATE KEY'));
		writeFileSync(certificateFile, issued.pem);
		writeFileSync(documentFile, 'Documento\r\n');
		const detached = openssl('cms', '-sign', '-binary', '-in', documentFile, '-signer', certificateFile, '-inkey', keyFile, '-outform', 'DER', '-out', join(folder, 'detached.p7s'));
		expect(detached.status, detached.stderr).toBe(0);
		await expect(verifyCades(readFileSync(join(folder, 'detached.p7s')), caPem)).rejects.toThrow('detached signature');
		const enveloped = openssl('cms', '-encrypt', '-binary', '-aes256', '-in', documentFile, '-outform', 'DER', '-out', join(folder, 'cifrato.p7m'), caFile);
		expect(enveloped.status, enveloped.stderr).toBe(0);
		await expect(verifyCades(readFileSync(join(folder, 'cifrato.p7m')), caPem)).rejects.toThrow('holds an encrypted envelope (EnvelopedData), not SignedData');
	});

	it('reads .p7m files openssl signs: cades only when they carry signingCertificateV2', async () => {
		const {caPem, issued, folder} = await setup();
		const keyFile = join(folder, 'mario.key');
		const certificateFile = join(folder, 'mario.pem');
		const documentFile = join(folder, 'documento.bin');
		const content = awkwardContent();
		writeFileSync(keyFile, pem(issued.privateKey, 'PRIVATE KEY'));
		writeFileSync(certificateFile, issued.pem);
		writeFileSync(documentFile, content);
		const sign = (file: string, ...extra: string[]) => {
			const result = openssl('cms', '-sign', '-binary', '-nodetach', '-md', 'sha256', '-in', documentFile, '-signer', certificateFile, '-inkey', keyFile, '-outform', 'DER', '-out', join(folder, file), ...extra);
			expect(result.status, result.stderr).toBe(0);
			return readFileSync(join(folder, file));
		};
		const withEss = await verifyCades(sign('cades.p7m', '-cades'), caPem);
		expect(withEss.content.equals(content)).toBe(true);
		expect(withEss).toMatchObject({signatureValid: true, chainValid: true, cades: true, validAtSigningTime: true});
		const plain = await verifyCades(sign('plain.p7m'), caPem);
		expect(plain).toMatchObject({signatureValid: true, chainValid: true, cades: false});
	});

	it('tells a signing time outside the certificate’s validity', async () => {
		const {caPem, issued} = await setup();
		const before = new Date(Date.now() - 2 * YEAR);
		const p7m = await signCades({content: awkwardContent(), certificatePem: issued.pem, privateKeyPkcs8: issued.privateKey, signingTime: before});
		const result = await verifyCades(p7m, caPem);
		expect(result.signingTime?.getTime()).toBe(Math.floor(before.getTime() / 1000) * 1000);
		expect(result).toMatchObject({signatureValid: true, chainValid: true, cades: true, validAtSigningTime: false});
		// Dates outside 1950–2049 are GeneralizedTime, and read back all the same.
		const far = new Date('2051-03-04T05:06:07Z');
		const later = await verifyCades(await signCades({content: Buffer.from('x'), certificatePem: issued.pem, privateKeyPkcs8: issued.privateKey, signingTime: far}), caPem);
		expect(later.signingTime?.toISOString()).toBe(far.toISOString());
		expect(later.validAtSigningTime).toBe(false);
	});
});

describe('crlStatus', () => {
	it('finds a suspended certificate on the CA’s CRL as certificateHold, however the serial is spelt', async () => {
		const {ca, folder} = await newCa();
		const validity = {notBefore: new Date(Date.now() - YEAR), notAfter: new Date(Date.now() + YEAR)};
		const [held, superseded, fine] = [await ca.issue(MARIO, validity), await ca.issue(MARIO, validity), await ca.issue(MARIO, validity)];
		const heldAt = new Date('2026-11-20T08:30:15Z');
		const supersededAt = new Date('2026-10-01T12:00:00Z');
		await ca.writeCrl([
			{serialNumber: held.serialNumber, revokedAt: heldAt, reason: 'certificateHold'},
			{serialNumber: superseded.serialNumber, revokedAt: supersededAt, reason: 'superseded'},
		], new Date(), 1);
		const crlPem = readFileSync(CertificationAuthority.files(folder).crl, 'utf8');
		expect(crlStatus(crlPem, held.serialNumber)).toEqual({listed: true, revokedAt: heldAt, reason: 'certificateHold'});
		expect(crlStatus(crlPem, `00${held.serialNumber.toUpperCase()}`)).toEqual({listed: true, revokedAt: heldAt, reason: 'certificateHold'});
		expect(crlStatus(crlPem, superseded.serialNumber)).toEqual({listed: true, revokedAt: supersededAt, reason: 'superseded'});
		expect(crlStatus(crlPem, fine.serialNumber)).toEqual({listed: false, revokedAt: null, reason: null});
		expect(() => crlStatus(crlPem, 'not hex')).toThrow('Not a hexadecimal serial number');
		expect(() => crlStatus('garbage', held.serialNumber)).toThrow('Not a readable CRL');
	});
});
