import {createHmac} from 'node:crypto';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {SignatureLog} from '../../source/core/history/signature-log.js';
import {loadOrCreateKey} from '../../source/core/keys.js';
import {Portal} from '../../source/core/portal.js';
import type {Database} from '../../source/core/store/schema.js';
import {Store} from '../../source/core/store/store.js';
import {allAccessEntries, logIn, MARIO} from '../helpers/portal.js';
import {outboxRecords, realClockDemo, scaled, startPortalWorker, type PortalWorker} from '../helpers/reliability.js';
import {storeOf} from '../helpers/internals.js';

/*
 * Several processes doing real portal operations on one data folder at once (issue 9, point 1):
 * logins (with logout), OTP requests (some confirmed with the code from the outbox), PIN changes
 * and signatures, all as MARIO. Afterwards every operation a worker was told had succeeded must be
 * in the data, every counter exact, every identifier unique, and no worker met an error.
 * Every store operation re-reads and re-validates the whole file under the lock (~10-20 ms
 * here), and argon2 makes logins, PIN changes and signatures costly on 2 cores, so most
 * operations are OTP requests (one store write each). 600 operations by default (the store's lock
 * switched off, they lose updates at once: see the soak note in helpers/reliability.ts);
 * `npm run test:soak` runs 6000.
 */

const MIX = 'otp:76,confirm:14,login:6,pin:2,sign:2';
const USER = 'JCPD7173';
const demoCopy = realClockDemo({otpMessagesMax: 1_000_000});

/** The code of an SMS challenge, found in the outbox by its HMAC (as the workers do). */
async function codeOf(directory: string, challengeId: string): Promise<string | undefined> {
	const pepper = await loadOrCreateKey(directory, 'pepper');
	const challenge = (await new Store(directory).read()).challenges.find(entry => entry.id === challengeId)!;
	for (const record of outboxRecords(directory).values()) {
		const code = /codice OTP (\d{8})/.exec(record.text)?.[1];
		if (code && createHmac('sha256', pepper).update(`${challengeId}:${code}`).digest('hex') === challenge.codeHash) return code;
	}
	return undefined;
}

function unique<T>(values: readonly T[]): boolean {
	return new Set(values).size === values.length;
}

async function runWorkload(processes: number, perProcess: number): Promise<void> {
	const directory = await demoCopy();
	const before = await new Store(directory).read();
	const accessBefore = allAccessEntries(directory);
	const historyBefore = (await new SignatureLog(directory).read(USER)).records.length;
	const outboxBeforeRecords = outboxRecords(directory);
	const outboxBefore = outboxBeforeRecords.size;

	const workers: PortalWorker[] = Array.from({length: processes}, (_, index) => startPortalWorker(directory, `w${index}`, perProcess, MIX));
	const exits = await Promise.all(workers.map(worker => worker.exit));
	for (const worker of workers) {
		expect(worker.errors, `${worker.tag}: errors`).toEqual([]);
		expect(worker.stderr(), `${worker.tag}: stderr`).toBe('');
		expect(worker.confirmed, `${worker.tag}: operations confirmed`).toHaveLength(perProcess);
	}
	expect(exits).toEqual(workers.map(() => 0));

	// The database validates (Store.read checks the schema) and nothing is left half-written.
	const db: Database = await new Store(directory).read();
	expect(readdirSync(directory).filter(name => name.endsWith('.tmp'))).toEqual([]);
	const all = workers.flatMap(worker => worker.confirmed.map(entry => ({...entry, tag: worker.tag})));
	const ofKind = (kind: string) => all.filter(entry => entry.kind === kind);
	const logins = ofKind('login');
	const withChallenge = all.filter(entry => entry.details['challenge'] !== undefined);
	const signatures = ofKind('sign');
	for (const kind of ['otp', 'confirm', 'login', 'pin', 'sign']) expect(ofKind(kind).length, kind).toBeGreaterThan(0);

	// Access log: a success and a logout per login operation, a success for each worker's own session (for its PIN changes), and a "PIN modificato" per PIN change.
	const accessLog = allAccessEntries(directory);
	expect(db.accessLog.every(entry => accessLog.some(logged => logged.id === entry.id))).toBe(true);
	// Each holder's log numbers its own entries (their counter is in their document, issue 22).
	const ids = accessLog.filter(entry => entry.userId === USER).map(entry => entry.id);
	const own = workers.filter(worker => worker.hasSession()).length;
	expect(unique(ids)).toBe(true);
	const pinChanges = ofKind('pin').length;
	expect(accessLog.filter(entry => entry.outcome === 'pin-changed').length - accessBefore.filter(entry => entry.outcome === 'pin-changed').length).toBe(pinChanges);
	expect(accessLog).toHaveLength(accessBefore.length + own + 2 * logins.length + pinChanges);
	// A holder's counter starts from the folder's when first used.
	const counter = (state: Database) => state.sequences[`accessLog:${USER}`] ?? state.sequences['accessLog'] ?? 0;
	expect(counter(db)).toBe(counter(before) + own + 2 * logins.length + pinChanges);
	expect(Math.max(...ids)).toBe(counter(db));
	for (const worker of workers) {
		const mine = accessLog.filter(entry => entry.terminal === worker.tag);
		const done = worker.confirmed.filter(entry => entry.kind === 'login').length;
		expect(mine.filter(entry => entry.outcome === 'success'), worker.tag).toHaveLength(done + (worker.hasSession() ? 1 : 0));
		expect(mine.filter(entry => entry.outcome === 'logout'), worker.tag).toHaveLength(done);
	}
	// Sessions: every login's session is there, ended by its logout.
	expect(unique(db.sessions.map(session => session.id))).toBe(true);
	const sessions = new Map(db.sessions.map(session => [session.id, session]));
	for (const login of logins) expect(sessions.get(String(login.details['session']))?.endReason, `${login.tag} #${login.index}`).toBe('logout');

	// OTP challenges: each confirmed once, and its SMS in the outbox carries the code that confirmed it.
	expect(unique(db.challenges.map(challenge => challenge.id))).toBe(true);
	const challenges = new Map(db.challenges.map(challenge => [challenge.id, challenge]));
	const outbox = outboxRecords(directory);
	const pepper = await loadOrCreateKey(directory, 'pepper');
	expect(unique(withChallenge.map(entry => entry.details['outbox']))).toBe(true);
	for (const entry of withChallenge) {
		const challenge = challenges.get(String(entry.details['challenge']));
		expect(challenge?.state, `${entry.tag} #${entry.index} ${entry.kind}`).toBe(entry.kind === 'otp' ? 'pending' : 'confirmed');
		const sms = outbox.get(Number(entry.details['outbox']));
		expect(sms?.kind).toBe('sms');
		const code = /codice OTP (\d{8})/.exec(sms!.text)![1]!;
		expect(createHmac('sha256', pepper).update(`${challenge!.id}:${code}`).digest('hex')).toBe(challenge!.codeHash);
	}
	// Outbox: one SMS per OTP, PIN change and signature, the "each signature" report e-mail MARIO asked for, and a "PIN modificato" e-mail per PIN change.
	const expectedOutbox = outboxBefore + withChallenge.length + signatures.length + pinChanges;
	const pinNotices = (records: typeof outbox) => [...records.values()].filter(message => message.kind === 'email' && message.text.includes('il PIN di firma del tuo certificato è stato modificato')).length;
	expect(pinNotices(outbox)).toBe(pinChanges + pinNotices(outboxBeforeRecords));
	expect(outbox.size).toBe(expectedOutbox);
	expect(Number(readFileSync(join(directory, 'outbox.sequence'), 'utf8'))).toBe(expectedOutbox);
	expect([...outbox.keys()].sort((a, b) => a - b)).toEqual(Array.from({length: expectedOutbox}, (_, index) => index + 1));

	// PIN changes all went through; the PIN was never counted wrong and the certificate is usable.
	const pending = new Set(db.pinChanges.map(change => change.id));
	for (const change of ofKind('pin')) expect(pending.has(String(change.details['change']))).toBe(false);
	expect(db.holders.find(holder => holder.userId === USER)!.pinFailures).toBe(0);
	expect(db.certificates.filter(certificate => certificate.userId === USER && certificate.status === 'active')).toHaveLength(1);

	// Signatures: one success record per signed document, and its envelope on disk.
	const history = (await new SignatureLog(directory).read(USER)).records;
	expect(history).toHaveLength(historyBefore + signatures.length);
	const names = history.filter(record => record.outcome === 'success').map(record => record.document);
	for (const signature of signatures) {
		const name = String(signature.details['document']);
		expect(names.filter(document => document === name), name).toHaveLength(1);
		expect(existsSync(join(directory, 'documents', signature.tag, `${name}.p7m`)), name).toBe(true);
	}
}

describe('two terminals of one holder', () => {
	it('can both change the PIN: starting a change in one does not cancel the change pending in the other', async () => {
		const directory = await demoCopy();
		const [first, second] = await Promise.all(['pts/1', 'pts/2'].map(terminal => Portal.open({dataDirectory: directory, terminal})));
		const sessions = [await logIn(first!, MARIO.userId, MARIO.password), await logIn(second!, MARIO.userId, MARIO.password)];
		const newPin = '55501234';
		const changes = [
			await first!.pin.startChange(sessions[0]!, {currentPin: MARIO.pin, newPin, newPinAgain: newPin}),
			await second!.pin.startChange(sessions[1]!, {currentPin: MARIO.pin, newPin, newPinAgain: newPin}),
		];
		const codes = await Promise.all(changes.map(async change => (await codeOf(directory, change.challenge.id))!));
		await first!.pin.confirmChange(sessions[0]!, changes[0]!.changeId, codes[0]!);
		await second!.pin.confirmChange(sessions[1]!, changes[1]!.changeId, codes[1]!);
		expect(await first!.pin.attemptsLeft(sessions[0]!)).toBe(3);
		expect((await storeOf(first!).read()).pinChanges).toEqual([]);
	});
});

describe('many processes, one data folder: every confirmed operation is in the data', () => {
	const runs: [number, number][] = [
		// At least 25 per process: each one's schedule then holds every kind (a PIN change and a signature included).
		[2, scaled(100, 2000)],
		[4, scaled(50, 1000)],
		[8, scaled(25, 500)],
	];
	it.each(runs)('%i processes × %i operations (logins, OTP requests, PIN changes, signatures)', async (processes, perProcess) => {
		await runWorkload(processes, perProcess);
	}, scaled(600_000, 3_600_000));
});
