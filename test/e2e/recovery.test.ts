import {describe, expect, it} from 'vitest';
import type {Terminal} from '../helpers/terminal.js';
import {e2eFixture} from '../helpers/cli.js';
import {newestSmsCode as newestCode, phoneSms} from '../helpers/phone-reading.js';
import {KEYS} from '../helpers/ink.js';
import {MARIO} from '../helpers/holders.js';
import {Store} from '../../source/core/store/store.js';

/*
 * "Hai dimenticato la password?" from the login screen of the built CLI in an 80×24
 * pseudo-terminal: User ID → code by SMS (read from the holder's outbox) → secret answer →
 * new password, ending on the login screen; then the old password fails and the new one works.
 */

const {demoFolder, open} = e2eFixture();

const WEAK_PASSWORD = 'Nuvola2026'; // every rule but "un carattere speciale"
const NEW_PASSWORD = 'Nuvola&2026';

/** `text` as a pattern that matches it however the 80 columns wrap it. */
function words(text: string): RegExp {
	return new RegExp(text.split(/\s+/).map(word => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'));
}

const CODE_INTRO = words('Se lo User ID è registrato, abbiamo inviato un codice via SMS al cellulare associato. Inseriscilo qui.');

/** MARIO's SMS, newest first, as his phone lists them (read from the outbox in this process: the subject here is the TUI). */
const phoneMessages = (data: string) => phoneSms(data, MARIO.userId);
const newestSmsCode = (data: string) => newestCode(data, MARIO.userId);

/** The screen once it has not changed for `quietMs` (a frame may be half drawn right after a wait). */
async function settledScreen(terminal: Terminal, quietMs = 300): Promise<string> {
	let last = terminal.screen();
	let since = Date.now();
	const deadline = Date.now() + 10_000;
	while (Date.now() < deadline) {
		await new Promise(resolve => setTimeout(resolve, 25));
		const current = terminal.screen();
		if (current !== last) {
			last = current;
			since = Date.now();
		} else if (Date.now() - since >= quietMs) return current;
	}
	return last;
}

/** From a fresh login screen: Tab to "Hai dimenticato la password?" and open it. */
async function openPasswordRecovery(terminal: Terminal): Promise<void> {
	await terminal.waitForText('Tentativi rimasti: 5');
	await terminal.waitForText('[ Ho dimenticato lo User ID ]');
	// identifier → password → show → Accedi → Accedi con l'app → Hai dimenticato la password?
	// Back from a recovery, the focus is already there.
	if (!terminal.screen().includes('› [ Hai dimenticato la password? ]')) for (let index = 0; index < 5; index++) terminal.write(KEYS.tab);
	await terminal.waitForText('› [ Hai dimenticato la password? ]');
	terminal.write(KEYS.enter);
	await terminal.waitForText('▼ 1 User ID (in corso)');
	// Today the 30-character label wraps in its 24-column box ("› Indirizzo e-mail o    [ ]", then
	// "nome utente" under it); either layout is accepted here.
	await terminal.waitForText(/› Indirizzo e-mail o(?: nome utente)?\s+\[/);
}

/** Types a User ID on step 1 and waits for the fully drawn code step. */
async function submitUserId(terminal: Terminal, userId: string): Promise<string> {
	await terminal.type(userId);
	terminal.write(KEYS.enter);
	await terminal.waitForText('▼ 2 Codice via SMS (in corso)');
	await terminal.waitForText(CODE_INTRO);
	await terminal.waitForText('[ Continua ]');
	return settledScreen(terminal);
}

describe('"Hai dimenticato la password?" in a pseudo-terminal', () => {
	it('resets MARIO’s password with the SMS code and the secret answer; the old password then fails and the new one works', async () => {
		const data = demoFolder();
		const terminal = open(['--data', data]);
		await openPasswordRecovery(terminal);

		const code = await submitUserId(terminal, MARIO.userId);
		expect(code).toContain('✓ 1 User ID (completato)');
		expect(code).toMatch(/› Codice ricevuto\s+\[/);
		await terminal.type(newestSmsCode(data));
		terminal.write(KEYS.enter);

		await terminal.waitForText('▼ 3 Domanda segreta (in corso)');
		await terminal.waitForText(words('Rispondi alla tua domanda segreta: Come si chiamava il tuo primo animale domestico?'));
		await terminal.waitForText(/› Risposta segreta\s+\[/);
		await terminal.type('Fido');
		await terminal.waitForText(/› Risposta segreta\s+\[••••/);
		expect(terminal.screen()).not.toContain('Fido');
		terminal.write(KEYS.enter);

		await terminal.waitForText('▼ 4 Nuova password (in corso)');
		await terminal.waitForText(/› Nuova password\s+\[/);
		// A weak password: the checklist marks the missing rule ✗ while the others turn ✓.
		await terminal.type(WEAK_PASSWORD);
		await terminal.waitForText('✓ almeno 8 caratteri');
		await terminal.waitForText('✗ un carattere speciale');
		const checklist = terminal.screen();
		for (const rule of ['almeno 8 caratteri', 'una lettera maiuscola', 'una lettera minuscola', 'un numero', 'max 2 caratteri uguali di fila']) {
			expect(checklist).toContain(`✓ ${rule}`);
		}
		expect(checklist).not.toContain(WEAK_PASSWORD);
		terminal.write(KEYS.enter); // Enter in "Nuova password" moves on
		await terminal.waitForText(/› Conferma la nuova password\s+\[/);
		await terminal.type(WEAK_PASSWORD);
		terminal.write(KEYS.enter);
		await terminal.waitForText(words('La nuova password non rispetta le regole: controlla l’elenco sotto il campo.'));
		// Refused: still the password step, nothing saved.
		expect(terminal.screen()).toContain('▼ 4 Nuova password (in corso)');

		// The focus is back on "Nuova password"; both fields are emptied by hand (Ctrl+U) and retyped.
		await terminal.waitForText(/› Nuova password\s+\[/);
		terminal.write(KEYS.ctrlU);
		await terminal.waitForText(/› Nuova password\s+\[\s*\]/);
		await terminal.waitForText('✗ almeno 8 caratteri');
		await terminal.type(NEW_PASSWORD);
		await terminal.waitForText(new RegExp(`› Nuova password\\s+\\[•{${NEW_PASSWORD.length}}`));
		await terminal.waitForText('✓ un carattere speciale');
		// Every rule met (the refusal message above the new typing stays until the next save).
		expect(terminal.screen()).not.toMatch(/✗ (?:almeno|una|un |max)/);
		terminal.write(KEYS.enter);
		await terminal.waitForText(/› Conferma la nuova password\s+\[/);
		terminal.write(KEYS.ctrlU);
		await terminal.waitForText(/› Conferma la nuova password\s+\[\s*\]/);
		await terminal.type(NEW_PASSWORD);
		await terminal.waitForText(new RegExp(`› Conferma la nuova password\\s+\\[•{${NEW_PASSWORD.length}}`));
		terminal.write(KEYS.enter);

		// Back on the login screen, not logged in.
		await terminal.waitForText('Password reimpostata: accedi con la nuova password.');
		await terminal.waitForText('Tentativi rimasti: 5');
		expect(terminal.screen()).not.toContain('MARIO ROSSI');
		expect(terminal.screen()).not.toContain(NEW_PASSWORD);

		// The old password no longer works...
		await terminal.waitForText(/› Indirizzo e-mail o nome utente/);
		await terminal.type(MARIO.userId);
		terminal.write(KEYS.tab);
		await terminal.waitForText(/› Password/);
		await terminal.type(MARIO.password);
		terminal.write(KEYS.enter);
		await terminal.waitForText('Nome utente o password non corretti.');
		await terminal.waitForText('Tentativi rimasti: 4');

		// ...the new one does (the password field is emptied and focused after the failure).
		await terminal.waitForText(/› Password/);
		await terminal.type(NEW_PASSWORD);
		terminal.write(KEYS.enter);
		await terminal.waitForText('Il tuo certificato è');
		expect(terminal.screen()).toContain('MARIO ROSSI');
	});

	it('a holder without a secret question: the code step as for anyone, then the refusal saying what to do, and the password unchanged', async () => {
		const data = demoFolder();
		await new Store(data).update(db => {
			db.holders.find(holder => holder.userId === MARIO.userId)!.secretQuestion = null;
		});
		const passwordHash = (await new Store(data).read()).holders.find(holder => holder.userId === MARIO.userId)!.passwordHash;
		const terminal = open(['--data', data]);
		await openPasswordRecovery(terminal);
		await submitUserId(terminal, MARIO.userId);
		await terminal.type(newestSmsCode(data));
		terminal.write(KEYS.enter);
		await terminal.waitForText(words('Per recuperare la password servono il codice SMS e la risposta alla domanda segreta, che non hai ancora impostato.'));
		await terminal.waitForText(words('accedi e imposta la domanda segreta in «Gestisci il tuo account»; altrimenti contatta l’operatore (RAO)'));
		const text = terminal.screen();
		expect(text).not.toMatch(/Domanda segreta \(completato\)|Nuova password \(in corso\)/);
		expect((await new Store(data).read()).holders.find(holder => holder.userId === MARIO.userId)!.passwordHash).toBe(passwordHash);
	});

	it('answers an unknown User ID with exactly the same code step as a registered one', async () => {
		const data = demoFolder();
		const smsBefore = phoneMessages(data).length;
		const terminal = open(['--data', data]);

		await openPasswordRecovery(terminal);
		const unknown = await submitUserId(terminal, 'JCPD0000');

		// Esc asks first (a code may be on its way); "Sì, annulla" goes back to the login screen; the same steps with MARIO.
		terminal.write(KEYS.escape);
		await terminal.waitForText('Annullare l’operazione?');
		terminal.write(KEYS.tab);
		terminal.write('\r');
		await openPasswordRecovery(terminal);
		const known = await submitUserId(terminal, MARIO.userId);

		expect(unknown).toMatch(CODE_INTRO);
		expect(unknown).not.toMatch(/JCPD|non (?:è )?registrat|sconosciut|non esiste/i);
		expect(unknown).toBe(known);
		// Only the registered holder's phone got a code.
		expect(phoneMessages(data)).toHaveLength(smsBefore + 1);
	});
});
