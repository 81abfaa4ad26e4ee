import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {enrollmentProgress} from '../../source/cli/progress.js';
import {translator} from '../../source/ui/i18n/index.js';

/*
 * The enrolment's progress line is rewritten in place with "\r" and a line clear, which only
 * works while it stays on one terminal row: it must stop before the last column, counted in
 * columns (a wide character such as 漢 takes two), whatever the holder's name.
 */

function written(columns: number, name: string, surname: string): string[] {
	const writes: string[] = [];
	const stream = {isTTY: true, columns, write: (text: string) => writes.push(text)} as unknown as NodeJS.WriteStream;
	const progress = enrollmentProgress(translator('it'), stream)!;
	progress.update(3, 30, {name, surname}, 'prepare');
	progress.update(3, 30, {name, surname}, 'deliver');
	return writes.map(text => text.replace('\r\u001B[2K', ''));
}

describe('enrolment progress on a terminal', () => {
	it.each([
		[80, '漢字'.repeat(30), 'ESPOSITO'],
		[40, 'GIOVANNA', '漢字漢字漢字漢字漢字漢字'],
		[80, 'MARIA GIOVANNA FRANCESCA BENEDETTA LUDOVICA', 'DELLA ROVERE DI MONTEFELTRO SFORZA'],
	])('at %i columns stays on one row, short of the last column (%s %s)', (columns, name, surname) => {
		for (const line of written(columns, name, surname)) {
			expect(line).toMatch(/^(Riga|E-mail) 3\/30/);
			expect(stringWidth(line), line).toBeLessThan(columns);
		}
	});
});
