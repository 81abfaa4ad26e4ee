import {spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {appendFileSync, existsSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {simpleParser} from 'mailparser';
import {afterEach, describe, expect, it} from 'vitest';
import {SignatureLog, type SignatureRecord} from '../../source/core/history/signature-log.js';
import {DEFAULT_HISTORY_FILTER} from '../../source/core/history/query.js';
import {Portal} from '../../source/core/portal.js';
import {runCli} from '../helpers/cli.js';
import {demoCopies} from '../helpers/demo-template.js';
import {DEMO_NOW, errorCode, lastSmsCode, logIn, MARIO, temporaryDirectory, refusal} from '../helpers/portal.js';
import {startWorker} from '../helpers/processes.js';
import {recordFiles} from '../helpers/data-folder.js';
import {storeOf} from '../helpers/internals.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
	while (cleanups.length > 0) cleanups.pop()!();
});
const demoCopy = demoCopies();

const LUCA = {userId: 'JCPD5590', password: 'Montagna_19', pin: '16180339'};
const MARIO_SUSPENSION = {iut: '20547815', erc: '40213769', ercAgain: '40213769', acceptRevocationEffect: false};
const errorOf = (promise: Promise<unknown>) => errorCode(promise, {withAttempts: true});

async function setup() {
	const context = await demoCopy();
	const documents = join(context.directory, 'documenti');
	mkdirSync(documents);
	/** Writes a document to sign and returns its path. */
	const file = (name: string, content: string | Buffer = `Contenuto di ${name}\r\n`) => {
		const path = join(documents, name);
		writeFileSync(path, content);
		return path;
	};
	// Signing needs a live session of the holder (the portal's, or the command line's).
	const holder = await logIn(context.portal, MARIO.userId, MARIO.password);
	return {...context, documents, file, holder};
}


/** The signature log as it is on disk: one JSON object a line. */
function rawRecords(directory: string, userId: string): SignatureRecord[] {
	const file = join(directory, 'signatures', `${userId}.jsonl`);
	if (!existsSync(file)) return [];
	return readFileSync(file, 'utf8')
		.split('\n')
		.filter(line => line !== '')
		.map(line => JSON.parse(line) as SignatureRecord);
}

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');
const smsCount = async (portal: Portal, userId = MARIO.userId) => (await portal.phone.messages(userId)).length;

/** The whole SMS flow for MARIO: inspect, OTP with the PIN, sign with the code from the phone. */
async function signWithSms(portal: Portal, paths: string[], pin = MARIO.pin) {
	const holder = await logIn(portal, MARIO.userId, MARIO.password);
	const documents = await portal.signing.inspect(paths);
	const challenge = await portal.signing.requestOtp(holder, documents, pin);
	const code = await lastSmsCode(portal, MARIO.userId);
	return portal.signing.sign(holder, {documents, pin, challengeId: challenge.id, code});
}

/** `openssl cms -verify -cades` of a .p7m against the demo CA; the content it extracted. */
function opensslVerify(directory: string, p7m: string): {status: number | null; stderr: string; content: Buffer | undefined} {
	const out = `${p7m}.openssl-out`;
	const result = spawnSync('openssl', ['cms', '-verify', '-cades', '-binary', '-inform', 'DER', '-in', p7m, '-CAfile', join(directory, 'pki', 'ca.pem'), '-out', out], {encoding: 'utf8'});
	return {status: result.status, stderr: result.stderr, content: result.status === 0 ? readFileSync(out) : undefined};
}

describe('signing several documents with one OTP', () => {
	it('MARIO signs 2 files with one SMS: two .p7m openssl accepts, two history records, one "each" report e-mail', async () => {
		const {portal, directory, file} = await setup();
		const binary = Buffer.concat([Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x0a, 0xc3, 0x28]), Buffer.alloc(70_000, 0x41), Buffer.from('\r\nfine\x00')]);
		const text = Buffer.from('Verbale d’esame n. 42\r\nvoto: 30 e lode\n');
		const paths = [file('verbale.pdf', binary), file('allegato.txt', text)];
		const before = rawRecords(directory, MARIO.userId).length;
		const sms = await smsCount(portal);

		const signed = await signWithSms(portal, paths);

		expect(await smsCount(portal)).toBe(sms + 1);
		expect(signed.signed.map(entry => entry.output)).toEqual(paths.map(path => `${path}.p7m`));
		for (const [index, content] of [binary, text].entries()) {
			const p7m = `${paths[index]!}.p7m`;
			expect(existsSync(p7m)).toBe(true);
			const verified = opensslVerify(directory, p7m);
			expect(verified.status, verified.stderr).toBe(0);
			expect(verified.content!.equals(content)).toBe(true);
		}

		const records = rawRecords(directory, MARIO.userId);
		expect(records).toHaveLength(before + 2);
		const serial = (await storeOf(portal).read()).certificates.find(entry => entry.userId === MARIO.userId)!.certificateSerial;
		expect(records.slice(-2)).toEqual([
			expect.objectContaining({document: 'verbale.pdf', sha256: sha256(binary), size: binary.length, outcome: 'success', reason: null, channel: 'sms', certificateSerial: serial}),
			expect.objectContaining({document: 'allegato.txt', sha256: sha256(text), size: text.length, outcome: 'success', reason: null, channel: 'sms', certificateSerial: serial}),
		]);
		// The portal's history shows them too, newest first.
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		const history = await portal.history.signatures(session, {...DEFAULT_HISTORY_FILTER, outcome: 'success'}, {page: 1, pageSize: 5});
		expect(history.items.slice(0, 2).map(item => item.document).sort()).toEqual(['allegato.txt', 'verbale.pdf']);

		const emails = await portal.mailbox.list({userId: MARIO.userId, kind: 'email'});
		expect(emails).toHaveLength(1);
		const mail = await simpleParser(readFileSync((await portal.mailbox.emlPath(emails[0]!))!));
		expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toContain(MARIO.email);
		// 2026-11-24T09:00Z is 10:00 in Rome.
		expect(mail.subject).toContain('2 documenti firmati il 24/11/2026');
		expect(mail.text).toContain('il 24/11/2026 alle ore 10:00 hai firmato 2 documenti');
		expect(mail.text).toContain('verbale.pdf');
		expect(mail.text).toContain('allegato.txt');
	});
});

describe('a certificate that is not active cannot sign', () => {
	it('suspended: refused at the OTP request and at signing, with a failure record; active again after the end date', async () => {
		const {portal, directory, file, clock, holder} = await setup();
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		const path = file('contratto.pdf');
		const documents = await portal.signing.inspect([path]);
		// An OTP requested while active ...
		const challenge = await portal.signing.requestOtp(holder, documents, MARIO.pin);
		const code = await lastSmsCode(portal, MARIO.userId);
		await portal.certificate.suspend(session, {...MARIO_SUSPENSION, endDate: '01/12/2026'});
		// ... does not let a suspended certificate sign.
		expect(await refusal(portal.signing.sign(holder, {documents, pin: MARIO.pin, challengeId: challenge.id, code}))).toEqual({code: 'sign.notActive', params: {state: 'suspended'}});
		expect(existsSync(`${path}.p7m`)).toBe(false);
		const sms = await smsCount(portal);
		expect(await refusal(portal.signing.requestOtp(holder, documents, MARIO.pin))).toEqual({code: 'sign.notActive', params: {state: 'suspended'}});
		expect(await smsCount(portal)).toBe(sms);
		expect(await portal.pin.attemptsLeft(holder)).toBe(3);
		const last = rawRecords(directory, MARIO.userId).slice(-2);
		expect(last).toEqual([
			expect.objectContaining({document: 'contratto.pdf', outcome: 'failure', reason: 'sign.notActive', sha256: documents[0]!.sha256}),
			expect.objectContaining({document: 'contratto.pdf', outcome: 'failure', reason: 'sign.notActive', sha256: documents[0]!.sha256}),
		]);

		// 02/12/2026 in Rome: the suspension is over and signing works again.
		clock.set(new Date('2026-12-01T23:30:00Z'));
		const reopened = await Portal.open({dataDirectory: directory, clock, terminal: 'test'});
		expect((await signWithSms(reopened, [path])).signed.map(entry => entry.name)).toEqual(['contratto.pdf']);
	});

	it('expired (LUCA): sign.notActive with state expired, recorded as a failure', async () => {
		const {portal, directory, file} = await setup();
		const documents = await portal.signing.inspect([file('fattura.pdf')]);
		expect(await refusal(portal.signing.requestOtp(await logIn(portal, LUCA.userId, LUCA.password), documents, LUCA.pin))).toEqual({code: 'sign.notActive', params: {state: 'expired'}});
		expect(rawRecords(directory, LUCA.userId)).toEqual([expect.objectContaining({document: 'fattura.pdf', outcome: 'failure', reason: 'sign.notActive'})]);
		expect(existsSync(join(directory, 'documenti', 'fattura.pdf.p7m'))).toBe(false);
	});
});

describe('the signing PIN', () => {
	it('3 wrong PINs (at either step) block the certificate; then signing and renewal are refused', async () => {
		const {portal, directory, file, holder} = await setup();
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		const documents = await portal.signing.inspect([file('delibera.pdf')]);
		expect(await errorOf(portal.signing.requestOtp(holder, documents, '11111111'))).toBe('pin.wrong:2');
		expect(await portal.pin.attemptsLeft(holder)).toBe(2);
		// The second wrong PIN at the signing step, with a right OTP.
		const challenge = await portal.signing.requestOtp(holder, documents);
		const code = await lastSmsCode(portal, MARIO.userId);
		expect(await errorOf(portal.signing.sign(holder, {documents, pin: '22222222', challengeId: challenge.id, code}))).toBe('pin.wrong:1');
		expect(await errorOf(portal.signing.requestOtp(holder, documents, '33333333'))).toBe('pin.blocked');
		expect(await portal.pin.attemptsLeft(holder)).toBe(0);
		expect((await portal.certificate.dashboard(session)).certificate?.state).toBe('blocked');

		// The right PIN does not help any more, nor the OTP already received.
		// The same refusal as the third wrong PIN: its message names the operator's new certificate (admin reissue).
		expect(await refusal(portal.signing.requestOtp(holder, documents, MARIO.pin))).toEqual({code: 'pin.blocked', params: {}});
		expect(await refusal(portal.signing.sign(holder, {documents, pin: MARIO.pin, challengeId: challenge.id, code}))).toEqual({code: 'pin.blocked', params: {}});
		expect(existsSync(documents[0]!.output)).toBe(false);
		expect(await errorCode(portal.renewal.begin(session, {acceptConditions: true, confirmData: true, pin: MARIO.pin}))).toBe('renewal.notActive');
		expect(rawRecords(directory, MARIO.userId).slice(-5).map(record => [record.outcome, record.reason])).toEqual([
			['failure', 'pin.wrong'],
			['failure', 'pin.wrong'],
			['failure', 'pin.blocked'],
			['failure', 'pin.blocked'],
			['failure', 'pin.blocked'],
		]);
	});

	it('a right PIN after 2 wrong ones resets the count', async () => {
		const {portal, file, holder} = await setup();
		const documents = await portal.signing.inspect([file('procura.pdf')]);
		expect(await errorOf(portal.signing.requestOtp(holder, documents, '11111111'))).toBe('pin.wrong:2');
		expect(await errorOf(portal.signing.requestOtp(holder, documents, '22222222'))).toBe('pin.wrong:1');
		await portal.signing.requestOtp(holder, documents, MARIO.pin);
		expect(await portal.pin.attemptsLeft(holder)).toBe(3);
		expect(await errorOf(portal.signing.requestOtp(holder, documents, '33333333'))).toBe('pin.wrong:2');
	});

	it('the count and the block hold across restarts and processes (a second Portal.open, then `mysign sign --pin-stdin`)', async () => {
		const {portal, directory, file, clock, holder} = await setup();
		const path = file('offerta.pdf');
		const documents = await portal.signing.inspect([path]);
		expect(await errorOf(portal.signing.requestOtp(holder, documents, '11111111'))).toBe('pin.wrong:2');
		// A restart: the count is in the data folder.
		const restarted = await Portal.open({dataDirectory: directory, clock, terminal: 'test'});
		expect(await restarted.pin.attemptsLeft(holder)).toBe(2);
		expect(await errorOf(restarted.signing.requestOtp(holder, documents, '22222222'))).toBe('pin.wrong:1');
		// The third wrong PIN in another process.
		const cli = (pin: string) =>
			runCli(['sign', path, '--user', MARIO.userId, '--password-stdin', '--pin-stdin', '--otp', '12345678', '--data', directory], {input: `${MARIO.password}\n${pin}\n`, env: {XDG_RUNTIME_DIR: directory}});
		const third = cli('33333333');
		expect(third.status, third.stderr).toBe(1);
		expect(third.stderr).toContain('PIN bloccato');
		// Both earlier portals see the block (logged in again: the command ran on the real clock,
		// to which the test clock's session is days old).
		const again = await logIn(portal, MARIO.userId, MARIO.password);
		expect(await portal.pin.attemptsLeft(again)).toBe(0);
		expect(await refusal(portal.signing.requestOtp(again, documents, MARIO.pin))).toEqual({code: 'pin.blocked', params: {}});
		expect(await refusal(restarted.signing.requestOtp(again, documents, MARIO.pin))).toEqual({code: 'pin.blocked', params: {}});
		// And another process with the right PIN is refused too.
		const right = cli(MARIO.pin);
		expect(right.status, right.stderr).toBe(1);
		expect(right.stderr).toContain('PIN bloccato');
		expect(existsSync(`${path}.p7m`)).toBe(false);
	});

	it('after "Modifica PIN", the new PIN signs and the old one is a wrong PIN', async () => {
		const {portal, directory, file, holder} = await setup();
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		const {changeId} = await portal.pin.startChange(session, {currentPin: MARIO.pin, newPin: '90817263', newPinAgain: '90817263'});
		await portal.pin.confirmChange(session, changeId, await lastSmsCode(portal, MARIO.userId));
		const path = file('relazione.pdf', 'relazione tecnica\n');
		const documents = await portal.signing.inspect([path]);
		expect(await errorOf(portal.signing.requestOtp(holder, documents, MARIO.pin))).toBe('pin.wrong:2');
		await signWithSms(portal, [path], '90817263');
		expect(await portal.pin.attemptsLeft(holder)).toBe(3);
		const verified = opensslVerify(directory, `${path}.p7m`);
		expect(verified.status, verified.stderr).toBe(0);
		expect(verified.content!.toString()).toBe('relazione tecnica\n');
	});
});

describe('the OTP confirms exactly the documents it was requested for', () => {
	it('a file changed after the OTP request is refused (sign.documentChanged); re-read, it no longer matches the OTP', async () => {
		const {portal, directory, file, holder} = await setup();
		const path = file('contratto.pdf', 'importo: 1.000 euro\n');
		const documents = await portal.signing.inspect([path]);
		const challenge = await portal.signing.requestOtp(holder, documents, MARIO.pin);
		const code = await lastSmsCode(portal, MARIO.userId);
		writeFileSync(path, 'importo: 9.000 euro\n');
		expect(await refusal(portal.signing.sign(holder, {documents, pin: MARIO.pin, challengeId: challenge.id, code}))).toEqual({code: 'sign.documentChanged', params: {name: 'contratto.pdf'}});
		expect(existsSync(`${path}.p7m`)).toBe(false);
		expect(rawRecords(directory, MARIO.userId).at(-1)).toEqual(expect.objectContaining({document: 'contratto.pdf', outcome: 'failure', reason: 'sign.documentChanged'}));
		// Inspecting the changed file again gives other bytes: the OTP was not for them.
		const changed = await portal.signing.inspect([path]);
		expect(await errorCode(portal.signing.sign(holder, {documents: changed, pin: MARIO.pin, challengeId: challenge.id, code}))).toBe('otp.wrongOperation');
		expect(existsSync(`${path}.p7m`)).toBe(false);
	});

	it("an OTP for documents A cannot sign documents B, nor only part of A's list", async () => {
		const {portal, directory, file, holder} = await setup();
		const [a1, a2, b] = [file('a1.pdf'), file('a2.pdf'), file('b.pdf')];
		const forA = await portal.signing.inspect([a1, a2]);
		const challenge = await portal.signing.requestOtp(holder, forA, MARIO.pin);
		const code = await lastSmsCode(portal, MARIO.userId);
		const forB = await portal.signing.inspect([b]);
		expect(await errorCode(portal.signing.sign(holder, {documents: forB, pin: MARIO.pin, challengeId: challenge.id, code}))).toBe('otp.wrongOperation');
		expect(rawRecords(directory, MARIO.userId).at(-1)).toEqual(expect.objectContaining({document: 'b.pdf', outcome: 'failure', reason: 'otp.wrongOperation'}));
		const onlyA1 = await portal.signing.inspect([a1]);
		expect(await errorCode(portal.signing.sign(holder, {documents: onlyA1, pin: MARIO.pin, challengeId: challenge.id, code}))).toBe('otp.wrongOperation');
		for (const path of [a1, a2, b]) expect(existsSync(`${path}.p7m`)).toBe(false);
	});

	it('an existing FILE.p7m is refused before anything, and never overwritten; a missing file is named', async () => {
		const {portal, directory, file, holder} = await setup();
		const [a, b] = [file('a.pdf'), file('b.pdf')];
		writeFileSync(`${a}.p7m`, 'firma precedente');
		const sms = await smsCount(portal);
		expect(await refusal(portal.signing.inspect([b, a]))).toEqual({code: 'sign.outputExists', params: {name: 'a.pdf.p7m'}});
		const missing = await refusal(portal.signing.inspect([b, join(directory, 'documenti', 'nessuno.pdf')]));
		expect([missing.code, missing.params['name']]).toEqual(['sign.fileMissing', 'nessuno.pdf']);
		expect(await smsCount(portal)).toBe(sms);

		// The .p7m appears (or the file goes) between the OTP request and the signing: nothing is written.
		unlinkSync(`${a}.p7m`);
		const documents = await portal.signing.inspect([b, a]);
		const challenge = await portal.signing.requestOtp(holder, documents, MARIO.pin);
		const code = await lastSmsCode(portal, MARIO.userId);
		writeFileSync(`${a}.p7m`, 'firma precedente');
		expect(await errorCode(portal.signing.sign(holder, {documents, pin: MARIO.pin, challengeId: challenge.id, code}))).toBe('sign.outputExists');
		expect(readFileSync(`${a}.p7m`, 'utf8')).toBe('firma precedente');
		expect(existsSync(`${b}.p7m`)).toBe(false);
		unlinkSync(`${a}.p7m`);
		unlinkSync(b);
		expect(await errorCode(portal.signing.sign(holder, {documents, pin: MARIO.pin, challengeId: challenge.id, code}))).toBe('sign.fileMissing');
		expect(existsSync(`${a}.p7m`)).toBe(false);
	});
});

describe('the signature history lives outside db.json and the holder documents', () => {
	it('with 100 000 signatures, a PIN change leaves the signatures file alone and the record files do not grow with them', async () => {
		const {portal, directory} = await setup();
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		// db.json and the holder documents (Mario's holds his PIN change).
		const recordsSize = () => recordFiles(directory).reduce((total, file) => total + statSync(file).size, 0);
		const dbBefore = recordsSize();
		const records: SignatureRecord[] = Array.from({length: 100_000}, (_, index) => ({
			at: new Date(DEMO_NOW.getTime() - (100_000 - index) * 60_000).toISOString(),
			document: `Documento_${String(index).padStart(6, '0')}.pdf`,
			sha256: sha256(Buffer.from(String(index))),
			size: 1000 + index,
			outcome: index % 17 === 0 ? 'failure' : 'success',
			reason: index % 17 === 0 ? 'pin.wrong' : null,
			channel: 'sms',
			certificateSerial: 'abcdef',
		}));
		await new SignatureLog(directory).replace(MARIO.userId, records);
		const signatures = join(directory, 'signatures', `${MARIO.userId}.jsonl`);
		const before = statSync(signatures);
		expect(before.size).toBeGreaterThan(10_000_000);
		expect(recordsSize()).toBe(dbBefore);

		const {changeId} = await portal.pin.startChange(session, {currentPin: MARIO.pin, newPin: '90817263', newPinAgain: '90817263'});
		await portal.pin.confirmChange(session, changeId, await lastSmsCode(portal, MARIO.userId));

		const after = statSync(signatures);
		expect(after.mtimeMs).toBe(before.mtimeMs);
		expect(after.size).toBe(before.size);
		expect(after.ino).toBe(before.ino);
		// A pending PIN change and its challenge, nothing proportional to the history.
		expect(recordsSize()).toBeLessThan(dbBefore + 4096);
		for (const file of recordFiles(directory)) expect(readFileSync(file, 'utf8'), file).not.toContain('Documento_');
		const history = await portal.history.signatures(session, DEFAULT_HISTORY_FILTER, {page: 1, pageSize: 10});
		expect(history.total).toBe(100_000);
		expect(history.items[0]!.document).toBe('Documento_099999.pdf');
	});
});

describe('SignatureLog appends', () => {
	const record = (document: string): SignatureRecord => ({at: new Date().toISOString(), document, sha256: null, size: 1, outcome: 'success', reason: null, channel: 'sms', certificateSerial: null});

	it('2 processes and 60 concurrent in-process appends lose no line and never split a batch', async () => {
		const folder = temporaryDirectory();
		cleanups.push(folder.remove);
		const userId = 'JCPD0001';
		const count = 60;
		const workers = ['p1', 'p2'].map(tag => startWorker('signature-log-worker', [folder.path, userId, tag, String(count)]));
		await Promise.all(workers.map(worker => worker.firstConfirmation));
		const log = new SignatureLog(folder.path);
		await Promise.all(Array.from({length: count}, (_, index) => log.append(userId, [record(`local-${index}-a.pdf`), record(`local-${index}-b.pdf`)])));
		expect(await Promise.all(workers.map(worker => worker.exit))).toEqual([0, 0]);

		const lines = readFileSync(log.fileOf(userId), 'utf8').split('\n');
		expect(lines.pop()).toBe('');
		const documents = lines.map(line => (JSON.parse(line) as SignatureRecord).document);
		expect(documents).toHaveLength(3 * count * 2);
		for (const tag of ['p1', 'p2', 'local']) {
			const mine = documents.filter(name => name.startsWith(`${tag}-`));
			expect(new Set(mine).size, tag).toBe(count * 2);
		}
		// Each batch of two is whole and adjacent.
		for (let index = 0; index < documents.length; index += 2) {
			expect(documents[index]!.endsWith('-a.pdf')).toBe(true);
			expect(documents[index + 1]).toBe(documents[index]!.replace(/-a\.pdf$/, '-b.pdf'));
		}
		// A process's appends keep their order.
		for (const tag of ['p1', 'p2']) {
			const order = documents.filter(name => name.startsWith(`${tag}-`) && name.endsWith('-a.pdf')).map(name => Number(name.split('-')[1]));
			expect(order).toEqual(Array.from({length: count}, (_, index) => index));
		}
		const reading = await log.read(userId);
		expect(reading.skipped).toBe(0);
		expect(reading.records).toHaveLength(3 * count * 2);
	});

	it('a torn last line is not read as a record (it may still be being written), and the next append starts on a fresh line', async () => {
		const folder = temporaryDirectory();
		cleanups.push(folder.remove);
		const userId = 'JCPD0002';
		const log = new SignatureLog(folder.path);
		await log.append(userId, [record('prima.pdf'), record('seconda.pdf')]);
		appendFileSync(log.fileOf(userId), '{"at":"2026-11-24T09:00:00.000Z","document":"stra');
		const torn = await log.read(userId);
		expect(torn.records.map(entry => entry.document)).toEqual(['prima.pdf', 'seconda.pdf']);
		expect(torn.skipped).toBe(0);

		await log.append(userId, [record('dopo-il-crash.pdf')]);
		// Read by this process (which had seen the torn part) and by a fresh one: the same records.
		for (const reader of [log, new SignatureLog(folder.path)]) {
			const reading = await reader.read(userId);
			expect(reading.records.map(entry => entry.document)).toEqual(['prima.pdf', 'seconda.pdf', 'dopo-il-crash.pdf']);
			expect(reading.skipped).toBe(1);
		}
		const lastLine = readFileSync(log.fileOf(userId), 'utf8').split('\n').at(-2)!;
		expect(JSON.parse(lastLine)).toEqual(expect.objectContaining({document: 'dopo-il-crash.pdf', outcome: 'success'}));
	});
});
