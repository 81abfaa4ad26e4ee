import {spawnSync} from 'node:child_process';
import {readdirSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {cliDemoCopies, cliJson, crlEntries, ddmmyyyy, openPortal, serialKey, type HolderSummary} from '../helpers/operators.js';
import {MARIO, temporaryDirectory} from '../helpers/holders.js';
import {applyScenario} from '../helpers/folder-setup.js';
import {recordBytes} from '../helpers/data-folder.js';

/*
 * Issue 7, operators: `mysign admin …` on one holder, end to end through the built CLI:
 * revocation, reactivation, unlocking and replacement, each on its own copy of the demo data,
 * and `admin init --group` (the room of 30 holders: admin.test.ts).
 */

const demoCopy = cliDemoCopies();

describe('revocation, reactivation and unlocking', () => {
	const status = (data: string) => runCli(['status', '--user', MARIO.userId, '--warn-days', '30', '--data', data]).status;
	const serialOf = (data: string) => serialKey(cliJson<{certificateSerial: string}>(['admin', 'show', MARIO.userId, '--data', data]).certificateSerial);
	const verifyWithCrl = (data: string) => {
		const file = join(data, 'mario.pem');
		writeFileSync(file, cliJson<{pem: string}>(['admin', 'show', MARIO.userId, '--pem', '--data', data]).pem);
		const pki = join(data, 'pki');
		return spawnSync('openssl', ['verify', '-crl_check', '-CAfile', join(pki, 'ca.pem'), '-CRLfile', join(pki, 'crl.pem'), file], {encoding: 'utf8'});
	};

	it('revoke puts the serial on the CRL with its reason, and status then exits 2', () => {
		const data = demoCopy();
		const serial = serialOf(data);
		expect(crlEntries(data).has(serial)).toBe(false);
		expect(status(data)).toBe(0);

		const revoked = runCli(['admin', 'revoke', MARIO.userId, '--reason', 'keyCompromise', '--yes', '--data', data, '--json']);
		expect(revoked.status, revoked.stderr).toBe(0);
		expect(JSON.parse(revoked.stdout)).toMatchObject({userId: MARIO.userId, reason: 'keyCompromise'});
		expect(crlEntries(data).get(serial)).toBe('Key Compromise');
		expect(status(data)).toBe(2);
		const report = runCli(['status', '--user', MARIO.userId, '--data', data, '--json']);
		expect(report.status).toBe(2);
		expect(JSON.parse(report.stdout)).toMatchObject({state: 'revoked', exitCode: 2});
		const verify = verifyWithCrl(data);
		expect(verify.status).not.toBe(0);
		expect(verify.stdout + verify.stderr).toContain('certificate revoked');

		// Revoked for good: neither a second revocation nor a reactivation changes anything.
		const before = recordBytes(data);
		const again = runCli(['admin', 'revoke', MARIO.userId, '--reason', 'unspecified', '--data', data]);
		expect(again.status).toBe(2);
		expect(again.stderr).toContain(MARIO.userId);
		const reactivate = runCli(['admin', 'reactivate', MARIO.userId, '--data', data]);
		expect(reactivate.status).toBe(2);
		expect(recordBytes(data), 'db.json or holders/ changed').toEqual(before);
		expect(crlEntries(data).get(serial)).toBe('Key Compromise');
	});

	it('cessationOfOperation is the reason the CRL gives', () => {
		const data = demoCopy();
		const serial = serialOf(data);
		expect(runCli(['admin', 'revoke', MARIO.userId, '--reason', 'cessationOfOperation', '--yes', '--data', data]).status).toBe(0);
		expect(crlEntries(data).get(serial)).toBe('Cessation Of Operation');
	});

	it('reactivate after the suspended scenario takes the serial off the CRL and status exits 0', async () => {
		const data = demoCopy();
		// The scenario set up in this process (the portal call `mysign demo --scenario` makes; its own tests: scenarios.test.ts).
		await applyScenario(data, 'suspended');
		const serial = serialOf(data);
		expect(crlEntries(data).get(serial)).toBe('Certificate Hold');
		expect(status(data)).toBe(2);

		const reactivated = runCli(['admin', 'reactivate', MARIO.userId, '--data', data, '--json']);
		expect(reactivated.status, reactivated.stderr).toBe(0);
		expect(serialKey((JSON.parse(reactivated.stdout) as {certificateSerial: string}).certificateSerial)).toBe(serial);
		expect(crlEntries(data).has(serial)).toBe(false);
		expect(status(data)).toBe(0);
		expect(verifyWithCrl(data).stdout).toContain(': OK');
	});

	it('unlock after the locked scenario lets MARIO log in again', async () => {
		const data = demoCopy();
		await applyScenario(data, 'locked');
		const locked = await (await openPortal(data)).sessions.login(MARIO.userId, MARIO.password);
		expect(locked.kind).toBe('locked');
		expect(cliJson<{holders: HolderSummary[]}>(['admin', 'list', '--data', data]).holders.find(holder => holder.userId === MARIO.userId)?.locked).toBe(true);

		const unlocked = runCli(['admin', 'unlock', MARIO.userId, '--data', data, '--json']);
		expect(unlocked.status, unlocked.stderr).toBe(0);
		expect((JSON.parse(unlocked.stdout) as {cleared: string[]}).cleared).toContain(`user:${MARIO.userId}`);
		expect(cliJson<{holders: HolderSummary[]}>(['admin', 'list', '--data', data]).holders.find(holder => holder.userId === MARIO.userId)?.locked).toBe(false);
		const login = await (await openPortal(data)).sessions.login(MARIO.userId, MARIO.password);
		expect(login.kind).toBe('success');
	});

	it('unlock RAO0001 lifts an operator locked by 5 wrong passwords in "Rinnova con credenziali RAO"', async () => {
		const data = demoCopy();
		const portal = await openPortal(data);
		const login = await portal.sessions.login(MARIO.userId, MARIO.password);
		if (login.kind !== 'success') throw new Error('MARIO cannot log in');
		const refusals: string[] = [];
		for (let attempt = 0; attempt < 6; attempt++) refusals.push(await portal.renewal.raoAuthorize(login.session, {operatorId: 'RAO0001', password: 'sbagliata'}).then(() => 'ok', (error: Error) => error.message));
		expect(refusals.slice(0, 4)).toEqual([4, 3, 2, 1].map(left => `rao.invalid {"attemptsLeft":${left}}`));
		expect(refusals[4]).toMatch(/^rao\.locked \{"time":"\d\d:\d\d","date":"\d\d\/\d\d\/\d{4}"\}$/);

		const unlocked = runCli(['admin', 'unlock', 'RAO0001', '--data', data]);
		expect(unlocked.status, unlocked.stderr).toBe(0);
		expect(unlocked.stdout).toContain('RAO0001: rimosso 1 blocco di accesso.');
		expect((await portal.renewal.raoAuthorize(login.session, {operatorId: 'RAO0001', password: 'Operatore#26'})).destination).toBe('+39335*****33');
		const again = runCli(['admin', 'unlock', 'RAO0001', '--data', data]);
		expect(again.stdout).toContain('RAO0001: nessun blocco da rimuovere.');
	});

	it('flag-replacement offers "Richiedi nuovo certificato" until the deadline', async () => {
		const data = demoCopy();
		const deadline = ddmmyyyy(45);
		const first = await openPortal(data);
		const before = await first.sessions.login('JCPD2841', 'Tramonto!73');
		expect(before.kind === 'success' && (await first.certificate.dashboard(before.session)).replacement.allowed).toBe(false);
		const flagged = runCli(['admin', 'flag-replacement', 'JCPD2841', '--deadline', deadline, '--data', data]);
		expect(flagged.status, flagged.stderr).toBe(0);
		expect(flagged.stdout).toContain(deadline);
		const portal = await openPortal(data);
		const login = await portal.sessions.login('JCPD2841', 'Tramonto!73');
		expect(login.kind).toBe('success');
		if (login.kind !== 'success') return;
		const {replacement} = await portal.certificate.dashboard(login.session);
		expect(replacement.allowed).toBe(true);
		expect(replacement.deadline?.toLocaleDateString('it-IT', {timeZone: 'Europe/Rome', day: '2-digit', month: '2-digit', year: 'numeric'})).toBe(deadline);
	});
});

describe('mysign admin init --group (a folder shared by an OS group)', () => {
	/** The name of this process's own group: one it is certainly a member of. */
	const ownGroup = () => spawnSync('getent', ['group', String(process.getgid!())], {encoding: 'utf8'}).stdout.split(':')[0]!;

	it('refuses a missing --group, a group that does not exist and extra words (exit 2), creating nothing', () => {
		const base = temporaryDirectory();
		try {
			const data = join(base.path, 'room');
			const missing = runCli(['admin', 'init', '--data', data]);
			expect(missing.status).toBe(2);
			expect(missing.stderr).toContain('--group');
			const unknown = runCli(['admin', 'init', '--group', 'no-such-group-17', '--data', data, '--lang', 'en']);
			expect(unknown.status).toBe(2);
			expect(unknown.stderr).toContain('The group "no-such-group-17" does not exist');
			expect(runCli(['admin', 'init', 'now', '--group', ownGroup(), '--data', data]).status).toBe(2);
			expect(readdirSync(base.path)).toEqual([]);
		} finally {
			base.remove();
		}
	});

	it('converts a folder with data: 2770 folders (holders/ too), 0660 files (holder documents too), 0640 keys; later writes keep the group modes', () => {
		const data = demoCopy();
		const result = runCli(['admin', 'init', '--group', ownGroup(), '--data', data, '--json']);
		expect(result.status, result.stderr).toBe(0);
		expect(JSON.parse(result.stdout)).toMatchObject({directory: data, group: ownGroup(), created: false});
		const mode = (path: string) => (statSync(join(data, path)).mode & 0o7777).toString(8);
		const holder = `holders/${MARIO.userId}.json`;
		expect([mode('.'), mode('keys'), mode('db.json'), mode('holders'), mode(holder), mode('keys/pepper.key'), mode('pki/ca.key'), mode('pki/ca.pem')]).toEqual(['2770', '2770', '660', '2770', '660', '640', '640', '660']);
		const before = statSync(join(data, 'db.json')).ino;
		const holderBefore = statSync(join(data, holder)).ino;
		// db.json alone (a coupon, the CRL), then MARIO's document (flagged for replacement).
		for (const command of [['admin', 'coupon', 'create'], ['crl'], ['admin', 'flag-replacement', MARIO.userId, '--deadline', ddmmyyyy(60)]]) {
			const written = runCli([...command, '--data', data]);
			expect(written.status, written.stderr).toBe(0);
		}
		expect(statSync(join(data, 'db.json')).ino).not.toBe(before);
		expect(statSync(join(data, holder)).ino).not.toBe(holderBefore);
		expect([mode('db.json'), mode('db.json.checked'), mode('holders'), mode(holder), mode('pki/crl.pem')]).toEqual(['660', '660', '2770', '660', '660']);
	});
});
