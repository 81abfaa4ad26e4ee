import type {OutboxMessage} from '../../source/core/portal.js';
import {existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {composeEmail} from '../../source/core/notify/email.js';
import {Outbox} from '../../source/core/notify/outbox.js';
import {runCli} from '../helpers/cli.js';
import {cliDemoCopies, cliJson, holderRows, qpdfOpens, type HolderRow} from '../helpers/operators.js';
import {pdfInfo, showEncryption} from '../helpers/pdf.js';
import {MARIO, temporaryDirectory} from '../helpers/holders.js';
import {enrollHolders} from '../helpers/folder-setup.js';

/*
 * Issue 7, `mysign outbox`: every SMS and e-mail in sending order, `--user` to see one
 * holder's, and `outbox save N DIR` to write an e-mail's attachments (never over a file, never
 * outside DIR).
 */

const demoCopy = cliDemoCopies();

/** What `mysign outbox --json` lists: the outbox records, with the .eml path. */
type OutboxEntry = OutboxMessage;

let data: string;
let work: string;
let anna: {row: HolderRow; userId: string};
let bruno: {row: HolderRow; userId: string};

/** One holder enrolled (in this process, as `mysign admin enroll` would: its own tests are admin.test.ts). */
async function enroll(row: HolderRow): Promise<string> {
	return (await enrollHolders(data, [row]))[0]!.userId;
}

function sendSignatureSms(document: string): void {
	const file = join(work, document);
	writeFileSync(file, `documento ${document}\n`);
	// The command logs in first (password on stdin); no session token is kept outside the test's folder.
	const result = runCli(['sign', file, '--user', MARIO.userId, '--password-stdin', '--send-otp', '--data', data], {input: `${MARIO.password}\n`, env: {XDG_RUNTIME_DIR: work}});
	expect(result.status, result.stderr).toBe(0);
}

const list = (args: string[] = []) => cliJson<{messages: OutboxEntry[]}>(['outbox', '--data', data, ...args]).messages;

beforeAll(async () => {
	data = demoCopy({shared: true});
	const folder = temporaryDirectory();
	work = folder.path;
	const [first, second] = holderRows(2, 5);
	// e-mail, SMS, e-mail, SMS: two kinds, two holders, interleaved.
	anna = {row: first!, userId: await enroll(first!)};
	sendSignatureSms('contratto.txt');
	bruno = {row: second!, userId: await enroll(second!)};
	sendSignatureSms('delega.txt');
	return folder.remove;
}, 120_000);

describe('mysign outbox', () => {
	it('--json lists SMS and e-mails in the order they were sent', () => {
		const messages = list();
		// Each enrolment sends the registration e-mail and the first-login handout.
		expect(messages.map(message => message.kind)).toEqual(['email', 'email', 'sms', 'email', 'email', 'sms']);
		expect(messages.map(message => message.userId)).toEqual([anna.userId, anna.userId, MARIO.userId, bruno.userId, bruno.userId, MARIO.userId]);
		for (let index = 1; index < messages.length; index++) {
			expect(messages[index]!.id).toBeGreaterThan(messages[index - 1]!.id);
			expect(Date.parse(messages[index]!.at)).toBeGreaterThanOrEqual(Date.parse(messages[index - 1]!.at));
		}
		expect(messages[0]).toMatchObject({to: anna.row.email, subject: 'InfoCert LegalCert: registrazione', attachments: [`BustaCifrata-${anna.userId}.pdf`]});
		expect(messages[1]).toMatchObject({to: anna.row.email, subject: 'MySign: scheda per il primo accesso', attachments: [`Scheda-${anna.userId}.pdf`]});
		expect(messages[3]).toMatchObject({to: bruno.row.email, attachments: [`BustaCifrata-${bruno.userId}.pdf`]});
		for (const sms of [messages[2]!, messages[5]!]) {
			expect(sms.to).toBe('+393471234567');
			expect(sms.text).toMatch(/codice OTP \d{8}/);
		}

		// The plain listing: one line per message, same order.
		const plain = runCli(['outbox', '--data', data]);
		expect(plain.status, plain.stderr).toBe(0);
		const lines = plain.stdout.trimEnd().split('\n');
		expect(lines).toHaveLength(6);
		expect(lines.map(line => Number(line.trim().split(/\s+/)[0]))).toEqual(messages.map(message => message.id));
		expect(lines.map(line => (/\bSMS\b/.test(line) ? 'sms' : /\bMAIL\b/.test(line) ? 'email' : '?'))).toEqual(['email', 'email', 'sms', 'email', 'email', 'sms']);
	});

	it('--user shows only that holder’s messages (any case), an unknown holder none', () => {
		const all = list();
		expect(list(['--user', MARIO.userId]).map(message => message.id)).toEqual(all.filter(message => message.userId === MARIO.userId).map(message => message.id));
		expect(list(['--user', MARIO.userId]).map(message => message.kind)).toEqual(['sms', 'sms']);
		expect(list(['--user', anna.userId.toLowerCase()]).map(message => message.id)).toEqual([all[0]!.id, all[1]!.id]);
		expect(list(['--user', bruno.userId]).map(message => message.to)).toEqual([bruno.row.email, bruno.row.email]);
		expect(list(['--user', 'JCPD2841'])).toEqual([]);
		const plain = runCli(['outbox', '--user', bruno.userId, '--data', data]);
		expect(plain.stdout).toContain(bruno.row.email);
		expect(plain.stdout).not.toContain(anna.row.email);
		expect(plain.stdout).not.toContain('OTP');
	});
});

describe('mysign outbox save N DIR', () => {
	it('writes the envelope, which opens with the holder’s codice fiscale: AES-256 R6, readable by screen readers, A4, tagged', () => {
		const message = list(['--user', anna.userId])[0]!;
		const folder = join(work, 'anna');
		mkdirSync(folder);
		const saved = runCli(['outbox', 'save', String(message.id), folder, '--data', data, '--json']);
		expect(saved.status, saved.stderr).toBe(0);
		const file = join(folder, `BustaCifrata-${anna.userId}.pdf`);
		expect((JSON.parse(saved.stdout) as {saved: string[]}).saved).toEqual([file]);
		// No more readable than the outbox's .eml it comes from: the holder's alone, whatever the folder's mode.
		expect(statSync(file).mode & 0o077).toBe(0);
		expect(qpdfOpens(file, anna.row.codiceFiscale)).toBe(true);
		expect(qpdfOpens(file, bruno.row.codiceFiscale)).toBe(false);
		const encryption = showEncryption(file, anna.row.codiceFiscale);
		expect(encryption).toMatch(/^R = 6$/m);
		expect(encryption).toContain('extract for accessibility: allowed');
		expect(pdfInfo(file, anna.row.codiceFiscale)).toMatchObject({'Page size': '595.28 x 841.89 pts (A4)', Tagged: 'yes'});
	});

	it('refuses to overwrite an existing file and leaves it as it was', () => {
		const message = list(['--user', bruno.userId])[0]!;
		const folder = join(work, 'bruno');
		mkdirSync(folder);
		const file = join(folder, `BustaCifrata-${bruno.userId}.pdf`);
		writeFileSync(file, 'già qui\n');
		const refused = runCli(['outbox', 'save', String(message.id), folder, '--data', data]);
		// Refused as a usage error, naming the file.
		expect(refused.status).toBe(2);
		expect(refused.stderr).toContain(file);
		expect(refused.stdout).toBe('');
		expect(readFileSync(file, 'utf8')).toBe('già qui\n');
		expect(readdirSync(folder)).toEqual([`BustaCifrata-${bruno.userId}.pdf`]);

		// A second save of the same e-mail into a folder where the first one landed is refused too.
		const again = join(work, 'bruno-again');
		mkdirSync(again);
		expect(runCli(['outbox', 'save', String(message.id), again, '--data', data]).status).toBe(0);
		const first = readFileSync(join(again, `BustaCifrata-${bruno.userId}.pdf`));
		expect(runCli(['outbox', 'save', String(message.id), again, '--data', data]).status).toBe(2);
		expect(readFileSync(join(again, `BustaCifrata-${bruno.userId}.pdf`)).equals(first)).toBe(true);
	});

	it('refuses an unknown N, an SMS, and a malformed command with exit 2, writing nothing', () => {
		const folder = join(work, 'nothing');
		mkdirSync(folder);
		const sms = list(['--user', MARIO.userId])[0]!;
		const cases: {args: string[]; says: RegExp}[] = [
			{args: ['save', '999', folder], says: /999/},
			{args: ['save', String(sms.id), folder], says: new RegExp(`\\b${sms.id}\\b`)},
			{args: ['save', '0', folder], says: /outbox save N/},
			{args: ['save', 'uno', folder], says: /outbox save N/},
			{args: ['save', '1'], says: /outbox save N/},
			{args: ['save'], says: /outbox save N/},
			{args: ['save', '1', folder, 'extra'], says: /outbox save N/},
			{args: ['delete', '1'], says: /outbox delete/},
		];
		for (const {args, says} of cases) {
			const result = runCli(['outbox', ...args, '--data', data]);
			expect(result.status, args.join(' ')).toBe(2);
			expect(result.stderr, args.join(' ')).toMatch(says);
		}
		expect(readdirSync(folder)).toEqual([]);
	});

	it('keeps every attachment inside DIR, whatever its name says', async () => {
		const folder = demoCopy();
		const root = temporaryDirectory();
		try {
			const target = join(root.path, 'inbox');
			mkdirSync(target);
			const tag = Math.random().toString(36).slice(2, 8);
			// A dangling link in DIR named like an attachment: writing through it would land outside.
			symlinkSync(join(root.path, `outside-${tag}.pdf`), join(target, `link-${tag}.pdf`));
			const names = [
				`../../escape-${tag}.txt`,
				`../escape-up-${tag}.txt`,
				join(root.path, `absolute-${tag}.txt`),
				`..\\..\\windows-${tag}.txt`,
				`sub/dir/nested-${tag}.txt`,
				`~/home-${tag}.txt`,
				`link-${tag}.pdf`,
				'..',
				'.',
			];
			const outbox = new Outbox(folder);
			const ids = new Map<string, number>();
			for (const [index, name] of names.entries()) {
				const id = 900 + index;
				const eml = await composeEmail({
					from: 'InfoCert <noreply@mysign.local>',
					to: MARIO.email,
					subject: 'allegato',
					text: 'vedi allegato',
					date: new Date(),
					attachments: [{filename: name, content: Buffer.from(`contenuto ${index}\n`), contentType: 'text/plain'}],
				});
				await outbox.deliverEmail({id, kind: 'email', userId: MARIO.userId, to: MARIO.email, at: new Date().toISOString(), subject: 'allegato', text: 'vedi allegato', attachments: [name]}, eml);
				ids.set(name, id);
			}

			const outcomes = new Map<string, number | null>();
			const written: string[] = [];
			for (const [index, name] of names.entries()) {
				const result = runCli(['outbox', 'save', String(ids.get(name)), target, '--data', folder, '--json']);
				outcomes.set(name, result.status);
				if (result.status !== 0) continue;
				for (const file of (JSON.parse(result.stdout) as {saved: string[]}).saved) {
					expect(dirname(file), name).toBe(target);
					expect(readFileSync(file, 'utf8'), name).toBe(`contenuto ${index}\n`);
					written.push(file);
				}
			}
			// Names with a file name in them are saved under that name alone; the link is never followed.
			for (const name of names.slice(0, 6)) expect(outcomes.get(name), name).toBe(0);
			expect(outcomes.get(`link-${tag}.pdf`)).not.toBe(0);
			// A name that is only dots gets a plain one instead of being lost.
			expect(outcomes.get('..')).toBe(0);
			expect(written.some(file => file.endsWith('allegato-1')), 'allegato-1').toBe(true);

			// Nothing outside DIR, nothing below it.
			expect(readdirSync(root.path)).toEqual(['inbox']);
			for (const entry of readdirSync(target)) expect(statSync(join(target, entry), {throwIfNoEntry: false})?.isDirectory() ?? false, entry).toBe(false);
			const outside = [join(root.path, '..', `escape-${tag}.txt`), join(root.path, `escape-up-${tag}.txt`), join(root.path, `absolute-${tag}.txt`), join(root.path, `outside-${tag}.pdf`)];
			for (const escaped of outside) expect(existsSync(escaped), escaped).toBe(false);
			expect(readdirSync(target).sort()).toEqual([...written.map(file => file.slice(target.length + 1)), `link-${tag}.pdf`].sort());
			for (const piece of [`escape-${tag}.txt`, `escape-up-${tag}.txt`, `absolute-${tag}.txt`, `windows-${tag}.txt`, `nested-${tag}.txt`, `home-${tag}.txt`]) {
				expect(written.some(file => file.endsWith(piece)), piece).toBe(true);
			}
		} finally {
			root.remove();
		}
	});
});
