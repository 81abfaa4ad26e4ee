import {PASSWORD_RULES, type PasswordContext, type PasswordRefusal, type PasswordRule, type PasswordVerdict} from '../../source/core/account/password-policy.js';

/*
 * Candidate passwords and what the password rules of seed 003 §9.1 must say of each: shared by
 * the core test (test/core/password-policy.test.ts) and the TUI checklist test.
 *
 * - `context`: the holder the password is for; omitted means MARIO (MARIO_CONTEXT), the demo
 *   holder the UI tests log in as. Cases with another context cannot be typed in MARIO's form.
 * - `rules`: the rules whose state is asserted; every rule NOT listed must be met (so a case
 *   breaking one rule lists exactly that rule as false).
 * - `refusal`: omitted means null (not refused beyond the rules).
 */

export interface PasswordCase {
	password: string;
	context?: PasswordContext;
	ok: boolean;
	rules?: Partial<Record<PasswordRule, boolean>>;
	refusal?: PasswordRefusal | null;
	why: string;
}

export const MARIO_CONTEXT: PasswordContext = {userId: 'JCPD7173', name: 'MARIO', surname: 'ROSSI', email: 'mario.rossi@example.it'};

/** GIULIA after choosing an e-mail address unrelated to her name: only its local part can match. */
export const PANTERA_CONTEXT: PasswordContext = {userId: 'JCPD2841', name: 'GIULIA', surname: 'BIANCHI', email: 'pantera.nera@example.it'};

/** A password of exactly `length` characters with no word, run or triple in it. */
export function longPassword(length: number): string {
	return 'Tz7!Kq2(Wp5.'.repeat(Math.ceil(length / 12)).slice(0, length);
}

export const PASSWORD_CASES: PasswordCase[] = [
	// ── Each rule broken alone ─────────────────────────────────────────────────────────────
	{password: 'Gira&42', ok: false, rules: {length: false}, why: '7 characters: one short of the minimum'},
	{password: 'girasole&42', ok: false, rules: {upper: false}, why: 'no upper-case letter'},
	{password: 'GIRASOLE&42', ok: false, rules: {lower: false}, why: 'no lower-case letter'},
	{password: 'Girasole&xy', ok: false, rules: {digit: false}, why: 'no digit'},
	{password: 'Girasole42x', ok: false, rules: {special: false}, why: 'no special character at all'},
	{password: 'Girasole#42', ok: false, rules: {special: false}, why: "'#' is not one of & % ! \" ( ) ? ^ + [ ] . , _"},
	{password: 'Girasole@42', ok: false, rules: {special: false}, why: "'@' is not one of the allowed specials"},
	{password: 'Giraaasole&42', ok: false, rules: {noTriple: false}, why: '"aaa": three identical characters in a row'},
	{password: 'Girasole&111', ok: false, rules: {noTriple: false}, why: '"111": a triple of digits'},
	{password: 'Girasole!!!4', ok: false, rules: {noTriple: false}, why: '"!!!": a triple of specials'},
	{password: 'girasole', ok: false, rules: {upper: false, digit: false, special: false}, why: 'several rules broken at once, all shown'},

	// ── Boundaries ─────────────────────────────────────────────────────────────────────────
	{password: 'Gira&42x', ok: true, why: 'exactly 8 characters'},
	{password: 'Giraasole&42', ok: true, why: '"aa": two identical characters in a row are allowed'},
	{password: 'Sole&aAa42x', ok: true, why: '"aAa" is not three IDENTICAL characters (case differs)'},
	{password: 'Estate in montagna 2026!', ok: true, why: 'a passphrase with spaces that merely starts with a common word'},

	// ── Blocklist of common passwords (after undoing substitutions and decoration) ──────────
	{password: 'Password1!', ok: false, refusal: 'common', why: 'the most common password, decorated'},
	{password: 'P@ssw0rd1!', ok: false, refusal: 'common', rules: {special: true}, why: 'leetspeak of "password" (the @ is not a special; the ! is)'},
	{password: 'Qwerty123!', ok: false, refusal: 'common', why: 'keyboard run'},
	{password: 'Estate2026!', ok: false, refusal: 'common', why: 'a season and the year'},
	{password: 'Juventus1897!', ok: false, refusal: 'common', why: 'a football club and its founding year'},
	{password: 'Benvenuto1!', ok: false, refusal: 'common', why: '"welcome" in Italian'},
	{password: 'Abcd1234!', ok: false, refusal: 'common', why: 'alphabet and number runs'},
	{password: 'Iloveyou2!', ok: false, refusal: 'common', why: 'a classic of every leaked list'},
	{password: 'Asdf1234!', ok: false, refusal: 'common', why: 'keyboard run and number run'},

	// ── Personal: userID, name, surname, e-mail local part, any case or accent ──────────────
	{password: 'Jcpd7173&x', ok: false, refusal: 'personal', why: "the holder's own userID"},
	{password: 'Mario&1980', ok: false, refusal: 'personal', why: "the holder's name"},
	{password: 'ROSSI_2024x', ok: false, refusal: 'personal', why: "the holder's surname, upper case"},
	{password: 'mArIo&1980X', ok: false, refusal: 'personal', why: 'the name in mixed case'},
	{password: 'M4r10&1980', ok: false, refusal: 'personal', why: 'the name in leetspeak'},
	{password: 'Màrìo&1980', ok: false, refusal: 'personal', why: 'the name with accents added'},
	{password: 'Ｍａｒｉｏ&42', ok: false, refusal: 'personal', why: 'the name in full-width letters'},
	{password: 'Pantera&99x', context: PANTERA_CONTEXT, ok: false, refusal: 'personal', why: 'the local part of the e-mail address (pantera.nera@…)'},
	{password: 'NERA_pantera7', context: PANTERA_CONTEXT, ok: false, refusal: 'personal', why: 'both words of the local part, any case'},
	{password: 'Pantera&99x', ok: true, why: 'the same password is fine for a holder whose address is not pantera…'},

	// ── Service words ──────────────────────────────────────────────────────────────────────
	{password: 'Infocert&2026', ok: false, refusal: 'service', why: 'the company name'},
	{password: 'Inf0cert!26', ok: false, refusal: 'service', why: 'the company name in leetspeak'},
	{password: 'MySign_2026', ok: false, refusal: 'service', why: 'the portal name'},
	{password: 'Firma!2026x', ok: false, refusal: 'service', why: '"firma": what the service does'},
	{password: 'F1rmaDigitale!', ok: false, refusal: 'service', why: '"firma" in leetspeak'},
	{password: 'Gosign!2026', ok: false, refusal: 'service', why: 'the signing app'},

	// ── Long passwords: accepted whole; the sanity cap is 1024 ─────────────────────────────
	{password: longPassword(64), ok: true, why: '64 characters'},
	{password: longPassword(128), ok: true, why: '128 characters (beyond bcrypt’s 72-byte limit: argon2 takes it all)'},
	{password: longPassword(1024), ok: true, why: '1024 characters: the cap itself'},
	{password: longPassword(1025), ok: false, refusal: 'tooLong', why: '1025 characters: over the cap'},

	// ── Non-ASCII ──────────────────────────────────────────────────────────────────────────
	{password: 'Èlefante7!', ok: true, why: 'È is the only upper-case letter, and it counts'},
	{password: 'ÀÈÌÒÙé&42', ok: true, why: 'é is the only lower-case letter, and it counts'},
	{password: 'Àbcdefg1!', ok: false, rules: {upper: true}, refusal: 'common', why: 'À counts as upper case, but the rest is an alphabet run'},
	{password: 'Girasole&42🌻', ok: true, why: 'an emoji is allowed'},
	{password: 'Girasole42🌻', ok: false, rules: {special: false}, why: 'an emoji is not one of the specials'},
	{password: 'Gira&4🌻', ok: false, rules: {length: false}, why: '7 characters (8 UTF-16 units): an emoji is ONE character'},
	{password: 'Gira&4🌻x', ok: true, why: '8 characters with an emoji'},

	// ── Control and format characters ──────────────────────────────────────────────────────
	{password: 'Girasole&42\u0007', ok: false, refusal: 'control', why: 'BEL'},
	{password: 'Gira\tsole&42', ok: false, refusal: 'control', why: 'a tab'},
	{password: 'Girasole&42\n', ok: false, refusal: 'control', why: 'a newline'},
	{password: 'Girasole&42\u0000', ok: false, refusal: 'control', why: 'NUL'},
	{password: 'Girasole&42\u202e', ok: false, refusal: 'control', why: 'RIGHT-TO-LEFT OVERRIDE (a format character)'},
	{password: 'Girasole&42\u001b[0m', ok: false, refusal: 'control', why: 'an ANSI escape sequence'},

	// ── The demo passwords themselves ──────────────────────────────────────────────────────
	{password: 'Girasole&42', ok: true, why: "MARIO's demo password"},
	{password: 'Tramonto!73', ok: true, why: "GIULIA's demo password"},
];

/**
 * Verdicts an earlier policy got wrong (number runs that were never caught, random passwords
 * refused because their letters spelled a word): kept apart as regression cases.
 */
export const PASSWORD_BUG_CASES: PasswordCase[] = [
	{password: '123456Ab!', ok: false, refusal: 'common', why: '"123456" + "Ab!": the number-run check never matches (it runs on the de-leeted text, where 1→i, 3→e…)'},
	{password: '12345678Aa!', ok: false, refusal: 'common', why: '"12345678" + "Aa!": same dead number-run branch'},
	{password: 'Abc123!!x', ok: false, refusal: 'common', why: '"abc123" is in the run list, but de-leeted it reads "abcie"'},
	{password: '27e%sT931"vW', ok: true, why: 'a random 12-character password: its scattered letters and leet digits spell "test"+4, refused as common'},
	{password: '4b([cDmI7y', ok: true, why: 'a random 10-character password: letters-only + leet reads "abcdmity", refused as common'},
];

/** The full verdict a case expects. */
export function expectedVerdict(entry: PasswordCase): PasswordVerdict {
	const rules = Object.fromEntries(PASSWORD_RULES.map(rule => [rule, entry.rules?.[rule] ?? true])) as Record<PasswordRule, boolean>;
	return {rules, refusal: entry.refusal ?? null, ok: entry.ok};
}

/** The context a case is checked in. */
export function contextOf(entry: PasswordCase): PasswordContext {
	return entry.context ?? MARIO_CONTEXT;
}

/** What "account.passwordWeak" names as the reason: the first rule broken, else the refusal. */
export function expectedWeakReason(entry: PasswordCase): string | undefined {
	if (entry.ok) return undefined;
	const verdict = expectedVerdict(entry);
	return PASSWORD_RULES.find(rule => !verdict.rules[rule]) ?? verdict.refusal ?? 'common';
}
