import {describe, expect, it} from 'vitest';
import {Portal} from '../../source/core/portal.js';
import {Store} from '../../source/core/store/store.js';
import {demoFolderCopies} from '../helpers/demo-template.js';
import {e2eFixture, runCli} from '../helpers/cli.js';
import {GIULIA, lastSmsCode, logIn, MARIO} from '../helpers/portal.js';

/*
 * Issue 19: `mysign phone` in a workshop. After 10 SMS the newest code is on the 80×24 screen,
 * the inbox says what is out of view and pages with PgUp/PgDn; `--print --json` gives the code
 * and the requests waiting; `--approve` / `--deny` answer a request for scripts.
 */

const {open} = e2eFixture();
const demoCopy = demoFolderCopies();

/** A demo folder where MARIO has received `count` SMS codes, sent by the core (PIN changes started). */
async function marioWithSms(count: number): Promise<{data: string; portal: Portal; codes: string[]}> {
	const data = await demoCopy();
	// More than 5 codes within 15 minutes: the per-holder limit is raised as a trainer would.
	await new Store(data).update(db => {
		db.settings.otpMessagesMax = 100;
	});
	const portal = await Portal.open({dataDirectory: data, terminal: 'test'});
	const session = await logIn(portal, MARIO.userId, MARIO.password);
	const codes: string[] = [];
	for (let index = 0; index < count; index++) {
		await portal.pin.startChange(session, {currentPin: MARIO.pin, newPin: '11223344', newPinAgain: '11223344'});
		codes.push(await lastSmsCode(portal, MARIO.userId));
	}
	return {data, portal, codes};
}

/** A push request waiting on GIULIA's app: she starts a PIN change (her channel is the app, with notifications). */
async function giuliaRequest(portal: Portal) {
	const session = await logIn(portal, GIULIA.userId, GIULIA.password);
	const {challenge} = await portal.pin.startChange(session, {currentPin: GIULIA.pin, newPin: '11223344', newPinAgain: '11223344'});
	expect(challenge.channel).toBe('push');
	return {session, challenge};
}

describe('mysign phone at 80×24', () => {
	it('after 10 SMS shows the newest code pinned, says how many messages are out of view, and pages through all of them', async () => {
		const {data, codes} = await marioWithSms(10);
		const newest = codes.at(-1)!;
		const phone = open(['phone', '--data', data, '--user', MARIO.userId]);
		await phone.waitForText(`Ultimo codice SMS: ${newest}`);
		await phone.waitForText(/▼ \d+ messaggi più vecchi sotto \(PagGiù\)/);
		const first = phone.screen();
		expect(first).toContain('App non attivata.');
		expect(first).toContain('Messaggi (10)');
		// Nothing waits: no request buttons, and Tab goes round the three controls only.
		expect(first).toContain('Nessuna richiesta di conferma in attesa.');
		expect(first).not.toContain('Approva richiesta');
		phone.write('\t\t');
		await phone.waitForText('› [ Nega ]');
		phone.write('\t');
		await phone.waitForText('› Codice mostrato dal portale');
		// The empty code box keeps its middle row unfocused too.
		phone.write('\t');
		await phone.waitForText('› [ Approva accesso ]');
		expect(phone.screen()).toMatch(/┌─+┐\n\s*│\s+│\n\s*└─+┘/);

		// PgDn to the end: every code is seen once, the newest stays pinned on every page.
		const seen = new Set<string>();
		const collect = () => {
			for (const match of phone.screen().matchAll(/^(\d{8}) generato alle ore/gm)) seen.add(match[1]!);
		};
		collect();
		for (let page = 0; page < 10 && phone.screen().includes('(PagGiù)'); page++) {
			const before = phone.screen();
			phone.write('\u001b[6~');
			await phone.waitForText(/▲ \d+ messaggi? più recent[ei] sopra \(PagSu\)/);
			await expect.poll(() => phone.screen()).not.toBe(before);
			expect(phone.screen()).toContain(`Ultimo codice SMS: ${newest}`);
			collect();
		}
		expect([...seen].sort()).toEqual([...codes].sort());
		// PgUp back to the top: the newest message first again.
		for (let page = 0; page < 10 && phone.screen().includes('PagSu)'); page++) {
			const before = phone.screen();
			phone.write('\u001b[5~');
			await expect.poll(() => phone.screen()).not.toBe(before);
		}
		expect(phone.screen()).toMatch(new RegExp(`Messaggi \\(10\\)\\n.*\\n${newest} generato`));

		phone.write('?');
		await phone.waitForText('PagSu/PagGiù messaggi');
		expect(phone.screen()).toContain(`Ultimo codice SMS: ${newest}`);
		phone.write('\u001b');
		await phone.waitForText('Messaggi (10)');
	});

	it('shows a waiting request by name, with its buttons, and approving it there leaves no buttons', async () => {
		const data = await demoCopy();
		const portal = await Portal.open({dataDirectory: data, terminal: 'test'});
		const {session, challenge} = await giuliaRequest(portal);
		const phone = open(['phone', '--data', data, '--user', GIULIA.userId]);
		await phone.waitForText('Richiesta di conferma: Modifica PIN');
		expect(phone.screen()).not.toContain('pin.change');
		expect(phone.screen()).toMatch(/App MyInfoCert: \d{8}/);
		phone.write('\t\t\t');
		await phone.waitForText('› [ Approva richiesta ]');
		phone.write('\r');
		await phone.waitForText('Richiesta approvata.');
		await phone.waitForText('Nessuna richiesta di conferma in attesa.');
		expect(phone.screen()).not.toContain('Approva richiesta');
		await phone.waitForText('› Codice mostrato dal portale');
		expect((await portal.otp.challengeState(session, challenge.id)).state).toBe('approved');
	});
});

describe('mysign phone --print --json', () => {
	it('has the newest SMS code as `code`, and the requests waiting with their names', async () => {
		const {data, portal, codes} = await marioWithSms(3);
		const mario = runCli(['phone', '--data', data, '--user', MARIO.userId, '--print', '--json']);
		expect(mario.status, mario.stderr).toBe(0);
		const printed = JSON.parse(mario.stdout) as {code: {sms: string | null; app: string | null; smsAt: string}; pendingRequests: unknown[]; messages: {text: string}[]};
		expect(printed.code).toMatchObject({sms: codes.at(-1), app: null});
		expect(printed.messages[0]!.text).toContain(codes.at(-1));
		expect(printed.pendingRequests).toEqual([]);

		const {challenge} = await giuliaRequest(portal);
		const giulia = JSON.parse(runCli(['phone', '--data', data, '--user', GIULIA.userId, '--print', '--json']).stdout) as {code: {sms: string | null; app: string | null}; pendingRequests: {id: string; operation: string; label: string}[]};
		expect(giulia.code.sms).toBeNull();
		expect(giulia.code.app).toMatch(/^\d{8}$/);
		expect(giulia.pendingRequests).toMatchObject([{id: challenge.id, operation: 'pin.change', label: 'Modifica PIN'}]);
		const english = JSON.parse(runCli(['phone', '--data', data, '--user', GIULIA.userId, '--print', '--json', '--lang', 'en']).stdout) as {pendingRequests: {label: string}[]};
		expect(english.pendingRequests[0]!.label).toBe('Change PIN');
		const text = runCli(['phone', '--data', data, '--user', GIULIA.userId, '--print']);
		expect(text.stdout).toContain('Richieste di conferma in attesa:\n  Modifica PIN');
	});
});

describe('mysign phone --approve / --deny', () => {
	it('approves, then denies, the request waiting; with none waiting, says so and exits 1', async () => {
		const data = await demoCopy();
		const portal = await Portal.open({dataDirectory: data, terminal: 'test'});
		const first = await giuliaRequest(portal);
		const approved = runCli(['phone', '--data', data, '--user', GIULIA.userId, '--approve']);
		expect(approved.status, approved.stderr).toBe(0);
		expect(approved.stdout).toBe('Richiesta approvata: Modifica PIN.\n');
		expect((await portal.otp.challengeState(first.session, first.challenge.id)).state).toBe('approved');

		const none = runCli(['phone', '--data', data, '--user', GIULIA.userId, '--approve']);
		expect(none.status).toBe(1);
		expect(none.stderr).toBe('Nessuna richiesta di conferma in attesa per JCPD2841: nulla è stato approvato o negato.\n');

		const second = await giuliaRequest(portal);
		const denied = runCli(['phone', '--data', data, '--user', GIULIA.userId, '--deny', '--json']);
		expect(denied.status, denied.stderr).toBe(0);
		expect(JSON.parse(denied.stdout)).toMatchObject({userId: GIULIA.userId, answered: 'denied', request: {id: second.challenge.id, operation: 'pin.change'}});
		expect((await portal.otp.challengeState(second.session, second.challenge.id)).state).toBe('denied');

		const both = runCli(['phone', '--data', data, '--user', GIULIA.userId, '--approve', '--deny']);
		expect(both.status).toBe(2);
		expect(both.stderr).toContain('--approve oppure --deny');
	});

	it('only the OS user who activated the app approves: another user is refused and the request stays waiting', async () => {
		const data = await demoCopy();
		const portal = await Portal.open({dataDirectory: data, terminal: 'test'});
		const {session, challenge} = await giuliaRequest(portal);
		// The app was activated by another OS user on this server.
		await new Store(data).update(db => {
			const app = db.holders.find(holder => holder.userId === GIULIA.userId)!.otp.app!;
			app.device = process.getuid!() + 1;
		});
		const refused = runCli(['phone', '--data', data, '--user', GIULIA.userId, '--approve']);
		expect(refused.status).toBe(1);
		expect(refused.stderr).toContain('solo chi l’ha attivata può approvare');
		expect((await portal.otp.challengeState(session, challenge.id)).state).toBe('pending');
	});
});
