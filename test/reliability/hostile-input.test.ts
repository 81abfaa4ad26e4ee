import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {DomainError} from '../../source/core/errors.js';
import type {Portal, Session} from '../../source/core/portal.js';
import {normaliseAnswer} from '../../source/core/account/secret-question.js';
import {findForbiddenCharacter, toDisplayText} from '../../source/core/text/sanitize.js';
import {describeError, translator} from '../../source/ui/i18n/index.js';
import {demoCopies} from '../helpers/demo-template.js';
import {logIn, MARIO} from '../helpers/portal.js';
import {HOSTILE_PIECES, SOAK} from '../helpers/reliability.js';
import {recordBytes, recordFiles} from '../helpers/data-folder.js';
import {challengesOf} from '../helpers/internals.js';

/*
 * Issue 9, point 4: property-based fuzzing (fast-check) of every field that takes a person's
 * text, in the core every front end calls. Each generated value carries at least one hostile
 * piece: an escape sequence (OSC 52/0/2/8, CSI, C1), a control character, a bidi or zero-width
 * character, or it is huge. Every one must be refused with a domain error (a message, not a
 * crash) and leave db.json and the holder documents byte-for-byte as they were; none may reach Object.prototype.
 */

const RUNS = SOAK ? 500 : 40;
const demoCopy = demoCopies();


/** Text with at least one hostile piece inside it (between letters: edges are trimmed, and a trimmed tab is no threat). */
const hostile: fc.Arbitrary<string> = fc
	.tuple(fc.string({maxLength: 12}), fc.array(fc.constantFrom(...HOSTILE_PIECES), {minLength: 1, maxLength: 3}), fc.string({maxLength: 12}), fc.constantFrom('', '__proto__', 'constructor', '{"__proto__":{"polluted":1}}'))
	.map(([before, pieces, after, key]) => `a${before}${key}${pieces.join(before)}${after}z`);
/** Hostile, or a million characters. */
const hostileOrHuge = fc.oneof({weight: 9, arbitrary: hostile}, {weight: 1, arbitrary: fc.constant('x'.repeat(1_000_000) + '\u001b]52;c;AAAA\u0007')});

/** The text of every record file (db.json and the holder documents), each after its path. */
function recordsText(directory: string): string {
	return recordFiles(directory).map(file => `${file}\n${readFileSync(file, 'utf8')}`).join('\n');
}

/** The call is refused with a domain error whose code matches, the message shown has no control character, and db.json and the holder documents are unchanged (`stored: 'counted'`: only a counter may change). */
async function expectRefusedUnchanged(directory: string, call: () => Promise<unknown>, code: RegExp, stored: 'nothing' | 'counted' = 'nothing'): Promise<void> {
	const before = recordBytes(directory);
	let caught: unknown;
	try {
		await call();
	} catch (error) {
		caught = error;
	}
	expect(caught, 'accepted').toBeInstanceOf(DomainError);
	expect((caught as DomainError).code).toMatch(code);
	// What the user reads: in Italian, with nothing of the input that could act on the terminal.
	const shown = describeError(translator('it'), caught);
	expect(shown).not.toMatch(/^Errore imprevisto/);
	expect(findForbiddenCharacter(shown)).toBeUndefined();
	if (stored === 'nothing') expect(recordBytes(directory), 'db.json or a holder document changed').toEqual(before);
	else expect(recordsText(directory)).not.toMatch(/PWNED|SElKQUNL|evil\.example|polluted|xxxxxxxxxx/);
	expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
}

/** fc.assert, with counterexamples cut short (a 1 MB one would flood the report). */
function check<T>(property: fc.IRawProperty<T, boolean>, numRuns: number): Promise<void> | void {
	const report = (details: fc.RunDetails<T>) => {
		if (!details.failed) return;
		const shown = JSON.stringify(details.counterexample, (_key, value: unknown) => (typeof value === 'string' && value.length > 200 ? `${value.slice(0, 200)}… (${value.length} characters)` : value));
		throw new Error(`property failed after ${details.numRuns} runs; counterexample ${shown}: ${details.errorInstance instanceof Error ? details.errorInstance.message.slice(0, 500) : String(details.errorInstance)}`);
	};
	const result = fc.check(property, {numRuns});
	return result instanceof Promise ? result.then(report) : report(result);
}

async function holderSession(): Promise<{portal: Portal; directory: string; session: Session}> {
	const {portal, directory} = await demoCopy();
	return {portal, directory, session: await logIn(portal, MARIO.userId, MARIO.password)};
}

describe('the display sanitiser', () => {
	it('leaves no escape, control, bidi or zero-width character in any text, and bounds its length', () => {
		check(
			fc.property(fc.oneof(hostile, fc.string({unit: 'binary'}), fc.string({unit: 'grapheme-composite'})), fc.integer({min: 1, max: 300}), (text, max) => {
				const shown = toDisplayText(text, max);
				expect(findForbiddenCharacter(shown)).toBeUndefined();
				expect(shown.length).toBeLessThanOrEqual(max);
			}),
			RUNS * 10,
		);
	});
});

describe('fields that take a person\'s text: refused with a message, nothing stored', () => {
	it('login: user ID or e-mail and password', async () => {
		const {portal, directory} = await demoCopy();
		await check(
			fc.asyncProperty(hostileOrHuge, hostileOrHuge, async (identifier, password) => {
				const result = await portal.sessions.login(identifier, password);
				expect(['invalid', 'locked']).toContain(result.kind);
				// A failed login is logged, but with nothing of what was typed.
				expect(recordsText(directory)).not.toMatch(/PWNED|SElKQUNL|evil\.example|polluted/);
			}),
			RUNS,
		);
	});

	it('OTP code', async () => {
		const {portal, directory} = await demoCopy();
		const challenge = await challengesOf(portal).start({userId: MARIO.userId, operation: 'fuzz', data: {}, channel: 'sms'});
		await check(
			fc.asyncProperty(hostileOrHuge, async code => {
				// A malformed code (not 8 digits) is refused for its shape and changes nothing; a well-formed
				// wrong one is counted (the 5th cancels the operation). The code itself is never stored.
				const wellFormed = /^\d{8}$/.test(code);
				await expectRefusedUnchanged(directory, () => challengesOf(portal).confirm({challengeId: challenge.id, userId: MARIO.userId, operation: 'fuzz', data: {}, code}), wellFormed ? /^otp\.(wrong|cancelled)$/ : /^otp\.malformed$/, wellFormed ? 'counted' : 'nothing');
			}),
			RUNS,
		);
	});

	it('signing PIN: current, new and repeated', async () => {
		const {portal, directory, session} = await holderSession();
		await check(
			fc.asyncProperty(hostileOrHuge, fc.constantFrom('currentPin', 'newPin', 'newPinAgain'), async (value, field) => {
				const input = {currentPin: MARIO.pin, newPin: '11223344', newPinAgain: '11223344', [field]: value};
				if (field === 'newPin') input.newPinAgain = value;
				await expectRefusedUnchanged(directory, () => portal.pin.startChange(session, input), /^pin\.(format|mismatch)$/);
			}),
			RUNS,
		);
		expect(await portal.pin.attemptsLeft(session)).toBe(3);
	});

	it('mobile numbers: OTP phone and recovery phone', async () => {
		const {portal, directory, session} = await holderSession();
		await check(
			fc.asyncProperty(hostileOrHuge, async phone => {
				await expectRefusedUnchanged(directory, () => portal.otp.startPhoneChange(session, phone), /^(phone\.invalid|input\.)/);
				await expectRefusedUnchanged(directory, () => portal.account.startRecoveryPhoneChange(session, phone), /^(phone\.invalid|input\.)/);
			}),
			RUNS,
		);
	});

	it('e-mail addresses: recovery address and report address', async () => {
		const {portal, directory, session} = await holderSession();
		const local = fc.tuple(hostile, fc.constantFrom('@example.it', 'mario@example.it', '')).map(([text, domain]) => `mario${text}${domain}`);
		await check(
			fc.asyncProperty(fc.oneof(hostileOrHuge, local), async email => {
				await expectRefusedUnchanged(directory, () => portal.account.startEmailChange(session, email), /^(report\.badEmail|input\.)/);
				await expectRefusedUnchanged(directory, () => portal.history.updateReportSettings(session, {email, frequency: 'each'}), /^(report\.badEmail|input\.)/);
			}),
			RUNS,
		);
	});

	it('secret question and answer', async () => {
		const {portal, directory, session} = await holderSession();
		await check(
			fc.asyncProperty(hostileOrHuge, fc.boolean(), async (text, inQuestion) => {
				// Spaces, tabs and line breaks in an answer are normalised to one space (only its hash is kept): those alone are fine.
				fc.pre(inQuestion || findForbiddenCharacter(normaliseAnswer(text)) !== undefined || normaliseAnswer(text).length > 100);
				const input = inQuestion ? {question: text, answer: 'Una risposta'} : {question: 'Il nome del mio primo gatto?', answer: text};
				await expectRefusedUnchanged(directory, () => portal.account.setSecretQuestion(session, input), /^(input\.|account\.(question|answer)Length)/);
			}),
			RUNS,
		);
	});

	it('history filter dates', async () => {
		const {portal, directory, session} = await holderSession();
		await check(
			fc.asyncProperty(hostileOrHuge, fc.boolean(), async (date, from) => {
				const filter = {from: from ? date : '', to: from ? '' : date, period: 'all', outcome: 'all', order: 'newest'} as const;
				await expectRefusedUnchanged(directory, () => portal.history.signatures(session, filter, {page: 1, pageSize: 10}), /^history\.bad(From|To)Date$/);
				await expectRefusedUnchanged(directory, () => portal.history.accesses(session, filter, {page: 1, pageSize: 10}), /^history\.bad(From|To)Date$/);
			}),
			RUNS,
		);
	});

	it('file paths of documents to sign', async () => {
		const {portal, directory} = await demoCopy();
		await check(
			fc.asyncProperty(fc.array(hostileOrHuge, {minLength: 1, maxLength: 3}), async paths => {
				await expectRefusedUnchanged(directory, () => portal.signing.inspect(paths.map(path => join(directory, path))), /^sign\.(fileMissing|unreadable|notAFile)$/);
			}),
			RUNS,
		);
	});

	it('operator enrolment: every field, one at a time and through a CSV', async () => {
		const {portal, directory} = await demoCopy();
		const admin = await portal.admin.commands();
		const valid = {name: 'Anna', surname: 'Verdi', codiceFiscale: 'VRDNNA85M41F205X', phone: '+393471234567', email: 'anna.verdi@example.it'};
		await check(
			fc.asyncProperty(hostileOrHuge, fc.constantFrom('name', 'surname', 'codiceFiscale', 'phone', 'email'), async (value, field) => {
				await expectRefusedUnchanged(directory, () => admin.enroll([{...valid, [field]: value}], {numbered: false}), /^(enroll\.|input\.)/);
				const csv = `nome,cognome,codice fiscale,cellulare,email\n${Object.values({...valid, [field]: value}).map(cell => `"${cell.replace(/"/g, '""')}"`).join(',')}\n`;
				await expectRefusedUnchanged(directory, async () => admin.enroll(await portal.admin.parseEnrollmentCsv(csv), {numbered: true}), /^(enroll\.|input\.)/);
			}),
			RUNS,
		);
	});

	it('operator commands: user IDs, RAO name and phone, deadline and revocation reason', async () => {
		const {portal, directory} = await demoCopy();
		const admin = await portal.admin.commands();
		await check(
			fc.asyncProperty(hostileOrHuge, async value => {
				await expectRefusedUnchanged(directory, () => admin.show(value), /^(admin\.unknownUser|holder\.|input\.)/);
				await expectRefusedUnchanged(directory, () => admin.unlock(value), /^(admin\.unknownUser|holder\.|input\.)/);
				await expectRefusedUnchanged(directory, () => admin.addOperator({name: value, phone: '+393471234567'}), /^(input\.|enroll\.)/);
				await expectRefusedUnchanged(directory, () => admin.addOperator({name: 'Anna Verdi', phone: value}), /^(input\.|enroll\.|phone\.)/);
				await expectRefusedUnchanged(directory, () => admin.flagReplacement(MARIO.userId, value), /^admin\.(badDate|dateNotFuture)$/);
				await expectRefusedUnchanged(directory, () => admin.revoke(MARIO.userId, value), /^admin\.badReason$/);
			}),
			RUNS,
		);
	});

	it('CSV headers named __proto__ or constructor are refused as missing columns and pollute nothing', async () => {
		const {portal} = await demoCopy();
		for (const header of ['__proto__,constructor,prototype,toString,email', 'nome,cognome,codice fiscale,cellulare,__proto__']) {
			await expect(portal.admin.parseEnrollmentCsv(`${header}\n1,2,3,4,5\n`)).rejects.toMatchObject({code: 'enroll.csv'});
		}
		expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
	});
});
