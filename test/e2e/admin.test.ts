import type {EnrolledHolder, OutboxMessage} from '../../source/core/portal.js';
import {spawnSync} from 'node:child_process';
import {X509Certificate} from 'node:crypto';
import {cpSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {beforeAll, describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {
	cliDemoCopies,
	cliJson,
	csvOf,
	ddmmyyyy,
	holderRows,
	inBatches,
	openPortal,
	pdfText,
	qpdfOpens,
	runCliAsync,
	serialKey,
	type HolderRow,
	type HolderSummary,
} from '../helpers/operators.js';
import {MARIO, temporaryDirectory} from '../helpers/holders.js';
import {readDatabase, recordBytes} from '../helpers/data-folder.js';

/*
 * Issue 7, operators: `mysign admin …` end to end through the built CLI. One folder gets a
 * room of 30 holders from a CSV, shared by the enrolment checks and the refusals (revocation,
 * reactivation, unlocking and `admin init`: admin-lifecycle.test.ts).
 */

const demoCopy = cliDemoCopies();

/** An enrolled holder as `--json` prints it (dates as ISO strings). */
type Enrolled = Omit<EnrolledHolder, 'expiresAt'> & {expiresAt: string};
/** What `mysign outbox --json` lists: the outbox records, with the .eml path. */
type OutboxEntry = OutboxMessage;
interface Envelope {
	holder: Enrolled;
	message: OutboxEntry;
	file: string;
	text: string;
	password: string;
}

const ROOM: HolderRow[] = holderRows(30, 0);

let room: string;
let work: string;
let enrolled: Enrolled[];

beforeAll(() => {
	room = demoCopy({shared: true});
	const folder = temporaryDirectory();
	work = folder.path;
	const csv = join(work, 'room.csv');
	writeFileSync(csv, csvOf(ROOM));
	const started = performance.now();
	const result = runCli(['admin', 'enroll', '--csv', csv, '--data', room, '--json']);
	const seconds = (performance.now() - started) / 1000;
	console.log(`[admin] mysign admin enroll --csv (30 holders, one command): ${seconds.toFixed(2)} s`);
	expect(result.status, result.stderr).toBe(0);
	enrolled = (JSON.parse(result.stdout) as {enrolled: Enrolled[]}).enrolled;
	return folder.remove;
}, 240_000);

/** The 30 registration envelopes saved with `mysign outbox save N DIR` and opened with each codice fiscale (once per file). */
let envelopes: Promise<Envelope[]> | undefined;
function roomEnvelopes(): Promise<Envelope[]> {
	envelopes ??= (async () => {
		const messages = cliJson<{messages: OutboxEntry[]}>(['outbox', '--data', room]).messages.filter(message => message.subject === 'InfoCert LegalCert: registrazione');
		const folder = join(work, 'envelopes');
		mkdirSync(folder);
		// A trainer saves a few with the command; the rest go through the same core operation in this
		// process (30 command starts cost ~20 s of CPU; `outbox save` itself is tested in outbox.test.ts).
		const portal = await openPortal(room);
		return inBatches(enrolled, 4, async (holder, index) => {
			const message = messages.find(entry => entry.userId === holder.userId);
			if (!message) throw new Error(`no registration e-mail for ${holder.userId}`);
			let file: string;
			if (index % 10 === 0) {
				const saved = await runCliAsync(['outbox', 'save', String(message.id), folder, '--data', room, '--json']);
				if (saved.status !== 0) throw new Error(`outbox save ${message.id}: ${saved.stderr}`);
				file = (JSON.parse(saved.stdout) as {saved: string[]}).saved[0]!;
			} else {
				file = (await portal.mailbox.saveAttachments(message.id, folder))[0]!;
			}
			const text = pdfText(file, holder.codiceFiscale, work);
			const password = /Password iniziale:\s*(\S+)/.exec(text)?.[1] ?? '';
			return {holder, message, file, text, password};
		});
	})();
	return envelopes;
}

describe('mysign admin enroll --csv: a room of 30 holders in one command', () => {
	it('creates 30 holders with distinct userIDs and distinct certificates the local CA verifies', async () => {
		expect(enrolled).toHaveLength(30);
		const userIds = enrolled.map(holder => holder.userId);
		for (const userId of userIds) expect(userId).toMatch(/^JCPD\d{4}$/);
		expect(new Set(userIds).size).toBe(30);
		expect(userIds).not.toContain(MARIO.userId);
		expect(enrolled.map(holder => holder.codiceFiscale).sort()).toEqual(ROOM.map(row => row.codiceFiscale).sort());
		for (const holder of enrolled) {
			const row = ROOM.find(entry => entry.codiceFiscale === holder.codiceFiscale)!;
			expect(holder).toMatchObject({name: row.name.toUpperCase(), surname: row.surname.toUpperCase(), email: row.email});
		}

		// The certificates themselves, as stored: one each, distinct serials, the holder's codice fiscale in the subject.
		const db = await readDatabase(room);
		expect(db.holders).toHaveLength(3 + 30);
		const serials = new Set<string>();
		for (const holder of enrolled) {
			const records = db.certificates.filter(entry => entry.userId === holder.userId);
			expect(records, holder.userId).toHaveLength(1);
			const certificate = new X509Certificate(records[0]!.pem);
			expect(certificate.subject).toContain(`TINIT-${holder.codiceFiscale}`);
			serials.add(serialKey(certificate.serialNumber));
		}
		expect(serials.size).toBe(30);
		const demoSerials = db.certificates.filter(entry => !userIds.includes(entry.userId)).map(entry => serialKey(new X509Certificate(entry.pem).serialNumber));
		for (const serial of demoSerials) expect(serials.has(serial)).toBe(false);

		// `admin show ID --pem` gives that holder's certificate, and openssl verifies it against the CA.
		for (const holder of [enrolled[0]!, enrolled[14]!, enrolled[29]!]) {
			const shown = runCli(['admin', 'show', holder.userId, '--pem', '--data', room]);
			expect(shown.status, shown.stderr).toBe(0);
			const file = join(work, `${holder.userId}.pem`);
			writeFileSync(file, shown.stdout);
			expect(new X509Certificate(shown.stdout).subject).toContain(`TINIT-${holder.codiceFiscale}`);
			const verify = spawnSync('openssl', ['verify', '-CAfile', join(room, 'pki', 'ca.pem'), file], {encoding: 'utf8'});
			expect(verify.status, verify.stderr).toBe(0);
			expect(verify.stdout).toContain(': OK');
		}
	});

	it('sends 30 registration e-mails whose envelope opens only with the holder’s codice fiscale and holds the userID', async () => {
		const started = performance.now();
		const all = await roomEnvelopes();
		console.log(`[admin] 30 envelopes saved (3 by mysign outbox save) + qpdf: ${((performance.now() - started) / 1000).toFixed(2)} s`);
		expect(all).toHaveLength(30);
		expect(new Set(all.map(envelope => envelope.message.id)).size).toBe(30);
		for (const [index, {holder, message, file, text, password}] of all.entries()) {
			expect(message).toMatchObject({kind: 'email', userId: holder.userId, to: holder.email, attachments: [`BustaCifrata-${holder.userId}.pdf`]});
			expect(message.text).toContain(holder.userId);
			expect(file).toBe(join(work, 'envelopes', `BustaCifrata-${holder.userId}.pdf`));
			// Encrypted: no password or someone else's codice fiscale does not open it.
			expect(qpdfOpens(file, ''), file).toBe(false);
			expect(qpdfOpens(file, all[(index + 1) % all.length]!.holder.codiceFiscale), file).toBe(false);
			expect(text).toContain(`User ID: ${holder.userId}`);
			expect(text).toContain(`Titolare: ${holder.name} ${holder.surname}`);
			expect(text).toContain(`IUT: ${holder.iut}`);
			// No PUK: a blocked PIN blocks the certificate for good (admin reissue gives a new one).
			expect(text).not.toContain('PUK');
			const codes = ['PIN di firma', 'Codice di Emergenza'].map(label => new RegExp(`${label}:\\s*(\\d{8})\\b`).exec(text)?.[1]);
			for (const code of codes) expect(code, text).toMatch(/^\d{8}$/);
			expect(password, text).toMatch(/^\S{8,}$/);
			// The codes travel only in the envelope, never in the e-mail's text.
			for (const secret of [...codes, password]) expect(message.text).not.toContain(secret);
		}
	}, 240_000);

	it('makes every new holder change the password at first access', async () => {
		const holders = cliJson<{holders: HolderSummary[]}>(['admin', 'list', '--data', room]).holders;
		for (const holder of enrolled) expect(holders.find(entry => entry.userId === holder.userId), holder.userId).toMatchObject({mustChangePassword: true, state: 'active', locked: false});
		expect(holders.find(entry => entry.userId === MARIO.userId)?.mustChangePassword).toBe(false);

		const all = await roomEnvelopes();
		const portal = await openPortal(room);
		for (const {holder, password} of [all[0]!, all[29]!]) {
			expect((await portal.sessions.login(holder.userId, `${password}x`)).kind).toBe('invalid');
			const login = await portal.sessions.login(holder.userId, password);
			expect(login.kind, holder.userId).toBe('success');
			if (login.kind !== 'success') continue;
			const dashboard = await portal.certificate.dashboard(login.session);
			expect(dashboard.mustChangePassword).toBe(true);
			expect(dashboard.certificate?.state).toBe('active');
		}
		const mario = await portal.sessions.login(MARIO.userId, MARIO.password);
		expect(mario.kind === 'success' && (await portal.certificate.dashboard(mario.session)).mustChangePassword).toBe(false);
	}, 120_000);

	it('reads an English, comma-separated header (with a BOM) the same way', () => {
		const data = demoCopy();
		const rows = holderRows(2, 9);
		const csv = join(work, 'english.csv');
		writeFileSync(csv, '\uFEFF' + csvOf(rows, ',', ['Name', 'Surname', 'Tax code', 'Mobile', 'E-mail']));
		const result = runCli(['admin', 'enroll', '--csv', csv, '--data', data, '--json']);
		expect(result.status, result.stderr).toBe(0);
		const added = (JSON.parse(result.stdout) as {enrolled: Enrolled[]}).enrolled;
		// Sorted: enrolment prepares two holders at a time and lists them as they finish, not in the CSV's order.
		expect(added.map(holder => `${holder.codiceFiscale} ${holder.email}`).sort()).toEqual(rows.map(row => `${row.codiceFiscale} ${row.email}`).sort());
	}, 120_000);
});

describe('a refused admin command exits 2, names the argument and leaves db.json and holders/ byte for byte as they were', () => {
	const future = ddmmyyyy(60);
	const past = ddmmyyyy(-2);
	const fresh = holderRows(1, 7)[0]!;
	const single = (row: HolderRow, without?: string, replace: Record<string, string> = {}) =>
		Object.entries({'--name': row.name, '--surname': row.surname, '--codice-fiscale': row.codiceFiscale, '--phone': row.phone, '--email': row.email, ...replace})
			.filter(([flag]) => flag !== without)
			.flatMap(([flag, value]) => [flag, value]);
	const wrongCheck = (codiceFiscale: string) => codiceFiscale.slice(0, 15) + (codiceFiscale.endsWith('A') ? 'B' : 'A');

	/** A CSV of 10 valid rows in `work` with row 7 (the seventh holder) changed. */
	const csvWithRow7 = (name: string, change: Partial<HolderRow>) => () => {
		const rows = holderRows(10, 3);
		rows[6] = {...rows[6]!, ...change};
		const file = join(work, name);
		writeFileSync(file, csvOf(rows));
		return file;
	};

	const cases: {title: string; args: () => string[]; says: RegExp[]}[] = [
		...['unlock', 'reactivate', 'show'].map(command => ({title: `${command} without USER`, args: () => [command], says: [/USER/]})),
		{title: 'show --pem without USER', args: () => ['show', '--pem'], says: [/USER/]},
		{title: 'revoke without USER', args: () => ['revoke', '--reason', 'keyCompromise'], says: [/USER/]},
		{title: 'flag-replacement without USER', args: () => ['flag-replacement', '--deadline', future], says: [/USER/]},
		{title: 'unlock of an unknown user', args: () => ['unlock', 'JCPD0000'], says: [/JCPD0000/]},
		{title: 'revoke of an unknown user', args: () => ['revoke', 'JCPD0000', '--reason', 'keyCompromise'], says: [/JCPD0000/]},
		{title: 'reactivate of an unknown user', args: () => ['reactivate', 'JCPD0000'], says: [/JCPD0000/]},
		{title: 'flag-replacement of an unknown user', args: () => ['flag-replacement', 'JCPD0000', '--deadline', future], says: [/JCPD0000/]},
		{title: 'show of an unknown user', args: () => ['show', 'JCPD0000'], says: [/JCPD0000/]},
		{title: 'revoke without --reason', args: () => ['revoke', MARIO.userId], says: [/--reason/]},
		{title: 'revoke with a bad reason', args: () => ['revoke', MARIO.userId, '--reason', 'boredom'], says: [/boredom/, /keyCompromise/]},
		{title: 'reactivate of a certificate that is not suspended', args: () => ['reactivate', MARIO.userId], says: [/JCPD7173/]},
		{title: 'flag-replacement without --deadline', args: () => ['flag-replacement', MARIO.userId], says: [/--deadline/]},
		{title: 'flag-replacement with an impossible date', args: () => ['flag-replacement', MARIO.userId, '--deadline', '31/02/2027'], says: [/31\/02\/2027/]},
		{title: 'flag-replacement with words for a date', args: () => ['flag-replacement', MARIO.userId, '--deadline', 'domani'], says: [/domani/]},
		{title: 'flag-replacement with a past date', args: () => ['flag-replacement', MARIO.userId, '--deadline', past], says: [new RegExp(past.replace(/\//g, '\\/'))]},
		...['--name', '--surname', '--codice-fiscale', '--phone', '--email'].map(flag => ({title: `enroll without ${flag}`, args: () => ['enroll', ...single(fresh, flag)], says: [new RegExp(flag)]})),
		{title: 'enroll with an empty --name', args: () => ['enroll', ...single(fresh, undefined, {'--name': ' '})], says: [/--name/]},
		{title: 'enroll with a bad codice fiscale (check character)', args: () => ['enroll', ...single(fresh, undefined, {'--codice-fiscale': wrongCheck(fresh.codiceFiscale)})], says: [/[Cc]odice fiscale/, new RegExp(wrongCheck(fresh.codiceFiscale))]},
		{title: 'enroll with a malformed codice fiscale', args: () => ['enroll', ...single(fresh, undefined, {'--codice-fiscale': 'RSSMRA80'})], says: [/RSSMRA80/]},
		{title: 'enroll with a bad phone', args: () => ['enroll', ...single(fresh, undefined, {'--phone': '12345'})], says: [/cellulare/i, /12345/]},
		{title: 'enroll with a landline number', args: () => ['enroll', ...single(fresh, undefined, {'--phone': '06 1234 5678'})], says: [/06 1234 5678/]},
		{title: 'enroll with a bad e-mail', args: () => ['enroll', ...single(fresh, undefined, {'--email': 'anna@@example'})], says: [/e-mail/i, /anna@@example/]},
		{title: 'enroll with the codice fiscale of a demo holder', args: () => ['enroll', ...single(fresh, undefined, {'--codice-fiscale': 'rssmra80a01h501u'})], says: [/RSSMRA80A01H501U/]},
		{title: 'enroll with the codice fiscale of a holder from the room', args: () => ['enroll', ...single(fresh, undefined, {'--codice-fiscale': ROOM[4]!.codiceFiscale})], says: [new RegExp(ROOM[4]!.codiceFiscale)]},
		{title: 'enroll with the e-mail of a holder from the room', args: () => ['enroll', ...single(fresh, undefined, {'--email': ROOM[5]!.email.toUpperCase()})], says: [new RegExp(ROOM[5]!.email)]},
		{title: 'enroll with both --csv and fields', args: () => ['enroll', '--csv', join(work, 'room.csv'), '--name', 'X'], says: [/--csv/]},
		...(
			[
				['a bad codice fiscale', {codiceFiscale: 'XXXXXX00A00X000X'}, /XXXXXX00A00X000X/],
				['a bad e-mail', {email: 'nobody@@example'}, /nobody@@example/],
				['a bad phone', {phone: '12'}, /\b12\b/],
				['an empty name', {name: ''}, /name|nome/],
				['the codice fiscale of an existing holder', {codiceFiscale: ROOM[0]!.codiceFiscale}, new RegExp(ROOM[0]!.codiceFiscale)],
			] as const
		).map(([what, change, says], index) => {
			const file = csvWithRow7(`row7-${index}.csv`, change);
			// The seventh holder is on the file's line 8 (the header is line 1).
			return {title: `enroll --csv with ${what} on row 7 of 10`, args: () => ['enroll', '--csv', file()], says: [/Riga 8\b/, says]};
		}),
		{
			title: 'enroll --csv missing the e-mail column',
			args: () => {
				const file = join(work, 'no-email.csv');
				writeFileSync(file, csvOf(holderRows(3, 4)).split('\n').map(line => line.split(';').slice(0, 4).join(';')).join('\n'));
				return ['enroll', '--csv', file];
			},
			says: [/email/],
		},
		{title: 'enroll --csv of a file that does not exist', args: () => ['enroll', '--csv', join(work, 'missing.csv')], says: [/missing\.csv/]},
		{
			title: 'enroll --csv of a folder',
			args: () => {
				mkdirSync(join(work, 'a-folder.csv'), {recursive: true});
				return ['enroll', '--csv', join(work, 'a-folder.csv')];
			},
			says: [/a-folder\.csv/],
		},
		{title: 'rao add without --phone', args: () => ['rao', 'add', '--name', 'Ufficio RAO'], says: [/--phone/]},
		{title: 'rao add without --name', args: () => ['rao', 'add', '--phone', '3351112233'], says: [/--name/]},
		{title: 'an unknown admin sub-command', args: () => ['frobnicate', MARIO.userId], says: [/frobnicate/]},
		{title: 'admin with no sub-command', args: () => [], says: [/admin/]},
		{title: 'coupon create --count 0', args: () => ['coupon', 'create', '--count', '0'], says: [/--count/, /\b0\b/]},
		{title: 'coupon create --count 1001', args: () => ['coupon', 'create', '--count', '1001'], says: [/--count/, /1001/]},
	];

	// Each case on its own copy of the room (so they can run side by side and a change is pinned on its command).
	it.concurrent.for(cases)('$title', async ({args, says}, {expect}) => {
		const folder = temporaryDirectory();
		try {
			cpSync(room, folder.path, {recursive: true});
			const before = recordBytes(folder.path);
			const outboxBefore = readdirSync(join(folder.path, 'outbox')).sort();
			const result = await runCliAsync(['admin', ...args(), '--data', folder.path]);
			expect(result.status, result.stderr + result.stdout).toBe(2);
			for (const pattern of says) expect(result.stderr).toMatch(pattern);
			expect(result.stdout).toBe('');
			expect(recordBytes(folder.path), 'db.json or holders/ changed').toEqual(before);
			expect(readdirSync(join(folder.path, 'outbox')).sort()).toEqual(outboxBefore);
		} finally {
			folder.remove();
		}
	});

	it('refuses the same command with --json the same way (exit 2, nothing written)', () => {
		const before = recordBytes(room);
		const result = runCli(['admin', 'revoke', MARIO.userId, '--reason', 'boredom', '--json', '--data', room]);
		expect(result.status).toBe(2);
		expect(result.stderr).toMatch(/boredom/);
		expect(recordBytes(room)).toEqual(before);
	});
});
