import {execFileSync, spawnSync} from 'node:child_process';
import {copyFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {certificateDetails} from '../../../source/core/certificate/details.js';
import {systemClock} from '../../../source/core/clock.js';
import {CertificationAuthority} from '../../../source/core/pki/authority.js';
import {openPrivateKey, sealPrivateKey} from '../../../source/core/pki/holder-key.js';
import {temporaryDirectory} from '../../helpers/portal.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const MARIO = {givenName: 'MARIO', surname: 'ROSSI', codiceFiscale: 'RSSMRA80A01H501U', iut: '20547815'};
const YEAR = 365 * 86_400_000;

async function setup() {
	const folder = temporaryDirectory();
	cleanup = folder.remove;
	const ca = await CertificationAuthority.open(folder.path, systemClock, {create: true});
	const files = CertificationAuthority.files(folder.path);
	const now = Date.now();
	const issued = await ca.issue(MARIO, {notBefore: new Date(now - YEAR), notAfter: new Date(now + 2 * YEAR)});
	const certificateFile = join(folder.path, 'mario.pem');
	writeFileSync(certificateFile, issued.pem);
	return {ca, files, issued, certificateFile, folder: folder.path};
}

function openssl(...args: string[]) {
	return spawnSync('openssl', args, {encoding: 'utf8'});
}

describe('the local CA', () => {
	it('is created once, with its key 0600, and reopened as the same CA', async () => {
		const {ca, files, folder} = await setup();
		expect(statSync(files.key).mode & 0o777).toBe(0o600);
		const again = await CertificationAuthority.open(folder, systemClock);
		expect(again.certificate.serialNumber).toBe(ca.certificate.serialNumber);
		const text = execFileSync('openssl', ['x509', '-in', files.certificate, '-noout', '-subject'], {encoding: 'utf8'});
		expect(text).toContain('C = IT, O = InfoCert S.p.A., OU = Qualified Trust Service Provider, CN = InfoCert Qualified Electronic Signature CA 3');
	});

	it("refuses a CA key that is not its certificate's (another folder's ca.key): nothing signed with it", async () => {
		const {files, folder} = await setup();
		const other = temporaryDirectory();
		try {
			await CertificationAuthority.open(other.path, systemClock, {create: true});
			copyFileSync(CertificationAuthority.files(other.path).key, files.key);
			await expect(CertificationAuthority.open(folder, systemClock)).rejects.toThrow(/store\.caMismatch/);
		} finally {
			other.remove();
		}
	});

	it('issues holder certificates openssl verifies, with the qualified profile', async () => {
		const {files, certificateFile} = await setup();
		const verified = openssl('verify', '-CAfile', files.certificate, certificateFile);
		expect(verified.stdout.trim(), verified.stderr).toBe(`${certificateFile}: OK`);
		const text = execFileSync('openssl', ['x509', '-in', certificateFile, '-noout', '-text'], {encoding: 'utf8'});
		expect(text).toContain('Subject: C = IT, GN = MARIO, SN = ROSSI, CN = MARIO ROSSI, serialNumber = TINIT-RSSMRA80A01H501U, dnQualifier = 20547815');
		expect(text).toMatch(/X509v3 Key Usage: critical\s+Non Repudiation/);
		expect(text).toContain('Policy: 1.3.76.16.6');
		expect(text).toContain('Policy: 0.4.0.194112.1.2');
		expect(text).toContain('URI:http://crl.mysign.local/InfoCertQESCA3/crl.pem');
		expect(text).toContain('CA Issuers - URI:http://cert.mysign.local/InfoCertQESCA3.pem');
		const parsed = execFileSync('openssl', ['asn1parse', '-in', certificateFile], {encoding: 'utf8'});
		expect(parsed).toContain('qcStatements');
		// The statements themselves are inside the extension's OCTET STRING.
		const offset = /(\d+):d=\d+\s+hl=\d+\s+l=\s*\d+\s+prim:\s+OCTET STRING\s+\[HEX DUMP\]:30/.exec(parsed.slice(parsed.indexOf('qcStatements')))![1];
		const statements = execFileSync('openssl', ['asn1parse', '-in', certificateFile, '-strparse', offset!], {encoding: 'utf8'});
		for (const oid of ['0.4.0.1862.1.1', '0.4.0.1862.1.4', '0.4.0.1862.1.6', '0.4.0.1862.1.6.1', '0.4.0.1862.1.5']) expect(statements).toContain(oid);
	});

	it('names what the certificate declares: fingerprint, policies, QC statements', async () => {
		const {issued, certificateFile} = await setup();
		const details = certificateDetails(issued.pem);
		const fingerprint = execFileSync('openssl', ['x509', '-in', certificateFile, '-noout', '-fingerprint', '-sha256'], {encoding: 'utf8'}).trim().split('=')[1];
		expect(details.fingerprintSha256).toBe(fingerprint);
		expect(details.policies).toEqual(['AgID – certificato qualificato (1.3.76.16.6)', 'ETSI QCP-n-qscd (0.4.0.194112.1.2)']);
		expect(details.qcStatements).toEqual(['QcCompliance', 'QcSSCD', 'QcType esign', 'QcPDS']);
		expect(details.nonRepudiationCritical).toBe(true);
	});

	it('publishes a CRL that openssl reads; a held certificate fails -crl_check as revoked', async () => {
		const {ca, files, issued, certificateFile} = await setup();
		await ca.writeCrl([], new Date(), 1);
		expect(openssl('verify', '-crl_check', '-CAfile', files.certificate, '-CRLfile', files.crl, certificateFile).stdout).toContain('OK');
		await ca.writeCrl([{serialNumber: issued.serialNumber, revokedAt: new Date(), reason: 'certificateHold'}], new Date(), 2);
		const crlText = execFileSync('openssl', ['crl', '-in', files.crl, '-noout', '-text'], {encoding: 'utf8'});
		expect(crlText).toMatch(/X509v3 CRL Number:\s*\n\s*2\n/);
		expect(crlText).toContain(`Serial Number: ${issued.serialNumber.toUpperCase()}`);
		expect(crlText).toContain('Certificate Hold');
		const held = openssl('verify', '-crl_check', '-CAfile', files.certificate, '-CRLfile', files.crl, certificateFile);
		expect(held.status).not.toBe(0);
		expect(held.stdout + held.stderr).toContain('certificate revoked');
	});
});

describe('the holder key sealed under the PIN', () => {
	it('opens with the right PIN only', async () => {
		const pepper = Buffer.alloc(32, 7);
		const key = Buffer.from('pkcs8 bytes');
		const sealed = await sealPrivateKey(key, '27182818', pepper);
		expect(JSON.stringify(sealed)).not.toContain('pkcs8');
		expect((await openPrivateKey(sealed, '27182818', pepper))?.equals(key)).toBe(true);
		expect(await openPrivateKey(sealed, '27182819', pepper)).toBeUndefined();
		expect(await openPrivateKey(sealed, '27182818', Buffer.alloc(32, 8))).toBeUndefined();
	});
});
