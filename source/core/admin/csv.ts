import {DomainError} from '../errors.js';
import type {EnrollmentInput} from './enrollment.js';

/*
 * The enrolment CSV: a header row naming the columns (Italian or English names, any order,
 * any case), comma- or semicolon-separated as spreadsheets save it, UTF-8 with or without BOM.
 * Each row carries the file line it starts on, so an error names the line an editor shows.
 */

type Column = Exclude<keyof EnrollmentInput, 'line'>;

const COLUMNS: Record<Column, readonly string[]> = {
	name: ['nome', 'name', 'first name', 'firstname', 'given name'],
	surname: ['cognome', 'surname', 'last name', 'lastname', 'family name'],
	codiceFiscale: ['codice fiscale', 'codice_fiscale', 'codicefiscale', 'cf', 'tax code', 'fiscal code'],
	phone: ['cellulare', 'telefono', 'phone', 'mobile', 'numero di cellulare'],
	email: ['email', 'e-mail', 'posta elettronica', 'mail'],
};

export async function parseEnrollmentCsv(text: string): Promise<EnrollmentInput[]> {
	const {parse} = await import('csv-parse/sync');
	let records: {record: string[]; info: {lines: number}; raw: string}[];
	try {
		// Line ends as \n only: the parser's line count is off after a blank CRLF line.
		records = parse(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'), {delimiter: [',', ';'], skip_empty_lines: true, trim: true, relax_column_count: false, info: true, raw: true}) as typeof records;
	} catch (error) {
		throw new DomainError('enroll.csv', {reason: error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : 'unreadable'});
	}
	// The parser gives the line a record ends on; it starts as many lines earlier as its quoted
	// fields span (blank lines skipped before it are in its raw text, not in the record).
	const lines = records.map(({info, raw}) => info.lines - (raw.replace(/^\n+/, '').replace(/\n$/, '').match(/\n/g)?.length ?? 0));
	const [header, ...data] = records.map(entry => entry.record);
	if (!header) throw new DomainError('enroll.empty');
	const names = header.map(cell => cell.trim().toLowerCase());
	const index = {} as Record<Column, number>;
	for (const [field, aliases] of Object.entries(COLUMNS) as [Column, readonly string[]][]) {
		const at = names.findIndex(name => aliases.includes(name));
		if (at < 0) throw new DomainError('enroll.csv', {reason: `missing column "${aliases[0]}" (header: ${header.join(', ').slice(0, 120)})`});
		index[field] = at;
	}
	return data.map((row, position) => ({
		name: row[index.name] ?? '',
		surname: row[index.surname] ?? '',
		codiceFiscale: row[index.codiceFiscale] ?? '',
		phone: row[index.phone] ?? '',
		email: row[index.email] ?? '',
		line: lines[position + 1]!,
	}));
}
