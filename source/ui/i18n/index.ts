import {asWriteFailure, DomainError, type ErrorCode} from '../../core/errors.js';
import {toDisplayText} from '../../core/text/sanitize.js';
import {en} from './en.js';
import {it, type MessageKey} from './it.js';

export type Language = 'it' | 'en';
export type {MessageKey};
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

const catalogues: Record<Language, Record<MessageKey, string>> = {it, en};

export function isLanguage(value: string): value is Language {
	return value === 'it' || value === 'en';
}

/** A translator for one language. Parameters are sanitised: they may come from data. */
export function translator(language: Language): Translate {
	const catalogue = catalogues[language];
	return (key, params) => {
		let text: string = catalogue[key];
		if (params) {
			text = text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? toDisplayText(String(params[name])) : whole));
		}
		return text;
	};
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

/** dd/mm/yyyy hh:mm:ss (Italian time), for signing times. */
export function formatDateTime(language: Language, date: Date): string {
	const time = formatter(language, 'seconds').format(date);
	return `${formatDate(language, date)} ${time}`;
}

/** Why one document of a signing was not signed ("Esiste già contratto.pdf.p7m …"). */
export function describeSigningFailure(t: Translate, failure: {name: string; reason: string}): string {
	return t('sign.cli.notSigned', {name: failure.name, reason: describeError(t, new DomainError(failure.reason as ErrorCode, {name: `${failure.name}.p7m`, reason: 'write'}))});
}
