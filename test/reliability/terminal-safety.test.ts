import {appendFileSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {e2eFixture, runCli, typeLogin} from '../helpers/cli.js';
import {MARIO} from '../helpers/holders.js';
import {allFiles, HOSTILE_PIECES, realClockDemo, SOAK} from '../helpers/reliability.js';

/*
 * Issue 9, point 4: escape sequences in stored text never reach the terminal as sequences. A
 * payload with OSC 52 (clipboard), OSC 0/2 (title), OSC 8 (hyperlink), CSI clear, move and
 * device-status query, C1 CSI/OSC, a bare CR, bidi and zero-width characters and an
 * unterminated OSC goes into every stored text field the screens show, written straight into
 * the data folder (the commands refuse it, see below), with 1 MB in two of them. The RAW bytes
 * the program writes are checked, not the emulated screen.
 */

const {open} = e2eFixture();
const demoFolder = realClockDemo();

const PAYLOAD =
	'A\u001b]52;c;SElKQUNLRUQ=\u0007B\u001b]0;PWNED0\u0007C\u001b]2;PWNED2\u001b\\D\u001b]8;;http://evil.example/\u0007E\u001b]8;;\u0007F\u001b[2JG\u001b[13;37HH\u001b[6nI\u009b2JJ\u009d0;PWNEDC1\u009cK\rL\u202eM\u2066N\u200bO\u001b]52;c;UNTERMINATED';
const MEGABYTE = 'm'.repeat(1_000_000);

/** What must never appear in the program's output: each payload sequence, its hidden text, and any OSC/DCS/C1/bidi/zero-width at all. */
const FORBIDDEN: [string, RegExp][] = [
	['an OSC sequence', /\u001b\]/],
	['a DCS/APC/PM/SOS string', /\u001b[P_^X]/],
	['a C1 control', /[\u0080-\u009f]/],
	['a bidi or zero-width character', /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/],
	['the payload\'s clear screen', /\u001b\[2J/],
	['the payload\'s cursor move', /\u001b\[13;37H/],
	['the payload\'s device-status query', /\u001b\[6n/],
	['a bare CR of the payload', /K\rL/],
	['BEL', /\u0007/],
	// The body of an OSC left unterminated in the middle of a line shows as plain text once its ESC is gone: inert, so not checked.
	['the hidden text of a terminated OSC', /PWNED|SElKQUNL|evil\.example/],
];

function offences(output: string, options: {hiddenText?: boolean} = {}): string[] {
	return FORBIDDEN.filter(([what, pattern]) => (options.hiddenText !== false || !what.startsWith('the hidden text')) && pattern.test(output)).map(([what]) => what);
}

/** The demo data with the payload in every stored text field that a screen or a command shows. */
async function hostileFolder(): Promise<string> {
	const data = await demoFolder();
	// Mario's records in his document (holders/<userID>.json), the operators and counters in db.json.
	const file = join(data, 'db.json');
	const db = JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
	const holderFile = join(data, 'holders', `${MARIO.userId}.json`);
	const own = JSON.parse(readFileSync(holderFile, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
	const now = new Date().toISOString();
	const mario = own['holder'];
	mario.name = `MARIO${PAYLOAD}`;
	mario.surname = `ROSSI${PAYLOAD}`;
	mario.secretQuestion = {...mario.secretQuestion, question: `Domanda${PAYLOAD}`};
	const certificate = own['certificates'].find((entry: {userId: string; status: string}) => entry.userId === MARIO.userId && entry.status === 'active');
	certificate.issuer = {...certificate.issuer, commonName: `CA${PAYLOAD}${MEGABYTE}`, organization: `InfoCert${PAYLOAD}`, organizationalUnit: `QTSP${PAYLOAD}`};
	own['sessions'].push({id: 'hostile-session', userId: MARIO.userId, terminal: `pts/9${PAYLOAD}`.slice(0, 200), startedAt: now, lastActivityAt: now, endedAt: null, endReason: null});
	const accessId = (db['sequences']['accessLog'] ?? 0) + 1;
	own['accessLog'].push({id: accessId, at: now, userId: MARIO.userId, outcome: 'success', terminal: `tty${PAYLOAD}`.slice(0, 200)});
	db['sequences']['accessLog'] = accessId;
	if (db['operators'][0]) db['operators'][0].name = `RAO${PAYLOAD}`;
	const outboxId = (db['sequences']['outbox'] ?? 0) + 1;
	db['sequences']['outbox'] = outboxId;
	writeFileSync(holderFile, JSON.stringify(own, null, '\t'));
	writeFileSync(file, JSON.stringify(db, null, '\t'));
	appendFileSync(
		join(data, 'signatures', `${MARIO.userId}.jsonl`),
		JSON.stringify({at: now, document: `doc${PAYLOAD}.pdf`, sha256: null, size: 1, outcome: 'success', reason: null, channel: 'sms', certificateSerial: null}) + '\n',
	);
	const {mkdirSync} = await import('node:fs');
	mkdirSync(join(data, 'outbox'), {recursive: true, mode: 0o700});
	writeFileSync(
		join(data, 'outbox', `${String(outboxId).padStart(8, '0')}.sms.json`),
		JSON.stringify({id: outboxId, kind: 'sms', userId: MARIO.userId, to: `+39${PAYLOAD}`, at: now, text: `SMS${PAYLOAD}${MEGABYTE}`}),
		{mode: 0o600},
	);
	return data;
}

describe('hostile text stored in every field the screens show', () => {
	it('the full-screen portal shows it inert: dashboard, certificate, signature and access history, account, sessions', async () => {
		const data = await hostileFolder();
		const terminal = open(['--data', data], {cols: 100, rows: 30});
		await typeLogin(terminal, MARIO.userId, MARIO.password);
		await terminal.waitForText('Il tuo certificato è', 30_000);
		expect(terminal.screen()).toContain('MARIO');
		terminal.write('1');
		await terminal.waitForText('Autorità di certificazione');
		await terminal.waitForText('InfoCert');
		terminal.write('\u001b');
		await terminal.waitForText('7. Cronologia firme');
		terminal.write('7');
		await terminal.waitForText('docABCDEFGHIJK');
		// "Visualizza accessi": the access log, with the hostile terminal of one entry.
		for (let index = 0; index < 7; index++) terminal.write('\t');
		await terminal.waitForText('› [ Visualizza accessi ]');
		terminal.write('\r');
		await terminal.waitForText('Cronologia accessi');
		await terminal.waitForText('ttyABCDEFGHIJK');
		terminal.write('\u001b');
		await terminal.waitForText('7. Cronologia firme');
		terminal.write('m');
		await terminal.waitForText('1. Gestisci il tuo account');
		terminal.write('1');
		await terminal.waitForText(/Dispositivi e sessioni\s+\[apri\]/);
		await terminal.waitForText('Domanda');
		for (let index = 0; index < 5; index++) terminal.write('\u001b[B');
		await terminal.waitForText('› Dispositivi e sessioni');
		terminal.write('\r');
		await terminal.waitForText('pts/9');
		terminal.write('\u0003');
		await terminal.waitForExit();
		expect(offences(terminal.raw())).toEqual([]);
	});

	it('the commands print it inert: admin show and list, outbox, phone', async () => {
		const data = await hostileFolder();
		for (const command of [['admin', 'show', MARIO.userId], ['admin', 'list'], ['outbox'], ['outbox', '--user', MARIO.userId], ['phone', '--print', '--user', MARIO.userId]]) {
			const result = runCli([...command, '--data', data]);
			expect(result.status, `${command.join(' ')}: ${result.stderr.slice(0, 300)}`).toBe(0);
			expect(result.stdout, command.join(' ')).toMatch(/MARIO|SMS|JCPD7173/);
			expect(offences(result.stdout + result.stderr), command.join(' ')).toEqual([]);
		}
	});
});

describe('every command-line argument, fuzzed (the built CLI, a bounded number of runs)', () => {
	const hostile = fc
		.tuple(fc.string({maxLength: 8}), fc.array(fc.constantFrom(...HOSTILE_PIECES, PAYLOAD), {minLength: 1, maxLength: 2}), fc.constantFrom('', '__proto__', 'constructor'))
		.map(([text, pieces, key]) => `a${key}${text}${pieces.join('')}z`)
		.filter(value => !value.includes('\u0000')); // a NUL cannot be passed in argv at all
	const templates: ((value: string) => string[])[] = [
		value => ['status', '--user', value],
		value => ['admin', 'show', value],
		value => ['admin', 'unlock', value],
		value => ['admin', 'enroll', '--name', value, '--surname', 'Verdi', '--codice-fiscale', 'VRDNNA85M41F205X', '--phone', '+393471234567', '--email', 'anna@example.it'],
		value => ['admin', 'enroll', '--name', 'Anna', '--surname', 'Verdi', '--codice-fiscale', value, '--phone', '+393471234567', '--email', 'anna@example.it'],
		value => ['admin', 'enroll', '--name', 'Anna', '--surname', 'Verdi', '--codice-fiscale', 'VRDNNA85M41F205X', '--phone', '+393471234567', '--email', value],
		value => ['admin', 'rao', 'add', '--name', value, '--phone', '+393471234567'],
		value => ['admin', 'flag-replacement', MARIO.userId, '--deadline', value],
		value => ['admin', 'revoke', MARIO.userId, '--reason', value],
		value => ['admin', 'coupon', 'create', '--count', value],
		value => ['outbox', 'save', value, '/tmp'],
		value => ['sign', value, '--user', MARIO.userId, '--otp', '12345678'],
		value => ['verify', value],
		value => ['demo', '--scenario', value],
		value => ['phone', '--print', '--user', value],
		value => ['--lang', value],
		value => ['clock', 'set', value],
		value => ['clock', 'advance', value],
		value => [value],
		value => [`--${value}`],
		value => ['status', '--user', MARIO.userId, '--warn-days', value],
	];

	it('refuses with a clear, inert message and changes nothing', async () => {
		const data = await demoFolder();
		const before = new Map(allFiles(data).map(file => [file, readFileSync(join(data, file))]));
		await fc.assert(
			fc.asyncProperty(fc.integer({min: 0, max: templates.length - 1}), hostile, async (template, value) => {
				const args = templates[template]!(value);
				const result = runCli([...args, '--data', data]);
				const output = result.stdout + result.stderr;
				expect(result.status, JSON.stringify(args)).not.toBe(0);
				expect(result.stderr.trim(), JSON.stringify(args)).not.toBe('');
				expect(output, JSON.stringify(args)).not.toMatch(/\n\s+at |Errore imprevisto|TypeError|ReferenceError/);
				// An argument is echoed as plain text in messages: the text of an OSC whose ESC was removed may show; sequences may not.
				expect(offences(output, {hiddenText: false}), JSON.stringify(args)).toEqual([]);
				expect(/[\u0000-\u0008\u000b-\u001f\u007f]/.test(output), `control character in the output of ${JSON.stringify(args)}`).toBe(false);
				expect(allFiles(data)).toEqual([...before.keys()]);
				for (const [file, content] of before) expect(readFileSync(join(data, file)).equals(content), file).toBe(true);
			}),
			{numRuns: SOAK ? 200 : 16},
		);
	});
});
