import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {e2eFixture, runCli, typeLogin, openSuspensionForm} from '../helpers/cli.js';
import {MARIO} from '../helpers/holders.js';
import {romeDay} from '../helpers/rome-day.js';
import {outboxRecords, type OutboxRecord} from '../helpers/phone-reading.js';

/*
 * Issue 18, "Silent changes", through the built CLI in a pseudo-terminal: a suspension made in
 * the portal and a reactivation made by the operator (`mysign admin reactivate`) each leave an
 * e-mail in the outbox (`mysign outbox --json`) and a line in access/<userID>.jsonl, and
 * "Visualizza accessi" shows them by name.
 */

const {demoFolder, open} = e2eFixture();
const DAY = 86_400_000;

function ddmmyyyy(date: Date): string {
	return romeDay(date);
}

/** The outbox's records, read in this process (the subject here is the TUI; `mysign outbox` has its own tests). */
const outbox = (data: string): OutboxRecord[] => outboxRecords(data);

function accessKinds(data: string): string[] {
	return readFileSync(join(data, 'access', `${MARIO.userId}.jsonl`), 'utf8')
		.trimEnd()
		.split('\n')
		.map(line => (JSON.parse(line) as {outcome: string}).outcome);
}

describe('change notices in a pseudo-terminal', () => {
	it('a suspension and an operator’s reactivation: the e-mails, the access-log lines, and "Visualizza accessi" naming them', async () => {
		const data = demoFolder();
		const terminal = open(['--data', data]);
		await typeLogin(terminal, MARIO.userId, MARIO.password);
		await terminal.waitForText('Il tuo certificato è Attivo');
		await openSuspensionForm(terminal);
		const end = new Date(Date.now() + 3 * DAY);
		await terminal.type('20547815\r40213769\r40213769\r');
		await terminal.type(ddmmyyyy(end));
		terminal.write('\r');
		await terminal.waitForText(`Certificato sospeso fino al ${ddmmyyyy(end)}`);

		// Told at once: the e-mail is in the outbox and the entry in the holder's access log.
		const suspended = outbox(data).filter(message => message.subject === 'InfoCert MySign: certificato sospeso');
		expect(suspended).toHaveLength(1);
		expect(suspended[0]).toMatchObject({kind: 'email', userId: MARIO.userId, to: MARIO.email});
		expect(suspended[0]!.text).not.toContain('40213769');
		expect(accessKinds(data)).toContain('certificate-suspended');

		// The operator ends the suspension early, from another process.
		const reactivated = runCli(['admin', 'reactivate', MARIO.userId, '--data', data]);
		expect(reactivated.status, reactivated.stderr).toBe(0);
		expect(outbox(data).filter(message => message.subject === 'InfoCert MySign: certificato riattivato')).toHaveLength(1);
		expect(accessKinds(data).slice(-2)).toEqual(['certificate-suspended', 'certificate-reactivated']);

		// "Cronologia firme" → "Visualizza accessi": newest first, by name.
		terminal.write('\u001b');
		await terminal.waitForText('7. Cronologia firme');
		terminal.write('7');
		await terminal.waitForText(/Totale firme \d+/);
		// order → from → to → period → outcome → Cerca → Reset → Visualizza accessi.
		for (let index = 0; index < 7; index++) terminal.write('\t');
		await terminal.waitForText('› [ Visualizza accessi ]');
		terminal.write('\r');
		await terminal.waitForText(/Totale accessi 3\b/);
		// Each change by its own name, in full at 80 columns; the operator's shown as such.
		await terminal.waitForText(/mysign admin\s+Certificato riattivato\n[^\n]*Certificato sospeso\n[^\n]*Riuscito\n/);
	});
});
