import {readFileSync} from 'node:fs';
import {SignatureLog} from '../../source/core/history/signature-log.js';
import {join} from 'node:path';
import {describe, expect, it, vi} from 'vitest';
import {KEYS, press, screen, type, waitForScreen} from '../helpers/ink.js';
import {GIULIA} from '../helpers/portal.js';
import {overlongLines, screenFixture, type Rendered} from '../helpers/screens.js';

/** No signature history in the demo data. */
const LUCA = {userId: 'JCPD5590', password: 'Montagna_19'};

const open = screenFixture();

/** The rows of the table, under its header. */
function tableRows(text: string): string[] {
	const lines = text.split('\n');
	const header = lines.findIndex(line => /Data e ora\s+(Documento|Terminale)\s+Esito/.test(line));
	expect(header, text).toBeGreaterThanOrEqual(0);
	return lines.slice(header + 1).filter(line => /^\s*\d\d\/\d\d\/\d{4} \d\d:\d\d/.test(line));
}

/** GIULIA's demo records as saved: how many, and how many failed. */
function savedRecords(directory: string): {total: number; failures: number} {
	const lines = readFileSync(join(directory, 'signatures', `${GIULIA.userId}.jsonl`), 'utf8').trimEnd().split('\n');
	return {total: lines.length, failures: lines.filter(line => (JSON.parse(line) as {outcome: string}).outcome === 'failure').length};
}

async function openGiulia() {
	const opened = await open('history', GIULIA);
	await waitForScreen(opened.rendered, /Totale firme 1000\s+Firme visualizzate: 1000 su 1000\s+Pagina 1 di \d+/);
	await waitForScreen(opened.rendered, /Data e ora\s+Documento\s+Esito/);
	return opened;
}

/** Moves the focus with Tab from "Ordina per" (the first control) to the n-th control after it. */
async function tab(rendered: Rendered, times: number): Promise<void> {
	for (let index = 0; index < times; index++) await press(rendered, KEYS.tab);
}

describe('«Cronologia firme» (HistoryScreen) at 80×24', () => {
	it('shows the totals, the first page newest first, and fits 80 columns', async () => {
		const {rendered, directory} = await openGiulia();
		expect(savedRecords(directory).total).toBe(1000);
		const text = screen(rendered);
		expect(text).toContain('Cronologia firme');
		expect(text).toMatch(/› Ordina per\s+\(•\) Firma più recente \( \) Firma meno recente/);
		const rows = tableRows(text);
		expect(rows.length).toBeGreaterThanOrEqual(3);
		for (const row of rows) expect(row).toMatch(/\.pdf\s+(Riuscito|Fallito \((PIN errato|OTP errato|OTP scaduto)\))$/);
		// Newest first: the dates of the page never go forward.
		const instants = rows.map(row => {
			const [, day, month, year, time] = /(\d\d)\/(\d\d)\/(\d{4}) (\d\d:\d\d)/.exec(row)!;
			return `${year}-${month}-${day}T${time}`;
		});
		expect([...instants].sort().reverse()).toEqual(instants);
		// The pages are the rows a page shows.
		const pages = Number(/Pagina 1 di (\d+)/.exec(text)![1]);
		expect(pages).toBe(Math.ceil(1000 / rows.length));
		// 80 columns: no line wider, and no table row cut short.
		expect(overlongLines(text, 80)).toEqual([]);
		for (const row of rows) expect(row).not.toMatch(/…$/);
		// 24 rows: the frame leaves the last row free.
		expect(text.split('\n').length).toBeLessThanOrEqual(23);
	});

	it('"Esito" is a choice: → and Space cycle it, and the count shown follows at once', async () => {
		const {rendered, directory} = await openGiulia();
		const {failures} = savedRecords(directory);
		expect(failures).toBeGreaterThan(0);
		// order → from → to → period → outcome.
		await tab(rendered, 4);
		await waitForScreen(rendered, /› Esito\s+\(•\) Vedi tutti gli esiti/);
		await press(rendered, KEYS.right);
		await waitForScreen(rendered, /› Esito\s+\( \) Vedi tutti gli esiti \(•\) Riuscito \( \) Fallito/);
		await waitForScreen(rendered, `Firme visualizzate: ${1000 - failures} su 1000`);
		await press(rendered, KEYS.right);
		await waitForScreen(rendered, /\(•\) Fallito/);
		const text = await waitForScreen(rendered, `Firme visualizzate: ${failures} su 1000`);
		expect(text).toContain('Totale firme 1000');
		for (const row of tableRows(text)) expect(row).toMatch(/Fallito \(/);
		// Space moves on too, wrapping to the first option; ← goes back.
		await press(rendered, KEYS.space);
		await waitForScreen(rendered, /\(•\) Vedi tutti gli esiti/);
		await waitForScreen(rendered, 'Firme visualizzate: 1000 su 1000');
		await press(rendered, KEYS.left);
		await waitForScreen(rendered, `Firme visualizzate: ${failures} su 1000`);
	});

	it('a bad date in "Dal" shows the error with Enter and keeps the previous results', async () => {
		const {rendered} = await openGiulia();
		const before = screen(rendered);
		const rowsBefore = tableRows(before);
		await press(rendered, KEYS.tab);
		await waitForScreen(rendered, /› Dal/);
		await type(rendered, '32/13/2026');
		await waitForScreen(rendered, '32/13/2026');
		await press(rendered, KEYS.enter);
		const text = await waitForScreen(rendered, /✗ Data non valida nel campo «Dal»:\s+scrivila come gg\/mm\/aaaa/);
		expect(text).toMatch(/Totale firme 1000\s+Firme visualizzate: 1000 su 1000\s+Pagina 1 di/);
		expect(tableRows(text)).toEqual(rowsBefore);
		// The date stays in its field, to be corrected.
		expect(text).toMatch(/› Dal\s+\[32\/13\/2026/);
	});

	it('PgDn shows page 2 and PgUp goes back to page 1', async () => {
		const {rendered} = await openGiulia();
		const first = tableRows(screen(rendered));
		await press(rendered, KEYS.pageDown);
		const second = await waitForScreen(rendered, /Pagina 2 di \d+/);
		expect(tableRows(second)).toHaveLength(first.length);
		expect(tableRows(second)[0]).not.toBe(first[0]);
		await press(rendered, KEYS.pageUp);
		const again = await waitForScreen(rendered, /Pagina 1 di \d+/);
		expect(tableRows(again)).toEqual(first);
	});

	it('"Visualizza accessi" switches to «Cronologia accessi» and back', async () => {
		const {rendered} = await openGiulia();
		// order → from → to → period → outcome → Cerca → Reset → Visualizza accessi.
		await tab(rendered, 7);
		await waitForScreen(rendered, '› [ Visualizza accessi ]');
		await press(rendered, KEYS.enter);
		const accesses = await waitForScreen(rendered, /Totale accessi \d+/);
		expect(accesses).toContain('Cronologia accessi');
		expect(accesses).toContain('[ Visualizza firme ]');
		expect(accesses).toContain('Vedi tutti gli accessi');
		// The login of this test (terminal "test") is the only access.
		expect(accesses).toMatch(/Totale accessi 1\s+Accessi visualizzati: 1 su 1/);
		const rows = tableRows(accesses);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatch(/test\s+Riuscito$/);
		expect(overlongLines(accesses, 80)).toEqual([]);
		await press(rendered, KEYS.enter);
		await waitForScreen(rendered, 'Totale firme 1000');
		expect(screen(rendered)).toContain('[ Visualizza accessi ]');
	});

	it('says so when the holder has no signature', async () => {
		const {rendered} = await open('history', LUCA);
		const text = await waitForScreen(rendered, 'Nessuna firma trovata con la ricerca corrente.');
		expect(text).toMatch(/Totale firme 0\s+Firme visualizzate: 0 su 0\s+Pagina 1 di 1/);
		expect(text).not.toContain('Data e ora');
	});

	it('a period with "Dal"/"Al" filled says so instead of showing 0 rows, and keeps the results shown', async () => {
		const {rendered} = await openGiulia();
		const rowsBefore = tableRows(screen(rendered));
		await press(rendered, KEYS.tab);
		await waitForScreen(rendered, /› Dal/);
		await type(rendered, '01/01/2026');
		await press(rendered, KEYS.enter);
		await waitForScreen(rendered, /Firme visualizzate: \d+ su 1000/);
		const dated = tableRows(screen(rendered));
		// Dal → Al → Filtra: "Ultimi 7 giorni" with the date still there.
		await tab(rendered, 2);
		await waitForScreen(rendered, /› Filtra/);
		await press(rendered, KEYS.right);
		const text = await waitForScreen(rendered, /✗ Scegli un periodo \(«Filtra»\) oppure le date «Dal»\/«Al», non entrambi\./);
		expect(text).toMatch(/\(•\) Ultimi 7 giorni/);
		expect(tableRows(text)).toEqual(dated);
		expect(rowsBefore.length).toBe(dated.length);
		// Back to the first option: the dates apply alone again, the message goes.
		await press(rendered, KEYS.left);
		await waitForScreen(rendered, /\(•\) Vedi tutte le firme/);
		await vi.waitFor(() => expect(screen(rendered)).not.toContain('Scegli un periodo'));
	});

	it('logouts and expired sessions are their own kind in «Cronologia accessi», not "Riuscito"', async () => {
		const {rendered, portal} = await openGiulia();
		const other = await portal.sessions.login(GIULIA.userId, GIULIA.password);
		if (other.kind !== 'success') throw new Error(other.kind);
		await portal.sessions.logout(other.session);
		await tab(rendered, 7);
		await waitForScreen(rendered, '› [ Visualizza accessi ]');
		await press(rendered, KEYS.enter);
		const all = await waitForScreen(rendered, /Totale accessi 3\s+Accessi visualizzati: 3 su 3/);
		const rows = tableRows(all);
		expect(rows[0]).toMatch(/test\s+Uscita$/);
		expect(rows.slice(1).every(row => /test\s+Riuscito$/.test(row))).toBe(true);
		// "Esito: Riuscito" leaves the logout out (Visualizza accessi → Reset → Cerca → Esito).
		for (let index = 0; index < 3; index++) await press(rendered, KEYS.shiftTab);
		await waitForScreen(rendered, /› Esito/);
		await press(rendered, KEYS.right);
		const succeeded = await waitForScreen(rendered, /Accessi visualizzati: 2 su 3/);
		expect(tableRows(succeeded).every(row => /Riuscito$/.test(row))).toBe(true);
		await press(rendered, KEYS.right);
		await waitForScreen(rendered, /Accessi visualizzati: 0 su 3/);
		// Back to every outcome; the logout's row opens with Enter (Esito → Cerca → Reset → … → Successiva → the row).
		await press(rendered, KEYS.right);
		await waitForScreen(rendered, /Accessi visualizzati: 3 su 3/);
		await tab(rendered, 6);
		await waitForScreen(rendered, /› \d\d\/\d\d\/\d{4} \d\d:\d\d\s+test\s+Uscita/);
		await press(rendered, KEYS.enter);
		const detail = await waitForScreen(rendered, 'Dettaglio dell’accesso');
		expect(detail).toMatch(/Data e ora\s+24\/11\/2026 10:00:00 CET/);
		expect(detail).toMatch(/Evento\s+Uscita/);
		expect(detail).toMatch(/Terminale\s+test/);
		await press(rendered, KEYS.escape);
		await waitForScreen(rendered, /› \d\d\/\d\d\/\d{4} \d\d:\d\d\s+test\s+Uscita/);
	});

	it('the detail of a row too long for the window scrolls with ↓ and PgDn, and Esc returns to the list', async () => {
		const {rendered, directory} = await open('history', LUCA, {rows: 20});
		const reason = Array.from({length: 90}, (_, index) => `parola${String(index + 1).padStart(2, '0')}`).join(' ');
		await new SignatureLog(directory).append(LUCA.userId, [{at: new Date().toISOString(), document: 'lungo.pdf', sha256: null, size: null, outcome: 'failure', reason, channel: null, certificateSerial: null}]);
		// "Cerca" reloads the list; then Tab onto the row (Reset, Visualizza accessi, Precedente, Successiva, the row).
		await tab(rendered, 5);
		await waitForScreen(rendered, '› [ Cerca ]');
		await press(rendered, KEYS.enter);
		await waitForScreen(rendered, /Totale firme 1\s+Firme visualizzate: 1 su 1/);
		await tab(rendered, 5);
		await waitForScreen(rendered, /› \d\d\/\d\d\/\d{4} \d\d:\d\d\s+lungo\.pdf\s+Fallito \(parola01/);
		await press(rendered, KEYS.enter);
		const first = await waitForScreen(rendered, /Righe 1–\d+ di \d+/);
		expect(first).toContain('Motivo        parola01 parola02');
		expect(first).not.toContain('parola90');
		const [, shown, total] = /Righe 1–(\d+) di (\d+)/.exec(first)!;
		await press(rendered, KEYS.down);
		await waitForScreen(rendered, `Righe 2–${Number(shown) + 1} di ${total}`);
		await press(rendered, KEYS.pageDown);
		const end = await waitForScreen(rendered, 'parola90');
		expect(end).toContain(`di ${total}`);
		expect(end).toContain('parola90');
		expect(end).toMatch(/Canale OTP\s+nessuno/);
		expect(overlongLines(end, 80)).toEqual([]);
		await press(rendered, KEYS.escape);
		await waitForScreen(rendered, /› \d\d\/\d\d\/\d{4} \d\d:\d\d\s+lungo\.pdf/);
	});
});
