import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {cliDemoCopies, csvOf, holderRows} from '../helpers/operators.js';
import {temporaryDirectory} from '../helpers/holders.js';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';

/*
 * `mysign admin enroll --csv` lists the holders it registered in columns: the e-mail column
 * starts at the same terminal column whatever the name, wide characters (漢, two columns
 * each) included.
 */

const demoCopy = cliDemoCopies();

describe('admin enroll: the list of registered holders', () => {
	it('keeps the e-mail column aligned in terminal columns for a name with wide characters', () => {
		const data = demoCopy();
		const folder = temporaryDirectory();
		try {
			const rows = holderRows(2, 21);
			rows[1]!.name = '漢字漢字';
			const file = join(folder.path, 'room.csv');
			writeFileSync(file, csvOf(rows));
			const result = runCli(['admin', 'enroll', '--csv', file, '--data', data]);
			expect(result.status, result.stderr).toBe(0);
			const lines = result.stdout.split('\n').filter(line => /^ {2}JCPD\d{4} /.test(line));
			expect(lines).toHaveLength(2);
			const emailColumn = lines.map((line, index) => stringWidth(line.slice(0, line.indexOf(rows[index]!.email))));
			expect(emailColumn[1]).toBe(emailColumn[0]);
		} finally {
			folder.remove();
		}
	});
});
