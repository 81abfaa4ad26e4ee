import {performance} from 'node:perf_hooks';
import {describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {cliDemoCopies, DAY, openPortal} from '../helpers/operators.js';
import {MARIO} from '../helpers/portal.js';

/*
 * Issue 7, workshop scenarios: `mysign demo --scenario NAME` puts MARIO in a situation that
 * `mysign status` (exit 0 active, 1 expiring, 2 not usable) and the portal itself then see;
 * `mysign demo --reset` brings him back; `--now` moves the clock.
 */

const demoCopy = cliDemoCopies();

interface StatusReport {
	state: string;
	daysLeft: number | null;
	exitCode: number;
}

function status(data: string, options: {now?: string; warnDays?: string} = {}): {code: number | null; report: StatusReport} {
	const result = runCli(['status', '--user', MARIO.userId, '--warn-days', options.warnDays ?? '30', '--data', data, '--json', ...(options.now ? ['--now', options.now] : [])]);
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
		// A scenario starts from the seed whatever MARIO's state: first take him somewhere else.
		applyScenario(data, name === 'suspended' ? 'expired' : 'suspended');
		applyScenario(data, name);
		const {code: exit, report} = status(data);
		expect(report.state).toBe(state);
		expect(exit).toBe(code);
		if (days) {
			expect(report.daysLeft).toBeGreaterThanOrEqual(days[0]);
			expect(report.daysLeft).toBeLessThanOrEqual(days[1]);
		}

		const portal = await openPortal(data);
		const login = await portal.login(MARIO.userId, MARIO.password);
		if (name === 'locked') {
			expect(login.kind).toBe('locked');
			return;
		}
		expect(login.kind).toBe('success');
		if (login.kind !== 'success') return;
		const dashboard = await portal.dashboard(login.session);
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
		applyScenario(data, 'suspended');
		expect(giulia()).toBe(before);
		const onGiulia = runCli(['demo', '--scenario', 'expiring', '--user', 'jcpd2841', '--data', data]);
		expect(onGiulia.status, onGiulia.stderr).toBe(0);
		expect(runCli(['status', '--user', 'JCPD2841', '--data', data]).status).toBe(1);
		expect(status(data).report.state).toBe('suspended');
	});
});

describe('mysign demo --reset and --now', () => {
	it('--reset restores MARIO: status 0 and his password works again', async () => {
		const data = demoCopy();
		applyScenario(data, 'pin-blocked');
		applyScenario(data, 'locked');
		expect((await (await openPortal(data)).login(MARIO.userId, MARIO.password)).kind).toBe('locked');

		const started = performance.now();
		const reset = runCli(['demo', '--reset', '--data', data]);
		const seconds = (performance.now() - started) / 1000;
		console.log(`[scenarios] mysign demo --reset: ${seconds.toFixed(2)} s (target: under 2 s)`);
		expect(reset.status, reset.stderr).toBe(0);
		expect(reset.stdout).toContain(MARIO.userId);

		const {code, report} = status(data);
		expect(code).toBe(0);
		expect(report.daysLeft).toBeGreaterThanOrEqual(55);
		const portal = await openPortal(data);
		const login = await portal.login(MARIO.userId, MARIO.password);
		expect(login.kind).toBe('success');
		if (login.kind === 'success') expect((await portal.dashboard(login.session)).certificate?.state).toBe('active');
	});

	it('--now moves the clock: 45 days ahead MARIO is expiring (exit 1), 90 days ahead expired (exit 2)', () => {
		const data = demoCopy();
		expect(status(data).code).toBe(0);
		const ahead = (days: number) => new Date(Date.now() + days * DAY).toISOString();
		const expiring = status(data, {now: ahead(45)});
		expect(expiring.code).toBe(1);
		expect(expiring.report.daysLeft).toBeGreaterThanOrEqual(10);
		expect(expiring.report.daysLeft).toBeLessThanOrEqual(15);
		// The same instant with a smaller warning window is fine again.
		expect(status(data, {now: ahead(45), warnDays: '7'}).code).toBe(0);
		const expired = status(data, {now: ahead(90)});
		expect(expired.code).toBe(2);
		expect(expired.report.state).toBe('expired');
		// MYSIGN_NOW does the same as --now.
		const viaEnvironment = runCli(['status', '--user', MARIO.userId, '--data', data], {env: {MYSIGN_NOW: ahead(45)}});
		expect(viaEnvironment.status).toBe(1);
		expect(runCli(['status', '--user', MARIO.userId, '--data', data, '--now', 'next-week']).status).toBe(2);
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
		expect(runCli(['admin', 'revoke', MARIO.userId, '--reason', 'keyCompromise', '--data', data]).status).toBe(0);
		const verify = () => spawnSync('openssl', ['verify', '-crl_check', '-CAfile', join(data, 'pki', 'ca.pem'), '-CRLfile', join(data, 'pki', 'crl.pem'), file], {encoding: 'utf8'});

		applyScenario(data, 'fresh');
		const afterScenario = verify();
		expect(afterScenario.status).not.toBe(0);
		expect(afterScenario.stdout + afterScenario.stderr).toContain('certificate revoked');
		expect(status(data).code).toBe(0);

		expect(runCli(['demo', '--reset', '--data', data]).status).toBe(0);
		const afterReset = verify();
		expect(afterReset.status).not.toBe(0);
		expect(afterReset.stdout + afterReset.stderr).toMatch(/unable to get local issuer certificate|certificate signature failure/);
		expect(status(data).code).toBe(0);
	});
});
