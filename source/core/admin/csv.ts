import {DomainError} from '../errors.js';
import type {EnrollmentInput} from './enrollment.js';

/*
 * The enrolment CSV: a header row naming the columns (Italian or English names, any order,
 * any case), comma- or semicolon-separated as spreadsheets save it, UTF-8 with or without BOM.
 */

const COLUMNS: Record<keyof EnrollmentInput, readonly string[]> = {
	name: ['nome', 'name', 'first name', 'firstname', 'given name'],
	surname: ['cognome', 'surname', 'last name', 'lastname', 'family name'],
	codiceFiscale: ['codice fiscale', 'codice_fiscale', 'codicefiscale', 'cf', 'tax code', 'fiscal code'],
	phone: ['cellulare', 'telefono', 'phone', 'mobile', 'numero di cellulare'],
	email: ['email', 'e-mail', 'posta elettronica', 'mail'],
};

export async function parseEnrollmentCsv(text: string): Promise<EnrollmentInput[]> {
	const {parse} = await import('csv-parse/sync');
	let rows: string[][];
	try {
		rows = parse(text.replace(/^\uFEFF/, ''), {delimiter: [',', ';'], skip_empty_lines: true, trim: true, relax_column_count: false}) as string[][];
	} catch (error) {
		throw new DomainError('enroll.csv', {reason: error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : 'unreadable'});
	}
	const [header, ...data] = rows;
	if (!header) throw new DomainError('enroll.empty');
	const names = header.map(cell => cell.trim().toLowerCase());
	const index = {} as Record<keyof EnrollmentInput, number>;
	for (const [field, aliases] of Object.entries(COLUMNS) as [keyof EnrollmentInput, readonly string[]][]) {
		const at = names.findIndex(name => aliases.includes(name));
		if (at < 0) throw new DomainError('enroll.csv', {reason: `missing column "${aliases[0]}" (header: ${header.join(', ').slice(0, 120)})`});
		index[field] = at;
	}
	return data.map(row => ({name: row[index.name] ?? '', surname: row[index.surname] ?? '', codiceFiscale: row[index.codiceFiscale] ?? '', phone: row[index.phone] ?? '', email: row[index.email] ?? ''}));
}
