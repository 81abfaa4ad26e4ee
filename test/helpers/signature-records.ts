import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {SignatureRecord} from '../../source/core/history/signature-log.js';

/*
 * The tests' own reading of a signature log and their own Italian calendar, independent of the
 * core's query code (history and report tests compute expected counts with these).
 */

const romeParts = new Intl.DateTimeFormat('en-GB', {timeZone: 'Europe/Rome', year: 'numeric', month: 'numeric', day: 'numeric'});

/** The Italian day of an instant, as "YYYY-MM-DD". */
export function romeDay(instant: string | Date): string {
	const parts = Object.fromEntries(romeParts.formatToParts(new Date(instant)).map(part => [part.type, part.value]));
	return `${parts['year']}-${String(parts['month']).padStart(2, '0')}-${String(parts['day']).padStart(2, '0')}`;
}

/** A holder's signature records as the JSON lines of `<data>/signatures/<userId>.jsonl` hold them. */
export function rawRecords(directory: string, userId: string): SignatureRecord[] {
	return readFileSync(join(directory, 'signatures', `${userId}.jsonl`), 'utf8')
		.split('\n')
		.filter(line => line !== '')
		.map(line => JSON.parse(line) as SignatureRecord);
}
