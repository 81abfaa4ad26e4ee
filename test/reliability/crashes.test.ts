import {createHmac} from 'node:crypto';
import {existsSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {SignatureLog} from '../../source/core/history/signature-log.js';
import {loadOrCreateKey} from '../../source/core/keys.js';
import {Portal} from '../../source/core/portal.js';
import {Store} from '../../source/core/store/store.js';
import {WORKERS} from '../helpers/root.js';
import {e2eFixture, runCli, typeLogin} from '../helpers/cli.js';
import {allAccessEntries, logIn, MARIO} from '../helpers/portal.js';
import {allFiles, outboxRecords, realClockDemo, scaled, startPortalWorker, type Confirmed, type PortalWorker} from '../helpers/reliability.js';

/*
 * Issue 9, point 2. Writers SIGKILLed at random moments while they log in, send and confirm
 * OTPs, change the PIN and sign; and a full disk or read-only data folder, simulated in the
 * file-system calls of the real CLI (a preload, test/workers/fs-faults.ts), so it also works as root.
 */

const demoCopy = realClockDemo({otpMessagesMax: 1_000_000});
/** Most workers do short operations; every 10th alternates PIN changes and signatures (long, multi-step ones). */
const SHORT = 'otp:40,confirm:35,login:25';
const LONG = 'pin:1,sign:1';
const temporaries = (directory: string) => allFiles(directory).filter(file => file.endsWith('.tmp'));

describe('SIGKILL at random moments during a writing workload', () => {
	const kills = scaled(50, 1000);
	const lanes = 3;
	it(`${kills} kills of ${lanes} concurrent writers: the database always validates, keeps every confirmed operation, and the next start works and cleans up`, async () => {
		const directory = await demoCopy();
		const confirmed: (Confirmed & {tag: string})[] = [];
		let killed = 0;
		let started = 0;
		let killedMidWrite = 0;
		let validations = 0;

		const lane = async () => {
			while (killed < kills) {
				const number = started++;
				const long = number % 10 === 0;
				const worker: PortalWorker = startPortalWorker(directory, `k${number}`, 100, long ? LONG : SHORT, {forever: true});
				// A long worker first completes a PIN change and a signature, a short one its first operation, so
				// every kind is among the confirmed operations however slowly a loaded machine runs them.
				await worker.confirmations(long ? 2 : 1);
				// A random moment of its work: inside or between writes.
				await new Promise(resolve => setTimeout(resolve, Math.random() * 500));
				worker.child.kill('SIGKILL');
				expect(await worker.exit, `${worker.tag} ended by the kill, not by itself: ${worker.errors.join('; ')} ${worker.stderr()}`).toBeNull();
				killed++;
				expect(worker.errors, worker.tag).toEqual([]);
				confirmed.push(...worker.confirmed.map(entry => ({...entry, tag: worker.tag})));
				if (temporaries(directory).some(file => file.includes(`.${worker.child.pid}.`))) killedMidWrite++;
				// Whatever the others are doing, the file on disk is always a whole, valid database.
				await new Store(directory).read();
				validations++;
			}
		};
		await Promise.all(Array.from({length: lanes}, lane));
		expect(killed).toBeGreaterThanOrEqual(kills);
		expect(validations).toBe(killed);
		// Some kills landed inside a write (a temp file of the dead process was left behind).
		expect(killedMidWrite).toBeGreaterThan(0);

		// The next start works (no lock is left held), and its first write clears the dead writers' temp files.
		const portal = await Portal.open({dataDirectory: directory, terminal: 'after'});
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		await portal.sessions.logout(session);
		expect(temporaries(directory)).toEqual([]);
		const status = runCli(['status', '--user', MARIO.userId, '--data', directory]);
		expect(status.status, status.stderr).toBe(0);

		const db = await new Store(directory).read();
		const ofKind = (kind: string) => confirmed.filter(entry => entry.kind === kind);
		for (const kind of ['otp', 'confirm', 'login', 'pin', 'sign']) expect(ofKind(kind).length, kind).toBeGreaterThan(0);
		// Identifiers unique, counters never behind what was handed out.
		// The access log left db.json for <data>/access/ (a crash between its append and db.json's write never duplicates a line).
		const accessLog = allAccessEntries(directory);
		expect(db.accessLog.every(entry => accessLog.some(logged => logged.id === entry.id))).toBe(true);
		// Each log numbers its own entries (a holder's counter is in their document): unique in each, never behind its counter.
		for (const userId of new Set(accessLog.map(entry => entry.userId))) {
			const ids = accessLog.filter(entry => entry.userId === userId).map(entry => entry.id);
			expect(new Set(ids).size, String(userId)).toBe(ids.length);
			expect(Math.max(...ids), String(userId)).toBe(db.sequences[userId === null ? 'accessLog' : `accessLog:${userId}`]);
		}
		expect(new Set(db.challenges.map(entry => entry.id)).size).toBe(db.challenges.length);
		expect(new Set(db.sessions.map(entry => entry.id)).size).toBe(db.sessions.length);
		// Every confirmed login (and its logout) is in the data.
		const sessions = new Map(db.sessions.map(entry => [entry.id, entry]));
		for (const login of ofKind('login')) expect(sessions.get(String(login.details['session']))?.endReason, `${login.tag} #${login.index}`).toBe('logout');
		// Every confirmed OTP, PIN change and signature: its challenge confirmed, its SMS in the outbox with that code.
		const challenges = new Map(db.challenges.map(entry => [entry.id, entry]));
		const outbox = outboxRecords(directory);
		const outboxCounter = Number(readFileSync(join(directory, 'outbox.sequence'), 'utf8'));
		const pepper = await loadOrCreateKey(directory, 'pepper');
		for (const entry of confirmed.filter(item => item.details['challenge'] !== undefined)) {
			const challenge = challenges.get(String(entry.details['challenge']));
			expect(challenge?.state, `${entry.tag} #${entry.index} ${entry.kind}`).toBe(entry.kind === 'otp' ? 'pending' : 'confirmed');
			const id = Number(entry.details['outbox']);
			expect(id).toBeLessThanOrEqual(outboxCounter);
			const code = /codice OTP (\d{8})/.exec(outbox.get(id)!.text)![1]!;
			expect(createHmac('sha256', pepper).update(`${challenge!.id}:${code}`).digest('hex')).toBe(challenge!.codeHash);
		}
		// Outbox numbers are taken from outbox.sequence, fsynced before the message's operation commits: none beyond it.
		expect(Math.max(...outbox.keys())).toBeLessThanOrEqual(outboxCounter);
		const pending = new Set(db.pinChanges.map(change => change.id));
		for (const change of ofKind('pin')) expect(pending.has(String(change.details['change']))).toBe(false);
		// The PIN still opens the signing key (a PIN change killed halfway never swapped in half a change).
		expect(await portal.pin.attemptsLeft(await logIn(portal, MARIO.userId, MARIO.password))).toBe(3);
		const history = (await new SignatureLog(directory).read(MARIO.userId)).records.filter(record => record.outcome === 'success').map(record => record.document);
		for (const signature of ofKind('sign')) {
			const name = String(signature.details['document']);
			expect(history, name).toContain(name);
			expect(existsSync(join(directory, 'documents', signature.tag, `${name}.p7m`))).toBe(true);
		}
		// Files stay private after all those writes.
		for (const file of allFiles(directory).filter(path => !path.startsWith('documents/'))) expect(statSync(join(directory, file)).mode & 0o077, file).toBe(0);
		// The very last signature still works with the PIN: the key was never left sealed under a half-done change.
		const {signed} = await signOnce(portal, directory);
		expect(signed).toHaveLength(1);
	}, scaled(300_000, 3_600_000));
});

async function signOnce(portal: Portal, directory: string) {
	const file = join(directory, 'documents', 'final.txt');
	writeFileSync(file, 'finale\n');
	const documents = await portal.signing.inspect([file]);
	const session = await logIn(portal, MARIO.userId, MARIO.password);
	const challenge = await portal.signing.requestOtp(session, documents, MARIO.pin);
	const code = /codice OTP (\d{8})/.exec((await portal.phone.messages(MARIO.userId)).at(-1)!.text)![1]!;
	return portal.signing.sign(session, {documents, pin: MARIO.pin, challengeId: challenge.id, code});
}

/** Mario locked out of logging in (as by too many wrong passwords), for `admin unlock` to lift. */
async function lockOut(directory: string): Promise<void> {
	const now = new Date();
	await new Store(directory).update(db => {
		db.loginThrottle[`user:${MARIO.userId}`] = {failures: 5, lockedUntil: new Date(now.getTime() + 3_600_000).toISOString(), lockouts: 1, lastFailureAt: now.toISOString()};
	}, MARIO.userId);
}

/** The CLI with the file system under `directory` failing like a full disk or a read-only mount. */
function faultyCli(fault: 'ENOSPC' | 'EROFS', directory: string, args: readonly string[]) {
	return runCli([...args, '--data', directory], {env: {NODE_OPTIONS: `--import=${join(WORKERS, 'fs-faults.mjs')}`, MYSIGN_FAULT: fault, MYSIGN_FAULT_DIR: directory}});
}

describe('a full disk and a read-only data folder', () => {
	const writes: [string, string[]][] = [
		['coupon create', ['admin', 'coupon', 'create']],
		['unlock', ['admin', 'unlock', MARIO.userId]],
		['scenario', ['demo', '--scenario', 'locked']],
		['crl', ['crl']],
		// A new holder: their document and the index are written as temps, then db.json commits them.
		['enroll', ['admin', 'enroll', '--name', 'Laura', '--surname', 'Bianco', '--codice-fiscale', 'BNCLRA90A41H501F', '--phone', '3331234569', '--email', 'laura.bianco@example.it']],
	];
	for (const fault of ['ENOSPC', 'EROFS'] as const) {
		it.each(writes)(`${fault}: %s fails with a clear Italian message and leaves every file as it was`, async (_name, args) => {
			const directory = await demoCopy();
			// Something to unlock: a store that changes nothing writes nothing, so `unlock` on an unlocked holder has no write to fail.
			if (args[1] === 'unlock') await lockOut(directory);
			const before = new Map(allFiles(directory).map(file => [file, readFileSync(join(directory, file))]));
			const result = faultyCli(fault, directory, args);
			expect(result.status, result.stdout + result.stderr).toBe(1);
			expect(result.stderr).toContain(fault === 'ENOSPC' ? 'ENOSPC' : 'EROFS');
			expect(result.stderr).toMatch(/^Impossibile (salvare il database|scrivere) .+ \((ENOSPC|EROFS)/);
			expect(result.stderr).toContain('I dati precedenti sono intatti');
			expect(result.stderr).not.toMatch(/Errore imprevisto|\n\s+at /);
			const after = allFiles(directory);
			expect(after).toEqual([...before.keys()]);
			for (const file of after) expect(readFileSync(join(directory, file)).equals(before.get(file)!), file).toBe(true);
			// Once the disk has room again, the same command works.
			const again = runCli([...args, '--data', directory]);
			expect(again.status, again.stderr).toBe(0);
		});
	}
});

describe('a full disk and a read-only data folder in the full-screen portal', () => {
	const {open} = e2eFixture();
	it.each(['ENOSPC', 'EROFS'] as const)('%s: logging in shows the Italian message on the login screen, the portal keeps running, every file as it was', async fault => {
		const directory = await demoCopy();
		const before = new Map(allFiles(directory).map(file => [file, readFileSync(join(directory, file))]));
		const terminal = open(['--data', directory], {env: {NODE_OPTIONS: `--import=${join(WORKERS, 'fs-faults.mjs')}`, MYSIGN_FAULT: fault, MYSIGN_FAULT_DIR: directory}});
		await typeLogin(terminal, MARIO.userId, MARIO.password);
		await terminal.waitForText(/Impossibile (salvare il database|scrivere)/);
		// A long path (holders/<userID>.json) wraps the message: compared with every run of spaces as one.
		const message = terminal.screen().replace(/\s+/g, ' ');
		expect(message).toContain(fault);
		expect(message).toContain('I dati precedenti sono intatti');
		expect(terminal.exited).toBe(false);
		expect(terminal.screen()).toContain('Tentativi rimasti');
		terminal.write('\u0003');
		await terminal.waitForExit();
		expect(allFiles(directory)).toEqual([...before.keys()]);
		for (const [file, content] of before) expect(readFileSync(join(directory, file)).equals(content), file).toBe(true);
	});
});
