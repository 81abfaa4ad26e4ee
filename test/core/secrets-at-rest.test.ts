import {mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import {simpleParser} from 'mailparser';
import {describe, expect, it} from 'vitest';
import type {Portal} from '../../source/core/portal.js';
import {demoCopies} from '../helpers/demo-template.js';
import {lastSmsCode, logIn, MARIO} from '../helpers/portal.js';

const demoCopy = demoCopies();

const SECRETS = {
	oldPassword: MARIO.password,
	changedPassword: 'Ciclamino&58',
	recoveredPassword: 'Orchidea!73x',
	mistypedPassword: 'Sbagliata&Password9',
	oldPin: MARIO.pin,
	newPin: '58209749',
	erc: '40213769',
	answer: 'Micio Bello di Casa',
	mistypedOtp: '13572468',
};
/** Short secrets that may appear by chance inside base64 (hashes, keys, certificates): matched only as a whole word. */
const DEMO_ANSWER = /(?<![A-Za-z0-9+/=])fido(?![A-Za-z0-9+/=])/i;

/** Every file of the data folder but the server keys, with its text (an .eml also decoded, as a mail client shows it). */
async function dataFiles(directory: string): Promise<{file: string; text: string}[]> {
	const files: {file: string; text: string}[] = [];
	const walk = async (folder: string) => {
		for (const name of readdirSync(folder)) {
			const path = join(folder, name);
			const file = relative(directory, path);
			if (file === 'keys') continue;
			if (statSync(path).isDirectory()) {
				await walk(path);
				continue;
			}
			const raw = readFileSync(path);
			let text = raw.toString('latin1');
			if (name.endsWith('.eml')) {
				const mail = await simpleParser(raw);
				text += ['', mail.subject, mail.text, typeof mail.html === 'string' ? mail.html : '', ...mail.attachments.map(attachment => attachment.content.toString('latin1'))].join('\n');
			}
			files.push({file, text});
		}
	};
	await walk(directory);
	return files.sort((a, b) => a.file.localeCompare(b.file));
}

/** Every OTP code the outbox delivered, with the files that delivered it. */
async function deliveredCodes(portal: Portal): Promise<{code: string; files: string[]}[]> {
	const codes: {code: string; files: string[]}[] = [];
	for (const message of await portal.mailbox.list()) {
		const code = /(?:codice OTP|inserisci il codice) (\d{8})/.exec(message.text)?.[1];
		if (!code) continue;
		const record = `outbox/${String(message.id).padStart(8, '0')}.${message.kind}.json`;
		codes.push({code, files: message.eml ? [`outbox/${message.eml}`, record].sort() : [record]});
	}
	return codes;
}

describe('no secret in plaintext in the data folder', () => {
	it('after login, password change, recovery with the secret answer, e-mail and phone change, PIN change and signing: only the messages that delivered a code hold it', async () => {
		const {portal, directory} = await demoCopy();

		// A mistyped password, then the login.
		expect((await portal.sessions.login(MARIO.userId, SECRETS.mistypedPassword)).kind).toBe('invalid');
		let session = await logIn(portal, MARIO.userId, SECRETS.oldPassword);
		await portal.account.setSecretQuestion(session, {question: 'Come si chiamava il mio primo gatto?', answer: SECRETS.answer});
		await portal.account.changePassword(session, {current: SECRETS.oldPassword, next: SECRETS.changedPassword, again: SECRETS.changedPassword});

		// Recovery: a mistyped code, the right one, the secret answer (in another case), a new password.
		const {recoveryId} = await portal.recovery.start(MARIO.userId);
		await expect(portal.recovery.confirmCode(recoveryId, SECRETS.mistypedOtp)).rejects.toThrow();
		await portal.recovery.confirmCode(recoveryId, await lastSmsCode(portal, MARIO.userId));
		await portal.recovery.answerQuestion(recoveryId, SECRETS.answer.toUpperCase());
		await portal.recovery.setPassword(recoveryId, SECRETS.recoveredPassword, SECRETS.recoveredPassword);
		session = await logIn(portal, MARIO.userId, SECRETS.recoveredPassword);

		const email = await portal.account.startEmailChange(session, 'mario.nuovo@example.org');
		const emailCode = /inserisci il codice (\d{8})/.exec((await portal.mailbox.list({kind: 'email'})).at(-1)!.text)![1]!;
		await portal.account.confirmEmailChange(session, {challengeId: email.challenge.id, email: email.email, code: emailCode});

		const phone = await portal.account.startRecoveryPhoneChange(session, '+39 333 123 4567');
		await portal.account.confirmRecoveryPhoneChange(session, {challengeId: phone.challenge.id, phone: phone.phone, code: await lastSmsCode(portal, MARIO.userId)});

		const pin = await portal.pin.startChange(session, {currentPin: SECRETS.oldPin, newPin: SECRETS.newPin, newPinAgain: SECRETS.newPin});
		await portal.pin.confirmChange(session, pin.changeId, await lastSmsCode(portal, MARIO.userId));

		mkdirSync(join(directory, 'documenti'));
		const document = join(directory, 'documenti', 'contratto.txt');
		writeFileSync(document, 'Contratto di prova\n');
		const documents = await portal.signing.inspect([document]);
		const challenge = await portal.signing.requestOtp(session, documents, SECRETS.newPin);
		const signed = await portal.signing.sign(session, {documents, pin: SECRETS.newPin, challengeId: challenge.id, code: await lastSmsCode(portal, MARIO.userId)});
		expect(signed.signed).toHaveLength(1);

		const files = await dataFiles(directory);
		// The scan saw what it should.
		for (const expected of ['db.json', `holders/${MARIO.userId}.json`, 'documenti/contratto.txt.p7m', `signatures/${MARIO.userId}.jsonl`]) expect(files.map(entry => entry.file)).toContain(expected);
		expect(files.filter(entry => entry.file.endsWith('.eml')).length).toBeGreaterThanOrEqual(6);

		for (const [name, secret] of Object.entries(SECRETS)) {
			const holding = files.filter(entry => entry.text.toLowerCase().includes(secret.toLowerCase())).map(entry => entry.file);
			expect(holding, `${name} "${secret}"`).toEqual([]);
		}
		expect(files.filter(entry => DEMO_ANSWER.test(entry.text)).map(entry => entry.file), 'the demo answer "Fido"').toEqual([]);

		// recovery, e-mail, phone, PIN, signature: five codes, each only in the message that delivered it.
		const codes = await deliveredCodes(portal);
		expect(codes).toHaveLength(5);
		for (const {code, files: delivering} of codes) {
			const holding = files.filter(entry => entry.text.includes(code)).map(entry => entry.file);
			expect(holding, `code ${code}`).toEqual(delivering);
		}

		// The scan itself finds a planted secret, in a nested folder and inside an encoded e-mail.
		writeFileSync(join(directory, 'signatures', 'planted.jsonl'), `{"pin":"${SECRETS.newPin}"}\n`);
		writeFileSync(join(directory, 'outbox', 'planted.eml'), `Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(`la password è ${SECRETS.recoveredPassword}`).toString('base64')}\r\n`);
		const planted = await dataFiles(directory);
		expect(planted.filter(entry => entry.text.includes(SECRETS.newPin)).map(entry => entry.file)).toEqual(['signatures/planted.jsonl']);
		expect(planted.filter(entry => entry.text.includes(SECRETS.recoveredPassword)).map(entry => entry.file)).toEqual(['outbox/planted.eml']);
	});
});
