import {asWriteFailure, DomainError, type ErrorCode, toDisplayText} from '../../core/index.js';
import {en} from './en.js';
import {it, type MessageKey} from './it.js';

export type Language = 'it' | 'en';
export type {MessageKey};
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

const catalogues: Record<Language, Record<MessageKey, string>> = {it, en};

export function isLanguage(value: string): value is Language {
	return value === 'it' || value === 'en';
}

/**
 * A translator for one language. Parameters are sanitised: they may come from data. A count
 * chooses its words with the language's plural rules (Intl.PluralRules), written in the
 * catalogues as ICU does: `{count, plural, one {# carattere nascosto} other {# caratteri nascosti}}`
 * (`#` is the number; `=0 {…}` for an exact value; `other` when no form fits).
 */
export function translator(language: Language): Translate {
	const catalogue = catalogues[language];
	const rules = new Intl.PluralRules(language);
	return (key, params) => {
		let text: string = selectPlurals(catalogue[key], params, rules);
		if (params) {
			text = text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? toDisplayText(String(params[name])) : whole));
		}
		return text;
	};
}

const PLURAL_START = /\{(\w+), plural,/g;
const FORM_SELECTOR = /\s*(=\d+|zero|one|two|few|many|other)\s*\{/y;

/** The index of the `}` closing the `{` at `open` (nested braces counted), or -1. */
function closingBrace(text: string, open: number): number {
	let depth = 0;
	for (let index = open; index < text.length; index++) {
		if (text[index] === '{') depth++;
		else if (text[index] === '}' && --depth === 0) return index;
	}
	return -1;
}

/** The forms of one plural block's body: `one {…} other {…}`. */
function pluralForms(body: string): Map<string, string> {
	const forms = new Map<string, string>();
	let at = 0;
	for (;;) {
		FORM_SELECTOR.lastIndex = at;
		const match = FORM_SELECTOR.exec(body);
		if (!match) return forms;
		const open = FORM_SELECTOR.lastIndex - 1;
		const close = closingBrace(body, open);
		if (close < 0) return forms;
		forms.set(match[1]!, body.slice(open + 1, close));
		at = close + 1;
	}
}

/** Each `{name, plural, …}` block replaced by the form its count takes (`#` by the count). */
export function selectPlurals(text: string, params: Record<string, string | number> | undefined, rules: Intl.PluralRules): string {
	if (!text.includes(', plural,')) return text;
	let result = '';
	let at = 0;
	for (;;) {
		PLURAL_START.lastIndex = at;
		const match = PLURAL_START.exec(text);
		if (!match) break;
		const close = closingBrace(text, match.index);
		if (close < 0) break;
		const name = match[1]!;
		const forms = pluralForms(text.slice(match.index + match[0].length, close));
		const given = params?.[name];
		const count = given === undefined || given === '' ? Number.NaN : Number(given);
		const form = Number.isFinite(count) ? (forms.get(`=${count}`) ?? forms.get(rules.select(count)) ?? forms.get('other')) : forms.get('other');
		// Without the count, `#` stays a placeholder, as a missing parameter does.
		result += text.slice(at, match.index) + (form ?? '').replaceAll('#', given === undefined ? `{${name}}` : toDisplayText(String(given)));
		at = close + 1;
	}
	return result + text.slice(at);
}

const STATES = ['active', 'suspended', 'revoked', 'expired', 'blocked'];

/** The user-facing message for any error; domain errors are translated, anything else is reported plainly. */
export function describeError(t: Translate, caught: unknown): string {
	// A full disk or a read-only data folder says so, wherever the write was.
	const error = asWriteFailure(caught);
	if (error instanceof DomainError) {
		// A certificate state travels as its code ("expired"); the message shows its name.
		const state = error.params['state'];
		let params = typeof state === 'string' && STATES.includes(state) ? {...error.params, state: t(`status.${state}` as MessageKey).toLowerCase()} : error.params;
		// What a refused path is ("è una FIFO") travels as a kind.
		if (error.code === 'sign.notAFile') params = {...params, kind: t(`sign.kind.${String(error.params['kind'] ?? 'other')}` as MessageKey)};
		// An error that explains another (a code not sent because the outbox is not a folder) says both.
		if (error.code === 'otp.notSentBecause') params = {...params, cause: describeError(t, error.cause)};
		// A file refused for what it is (not a folder, a link) is said in words, not as its code.
		if (error.code === 'otp.notSent' && String(error.params['reason']).startsWith('file.')) params = {...params, reason: t(`fileProblem.${String(error.params['reason']).slice('file.'.length)}` as MessageKey)};
		const message = t(`errors.${error.code}` as MessageKey, params);
		// A batch (a CSV file) says which row the problem is on.
		return typeof error.params['row'] === 'number' ? `${t('errors.row', {row: error.params['row']})} ${message}` : message;
	}
	return t('errors.unexpected', {message: error instanceof Error ? error.message : String(error)});
}

/** Intl formatters are costly to build (a history page formats dozens of dates): one per language and style. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(language: Language, style: 'date' | 'time' | 'seconds'): Intl.DateTimeFormat {
	const key = `${language}:${style}`;
	let made = formatters.get(key);
	if (!made) {
		const fields: Intl.DateTimeFormatOptions =
			style === 'date' ? {day: '2-digit', month: '2-digit', year: 'numeric'} : style === 'time' ? {hour: '2-digit', minute: '2-digit'} : {hour: '2-digit', minute: '2-digit', second: '2-digit'};
		made = new Intl.DateTimeFormat(language === 'it' ? 'it-IT' : 'en-GB', {timeZone: 'Europe/Rome', ...fields});
		formatters.set(key, made);
	}
	return made;
}

export function formatDate(language: Language, date: Date): string {
	return formatter(language, 'date').format(date);
}

export function formatTime(language: Language, date: Date): string {
	return formatter(language, 'time').format(date);
}

/** hh:mm:ss (Italian time). */
export function formatTimeWithSeconds(language: Language, date: Date): string {
	return formatter(language, 'seconds').format(date);
}

/** Why one document of a signing was not signed ("Esiste già contratto.pdf.p7m …"). */
export function describeSigningFailure(t: Translate, failure: {name: string; reason: string}): string {
	return t('sign.cli.notSigned', {name: failure.name, reason: describeError(t, new DomainError(failure.reason as ErrorCode, {name: `${failure.name}.p7m`, reason: 'write'}))});
}
