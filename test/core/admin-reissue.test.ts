import {spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {simpleParser} from 'mailparser';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {DomainError} from '../../source/core/errors.js';
import {certificateLifecycle} from '../../source/core/certificate/lifecycle.js';
import type {Portal} from '../../source/core/portal.js';
import type {CertificateRecord} from '../../source/core/store/schema.js';
import {demoCopies} from '../helpers/demo-template.js';
import {pdfText} from '../helpers/pdf.js';
import {DEMO_NOW, logIn, MARIO} from '../helpers/portal.js';
import {recordFiles} from '../helpers/data-folder.js';
import {storeOf} from '../helpers/internals.js';

/*
 * `mysign admin reissue` in the core: the operator path out of a blocked PIN or a revoked
 * certificate. Refusals leave db.json, the holder documents and the outbox byte for byte as they were.
 */

const demoCopy = demoCopies();
const MARIO_CF = 'RSSMRA80A01H501U';

afterEach(() => {
	vi.restoreAllMocks();
});

/** Everything a refusal must leave untouched: the database (db.json and the holder documents), the outbox, the CRL. */
function snapshot(directory: string): string {
	const outbox = existsSync(join(directory, 'outbox')) ? readdirSync(join(directory, 'outbox')).sort().join(',') : '';
	const records = recordFiles(directory).map(file => `${file}\n${readFileSync(file, 'utf8')}`);
	return [...records, outbox, readFileSync(join(directory, 'pki', 'crl.pem'), 'utf8')].join('\n--\n');
}

async function envelopeText(portal: Portal, directory: string): Promise<{subject: string; text: string; pdf: string}> {
	const email = (await portal.mailbox.list({userId: MARIO.userId, kind: 'email'})).at(-1)!;
	const parsed = await simpleParser(readFileSync((await portal.mailbox.emlPath(email))!));
	const file = join(directory, 'busta.pdf');
	writeFileSync(file, parsed.attachments[0]!.content);
	expect(spawnSync('qpdf', ['--decrypt', file, join(directory, 'x.pdf')]).status, 'the envelope opens without a password').not.toBe(0);
	return {subject: email.subject ?? '', text: parsed.text ?? '', pdf: pdfText(file, MARIO_CF, directory)};
}

function crlText(directory: string): string {
	return spawnSync('openssl', ['crl', '-in', join(directory, 'pki', 'crl.pem'), '-noout', '-text'], {encoding: 'utf8'}).stdout;
}

describe('admin reissue', () => {
	it('gives a PIN-blocked holder a new certificate, PIN and ERC in a registration envelope, and revokes the old one on the CRL', async () => {
		const {portal, directory} = await demoCopy();
		await portal.demo.applyScenario(MARIO.userId, 'pin-blocked');
		const before = (await (await portal.admin.commands()).show(MARIO.userId)).certificateSerial!;
		const result = await (await portal.admin.commands()).reissue({userId: 'jcpd7173 ', codiceFiscale: MARIO_CF.toLowerCase()});
		expect(result.userId).toBe(MARIO.userId);
		expect(result.previousSerial).toBe(before);

		const shown = await (await portal.admin.commands()).show(MARIO.userId);
		expect([shown.state, shown.iut, shown.certificateSerial, shown.pinFailures]).toEqual(['active', result.iut, result.certificateSerial, 0]);
		const db = await storeOf(portal).read();
		const old = db.certificates.find(entry => entry.certificateSerial === before)!;
		expect([old.status, old.revocationReason]).toEqual(['revoked', 'superseded']);
		expect(crlText(directory)).toContain(`Serial Number: ${before.toUpperCase()}`);
		expect(crlText(directory)).not.toContain(result.certificateSerial.toUpperCase());

		const envelope = await envelopeText(portal, directory);
		expect(envelope.text).toContain(`IUT ${result.iut}`);
		expect(envelope.text).not.toMatch(/PUK/);
		expect(envelope.pdf).toContain(`IUT: ${result.iut}`);
		expect(envelope.pdf).not.toContain('Password iniziale');
		expect(envelope.pdf).not.toContain('PUK');
		const pin = /PIN di firma: (\d{8})/.exec(envelope.pdf)![1]!;
		const erc = /Codice di Emergenza: (\d{8})/.exec(envelope.pdf)![1]!;

		// The holder logs in with their own password; the new PIN is accepted, the old one is not.
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		const view = await portal.certificate.dashboard(session);
		expect(view.lifecycle?.phase).not.toBe('blocked');
		await expect(portal.pin.startChange(session, {currentPin: MARIO.pin, newPin: '11223344', newPinAgain: '11223344'})).rejects.toMatchObject({code: 'pin.wrong'});
		await expect(portal.pin.startChange(session, {currentPin: pin, newPin: '11223344', newPinAgain: '11223344'})).resolves.toHaveProperty('changeId');
		// The new ERC goes with the new IUT: it suspends the new certificate.
		await portal.certificate.suspend(session, {iut: result.iut, erc, ercAgain: erc, endDate: '31/12/2026', acceptRevocationEffect: false});
		expect((await portal.certificate.dashboard(session)).certificate?.state).toBe('suspended');
	});

	it('serves a revoked holder the same way', async () => {
		const {portal} = await demoCopy();
		await (await portal.admin.commands()).revoke(MARIO.userId, 'keyCompromise');
		const result = await (await portal.admin.commands()).reissue({userId: MARIO.userId, codiceFiscale: MARIO_CF});
		const db = await storeOf(portal).read();
		const revoked = db.certificates.filter(entry => entry.userId === MARIO.userId && entry.status === 'revoked');
		// The operator's reason stays on the old certificate.
		expect(revoked.some(entry => entry.revocationReason === 'keyCompromise')).toBe(true);
		expect((await (await portal.admin.commands()).show(MARIO.userId)).iut).toBe(result.iut);
	});

	it('says so when the envelope fails after the commit: the new certificate is stored, its PIN was never sent', async () => {
		const {portal, directory} = await demoCopy();
		await portal.demo.applyScenario(MARIO.userId, 'pin-blocked');
		// The outbox cannot be written (here: a link in its place, refused) once the certificate is stored.
		const outbox = join(directory, 'outbox');
		if (existsSync(outbox)) renameSync(outbox, `${outbox}.real`);
		else mkdirSync(`${outbox}.real`);
		symlinkSync(`${outbox}.real`, outbox);
		const error = await (await portal.admin.commands()).reissue({userId: MARIO.userId, codiceFiscale: MARIO_CF}).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(DomainError);
		const shown = await (await portal.admin.commands()).show(MARIO.userId);
		expect(shown.state).toBe('active');
		expect((error as DomainError).code).toBe('admin.reissueNotSent');
		expect((error as DomainError).params).toMatchObject({userId: MARIO.userId, iut: shown.iut, reason: 'file.notDirectory'});
	});

	it('refuses, storing and sending nothing: not the folder operator, unknown holder, another codice fiscale, a state the portal handles', async () => {
		const {portal, directory} = await demoCopy();
		await portal.demo.applyScenario(MARIO.userId, 'pin-blocked');
		const before = snapshot(directory);
		const refusals: [string, () => Promise<unknown>][] = [
			['admin.unknownUser', async () => (await portal.admin.commands()).reissue({userId: 'JCPD0001', codiceFiscale: MARIO_CF})],
			['admin.identityMismatch', async () => (await portal.admin.commands()).reissue({userId: MARIO.userId, codiceFiscale: 'BNCGLI85M41F205X'})],
			['admin.identityMismatch', async () => (await portal.admin.commands()).reissue({userId: MARIO.userId, codiceFiscale: ''})],
			// GIULIA's certificate is active: her way is the portal's, not the operator's.
			['admin.notReissuable', async () => (await portal.admin.commands()).reissue({userId: 'JCPD2841', codiceFiscale: (await (await portal.admin.commands()).show('JCPD2841')).codiceFiscale})],
		];
		for (const [code, attempt] of refusals) {
			const error = await attempt().catch((caught: unknown) => caught);
			expect(error, code).toBeInstanceOf(DomainError);
			expect((error as DomainError).code, code).toBe(code);
		}
		// Another OS user than the folder's owner (root passes assertFolderOperator, so pretend to be uid 4242).
		vi.spyOn(process, 'getuid').mockReturnValue(4242);
		await expect(portal.admin.commands()).rejects.toMatchObject({code: 'operator.notOwner'});
		vi.restoreAllMocks();
		expect(snapshot(directory)).toBe(before);
	});
});

describe('certificate lifecycle: the state and the next step', () => {
	const base = {status: 'active', expiresAt: '2026-12-20T10:00:00.000Z', suspendedUntil: null} as unknown as CertificateRecord;
	const at = (iso: string) => new Date(iso);
	const cases: [string, Partial<CertificateRecord>, string | null, string, string, boolean][] = [
		['active', {expiresAt: '2029-01-01T10:00:00.000Z'}, null, '2026-11-24T09:00:00Z', 'none', false],
		['expiring', {}, null, '2026-11-24T09:00:00Z', 'renew', false],
		['expiryDay', {}, null, '2026-12-20T07:00:00Z', 'replacement', true],
		['expired', {}, null, '2026-12-21T09:00:00Z', 'replacement', true],
		['suspended', {status: 'suspended', suspendedUntil: '2026-12-01T22:59:59.000Z'}, null, '2026-11-24T09:00:00Z', 'waitSuspension', false],
		['revoked', {status: 'revoked'}, '2026-12-31T22:59:59.000Z', '2026-11-24T09:00:00Z', 'operatorReissue', false],
		// Flagged for replacement while the PIN is blocked: the operator's path, never phase 1 with the blocked PIN.
		['blocked', {status: 'blocked'}, '2026-12-31T22:59:59.000Z', '2026-11-24T09:00:00Z', 'operatorReissue', false],
		['active', {expiresAt: '2029-01-01T10:00:00.000Z'}, '2026-12-31T22:59:59.000Z', '2026-11-24T09:00:00Z', 'replacement', true],
	];
	for (const [phase, change, deadline, now, next, allowed] of cases) {
		it(`${phase}${deadline ? ' (flagged)' : ''} → ${next}`, () => {
			const lifecycle = certificateLifecycle({...base, ...change} as CertificateRecord, {replacementDeadline: deadline}, at(now), 90);
			expect([lifecycle.phase, lifecycle.next, lifecycle.replacementAllowed]).toEqual([phase, next, allowed]);
		});
	}

	it('offers "Richiedi nuovo certificato" on the expiry day, in the portal too', async () => {
		const {portal, clock} = await demoCopy();
		const expiresAt = new Date((await storeOf(portal).read()).certificates.filter(entry => entry.userId === MARIO.userId).at(-1)!.expiresAt);
		// A minute before the expiry instant: the certificate is still active, renewal is closed.
		clock.set(new Date(expiresAt.getTime() - 60_000));
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		expect((await portal.renewal.replacementStatus(session)).allowed).toBe(true);
		expect((await portal.certificate.dashboard(session)).lifecycle?.phase).toBe('expiryDay');
		expect(DEMO_NOW.getTime()).toBeLessThan(expiresAt.getTime());
	});
});
