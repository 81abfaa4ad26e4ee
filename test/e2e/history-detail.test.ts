import {describe, expect, it} from 'vitest';
import {SignatureLog} from '../../source/core/history/signature-log.js';
import {e2eFixture} from '../helpers/cli.js';
import {demoFolderCopies} from '../helpers/demo-template.js';
import {KEYS} from '../helpers/ink.js';
import type {Terminal} from '../helpers/terminal.js';

/*
 * «Cronologia firme» at 80×24, keys only: a failed signature whose reason is 500 characters long
 * (the list cuts it to its column) is opened with Enter and read in full, with its document,
 * SHA-256, OTP channel and time with its zone; Esc goes back to the list on the same row. The
 * same in screen-reader mode, as plain lines without box drawing.
 */

const {open} = e2eFixture();
const demoFolder = demoFolderCopies();

/** LUCA has no signature in the demo data: the row written here is the only one. */
const LUCA = {userId: 'JCPD5590', password: 'Montagna_19'};
const SHA = '3f'.repeat(32);
const DOCUMENT = 'contratto-fornitura-2027.pdf';
/** 500 characters: numbered words, so their order can be checked, and an end marker. */
const REASON = `${Array.from({length: 44}, (_, index) => `verifica${String(index + 1).padStart(2, '0')}`).join(' ')} ${'fine-motivo'.padEnd(16, '.')}`;

async function folderWithLongReason(): Promise<string> {
	const data = await demoFolder();
	await new SignatureLog(data).append(LUCA.userId, [{at: new Date().toISOString(), document: DOCUMENT, sha256: SHA, size: 2048, outcome: 'failure', reason: REASON, channel: 'sms', certificateSerial: null}]);
	return data;
}

/** LUCA logs in, opens «Cronologia firme» (card 7) and moves with Tab onto the first row. */
async function openFirstRow(terminal: Terminal, focusLabel: RegExp): Promise<void> {
	await terminal.waitForText('Tentativi rimasti: 5');
	await terminal.type(`${LUCA.userId}\t${LUCA.password}\r`);
	await terminal.waitForText(/\d\.? ?Cronologia firme/);
	// The card's number, as the dashboard shows it.
	terminal.write(/(\d)\.? ?Cronologia firme/.exec(terminal.screen())![1]!);
	await terminal.waitForText(/Totale firme 1\s+Firme visualizzate: 1 su 1/);
	// Ordina per → Dal → Al → Filtra → Esito → Cerca → Reset → Visualizza accessi → Precedente → Successiva → the row.
	for (let index = 0; index < 10; index++) terminal.write(KEYS.tab);
	await terminal.waitForText(focusLabel);
}

/** The reason's words, in order, with only spaces, line ends and the frame's border between them. */
function reasonPattern(): RegExp {
	return new RegExp(REASON.split(' ').join('[\\s│|]+'));
}

describe('the detail of a history row', () => {
	it('shows a 500-character failure reason in full at 80×24, with document, SHA-256, channel and zoned time; Esc returns to the same row', async () => {
		expect(REASON).toHaveLength(500);
		const data = await folderWithLongReason();
		const terminal = open(['--data', data]);
		await openFirstRow(terminal, new RegExp(`› \\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d\\s+${DOCUMENT.replace(/\./g, '\\.')}\\s+Fallito \\(verifica01`));
		// The list cuts the reason to its column.
		expect(terminal.screen()).not.toContain('fine-motivo');
		terminal.write(KEYS.enter);
		await terminal.waitForText('Dettaglio della firma');
		const text = terminal.screen();
		expect(text).toMatch(reasonPattern());
		expect(text).toMatch(/Motivo\s+verifica01 verifica02/);
		expect(text).toContain(DOCUMENT);
		expect(text).toMatch(new RegExp(`SHA-256\\s+${SHA}`));
		expect(text).toMatch(/Canale OTP\s+SMS/);
		expect(text).toMatch(/Esito\s+Fallito/);
		expect(text).toMatch(/Data e ora\s+\d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d CES?T/);
		// 80×24: nothing wider, nothing below the last row, the hint for going back on screen.
		const lines = text.split('\n');
		expect(lines.length).toBeLessThanOrEqual(24);
		for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(80);
		expect(text).toContain('Esc: torna all’elenco');

		terminal.write(KEYS.escape);
		// Back on the list, on the same row (the header above is on the detail too: wait for the row itself).
		await terminal.waitForText(/› \d\d\/\d\d\/\d{4} \d\d:\d\d\s+contratto-fornitura/);
		expect(terminal.screen()).toMatch(/Totale firme 1\s+Firme visualizzate: 1 su 1/);
		expect(terminal.screen()).not.toContain('Esc: torna all’elenco');
		// Enter opens it again.
		terminal.write(KEYS.enter);
		await terminal.waitForText('Dettaglio della firma');
	});

	it('--screen-reader: the same detail as plain "Label: value" lines, no box drawing', async () => {
		const data = await folderWithLongReason();
		const terminal = open(['--data', data, '--screen-reader']);
		await openFirstRow(terminal, /Selezionato: \d\d\/\d\d\/\d{4} \d\d:\d\d\s+contratto-fornitura/);
		const listed = terminal.raw().length;
		terminal.write(KEYS.enter);
		await terminal.waitForText('Dettaglio della firma');
		await terminal.waitForText('fine-motivo');
		const text = terminal.screen();
		expect(text).toMatch(/Motivo: verifica01 verifica02/);
		expect(text).toMatch(reasonPattern());
		expect(text).toContain(`Documento: ${DOCUMENT}`);
		expect(text).toContain(`SHA-256: ${SHA}`);
		expect(text).toContain('Canale OTP: SMS');
		expect(text).toMatch(/Data e ora: \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d CES?T/);
		expect(terminal.raw().slice(listed)).not.toMatch(/[\u2500-\u259F]/u);
		terminal.write(KEYS.escape);
		await terminal.waitForText(/Totale firme 1\s+Firme visualizzate: 1 su 1/);
	});
});
