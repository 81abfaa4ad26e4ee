import {spawnSync} from 'node:child_process';
import {readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {DAY} from '../../../source/core/clock.js';
import {CertificationAuthority} from '../../../source/core/pki/authority.js';
import {demoPortal, GIULIA, logIn, ManualClock, MARIO} from '../../helpers/portal.js';
import {storeOf} from '../../helpers/internals.js';
import {romeDay} from '../../helpers/rome-day.js';

/*
 * RFC 5280 §5.2.3: every CRL carries a CRL Number, one more at each issue, never repeated.
 * Read with openssl, as a relying party would.
 */

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

// openssl checks CRL validity against its own clock, so the portal's clock starts at the real now.
async function setup() {
	const context = await demoPortal(new ManualClock(new Date()));
	cleanup = context.remove;
	const pki = join(context.directory, 'pki');
	const db = await storeOf(context.portal).read();
	const certificateOf = (userId: string) => {
		const file = join(context.directory, `${userId}.pem`);
		writeFileSync(file, db.certificates.find(entry => entry.userId === userId)!.pem);
		return file;
	};
	return {...context, pki, certificateOf};
}

/** The CRL Number openssl reads in pki/crl.pem, and the extension's criticality. */
function crlNumber(pki: string): {value: number; critical: boolean} {
	const text = spawnSync('openssl', ['crl', '-in', join(pki, 'crl.pem'), '-noout', '-text'], {encoding: 'utf8'});
	expect(text.status, text.stderr).toBe(0);
	const match = /X509v3 CRL Number:( critical)?\s*\n\s*(\d+)/.exec(text.stdout);
	expect(match, text.stdout).not.toBeNull();
	return {value: Number(match![2]), critical: match![1] !== undefined};
}

function crlCheck(pki: string, certificateFile: string) {
	return spawnSync('openssl', ['verify', '-crl_check', '-CAfile', join(pki, 'ca.pem'), '-CRLfile', join(pki, 'crl.pem'), certificateFile], {encoding: 'utf8'});
}

function ddmmyyyy(date: Date): string {
	return romeDay(date);
}

describe('the CRL Number', () => {
	it('is 1 on the demo’s first CRL, non-critical, and grows by one at each issue (reissue, suspension)', async () => {
		const {portal, pki, clock, certificateOf} = await setup();
		expect(crlNumber(pki)).toEqual({value: 1, critical: false});
		await portal.folder.refreshCertificates({always: true});
		expect(crlNumber(pki).value).toBe(2);
		await portal.folder.refreshCertificates({always: true});
		expect(crlNumber(pki).value).toBe(3);

		const session = await logIn(portal, MARIO.userId, MARIO.password);
		const end = new Date(clock.now().getTime() + 3 * DAY);
		await portal.certificate.suspend(session, {iut: '20547815', erc: '40213769', ercAgain: '40213769', endDate: ddmmyyyy(end), acceptRevocationEffect: false});
		expect(crlNumber(pki).value).toBe(4);
		expect((await storeOf(portal).read()).crlNumber).toBe(4);

		// The numbered CRL still does its job: a valid certificate passes -crl_check, the held one does not.
		const giulia = crlCheck(pki, certificateOf(GIULIA.userId));
		expect(giulia.stdout.trim(), giulia.stderr).toMatch(/: OK$/);
		const mario = crlCheck(pki, certificateOf(MARIO.userId));
		expect(mario.status).not.toBe(0);
		expect(mario.stdout + mario.stderr).toContain('certificate revoked');
	});

	it('never repeats a number already on disk, even one db.json does not know (a save that failed after the CRL was written)', async () => {
		const {portal, pki, directory, clock} = await setup();
		const authority = await CertificationAuthority.open(directory, clock);
		await authority.writeCrl([], clock.now(), 41);
		expect((await storeOf(portal).read()).crlNumber).toBe(1);
		await portal.folder.refreshCertificates({always: true});
		expect(crlNumber(pki).value).toBe(42);
		expect((await storeOf(portal).read()).crlNumber).toBe(42);
	});

	it('continues from db.json when pki/crl.pem is missing or unreadable', async () => {
		const {portal, pki} = await setup();
		await portal.folder.refreshCertificates({always: true});
		writeFileSync(join(pki, 'crl.pem'), 'not a CRL');
		await portal.folder.refreshCertificates({always: true});
		expect(crlNumber(pki).value).toBe(3);
		expect(readFileSync(join(pki, 'crl.pem'), 'utf8')).toMatch(/^-----BEGIN X509 CRL-----/);
		rmSync(join(pki, 'crl.pem'));
		await portal.folder.refreshCertificates({always: true});
		expect(crlNumber(pki).value).toBe(4);
	});
});
