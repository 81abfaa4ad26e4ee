import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import stringWidth from 'string-width';
import {beforeAll, describe, expect, it} from 'vitest';
import {e2eFixture, runCli} from '../helpers/cli.js';
import {Portal} from '../../source/core/portal.js';
import {cliDemoCopies, cliJson, csvOf, holderRows, type HolderRow} from '../helpers/operators.js';
import {pdfInfo, pdfText} from '../helpers/pdf.js';
import {lastSmsCode, logIn, MARIO, temporaryDirectory} from '../helpers/portal.js';
import {parseTrainerTime} from '../../source/core/clock-control.js';
import {applyScenario, changeClock, enrollHolders} from '../helpers/folder-setup.js';

/*
 * Issue 19, "The operator works blind": the operator's console through the built CLI. Help at
 * every admin level, the coupon, RAO and holder lists (80 columns, --json), `outbox show N`,
 * times in Italian time with their zone (ISO with the offset in --json), CSV errors on the
 * file's line, the suspension fields of `admin show --json`, the progress of an enrolment and
 * the first-login handout in the outbox.
 */

const demoCopy = cliDemoCopies();
const fixture = e2eFixture();

/** Lines wider than 80 terminal columns (a wide character counts two). */
const wide = (text: string) => text.split('\n').filter(line => stringWidth(line) > 80);
const ok = (args: readonly string[]) => {
	const result = runCli(args);
	expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
	return result;
};

describe('mysign admin --help at every level', () => {
	const levels: {args: string[]; it: string[]; en: string[]}[] = [
		{
			args: ['admin', '--help'],
			it: ['Uso: mysign admin', 'admin enroll --csv FILE', 'admin list', 'admin show ID', 'admin unlock ID', 'admin revoke ID', 'admin reactivate ID', 'admin flag-replacement ID', 'admin coupon create', 'admin coupon list', 'admin rao add', 'admin rao list', 'admin init'],
			en: ['Usage: mysign admin', 'admin enroll --csv FILE', 'admin coupon list', 'admin rao list', 'the holders'],
		},
		{args: ['admin', 'coupon', '--help'], it: ['admin coupon create [--count N]', 'admin coupon list', 'usati'], en: ['admin coupon create [--count N]', 'admin coupon list', 'by whom']},
		{args: ['admin', 'rao', '--help'], it: ['admin rao add --name NOME --phone NUM', 'admin rao list', 'RAO'], en: ['admin rao add --name NAME --phone NUM', 'admin rao list']},
		{args: ['admin', 'show', '--help'], it: ['admin show ID [--pem]', 'sospensione'], en: ['admin show ID [--pem]', 'suspension']},
		{args: ['admin', 'enroll', '--help'], it: ['admin enroll --csv FILE', 'riga nel file'], en: ['admin enroll --csv FILE', 'line in the file']},
	];

	it.for(levels)('$args exits 0 and describes its sub-commands in both languages, in 80 columns', ({args, it: italian, en: english}, {expect}) => {
		for (const [language, expected] of [['it', italian], ['en', english]] as const) {
			const result = runCli([...args, '--lang', language]);
			expect(result.status, result.stderr).toBe(0);
			expect(result.stderr).toBe('');
			for (const text of expected) expect(result.stdout, `${language}: ${text}`).toContain(text);
			expect(wide(result.stdout), language).toEqual([]);
		}
		// The sub-commands of `coupon` and `rao` only, not the whole list.
		if (args[1] === 'coupon') expect(runCli(args).stdout).not.toContain('admin enroll');
	});

	it('an unknown sub-command with --help is still a usage error (exit 2)', () => {
		const result = runCli(['admin', 'frobnicate', '--help']);
		expect(result.status).toBe(2);
		expect(result.stderr).toContain('admin frobnicate');
	});
});

describe('a room of 20: admin list, enrolment without a terminal, the handout', () => {
	let room: string;
	let work: string;
	let enrolled: {userId: string; codiceFiscale: string}[];
	const rows: HolderRow[] = holderRows(20, 11);

	beforeAll(() => {
		room = demoCopy({shared: true});
		const folder = temporaryDirectory();
		work = folder.path;
		const csv = join(work, 'room.csv');
		writeFileSync(csv, csvOf(rows));
		const result = runCli(['admin', 'enroll', '--csv', csv, '--data', room, '--json']);
		expect(result.status, result.stderr).toBe(0);
		// Not a terminal: no progress line on stderr.
		expect(result.stderr).toBe('');
		enrolled = (JSON.parse(result.stdout) as {enrolled: {userId: string; codiceFiscale: string}[]}).enrolled;
		return folder.remove;
	}, 240_000);

	it('admin list shows the 23 holders, each on lines of at most 80 columns; --json gives the same holders', () => {
		for (const language of ['it', 'en']) {
			const listed = ok(['admin', 'list', '--data', room, '--lang', language]).stdout;
			expect(wide(listed)).toEqual([]);
			for (const {userId} of [...enrolled, MARIO]) expect(listed).toMatch(new RegExp(`^${userId}  `, 'm'));
			// The new holders must change their password: said on the line below, indented.
			expect(listed).toContain(language === 'it' ? '[deve cambiare la password]' : '[must change');
		}
		const {holders} = cliJson<{holders: {userId: string; expiresAt: string}[]}>(['admin', 'list', '--data', room]);
		expect(holders.map(holder => holder.userId).sort()).toEqual([...enrolled.map(holder => holder.userId), 'JCPD7173', 'JCPD2841', 'JCPD5590'].sort());
		for (const holder of holders) expect(holder.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?\+0[12]:00$/);
	});

	it('admin list cuts a name of wide characters to its column, by terminal width', async () => {
		const data = demoCopy();
		const row = holderRows(1, 16)[0]!;
		// Enrolled in this process (the subject is `admin list`; `admin enroll` has its own tests).
		await enrollHolders(data, [{...row, name: '龍之介'.repeat(4), surname: '芥川'.repeat(8)}]);
		const listed = ok(['admin', 'list', '--data', data]).stdout;
		expect(listed).toContain('芥川芥川');
		expect(listed).toContain('…');
		expect(wide(listed)).toEqual([]);
	});

	it('sends each trainee a printable first-login handout (text in 80 columns, one A4 PDF) with no secret in it', () => {
		const trainee = enrolled[7]!;
		const messages = cliJson<{messages: {id: number; subject?: string; attachments?: string[]; at: string}[]}>(['outbox', '--user', trainee.userId, '--data', room]).messages;
		expect(messages.map(message => message.subject)).toEqual(['InfoCert LegalCert: registrazione', 'MySign: scheda per il primo accesso']);
		const handout = messages[1]!;
		expect(handout.attachments).toEqual([`Scheda-${trainee.userId}.pdf`]);

		const shown = ok(['outbox', 'show', String(handout.id), '--data', room]).stdout;
		for (const text of [trainee.userId, `mysign phone --user ${trainee.userId}`, 'codice fiscale, in MAIUSCOLO', 'Scegli la tua password', `BustaCifrata-${trainee.userId}.pdf`, `Scheda-${trainee.userId}.pdf`]) {
			expect(shown).toContain(text);
		}
		// The handout is not encrypted: the envelope's password (the codice fiscale) is never in it.
		expect(shown).not.toContain(trainee.codiceFiscale);
		expect(wide(shown)).toEqual([]);

		const folder = join(work, 'handout');
		mkdirSync(folder);
		const saved = cliJson<{saved: string[]}>(['outbox', 'save', String(handout.id), folder, '--data', room]).saved;
		expect(saved).toEqual([join(folder, `Scheda-${trainee.userId}.pdf`)]);
		expect(pdfInfo(saved[0]!)).toMatchObject({Pages: '1', 'Page size': '595.28 x 841.89 pts (A4)', Tagged: 'yes', Encrypted: 'no'});
		const text = pdfText(saved[0]!, undefined, work);
		expect(text).toContain(trainee.userId);
		expect(text).toContain(`mysign phone --user ${trainee.userId}`);
		expect(text).not.toContain(trainee.codiceFiscale);
	});
});

describe('coupon and RAO lists, times with their zone', () => {
	it('admin coupon list: used (when, by whom) and unused; text in Italian time with the zone, --json with the offset', async () => {
		const data = demoCopy();
		// A winter time and a summer time on the folder's clock: CET/+01:00, then CEST/+02:00 (set in this
		// process, as `mysign clock set` does; the command's own tests: scenarios.test.ts, suspension.test.ts).
		await changeClock(data, {to: parseTrainerTime('2027-01-20T10:00')!});
		const [code] = cliJson<{coupons: string[]}>(['admin', 'coupon', 'create', '--data', data]).coupons;
		await changeClock(data, {to: parseTrainerTime('2027-07-20T10:00')!});
		ok(['admin', 'coupon', 'create', '--count', '2', '--data', data]);

		const before = ok(['admin', 'coupon', 'list', '--data', data]).stdout;
		expect(before).toContain('Coupon: 3 (0 usati, 3 non usati)');
		expect(before).toMatch(/20\/01\/2027 10:0\d CET {3}non usato/);
		expect(before).toMatch(/20\/07\/2027 10:0\d CEST {2}non usato/);

		// MARIO renews with the first coupon (the folder's clock puts his certificate in its renewal window).
		await changeClock(data, {to: parseTrainerTime('2027-01-20T10:00')!});
		// The portal on the folder's clock (as the CLI reads it), not the process's.
		const portal = await Portal.open({dataDirectory: data, terminal: 'test'});
		const session = await logIn(portal, MARIO.userId, 'Girasole&42');
		const {renewalId} = await portal.renewal.begin(session, {acceptConditions: true, confirmData: true, pin: MARIO.pin, coupon: code!});
		await portal.renewal.confirmConsents(session, renewalId, await lastSmsCode(portal, MARIO.userId));
		await portal.renewal.choosePin(session, renewalId, '11223344', '11223344');
		await portal.renewal.activate(session, renewalId, await lastSmsCode(portal, MARIO.userId));

		const after = ok(['admin', 'coupon', 'list', '--data', data]).stdout;
		expect(after).toContain('Coupon: 3 (1 usato, 2 non usati)');
		expect(after).toMatch(/20\/01\/2027 10:0\d CET {3}usato il 20\/01\/2027 10:0\d CET da JCPD7173/);
		expect(wide(after)).toEqual([]);
		const english = ok(['admin', 'coupon', 'list', '--data', data, '--lang', 'en']).stdout;
		expect(english).toMatch(/used on 20\/01\/2027 10:0\d CET by JCPD7173/);

		const listed = cliJson<{total: number; used: number; unused: number; coupons: {id: string; createdAt: string; used: boolean; usedAt: string | null; usedBy: string | null}[]}>(['admin', 'coupon', 'list', '--data', data]);
		expect(listed).toMatchObject({total: 3, used: 1, unused: 2});
		const [first, second] = listed.coupons;
		expect(first).toMatchObject({used: true, usedBy: 'JCPD7173'});
		expect(first!.createdAt).toMatch(/^2027-01-20T10:0\d:\d\d(\.\d{3})?\+01:00$/);
		expect(first!.usedAt).toMatch(/^2027-01-20T10:0\d:\d\d(\.\d{3})?\+01:00$/);
		expect(second).toMatchObject({used: false, usedAt: null, usedBy: null});
		expect(second!.createdAt).toMatch(/^2027-07-20T10:0\d:\d\d(\.\d{3})?\+02:00$/);
		// The offset names the same instant the store keeps in UTC.
		expect(new Date(second!.createdAt).toISOString()).toMatch(/^2027-07-20T08:0\d/);
	}, 60_000);

	it('admin rao list: the operators with their creation time (zone), never a password; --json too', () => {
		const data = demoCopy();
		const added = cliJson<{userId: string; password: string}>(['admin', 'rao', 'add', '--name', 'Ufficio RAO Milano', '--phone', '3351112299', '--data', data]);
		const listed = ok(['admin', 'rao', 'list', '--data', data]).stdout;
		expect(listed).toContain('RAO0001');
		expect(listed).toMatch(new RegExp(`^${added.userId}  Ufficio RAO Milano +\\+393351112299 +\\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d CES?T$`, 'm'));
		expect(listed).not.toContain(added.password);
		expect(wide(listed)).toEqual([]);
		const {operators} = cliJson<{operators: {userId: string; fullName: string; phone: string; createdAt: string; locked: boolean}[]}>(['admin', 'rao', 'list', '--data', data]);
		expect(operators.find(operator => operator.userId === added.userId)).toMatchObject({fullName: 'Ufficio RAO Milano', phone: '+393351112299', locked: false});
		for (const operator of operators) expect(operator.createdAt).toMatch(/\+0[12]:00$/);
		expect(JSON.stringify(operators)).not.toMatch(/argon2|passwordHash/);
	});

	it('the outbox lists times with their zone and gives the offset in --json', async () => {
		const data = demoCopy();
		// The clock and an enrolment (two e-mails) set up in this process: the subject is `mysign outbox` and `mysign clock`.
		await changeClock(data, {to: parseTrainerTime('2027-01-20T10:00')!});
		await enrollHolders(data, holderRows(1, 12));
		const listed = ok(['outbox', '--data', data]).stdout;
		expect(listed).toMatch(/^ +\d+ {2}20\/01\/2027 10:0\d CET {3}/m);
		const {messages} = cliJson<{messages: {at: string}[]}>(['outbox', '--data', data]);
		expect(messages.at(-1)!.at).toMatch(/^2027-01-20T10:0\d:\d\d(\.\d{3})?\+01:00$/);
		const clock = cliJson<{now: string}>(['clock', '--data', data]);
		expect(clock.now).toMatch(/^2027-01-20T10:0\d:\d\d(\.\d{3})?\+01:00$/);
		expect(ok(['clock', '--data', data]).stdout).toMatch(/20\/01\/2027 10:0\d:\d\d CET/);
	});
});

describe('mysign outbox show N', () => {
	it('prints the full text of an e-mail, sanitised, and lists its attachments with their sizes; --json too', async () => {
		const data = demoCopy();
		const row = holderRows(1, 13)[0]!;
		// Enrolled in this process (the registration e-mail to show): `admin enroll` has its own tests.
		const enrolled = (await enrollHolders(data, [row]))[0]!;
		const {messages} = cliJson<{messages: {id: number; subject?: string; text: string}[]}>(['outbox', '--user', enrolled.userId, '--data', data]);
		const registration = messages.find(message => message.subject === 'InfoCert LegalCert: registrazione')!;

		const shown = ok(['outbox', 'show', String(registration.id), '--data', data]).stdout;
		expect(shown).toMatch(new RegExp(`^Messaggio ${registration.id} · e-mail · \\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d CES?T$`, 'm'));
		expect(shown).toContain(`A: ${row.email} (${enrolled.userId})`);
		expect(shown).toContain('Oggetto: InfoCert LegalCert: registrazione');
		// The whole text, line by line (the one-line listing cuts it).
		for (const line of registration.text.split('\n')) expect(shown).toContain(line);
		expect(shown).toMatch(new RegExp(`^  BustaCifrata-${enrolled.userId}\\.pdf  [\\d.]+ byte$`, 'm'));

		const json = cliJson<{id: number; text: string; at: string; attachments: {name: string; size: number; contentType: string}[]}>(['outbox', 'show', String(registration.id), '--data', data]);
		expect(json).toMatchObject({id: registration.id, text: registration.text});
		expect(json.at).toMatch(/\+0[12]:00$/);
		expect(json.attachments).toHaveLength(1);
		expect(json.attachments[0]).toMatchObject({name: `BustaCifrata-${enrolled.userId}.pdf`, contentType: 'application/pdf'});
		expect(json.attachments[0]!.size).toBeGreaterThan(1000);
	});

	it('shows an SMS, strips terminal escapes from a message, refuses an unknown or malformed N with exit 2', async () => {
		const data = demoCopy();
		const {Outbox} = await import('../../source/core/notify/outbox.js');
		await new Outbox(data).deliver({id: 700, kind: 'sms', userId: MARIO.userId, to: '+393471234567', at: new Date().toISOString(), text: 'riga uno\n\u001B]0;titolo\u0007\u001B[31mrossa\u001B[0m\nriga tre'});
		const shown = ok(['outbox', 'show', '700', '--data', data]).stdout;
		expect(shown).toContain('Messaggio 700 · SMS ·');
		expect(shown).toContain('riga uno\nrossa\nriga tre');
		expect(shown).not.toContain('\u001B');
		expect(shown).not.toContain('Allegati');
		for (const args of [['show', '999'], ['show', '0'], ['show', 'uno'], ['show'], ['show', '1', '2']]) {
			const refused = runCli(['outbox', ...args, '--data', data]);
			expect(refused.status, args.join(' ')).toBe(2);
			expect(refused.stdout).toBe('');
			// An unknown number is a message (SMS or e-mail), not "an e-mail".
			expect(refused.stderr).toMatch(args[1] === '999' ? /^Nessun messaggio numero 999 / : /outbox show N/);
		}
	});
});

describe('CSV errors name the file line', () => {
	it('counts the header, blank lines and a quoted field that spans lines', () => {
		const data = demoCopy();
		const folder = temporaryDirectory();
		fixture.track(folder.remove);
		const [first, second, third] = holderRows(3, 14);
		const line = (row: HolderRow, note: string) => [row.name, row.surname, row.codiceFiscale, row.phone, row.email, note].join(';');
		// Line 1 header; lines 2-4 a holder whose note spans three lines; line 5 a holder; line 6 blank; line 7 a bad codice fiscale.
		const csv = [
			'nome;cognome;codice fiscale;cellulare;email;note',
			line(first!, '"arriva alle 9\ncon il portatile\nsenza smartphone"'),
			line(second!, ''),
			'',
			line({...third!, codiceFiscale: 'XXXXXX00A00X000X'}, 'x'),
			'',
		].join('\n');
		const file = join(folder.path, 'room.csv');
		writeFileSync(file, csv);
		const refused = runCli(['admin', 'enroll', '--csv', file, '--data', data]);
		expect(refused.status).toBe(2);
		expect(refused.stderr).toMatch(/^Riga 7: .*XXXXXX00A00X000X/);
		// The same file with Windows line ends.
		writeFileSync(file, csv.replaceAll('\n', '\r\n'));
		expect(runCli(['admin', 'enroll', '--csv', file, '--data', data, '--lang', 'en']).stderr).toMatch(/^(Row|Riga|Line) 7\b/);

		// A line break inside a field that must be plain text is named on the line the row starts on.
		writeFileSync(file, ['nome;cognome;codice fiscale;cellulare;email', line(first!, '').slice(0, -1), `${second!.name};"${second!.surname}\nbis";${second!.codiceFiscale};${second!.phone};${second!.email}`].join('\n'));
		const broken = runCli(['admin', 'enroll', '--csv', file, '--data', data]);
		expect(broken.status).toBe(2);
		expect(broken.stderr).toMatch(/^Riga 3: .*cognome/);
	});
});

describe('admin show --json: a suspension is not a revocation', () => {
	it('a suspended holder has suspendedAt and suspendedUntil, no revokedAt; a revoked one the reverse', async () => {
		const data = demoCopy();
		await applyScenario(data, 'suspended');
		const suspended = cliJson<Record<string, unknown>>(['admin', 'show', MARIO.userId, '--data', data]);
		expect(suspended).toMatchObject({state: 'suspended', revokedAt: null, revocationReason: null});
		expect(suspended['suspendedAt']).toMatch(/\+0[12]:00$/);
		expect(suspended['suspendedUntil']).toMatch(/\+0[12]:00$/);
		expect(Date.parse(suspended['suspendedUntil'] as string)).toBeGreaterThan(Date.parse(suspended['suspendedAt'] as string));
		const text = ok(['admin', 'show', MARIO.userId, '--data', data]).stdout;
		expect(text).toMatch(/sospeso dal \d\d\/\d\d\/\d{4} \d\d:\d\d CES?T {2}sospeso fino al \d\d\/\d\d\/\d{4} \d\d:\d\d CES?T/);
		expect(text).not.toContain('revocato');

		ok(['admin', 'revoke', MARIO.userId, '--reason', 'keyCompromise', '--yes', '--data', data]);
		const revoked = cliJson<Record<string, unknown>>(['admin', 'show', MARIO.userId, '--data', data]);
		expect(revoked).toMatchObject({state: 'revoked', suspendedAt: null, suspendedUntil: null, revocationReason: 'keyCompromise'});
		expect(revoked['revokedAt']).toMatch(/\+0[12]:00$/);
	});
});

describe('enrolment progress on a terminal', () => {
	it('rewrites one "Riga N/M" line on stderr while holders are prepared ("E-mail N/M" while sent), and clears it', async () => {
		const data = demoCopy();
		const folder = temporaryDirectory();
		fixture.track(folder.remove);
		const file = join(folder.path, 'three.csv');
		writeFileSync(file, csvOf(holderRows(3, 15)));
		const terminal = fixture.open(['admin', 'enroll', '--csv', file, '--data', data]);
		expect((await terminal.waitForExit(60_000)).exitCode).toBe(0);
		const raw = terminal.raw();
		for (const step of ['Riga 1/3 … ', 'Riga 2/3 … ', 'Riga 3/3 … ', 'E-mail 1/3 … ', 'E-mail 3/3 … ']) expect(raw).toContain(step);
		// In place: a carriage return and an erased line before each, and the screen keeps only the result.
		expect(raw).toContain('\r\u001B[2KRiga 2/3');
		expect(terminal.screen()).not.toContain('Riga 3/3');
		expect(terminal.screen()).toContain('Titolari registrati: 3');
	}, 90_000);
});
