import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {currentCertificate} from '../../source/core/certificate/record.js';
import {Store} from '../../source/core/store/store.js';
import {runCli, startCli} from '../helpers/cli.js';
import {cliDemoCopies, csvOf, dbBytes, holderRows} from '../helpers/operators.js';
import {MARIO, temporaryDirectory} from '../helpers/holders.js';

/*
 * Issue 19: what cannot be undone asks first (`mysign demo --reset`, `mysign admin revoke`):
 * on a terminal y/N (s/N in Italian), without one refused (exit 2) unless `--yes`; scenarios
 * for any holder and for all, and their list.
 */

const demoCopy = cliDemoCopies();

/** Everything a reset or a revocation would change: the database (db.json and the holder documents), the outbox, the CA and CRL. */
function folderState(data: string): string {
	const files = (folder: string) => (existsSync(join(data, folder)) ? readdirSync(join(data, folder)) : []).sort().map(name => `${folder}/${name}:${readFileSync(join(data, folder, name)).toString('base64')}`);
	return [dbBytes(data).toString('base64'), ...files('holders'), ...files('pki'), ...files('outbox')].join('\n');
}

function enrolTwo(data: string): string[] {
	const folder = temporaryDirectory();
	try {
		const csv = join(folder.path, 'two.csv');
		writeFileSync(csv, csvOf(holderRows(2, 9)));
		const result = runCli(['admin', 'enroll', '--csv', csv, '--data', data, '--json']);
		expect(result.status, result.stderr).toBe(0);
		return (JSON.parse(result.stdout) as {enrolled: {userId: string}[]}).enrolled.map(holder => holder.userId);
	} finally {
		folder.remove();
	}
}

describe('confirmation of what cannot be undone', () => {
	it.each([
		{title: 'demo --reset', args: ['demo', '--reset']},
		{title: 'demo --reset --keep-enrolled', args: ['demo', '--reset', '--keep-enrolled']},
		{title: 'demo --scenario fresh --reset', args: ['demo', '--scenario', 'fresh', '--reset']},
		{title: 'admin revoke', args: ['admin', 'revoke', MARIO.userId, '--reason', 'keyCompromise']},
	])('$title without a terminal and without --yes: refused, exit 2, nothing changed', ({args}) => {
		const data = demoCopy();
		const before = folderState(data);
		const result = runCli([...args, '--data', data]);
		expect(result.status).toBe(2);
		expect(result.stderr).toContain('non c\'è un terminale a cui chiederla: negli script aggiungi --yes. Nulla è stato modificato.');
		expect(folderState(data)).toBe(before);
		const english = runCli([...args, '--data', data, '--lang', 'en']);
		expect(english.stderr).toContain('there is no terminal to ask: in scripts add --yes');
		expect(folderState(data)).toBe(before);
	});

	it('admin revoke --yes revokes without asking (scripts)', () => {
		const data = demoCopy();
		const result = runCli(['admin', 'revoke', MARIO.userId, '--reason', 'keyCompromise', '--yes', '--data', data]);
		expect(result.status, result.stderr).toBe(0);
		expect(result.stdout).toContain('revocato');
	});

	it('on a terminal: "n" (or Enter) changes nothing and exits 1; "s" goes ahead', async () => {
		const data = demoCopy();
		const before = folderState(data);
		const refused = startCli(['demo', '--reset', '--data', data]);
		await refused.waitForText('[s/N]');
		expect(refused.screen().replaceAll('\n', '')).toContain(`Ricreare i dati demo in ${data}?`);
		refused.write('n\r');
		expect((await refused.waitForExit()).exitCode).toBe(1);
		expect(refused.screen()).toContain('Annullato: nulla è stato modificato.');
		refused.dispose();
		expect(folderState(data)).toBe(before);

		const revoke = startCli(['admin', 'revoke', MARIO.userId, '--reason', 'keyCompromise', '--data', data, '--lang', 'en']);
		await revoke.waitForText('[y/N]');
		expect(revoke.screen().replaceAll('\n', '')).toContain(`Revoke ${MARIO.userId}'s certificate (reason keyCompromise)? Revocation cannot be undone.`);
		revoke.write('\r');
		expect((await revoke.waitForExit()).exitCode).toBe(1);
		revoke.dispose();
		expect(folderState(data)).toBe(before);

		const accepted = startCli(['demo', '--reset', '--data', data]);
		await accepted.waitForText('[s/N]');
		accepted.write('s\r');
		expect((await accepted.waitForExit()).exitCode).toBe(0);
		expect(accepted.screen()).toContain('Dati demo ricreati');
		accepted.dispose();
		expect(folderState(data)).not.toBe(before);
	});
});

describe('scenarios for any holder, for all, and their list', () => {
	it('mysign demo --scenario without a name lists every scenario with a line each, in both languages', () => {
		const italian = runCli(['demo', '--scenario']);
		expect(italian.status, italian.stderr).toBe(0);
		for (const line of ['fresh        certificato attivo appena emesso', 'expiring     certificato che scade tra 20 giorni', 'locked       accesso bloccato']) expect(italian.stdout).toContain(line);
		expect(italian.stdout.trim().split('\n').filter(line => /^ {2}[a-z-]+ +\S/.test(line))).toHaveLength(7);
		// A terminal of 80 columns shows each line whole, in both languages.
		for (const text of [italian.stdout, runCli(['demo', '--scenario', '--lang', 'en']).stdout]) {
			for (const line of text.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(80);
		}
		const english = runCli(['demo', '--scenario', '--lang', 'en', '--json']);
		const scenarios = (JSON.parse(english.stdout) as {scenarios: {scenario: string; description: string}[]}).scenarios;
		expect(scenarios.map(scenario => scenario.scenario)).toEqual(['fresh', 'expiring', 'expired', 'suspended', 'pin-blocked', 'replacement', 'locked']);
		expect(scenarios[3]!.description).toBe('the certificate suspended for 30 days (on the CRL)');
	});

	it('--scenario expiring --all puts every holder, enrolled ones included, 20 days from expiry; an enrolled holder keeps its key', async () => {
		const data = demoCopy();
		const trainees = enrolTwo(data);
		const keyBefore = currentCertificate((await new Store(data).read()).certificates, trainees[0]!)!.privateKey;
		const result = runCli(['demo', '--scenario', 'expiring', '--all', '--data', data, '--json']);
		expect(result.status, result.stderr).toBe(0);
		const applied = (JSON.parse(result.stdout) as {userIds: string[]}).userIds;
		expect(new Set(applied)).toEqual(new Set([MARIO.userId, 'JCPD2841', 'JCPD5590', ...trainees]));
		for (const userId of applied) {
			const status = runCli(['status', '--user', userId, '--data', data, '--json']);
			expect(status.status, userId).toBe(1);
			const report = JSON.parse(status.stdout) as {state: string; daysLeft: number};
			expect(report.state).toBe('active');
			expect(report.daysLeft).toBeGreaterThanOrEqual(19);
			expect(report.daysLeft).toBeLessThanOrEqual(20);
		}
		expect(currentCertificate((await new Store(data).read()).certificates, trainees[0]!)!.privateKey).toEqual(keyBefore);

		const one = runCli(['demo', '--scenario', 'suspended', '--user', trainees[1]!, '--data', data]);
		expect(one.status, one.stderr).toBe(0);
		expect(runCli(['status', '--user', trainees[1]!, '--data', data]).status).toBe(2);
	});

	it('refuses --all without a scenario, --all with --user, --keep-enrolled without --reset, an unknown holder (exit 2)', () => {
		const data = demoCopy();
		const before = folderState(data);
		for (const [args, says] of [
			[['demo', '--all'], '--all con mysign demo serve solo insieme a --scenario'],
			[['demo', '--scenario', 'expiring', '--all', '--user', MARIO.userId], '--all e --user non vanno insieme'],
			[['demo', '--keep-enrolled'], '--keep-enrolled serve solo insieme a --reset'],
			[['demo', '--scenario', 'expiring', '--user', 'JCPD0000'], 'Nessun titolare JCPD0000 in questa cartella'],
		] as const) {
			const result = runCli([...args, '--data', data]);
			expect(result.status, args.join(' ')).toBe(2);
			expect(result.stderr).toContain(says);
		}
		expect(folderState(data)).toBe(before);
	});
});
