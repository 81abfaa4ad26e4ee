import {spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Portal} from '../../source/core/portal.js';
import {runCli} from '../helpers/cli.js';
import {logIn, MARIO, temporaryDirectory} from '../helpers/portal.js';
import {copyDemoTemplate} from '../helpers/templates.js';

/*
 * `mysign sign`, `mysign verify` and `mysign phone --print` as a script would chain them, with
 * the real built CLI; openssl checks the .p7m as any relying party would.
 * One demo folder (made by `mysign demo`) serves the whole file, each test with its own
 * documents; the suspension comes last.
 */

let data = '';
let removeData: () => void = () => undefined;
/** Where the commands keep their session tokens ($XDG_RUNTIME_DIR/mysign): private to this file. */
let runtime = '';
let removeRuntime: () => void = () => undefined;
beforeAll(() => {
	// What `mysign demo` leaves in a new folder: a copy of the run's template (templates.ts).
	const folder = copyDemoTemplate('cli');
	removeData = folder.remove;
	data = folder.path;
	const tokens = temporaryDirectory();
	runtime = tokens.path;
	removeRuntime = tokens.remove;
});
afterAll(() => {
	removeData();
	removeRuntime();
});

/** `mysign sign …` with the session tokens in this file's private runtime folder. */
const sign = (args: readonly string[], input = '') => runCli(['sign', ...args], {input, env: {XDG_RUNTIME_DIR: runtime}});

const GIULIA = {userId: 'JCPD2841', password: 'Tramonto!73', pin: '31415926', iut: '31862094', erc: '58120473'};

interface PhoneJson {
	messages: {text: string; at: string}[];
	authenticators: {device: 'app' | 'token'; code: string; secondsLeft: number}[];
}

function phone(data: string, userId: string): PhoneJson {
	const result = runCli(['phone', '--user', userId, '--print', '--json', '--data', data]);
	expect(result.status, result.stderr).toBe(0);
	return JSON.parse(result.stdout) as PhoneJson;
}

function opensslVerify(data: string, p7m: string) {
	const out = `${p7m}.out`;
	const result = spawnSync('openssl', ['cms', '-verify', '-cades', '-binary', '-inform', 'DER', '-in', p7m, '-CAfile', join(data, 'pki', 'ca.pem'), '-out', out], {encoding: 'utf8'});
	return {status: result.status, stderr: result.stderr, content: result.status === 0 ? readFileSync(out) : undefined};
}

/** SMS in the outbox (counted from the files, without starting the CLI). */
const smsCount = () => (existsSync(join(data, 'outbox')) ? readdirSync(join(data, 'outbox')).filter(name => name.endsWith('.sms.json')).length : 0);

/** A document with content that is easy to find again inside the .p7m. */
function writeDocument(data: string, name: string): {path: string; content: Buffer} {
	const content = Buffer.from(`Contratto di fornitura ${'0123456789abcdef'.repeat(64)} — fine del documento\r\n`);
	const path = join(data, name);
	writeFileSync(path, content);
	return {path, content};
}

/** GIULIA (app with push) signs one document: the PIN on stdin, the app's current code as --otp. */
function signAsGiulia(data: string, path: string, json = false) {
	const code = phone(data, GIULIA.userId).authenticators.find(reading => reading.device === 'app')!.code;
	expect(code).toMatch(/^\d{8}$/);
	return sign([path, '--user', GIULIA.userId, '--password-stdin', '--pin-stdin', '--otp', code, '--data', data, ...(json ? ['--json'] : [])], `${GIULIA.password}\n${GIULIA.pin}\n`);
}

let giulia: {path: string; content: Buffer; result: ReturnType<typeof runCli>; finishedAt: number} | undefined;
/** GIULIA's signed document, signed once for the file (a TOTP code may not be used twice). */
function giuliaSigned() {
	if (!giulia) {
		const {path, content} = writeDocument(data, 'contratto.pdf');
		giulia = {path, content, result: signAsGiulia(data, path, true), finishedAt: Date.now()};
	}
	return giulia;
}

describe('mysign sign', () => {
	it('GIULIA signs with --pin-stdin and the app code: FILE.p7m that openssl and `mysign verify` accept', () => {
		const {path, content, result: signed} = giuliaSigned();
		expect(signed.status, signed.stderr).toBe(0);
		const output = JSON.parse(signed.stdout) as {signed: {name: string; output: string; sha256: string}[]};
		expect(output.signed).toEqual([expect.objectContaining({name: 'contratto.pdf', output: `${path}.p7m`, sha256: createHash('sha256').update(content).digest('hex')})]);

		const checked = opensslVerify(data, `${path}.p7m`);
		expect(checked.status, checked.stderr).toBe(0);
		expect(checked.content!.equals(content)).toBe(true);

		const verified = runCli(['verify', `${path}.p7m`, '--data', data]);
		expect(verified.status, verified.stdout + verified.stderr).toBe(0);
		expect(verified.stdout).toMatch(/Firmatario: GIULIA BIANCHI/);
		expect(verified.stdout).toContain('Esito: firma valida.');

		const extracted = join(data, 'estratto.pdf');
		const asJson = runCli(['verify', `${path}.p7m`, '--json', '--extract', extracted, '--data', data]);
		expect(asJson.status, asJson.stderr).toBe(0);
		const result = JSON.parse(asJson.stdout) as {valid: boolean; intact: boolean; signer: {commonName: string}; statusAtSigning: string; statusNow: string; contentBytes: number};
		expect(result).toEqual(expect.objectContaining({valid: true, intact: true, statusAtSigning: 'valid', statusNow: 'valid', contentBytes: content.length}));
		expect(result.signer.commonName).toBe('GIULIA BIANCHI');
		expect(readFileSync(extracted).equals(content)).toBe(true);
		// Never over an existing file, nor into a missing folder: said in Italian, nothing written.
		const over = runCli(['verify', `${path}.p7m`, '--extract', extracted, '--data', data]);
		expect([over.status, over.stderr.trim()]).toEqual([1, `Esiste già un file ${extracted}: scegli un altro nome.`]);
		const nowhere = runCli(['verify', `${path}.p7m`, '--extract', join(data, 'manca', 'x.pdf'), '--data', data]);
		expect(nowhere.status).toBe(1);
		expect(nowhere.stderr).toContain('(ENOENT): controlla la cartella');

		// Signing it again would overwrite the .p7m: refused (the CLI session of the first command needs no password).
		const again = sign([path, '--user', GIULIA.userId, '--pin-stdin', '--otp', '12345678', '--data', data], `${GIULIA.pin}\n`);
		expect(again.status).toBe(1);
		expect(again.stderr).toContain('Esiste già contratto.pdf.p7m');
	});

	it('MARIO by SMS in two steps: --send-otp, the code from `mysign phone --print --json`, then --otp', () => {
		const first = writeDocument(data, 'verbale.pdf');
		const second = writeDocument(data, 'allegato.pdf');
		const smsBefore = smsCount();
		const sent = sign([first.path, second.path, '--user', MARIO.userId, '--password-stdin', '--send-otp', '--data', data], `${MARIO.password}\n`);
		expect(sent.status, sent.stderr).toBe(0);
		expect(sent.stdout).toContain('Ti abbiamo inviato un codice OTP via SMS');
		expect(existsSync(`${first.path}.p7m`)).toBe(false);
		expect(smsCount()).toBe(smsBefore + 1);
		const inbox = phone(data, MARIO.userId).messages;
		// Newest first.
		const code = /codice OTP (\d{8})/.exec(inbox[0]!.text)![1]!;

		// The session opened by --send-otp serves this second command: only the PIN on stdin.
		const signed = sign([first.path, second.path, '--user', MARIO.userId, '--pin-stdin', '--otp', code, '--data', data], `${MARIO.pin}\n`);
		expect(signed.status, signed.stderr).toBe(0);
		expect(signed.stdout).toContain(`Firmato: verbale.pdf → ${first.path}.p7m`);
		expect(signed.stdout).toContain(`Firmato: allegato.pdf → ${second.path}.p7m`);
		for (const document of [first, second]) {
			const checked = opensslVerify(data, `${document.path}.p7m`);
			expect(checked.status, checked.stderr).toBe(0);
			expect(checked.content!.equals(document.content)).toBe(true);
		}
		// No second SMS was needed.
		expect(smsCount()).toBe(smsBefore + 1);
	});

	it('usage errors exit 2 before anything is sent or signed', () => {
		const {path} = writeDocument(data, 'documento.pdf');
		const cases: [string[], string][] = [
			[['sign', path, '--pin-stdin', '--otp', '12345678'], '--user'],
			[['sign', '--user', MARIO.userId, '--pin-stdin', '--otp', '12345678'], 'almeno un file'],
			[['sign', path, '--user', MARIO.userId, '--pin-stdin', '--otp', '1234'], '8 cifre'],
			[['sign', path, '--user', MARIO.userId, '--otp', '12345678'], '--pin-stdin'],
			// LUCA has no CLI session here, and no terminal to type the password in.
			[['sign', path, '--user', 'JCPD5590', '--pin-stdin', '--otp', '12345678'], '--password-stdin'],
			[['verify'], 'mysign verify FILE.p7m'],
		];
		const smsBefore = smsCount();
		for (const [args, message] of cases) {
			const result = runCli([...args, '--data', data], {input: `${MARIO.pin}\n`, env: {XDG_RUNTIME_DIR: runtime}});
			expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(2);
			expect(result.stderr, args.join(' ')).toContain(message);
		}
		expect(smsCount()).toBe(smsBefore);
		expect(existsSync(`${path}.p7m`)).toBe(false);
	});
});

describe('mysign verify', () => {
	it('a .p7m with one byte of the content changed is not valid (exit 1); openssl agrees', () => {
		const {path, content, result: signed} = giuliaSigned();
		expect(signed.status, signed.stderr).toBe(0);
		const p7m = readFileSync(`${path}.p7m`);
		const at = p7m.indexOf(content);
		expect(at).toBeGreaterThan(0);
		const tampered = Buffer.from(p7m);
		const middle = at + Math.floor(content.length / 2);
		tampered[middle] = tampered[middle]! ^ 0x01;
		const tamperedFile = join(data, 'contratto-alterato.pdf.p7m');
		writeFileSync(tamperedFile, tampered);

		const verified = runCli(['verify', tamperedFile, '--data', data]);
		expect(verified.status, verified.stdout + verified.stderr).toBe(1);
		expect(verified.stdout).toContain('NON integra');
		expect(verified.stdout).toContain('Esito: firma NON valida.');
		expect(opensslVerify(data, tamperedFile).status).not.toBe(0);
	});

	it('after a suspension and `mysign crl`: status now "sospeso", at signing "valido"', async () => {
		const {path, result: signed, finishedAt} = giuliaSigned();
		expect(signed.status, signed.stderr).toBe(0);

		// Suspended through the core on the same folder, on the real clock, in a later second than the
		// signing (signing and revocation times are whole seconds).
		const wait = finishedAt + 1100 - Date.now();
		if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait));
		const portal = await Portal.open({dataDirectory: data, terminal: 'test'});
		const session = await logIn(portal, GIULIA.userId, GIULIA.password);
		const italianDate = (date: Date) => new Intl.DateTimeFormat('it-IT', {timeZone: 'Europe/Rome', day: '2-digit', month: '2-digit', year: 'numeric'}).format(date);
		const endDate = italianDate(new Date(Date.now() + 5 * 86_400_000));
		await portal.certificate.suspend(session, {iut: GIULIA.iut, erc: GIULIA.erc, ercAgain: GIULIA.erc, endDate, acceptRevocationEffect: false});

		expect(runCli(['crl', '--data', data]).status).toBe(0);
		const verified = runCli(['verify', `${path}.p7m`, '--data', data]);
		expect(verified.stdout).toMatch(/Stato del certificato alla data di firma: valido\n/);
		// The time of the suspension in Italian time with its zone, as every time the CLI prints.
		expect(verified.stdout).toMatch(new RegExp(`Stato del certificato oggi: sospeso \\(dal ${italianDate(new Date()).replaceAll('/', '\\/')} \\d\\d:\\d\\d CES?T\\)`));
		// Signed while valid: the signature stays valid.
		expect(verified.status, verified.stdout + verified.stderr).toBe(0);

		// And a new signature is refused while suspended (before any OTP is looked at).
		const {path: other} = writeDocument(data, 'altra.pdf');
		const refused = sign([other, '--user', GIULIA.userId, '--password-stdin', '--pin-stdin', '--otp', '12345678', '--data', data], `${GIULIA.password}\n${GIULIA.pin}\n`);
		expect(refused.status).toBe(1);
		expect(refused.stderr).toContain('Firma rifiutata');
		expect(existsSync(`${other}.p7m`)).toBe(false);
	});
});
