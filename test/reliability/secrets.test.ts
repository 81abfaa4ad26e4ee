import {readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {DomainError} from '../../source/core/errors.js';
import {totpCode} from '../../source/core/otp/totp.js';
import type {Portal} from '../../source/core/portal.js';
import {describeError, translator} from '../../source/ui/i18n/index.js';
import {runCli} from '../helpers/cli.js';
import {demoPortal, lastSmsCode, logIn, MARIO, temporaryDirectory} from '../helpers/portal.js';
import {storeOf} from '../helpers/internals.js';
import {romeDay} from '../helpers/rome-day.js';

/*
 * Issue 9, point 5, extending test/core/secrets-at-rest.test.ts (which follows password,
 * recovery, e-mail, phone, PIN and signing): canary values for the password, the signing PIN,
 * an OTP, the TOTP secret of the authenticator app, the emergency code (ERC) and the secret
 * answer go through their flows, right and wrong; none may appear in the data folder (the
 * outbox, which delivers codes, excepted), in an error message, or in the CLI's output; and
 * after every step every file is 0600 and every folder 0700, with the process umask at 000.
 */

const previousUmask = process.umask(0);
afterAll(() => void process.umask(previousUmask));

const CANARIES = {
	password: 'Canarino&Pwd91',
	wrongPassword: 'Canarino&Sbagliata7',
	pin: '73921846',
	wrongPin: '64820175',
	wrongOtp: '19283746',
	erc: '40213769', // MARIO's demo ERC: it must never be stored either
	wrongErc: '55550000',
	answer: 'Canarino Segreto',
	wrongAnswer: 'Passero Sbagliato',
};

function walk(directory: string): {path: string; file: string; directory: boolean}[] {
	const entries: {path: string; file: string; directory: boolean}[] = [];
	for (const entry of readdirSync(directory, {withFileTypes: true})) {
		const path = join(directory, entry.name);
		entries.push({path, file: entry.name, directory: entry.isDirectory()});
		if (entry.isDirectory()) entries.push(...walk(path));
	}
	return entries;
}

/** Every file 0600 and every folder 0700 (the folder itself too). */
function expectPrivate(directory: string, step: string): void {
	expect(statSync(directory).mode & 0o777, `${step}: the data folder`).toBe(0o700);
	for (const entry of walk(directory)) {
		expect(statSync(entry.path).mode & 0o777, `${step}: ${relative(directory, entry.path)}`).toBe(entry.directory ? 0o700 : 0o600);
	}
}

const errors: unknown[] = [];
/** Runs a step that must be refused; keeps the error for the message check. */
async function refused(promise: Promise<unknown>): Promise<string> {
	try {
		await promise;
	} catch (error) {
		errors.push(error);
		return error instanceof DomainError ? error.code : String(error);
	}
	throw new Error('expected a refusal');
}

describe('canary secrets through their flows, under umask 000', () => {
	it('appear nowhere in the data folder but the outbox, in no error message, in no CLI output; files stay 0600 and folders 0700 after every step', async () => {
		const {portal, clock, directory, remove} = await demoPortal();
		try {
			const step = async (name: string, run: () => Promise<unknown>) => {
				await run();
				expectPrivate(directory, name);
			};
			expectPrivate(directory, 'demo created');
			let session = await logIn(portal, MARIO.userId, MARIO.password);

			await step('wrong password', async () => expect((await portal.sessions.login(MARIO.userId, CANARIES.wrongPassword)).kind).toBe('invalid'));
			await step('password change', () => portal.account.changePassword(session, {current: MARIO.password, next: CANARIES.password, again: CANARIES.password}));
			await step('wrong current password', async () => expect(await refused(portal.account.changePassword(session, {current: CANARIES.wrongPassword, next: 'Altra&Pwd123', again: 'Altra&Pwd123'}))).toBe('account.wrongPassword'));
			session = await logIn(portal, MARIO.userId, CANARIES.password);

			await step('secret answer', () => portal.account.setSecretQuestion(session, {question: 'Il nome del mio primo canarino?', answer: CANARIES.answer}));
			await step('recovery with a wrong OTP and a wrong answer', async () => {
				const {recoveryId} = await portal.recovery.start(MARIO.userId);
				expect(await refused(portal.recovery.confirmCode(recoveryId, CANARIES.wrongOtp))).toBe('otp.wrong');
				await portal.recovery.confirmCode(recoveryId, await lastSmsCode(portal, MARIO.userId));
				expect(await refused(portal.recovery.answerQuestion(recoveryId, CANARIES.wrongAnswer))).toBe('recovery.wrongAnswer');
				await portal.recovery.answerQuestion(recoveryId, CANARIES.answer.toLowerCase());
			});

			let totpSecret = '';
			await step('authenticator app activation (TOTP secret)', async () => {
				const activation = await portal.otp.startAppActivation(session);
				totpSecret = activation.secret;
				expect(await refused(portal.otp.confirmAppActivation(session, activation.challenge.id, CANARIES.wrongOtp))).toBe('otp.wrong');
				await portal.otp.confirmAppActivation(session, activation.challenge.id, await totpCode(totpSecret, clock.now()));
			});
			expect(totpSecret).toMatch(/^[A-Z2-7]{16,}$/);
			await step('back to SMS', () => portal.otp.setPreferredChannel(session, 'sms'));

			await step('PIN change with a wrong PIN, then the canary PIN', async () => {
				expect(await refused(portal.pin.startChange(session, {currentPin: CANARIES.wrongPin, newPin: CANARIES.pin, newPinAgain: CANARIES.pin}))).toBe('pin.wrong');
				const change = await portal.pin.startChange(session, {currentPin: MARIO.pin, newPin: CANARIES.pin, newPinAgain: CANARIES.pin});
				await portal.pin.confirmChange(session, change.changeId, await lastSmsCode(portal, MARIO.userId));
			});

			const documents = temporaryDirectory();
			try {
				const document = join(documents.path, 'contratto.txt');
				writeFileSync(document, 'Contratto\n');
				await step('signing with the canary PIN', async () => {
					const toSign = await portal.signing.inspect([document]);
					const challenge = await portal.signing.requestOtp(session, toSign, CANARIES.pin);
					expect(await refused(portal.signing.sign(session, {documents: toSign, pin: CANARIES.pin, challengeId: challenge.id, code: CANARIES.wrongOtp}))).toBe('otp.wrong');
					await portal.signing.sign(session, {documents: toSign, pin: CANARIES.pin, challengeId: challenge.id, code: await lastSmsCode(portal, MARIO.userId)});
				});
				// The CLI (on the real clock; its session token in a private folder of the test): the password
				// and a wrong PIN on stdin, then the right PIN with a wrong OTP. None is printed back.
				const cliEnv = {XDG_RUNTIME_DIR: documents.path};
				const other = join(documents.path, 'offerta.txt');
				writeFileSync(other, 'Offerta\n');
				const cli = [
					runCli(['sign', other, '--user', MARIO.userId, '--password-stdin', '--pin-stdin', '--send-otp', '--data', directory], {input: `${CANARIES.password}\n${CANARIES.wrongPin}\n`, env: cliEnv}),
					runCli(['sign', other, '--user', MARIO.userId, '--password-stdin', '--pin-stdin', '--otp', CANARIES.wrongOtp, '--data', directory], {input: `${CANARIES.password}\n${CANARIES.pin}\n`, env: cliEnv}),
					runCli(['admin', 'show', MARIO.userId, '--json', '--data', directory]),
					runCli(['status', '--user', MARIO.userId, '--json', '--data', directory]),
				];
				// --send-otp only sends the SMS (exit 0); the wrong OTP is refused (exit 1).
				expect(cli.map(result => result.status)).toEqual([0, 1, 0, 0]);
				for (const result of cli) {
					for (const [name, canary] of Object.entries(CANARIES)) expect(result.stdout + result.stderr, name).not.toContain(canary);
					expect(result.stdout + result.stderr).not.toContain(totpSecret);
				}
				expectPrivate(directory, 'the CLI');
				// The commands ran on the real clock, to which this test's session (on the demo clock) had timed out.
				session = await logIn(portal, MARIO.userId, CANARIES.password);
			} finally {
				documents.remove();
			}

			await step('suspension with a wrong ERC, then the right one', async () => {
				const iut = await portal.certificate.currentIut(session);
				const end = new Date(clock.now().getTime() + 10 * 86_400_000);
				const endDate = romeDay(end);
				expect(await refused(portal.certificate.suspend(session, {iut, erc: CANARIES.wrongErc, ercAgain: CANARIES.wrongErc, endDate, acceptRevocationEffect: false}))).toBe('suspend.wrongCodes');
				await portal.certificate.suspend(session, {iut, erc: CANARIES.erc, ercAgain: CANARIES.erc, endDate, acceptRevocationEffect: false});
			});

			// The data folder, every file but the outbox (it delivers codes by design) as bytes in any encoding we store.
			const files = walk(directory).filter(entry => !entry.directory && !relative(directory, entry.path).startsWith('outbox'));
			expect(files.map(entry => relative(directory, entry.path))).toEqual(expect.arrayContaining(['db.json', `holders/${MARIO.userId}.json`, `signatures/${MARIO.userId}.jsonl`, 'pki/crl.pem']));
			const secretBytes = Buffer.from(decodeBase32(totpSecret));
			const encodings = [totpSecret, totpSecret.toLowerCase(), secretBytes.toString('hex'), secretBytes.toString('base64').replace(/=+$/, '')];
			for (const entry of files) {
				const text = readFileSync(entry.path).toString('latin1');
				for (const [name, canary] of Object.entries(CANARIES)) expect(text.toLowerCase().includes(canary.toLowerCase()), `${name} in ${relative(directory, entry.path)}`).toBe(false);
				for (const encoded of encodings) expect(text.includes(encoded), `the TOTP secret (${encoded}) in ${relative(directory, entry.path)}`).toBe(false);
			}
			// Error messages, as raised and as shown, in both languages.
			expect(errors.length).toBeGreaterThanOrEqual(7);
			for (const error of errors) {
				const shown = [String(error), JSON.stringify((error as DomainError).params ?? {}), describeError(translator('it'), error), describeError(translator('en'), error)].join('\n');
				for (const [name, canary] of Object.entries(CANARIES)) expect(shown, name).not.toContain(canary);
				expect(shown).not.toContain(totpSecret);
			}
			await checkScanFindsPlanted(portal, directory);
		} finally {
			remove();
		}
	});
});

/** The scan is not blind: a canary planted in a nested file is found. */
async function checkScanFindsPlanted(portal: Portal, directory: string): Promise<void> {
	writeFileSync(join(directory, 'pki', 'planted.txt'), `pin ${CANARIES.pin}`);
	const found = walk(directory).filter(entry => !entry.directory && readFileSync(entry.path).toString('latin1').includes(CANARIES.pin));
	expect(found.map(entry => relative(directory, entry.path))).toContain('pki/planted.txt');
	expect(storeOf(portal).directory).toBe(directory);
}

function decodeBase32(text: string): number[] {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	let bits = '';
	for (const character of text) bits += alphabet.indexOf(character).toString(2).padStart(5, '0');
	const bytes: number[] = [];
	for (let index = 0; index + 8 <= bits.length; index += 8) bytes.push(Number.parseInt(bits.slice(index, index + 8), 2));
	return bytes;
}
