import {DomainError} from '../errors.js';
import type {Database, Holder} from '../store/schema.js';
import {findForbiddenCharacter} from '../text/sanitize.js';

/** Validates a codice fiscale, check character included (the library knows the official algorithm and omocodia). */
export async function assertCodiceFiscale(value: string): Promise<string> {
	const normalized = value.trim().toUpperCase();
	// Loaded on demand: the library carries the list of Italian municipalities (300 kB).
	if (!/^[A-Z0-9]{16}$/.test(normalized) || !(await codiceFiscaleLibrary()).check(normalized)) {
		throw new DomainError('holder.invalidCodiceFiscale');
	}
	return normalized;
}

/** The holder with this userID, or `holder.notFound`. */
export function requireHolder(db: Database, userId: string): Holder {
	const holder = db.holders.find(entry => entry.userId === userId);
	if (!holder) throw new DomainError('holder.notFound');
	return holder;
}

/** Rejects text a person typed that carries control, bidi or zero-width characters, or is too long. */
export function assertPlainText(value: string, field: string, maxLength: number): string {
	if (findForbiddenCharacter(value) !== undefined) throw new DomainError('input.controlCharacters', {field});
	if (value.length > maxLength) throw new DomainError('input.tooLong', {field, max: maxLength});
	return value;
}

type CodiceFiscaleClass = {check(code: string): boolean};

// The package's runtime export is `{CodiceFiscale}` although its typings declare a default export.
async function codiceFiscaleLibrary(): Promise<CodiceFiscaleClass> {
	const module = (await import('codice-fiscale-js')) as unknown as {default: CodiceFiscaleClass & {CodiceFiscale?: CodiceFiscaleClass}};
	return module.default.CodiceFiscale ?? module.default;
}
