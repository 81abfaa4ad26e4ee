import {createHash} from 'node:crypto';
import {existsSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runCli, startCli} from '../helpers/cli.js';
import {GIULIA, MARIO, temporaryDirectory} from '../helpers/holders.js';
import {copyDemoTemplate} from '../helpers/templates.js';
import {holderDocument, holderFile, recordFiles} from '../helpers/data-folder.js';

/*
 * Issue 16 item 3: `mysign sign` logs in first. Without the account password nobody can
 * spend a holder's PIN attempts or send SMS in the holder's name; the login counts toward the
 * portal's lock-out; a CLI session spares scripts the password, and db.json alone cannot use it.
 */

let data = '';
let runtime = '';
const removals: (() => void)[] = [];
beforeAll(() => {
	// What `mysign demo` leaves in a new folder: a copy of the run's template (templates.ts).
	const folder = copyDemoTemplate('cli');
	const tokens = temporaryDirectory();
	removals.push(folder.remove, tokens.remove);
	data = folder.path;
	runtime = tokens.path;
});
afterAll(() => {
	for (const remove of removals) remove();
});

const cli = (args: readonly string[], input = '') => runCli([...args, '--data', data], {input, env: {XDG_RUNTIME_DIR: runtime}});
const smsCount = () => (existsSync(join(data, 'outbox')) ? readdirSync(join(data, 'outbox')).filter(name => name.endsWith('.sms.json')).length : 0);
const pinFailures = (userId: string) => {
	const shown = cli(['admin', 'show', userId, '--json']);
	expect(shown.status, shown.stderr).toBe(0);
	return (JSON.parse(shown.stdout) as {pinFailures: number}).pinFailures;
};
function documentNamed(name: string): string {
	const path = join(data, name);
	writeFileSync(path, `documento ${name}\n`);
	return path;
}

describe('mysign sign without the account password', () => {
	it("three wrong PINs (no password, then a wrong one) leave GIULIA's certificate active and her PIN count at 0", () => {
		const file = documentNamed('f.txt');
		for (let attempt = 0; attempt < 3; attempt++) {
			const result = cli(['sign', file, '--user', GIULIA.userId, '--pin-stdin', '--otp', '12345678'], '00000000\n');
			expect(result.status, result.stderr).toBe(2);
			expect(result.stderr).toContain('--password-stdin');
		}
		for (let attempt = 0; attempt < 3; attempt++) {
			const result = cli(['sign', file, '--user', GIULIA.userId, '--password-stdin', '--pin-stdin', '--otp', '12345678'], 'Sbagliata!99\n00000000\n');
			expect(result.status, result.stderr).toBe(1);
			expect(result.stderr).toContain(`Tentativi rimasti: ${4 - attempt}`);
		}
		expect(cli(['status', '--user', GIULIA.userId]).status).toBe(0);
		expect(pinFailures(GIULIA.userId)).toBe(0);
		expect(existsSync(`${file}.p7m`)).toBe(false);
	});

	it('the wrong passwords count toward the portal lock-out: after 5, even the right password is refused', () => {
		const file = documentNamed('g.txt');
		// 3 wrong ones above, 2 more here.
		for (let attempt = 0; attempt < 2; attempt++) expect(cli(['sign', file, '--user', GIULIA.userId, '--password-stdin', '--send-otp'], 'Sbagliata!99\n').status).toBe(1);
		const right = cli(['sign', file, '--user', GIULIA.userId, '--password-stdin', '--send-otp'], `${GIULIA.password}\n`);
		expect(right.status).toBe(1);
		expect(right.stderr).toContain('Accesso bloccato');
		expect(pinFailures(GIULIA.userId)).toBe(0);
	});

	it('a dozen --send-otp without the password send no SMS, before the lock-out and after it; with it, one', () => {
		const file = documentNamed('h.txt');
		const before = smsCount();
		// Half with no password at all (refused before anything), half with a wrong one (a failed login each):
		// the fifth wrong one locks the account, the sixth is tried while it is locked.
		for (let attempt = 0; attempt < 12; attempt++) {
			const result = attempt % 2 === 0 ? cli(['sign', file, '--user', MARIO.userId, '--send-otp']) : cli(['sign', file, '--user', MARIO.userId, '--password-stdin', '--send-otp'], 'Sbagliata!99\n');
			expect(result.status).not.toBe(0);
		}
		// Locked: even the right password sends nothing.
		const locked = cli(['sign', file, '--user', MARIO.userId, '--password-stdin', '--send-otp'], `${MARIO.password}\n`);
		expect(locked.status).toBe(1);
		expect(locked.stderr).toContain('Accesso bloccato');
		expect(smsCount()).toBe(before);
		// Unlocked by an operator, the password works.
		expect(cli(['admin', 'unlock', MARIO.userId]).status).toBe(0);
		const sent = cli(['sign', file, '--user', MARIO.userId, '--password-stdin', '--send-otp'], `${MARIO.password}\n`);
		expect(sent.status, sent.stderr).toBe(0);
		expect(smsCount()).toBe(before + 1);
	});
});

describe('the command-line session', () => {
	it('kept in a private token file whose secret no record file (db.json, holders/) holds; reused without the password; ended by `mysign logout`', () => {
		const file = documentNamed('s.txt');
		const first = cli(['sign', file, '--user', MARIO.userId, '--password-stdin', '--send-otp'], `${MARIO.password}\n`);
		expect(first.status, first.stderr).toBe(0);

		const folder = join(runtime, 'mysign');
		expect(statSync(folder).mode & 0o777).toBe(0o700);
		const tokens = readdirSync(folder);
		expect(tokens).toHaveLength(1);
		const tokenFile = join(folder, tokens[0]!);
		expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
		const token = JSON.parse(readFileSync(tokenFile, 'utf8')) as {sessionId: string; secret: string};
		// db.json and every holder document: the session is MARIO's (holders/<userID>.json), its secret nowhere.
		expect(recordFiles(data)).toContain(holderFile(data, MARIO.userId));
		for (const recordFile of recordFiles(data)) expect(readFileSync(recordFile, 'utf8'), recordFile).not.toContain(token.secret);
		expect(readFileSync(holderFile(data, MARIO.userId), 'utf8')).toContain(createHash('sha256').update(token.secret).digest('hex'));
		const record = holderDocument(data, MARIO.userId).sessions.find(session => session.id === token.sessionId)!;
		expect(record.terminal).toMatch(/^CLI mysign sign/);

		// No password: the session serves (a second SMS is sent).
		const before = smsCount();
		const again = cli(['sign', file, '--user', MARIO.userId, '--send-otp']);
		expect(again.status, again.stderr).toBe(0);
		expect(smsCount()).toBe(before + 1);

		// Whoever reads the data files knows the session's ID, not its secret: a forged token is no session.
		writeFileSync(tokenFile, JSON.stringify({sessionId: token.sessionId, secret: 'x'.repeat(43)}), {mode: 0o600});
		const forged = cli(['sign', file, '--user', MARIO.userId, '--send-otp']);
		expect(forged.status).toBe(2);
		expect(smsCount()).toBe(before + 1);

		// Logged in again, then logged out: the session is ended in the store and the token is gone.
		expect(cli(['sign', file, '--user', MARIO.userId, '--password-stdin', '--send-otp'], `${MARIO.password}\n`).status).toBe(0);
		const second = JSON.parse(readFileSync(tokenFile, 'utf8')) as {sessionId: string};
		const out = cli(['logout', '--user', MARIO.userId]);
		expect(out.status, out.stderr).toBe(0);
		expect(out.stdout).toContain('chiusa');
		expect(existsSync(tokenFile)).toBe(false);
		const ended = holderDocument(data, MARIO.userId).sessions.find(session => session.id === second.sessionId)!;
		expect(ended.endReason).toBe('logout');
		const after = cli(['sign', file, '--user', MARIO.userId, '--send-otp']);
		expect(after.status).toBe(2);
		expect(after.stderr).toContain('--password-stdin');
	});
});

describe('on a terminal', () => {
	it('asks the account password hidden, then the PIN; a wrong password ends it before the PIN is asked', async () => {
		const tokens = temporaryDirectory();
		removals.push(tokens.remove);
		const file = documentNamed('t.txt');
		const env = {XDG_RUNTIME_DIR: tokens.path};
		const wrong = startCli(['sign', file, '--user', MARIO.userId, '--data', data], {env});
		try {
			await wrong.waitForText(`Password dell’account ${MARIO.userId}`);
			await wrong.type('Sbagliata!99');
			wrong.write('\r');
			expect((await wrong.waitForExit()).exitCode).toBe(1);
			expect(wrong.screen()).toContain('Tentativi rimasti');
			expect(wrong.screen()).not.toContain('Sbagliata');
			expect(wrong.screen()).not.toContain('PIN di firma');
		} finally {
			wrong.dispose();
		}
		const before = smsCount();
		const right = startCli(['sign', file, '--user', MARIO.userId, '--data', data], {env});
		try {
			await right.waitForText(`Password dell’account ${MARIO.userId}`);
			await right.type(MARIO.password);
			right.write('\r');
			await right.waitForText('PIN di firma (tentativi rimasti: 3)');
			expect(right.screen()).not.toContain(MARIO.password);
			await right.type(MARIO.pin);
			right.write('\r');
			await right.waitForText('Codice OTP');
			expect(smsCount()).toBe(before + 1);
			expect(right.screen()).not.toContain(MARIO.pin);
		} finally {
			right.dispose();
		}
	});
});

describe('one limit on OTP messages per holder, whatever sends them', () => {
	it('with the password, the sixth SMS within 15 minutes is refused with the time of the next, and none is sent', () => {
		const folder = copyDemoTemplate('cli');
		removals.push(folder.remove);
		const own = (args: readonly string[], input = '') => runCli([...args, '--data', folder.path], {input, env: {XDG_RUNTIME_DIR: runtime}});
		const sms = () => readdirSync(join(folder.path, 'outbox')).filter(name => name.endsWith('.sms.json')).length;
		const file = join(folder.path, 'limite.txt');
		writeFileSync(file, 'documento\n');
		for (let sent = 1; sent <= 5; sent++) {
			const result = own(['sign', file, '--user', MARIO.userId, '--password-stdin', '--send-otp'], `${MARIO.password}\n`);
			expect(result.status, result.stderr).toBe(0);
			expect(sms()).toBe(sent);
		}
		const sixth = own(['sign', file, '--user', MARIO.userId, '--password-stdin', '--send-otp'], `${MARIO.password}\n`);
		expect(sixth.status).toBe(1);
		expect(sixth.stderr).toMatch(/potrai richiederne un altro dalle \d\d:\d\d/);
		expect(sms()).toBe(5);
	});
});
