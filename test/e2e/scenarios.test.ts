import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {cliDemoCopies, DAY, holderRows, openPortal} from '../helpers/operators.js';
import {MARIO} from '../helpers/holders.js';
import {applyScenario as applyScenarioHere} from '../helpers/folder-setup.js';
import {holderFile, recordBytes} from '../helpers/data-folder.js';

/*
 * Issue 7, workshop scenarios: `mysign demo --scenario NAME` puts MARIO in a situation that
 * `mysign status` (exit 0 active, 1 expiring, 2 not usable) and the portal itself then see;
 * `mysign demo --reset` brings him back; `mysign clock` moves the folder's clock for every process.
 */

const demoCopy = cliDemoCopies();

interface StatusReport {
	state: string;
	daysLeft: number | null;
	exitCode: number;
}

function status(data: string, options: {warnDays?: string; user?: string} = {}): {code: number | null; report: StatusReport} {
	const result = runCli(['status', '--user', options.user ?? MARIO.userId, '--warn-days', options.warnDays ?? '30', '--data', data, '--json']);
	expect(result.stderr).toBe('');
	const report = JSON.parse(result.stdout) as StatusReport;
	expect(report.exitCode).toBe(result.status);
	return {code: result.status, report};
}

function applyScenario(data: string, name: string): void {
	const result = runCli(['demo', '--scenario', name, '--user', MARIO.userId, '--data', data]);
	expect(result.status, result.stderr).toBe(0);
	expect(result.stdout).toContain(name);
}

const SCENARIOS: {name: string; code: number; state: string; days?: [number, number]}[] = [
	{name: 'fresh', code: 0, state: 'active', days: [55, 60]},
	{name: 'expiring', code: 1, state: 'active', days: [15, 20]},
	{name: 'expired', code: 2, state: 'expired', days: [-11, -9]},
	{name: 'suspended', code: 2, state: 'suspended'},
	{name: 'pin-blocked', code: 2, state: 'blocked'},
	{name: 'replacement', code: 0, state: 'active'},
	{name: 'locked', code: 0, state: 'active'},
];

describe('mysign demo --scenario NAME, then mysign status --user JCPD7173', () => {
	it.each(SCENARIOS.map(scenario => ({...scenario, outcome: `exit ${scenario.code}, ${scenario.state}`})))('$name: status says $outcome', async ({name, code, state, days}) => {
		const data = demoCopy();
		// A scenario starts from the seed whatever MARIO's state: first take him somewhere else (in this process, the same portal call).
		await applyScenarioHere(data, name === 'suspended' ? 'expired' : 'suspended');
		applyScenario(data, name);
		const {code: exit, report} = status(data);
		expect(report.state).toBe(state);
		expect(exit).toBe(code);
		if (days) {
			expect(report.daysLeft).toBeGreaterThanOrEqual(days[0]);
			expect(report.daysLeft).toBeLessThanOrEqual(days[1]);
		}

		const portal = await openPortal(data);
		const login = await portal.sessions.login(MARIO.userId, MARIO.password);
		if (name === 'locked') {
			expect(login.kind).toBe('locked');
			return;
		}
		expect(login.kind).toBe('success');
		if (login.kind !== 'success') return;
		const dashboard = await portal.certificate.dashboard(login.session);
		expect(dashboard.certificate?.state).toBe(state);
		if (name === 'replacement') {
			expect(dashboard.replacement.allowed).toBe(true);
			const daysToDeadline = (dashboard.replacement.deadline!.getTime() - Date.now()) / DAY;
			expect(daysToDeadline).toBeGreaterThan(25);
			expect(daysToDeadline).toBeLessThan(35);
		} else if (name === 'expired') expect(dashboard.replacement.allowed).toBe(true);
		else expect(dashboard.replacement).toEqual({allowed: false, deadline: null});
	});

	it('refuses an unknown scenario and a holder that is not a demo holder (exit 2)', () => {
		const data = demoCopy();
		const unknown = runCli(['demo', '--scenario', 'on-fire', '--data', data]);
		expect(unknown.status).toBe(2);
		expect(unknown.stderr).toContain('on-fire');
		const stranger = runCli(['demo', '--scenario', 'expired', '--user', 'JCPD0000', '--data', data]);
		expect(stranger.status).toBe(2);
		expect(stranger.stderr).toContain('JCPD0000');
		expect(status(data).code).toBe(0);
	});

	it('touches only the holder named: GIULIA stays as she was', () => {
		const data = demoCopy();
		const giulia = () => runCli(['status', '--user', 'JCPD2841', '--data', data, '--json']).stdout;
		const before = giulia();
		const document = readFileSync(holderFile(data, 'JCPD2841'));
		applyScenario(data, 'suspended');
		expect(giulia()).toBe(before);
		// Her document (holders/JCPD2841.json) is not even rewritten.
		expect(readFileSync(holderFile(data, 'JCPD2841')).equals(document)).toBe(true);
		const onGiulia = runCli(['demo', '--scenario', 'expiring', '--user', 'jcpd2841', '--data', data]);
		expect(onGiulia.status, onGiulia.stderr).toBe(0);
		expect(runCli(['status', '--user', 'JCPD2841', '--data', data]).status).toBe(1);
		expect(status(data).report.state).toBe('suspended');
	});
});

function setClock(data: string, ...words: string[]): void {
	const result = runCli(['clock', ...words, '--data', data]);
	expect(result.status, result.stderr).toBe(0);
}

describe('mysign demo --reset and mysign clock', () => {
	it('--reset restores MARIO: status 0 and his password works again', async () => {
		const data = demoCopy();
		// The state to reset from, set up in this process (the scenarios' own tests are above).
		await applyScenarioHere(data, 'pin-blocked');
		await applyScenarioHere(data, 'locked');
		expect((await (await openPortal(data)).sessions.login(MARIO.userId, MARIO.password)).kind).toBe('locked');

		const started = performance.now();
		const reset = runCli(['demo', '--reset', '--yes', '--data', data]);
		const seconds = (performance.now() - started) / 1000;
		console.log(`[scenarios] mysign demo --reset: ${seconds.toFixed(2)} s (target: under 2 s)`);
		expect(reset.status, reset.stderr).toBe(0);
		expect(reset.stdout).toContain(MARIO.userId);

		const {code, report} = status(data);
		expect(code).toBe(0);
		expect(report.daysLeft).toBeGreaterThanOrEqual(55);
		const portal = await openPortal(data);
		const login = await portal.sessions.login(MARIO.userId, MARIO.password);
		expect(login.kind).toBe('success');
		if (login.kind === 'success') expect((await portal.certificate.dashboard(login.session)).certificate?.state).toBe('active');
	});

	it('mysign clock moves the folder for every later command: 45 days ahead MARIO is expiring (exit 1), 90 days ahead expired (exit 2)', () => {
		const data = demoCopy();
		expect(status(data).code).toBe(0);
		setClock(data, 'advance', '45d');
		const expiring = status(data);
		expect(expiring.code).toBe(1);
		expect(expiring.report.daysLeft).toBeGreaterThanOrEqual(10);
		expect(expiring.report.daysLeft).toBeLessThanOrEqual(15);
		// The same instant with a smaller warning window is fine again.
		expect(status(data, {warnDays: '7'}).code).toBe(0);
		setClock(data, 'advance', '45d');
		const expired = status(data);
		expect(expired.code).toBe(2);
		expect(expired.report.state).toBe('expired');
		setClock(data, 'reset');
		expect(status(data).code).toBe(0);
		expect(runCli(['clock', 'advance', 'next-week', '--data', data]).status).toBe(2);
		expect(runCli(['clock', 'set', '2026-13-01', '--data', data]).status).toBe(2);
	});

	it('no process can bend the shared data with its own time: the suspension stays, the CRL is not stamped ahead', async () => {
		const data = demoCopy();
		await applyScenarioHere(data, 'suspended');
		// The reproduction of the trust issue: a read-only command for another holder with a future time.
		const bent = runCli(['status', '--user', 'JCPD2841', '--now', '2027-03-01T00:00:00Z', '--data', data]);
		expect(bent.status).toBe(2);
		expect(bent.stderr).toContain('mysign clock');
		const suspended = status(data);
		expect(suspended.report.state).toBe('suspended');
		const crl = runCli(['clock', '--json', '--data', data]);
		const folder = JSON.parse(crl.stdout) as {now: string; kind: string};
		expect(folder.kind).toBe('training');
		const lastUpdate = spawnSync('openssl', ['crl', '-in', join(data, 'pki', 'crl.pem'), '-noout', '-lastupdate'], {encoding: 'utf8'}).stdout.replace('lastUpdate=', '').trim();
		expect(new Date(lastUpdate).getTime()).toBeLessThanOrEqual(new Date(folder.now).getTime());
	});

	it('enrolling into a folder without a database makes a live one: real time, the clock cannot move', () => {
		const parent = mkdtempSync(join(tmpdir(), 'mysign-live-'));
		const data = join(parent, 'live');
		try {
			// A refused enrolment creates nothing at all.
			const refusedRow = runCli(['admin', 'enroll', '--name', 'Anna', '--surname', 'Neri', '--codice-fiscale', 'XXXXXX00A00X000X', '--phone', '+393471234567', '--email', 'anna.neri@example.it', '--data', data]);
			expect(refusedRow.status).toBe(2);
			expect(existsSync(data)).toBe(false);
			const [row] = holderRows(1, 7);
			const enrolled = runCli(['admin', 'enroll', '--name', row!.name, '--surname', row!.surname, '--codice-fiscale', row!.codiceFiscale, '--phone', row!.phone, '--email', row!.email, '--data', data, '--json']);
			expect(enrolled.status, enrolled.stderr).toBe(0);
			expect(enrolled.stderr).toContain('creato un database reale');
			const userId = (JSON.parse(enrolled.stdout) as {enrolled: {userId: string}[]}).enrolled[0]!.userId;
			expect(runCli(['status', '--user', userId, '--data', data]).status).toBe(0);
			const shown = runCli(['clock', '--json', '--data', data]);
			expect(JSON.parse(shown.stdout)).toMatchObject({kind: 'live', offsetMs: 0});
			const refused = runCli(['clock', 'set', '2027-01-20T10:00', '--data', data]);
			expect(refused.status).toBe(1);
			expect(refused.stderr).toContain('cartella reale');
			// The CA and its CRL came with the database: openssl checks the holder's certificate.
			const pem = runCli(['admin', 'show', userId, '--pem', '--data', data]).stdout;
			writeFileSync(join(parent, 'holder.pem'), pem);
			const verified = spawnSync('openssl', ['verify', '-crl_check', '-CAfile', join(data, 'pki', 'ca.pem'), '-CRLfile', join(data, 'pki', 'crl.pem'), join(parent, 'holder.pem')], {encoding: 'utf8'});
			expect(verified.stdout + verified.stderr).toContain('OK');
		} finally {
			rmSync(parent, {recursive: true, force: true});
		}
	});

	it('a live folder (not made by mysign demo) runs on real time and refuses any simulated time', () => {
		const data = demoCopy();
		// A folder whose database says it is live, as every folder not created by `mysign demo` is.
		const file = join(data, 'db.json');
		const db = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
		delete db['clock'];
		writeFileSync(file, JSON.stringify(db, null, '\t') + '\n');
		const shown = runCli(['clock', '--data', data]);
		expect(shown.status, shown.stderr).toBe(0);
		expect(shown.stdout).toContain('Cartella reale');
		const before = recordBytes(data);
		const refused = runCli(['clock', 'advance', '1d', '--data', data]);
		expect(refused.status).toBe(1);
		expect(refused.stderr).toContain('cartella reale');
		expect(recordBytes(data), 'db.json or holders/ changed').toEqual(before);
	});
});

describe('certificates revoked before a scenario or a reset', () => {
	it('a scenario keeps a revoked certificate on the CRL; a reset starts a new CA that no longer verifies it', async () => {
		const {mkdtempSync, writeFileSync} = await import('node:fs');
		const {tmpdir} = await import('node:os');
		const {join} = await import('node:path');
		const {spawnSync} = await import('node:child_process');
		const data = demoCopy();
		const pem = runCli(['admin', 'show', MARIO.userId, '--pem', '--data', data]);
		expect(pem.status, pem.stderr).toBe(0);
		const file = join(mkdtempSync(join(tmpdir(), 'mysign-old-')), 'old.pem');
		writeFileSync(file, pem.stdout);
		expect(runCli(['admin', 'revoke', MARIO.userId, '--reason', 'keyCompromise', '--yes', '--data', data]).status).toBe(0);
		const verify = () => spawnSync('openssl', ['verify', '-crl_check', '-CAfile', join(data, 'pki', 'ca.pem'), '-CRLfile', join(data, 'pki', 'crl.pem'), file], {encoding: 'utf8'});

		applyScenario(data, 'fresh');
		const afterScenario = verify();
		expect(afterScenario.status).not.toBe(0);
		expect(afterScenario.stdout + afterScenario.stderr).toContain('certificate revoked');
		expect(status(data).code).toBe(0);

		expect(runCli(['demo', '--reset', '--yes', '--data', data]).status).toBe(0);
		const afterReset = verify();
		expect(afterReset.status).not.toBe(0);
		expect(afterReset.stdout + afterReset.stderr).toMatch(/unable to get local issuer certificate|certificate signature failure/);
		expect(status(data).code).toBe(0);
	});
});
