/*
 * The password rules of seed 003 §9.1: at least 8 characters, upper and lower case, one or
 * more digits, at least one special character from & % ! " ( ) ? ^ + [ ] . , _ and no more
 * than two identical characters in a row. On top of them, passwords that are common or
 * predictable are refused: a blocklist of common passwords (compared after undoing the usual
 * substitutions and stripping the digits and symbols people add at the end) and anything built
 * from the userID, the holder's name or "infocert", "mysign", "firma". Long passwords are
 * accepted whole, never truncated (argon2 takes any length; 1024 is a sanity cap).
 */

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 1024;
export const PASSWORD_SPECIALS = '&%!"()?^+[].,_';

export type PasswordRule = 'length' | 'upper' | 'lower' | 'digit' | 'special' | 'noTriple';
export const PASSWORD_RULES: readonly PasswordRule[] = ['length', 'upper', 'lower', 'digit', 'special', 'noTriple'];

export type PasswordRefusal = 'common' | 'personal' | 'service' | 'tooLong' | 'control';

export interface PasswordVerdict {
	/** Each rule of the seed, met or not: the checklist the form shows while typing. */
	rules: Record<PasswordRule, boolean>;
	/** Set when the rules are met but the password is still refused. */
	refusal: PasswordRefusal | null;
	ok: boolean;
}

/** Common passwords and their stems, lower case; compared after normalisation (see `stems`). */
const COMMON = new Set([
	'password', 'passw0rd', 'qwerty', 'qwertyuiop', 'azerty', 'asdfgh', 'asdfghjkl', 'zxcvbn', 'abc', 'abcd', 'abcdef', 'abcdefgh',
	'letmein', 'welcome', 'admin', 'administrator', 'root', 'login', 'iloveyou', 'monkey', 'dragon', 'master', 'sunshine',
	'princess', 'football', 'baseball', 'superman', 'batman', 'trustno', 'secret', 'changeme', 'default', 'test', 'guest',
	'ciao', 'benvenuto', 'amore', 'tiamo', 'juventus', 'milan', 'inter', 'roma', 'napoli', 'lazio', 'forzaitalia', 'italia',
	'estate', 'inverno', 'primavera', 'autunno', 'gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio',
	'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre', 'summer', 'winter', 'spring', 'autumn', 'january', 'december',
	'ufficio', 'lavoro', 'casa', 'famiglia', 'studio', 'segreto', 'segreta', 'accesso', 'entrare', 'nuovapassword',
	'passwordnuova', 'mypassword', 'pass', 'pwd', 'qazwsx', 'zaq', 'starwars', 'pokemon', 'computer', 'internet',
]);

/** Words of the service itself. */
const SERVICE_WORDS = ['infocert', 'mysign', 'firma', 'legalcert', 'gosign'];

const LEET: Record<string, string> = {'0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', '$': 's', '!': 'i', '+': 't'};

function fold(text: string): string {
	return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

function lettersOnly(text: string): string {
	return text.replace(/[^\p{L}]/gu, '');
}

/**
 * What is left of a password once its case, its substitutions and its decoration (symbols and
 * digits at the ends) are undone; `lettersOnly` also drops the ones in the middle.
 */
function stems(password: string): {decorated: string[]; lettersOnly: string} {
	const lowered = fold(password);
	const deleeted = [...lowered].map(character => LEET[character] ?? character).join('');
	const trim = (text: string) => text.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
	return {decorated: [...new Set([lowered, trim(lowered), deleeted, trim(deleeted)])].filter(stem => stem.length > 0), lettersOnly: lettersOnly(deleeted)};
}

function hasTriple(password: string): boolean {
	const characters = [...password];
	return characters.some((character, index) => index >= 2 && character === characters[index - 1] && character === characters[index - 2]);
}

export interface PasswordContext {
	userId?: string;
	name?: string;
	surname?: string;
	email?: string;
}

export function checkPassword(password: string, context: PasswordContext = {}): PasswordVerdict {
	const length = [...password].length;
	const rules: Record<PasswordRule, boolean> = {
		length: length >= PASSWORD_MIN_LENGTH,
		upper: /\p{Lu}/u.test(password),
		lower: /\p{Ll}/u.test(password),
		digit: /\p{Nd}/u.test(password),
		special: [...password].some(character => PASSWORD_SPECIALS.includes(character)),
		noTriple: !hasTriple(password),
	};
	const refusal = refusalOf(password, context);
	return {rules, refusal, ok: PASSWORD_RULES.every(rule => rules[rule]) && refusal === null};
}

function refusalOf(password: string, context: PasswordContext): PasswordRefusal | null {
	if (password.length > PASSWORD_MAX_LENGTH) return 'tooLong';
	if (/[\p{Cc}\p{Cf}]/u.test(password)) return 'control';
	const candidates = stems(password);
	const lowered = fold(password);
	const deleeted = [...lowered].map(character => LEET[character] ?? character).join('');
	if (SERVICE_WORDS.some(word => lowered.includes(word) || deleeted.includes(word))) return 'service';
	const personal = [context.userId, context.name, context.surname, context.email?.split('@')[0]]
		.filter((part): part is string => Boolean(part))
		.flatMap(part => fold(part).split(/[^\p{L}\p{Nd}]+/u))
		.filter(part => part.length >= 3);
	if (personal.some(part => lowered.includes(part) || deleeted.includes(part))) return 'personal';
	if ([...candidates.decorated, candidates.lettersOnly].some(stem => COMMON.has(stem))) return 'common';
	// "Password1!" and friends: a common word with a few characters added at the end. Not on the
	// letters-only stem: dropping a random password's digits can spell a word by chance.
	if (candidates.decorated.some(stem => [...COMMON].some(word => word.length >= 4 && stem.startsWith(word) && stem.length - word.length <= 4))) return 'common';
	// Keyboard and number runs make up most of the password: "Qwerty123!", "Abcd1234!", "123456Ab!".
	// (On the password as typed: undoing leetspeak here would find "abcd" in random text.)
	const alphanumeric = lowered.replace(/[^\p{L}\p{Nd}]/gu, '');
	if (/^(?:qwerty|asdf|zxcv|abcd|abc123|1234)/.test(alphanumeric) && alphanumeric.length <= 12) return 'common';
	return null;
}
