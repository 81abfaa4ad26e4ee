import meow from 'meow';
import {describe, expect, it} from 'vitest';
import {meowFlags} from '../../source/cli/command-table.js';
import {plainArguments, PROCESS_TITLE} from '../../source/cli/plain-arguments.js';

/** What cli.tsx gets from meow for `argv` (the same options). */
function meowParse(argv: readonly string[]) {
	const title = process.title;
	try {
		const cli = meow('', {importMeta: import.meta, argv: [...argv], flags: meowFlags() as Record<string, {type: 'string'}>, allowUnknownFlags: true, autoHelp: false, autoVersion: false});
		// The title meow gives the process, which the plain reading gives it too.
		expect(process.title).toBe(PROCESS_TITLE);
		return {input: cli.input, flags: cli.flags};
	} finally {
		process.title = title;
	}
}

describe('a plain command line read without meow', () => {
	it('gives exactly what meow gives', () => {
		const lines: string[][] = [
			[],
			['status', '--user', 'JCPD7173', '--data', '/tmp/data folder'],
			['status', '--user=JCPD7173', '--json'],
			['outbox', '--data', 'd', '--json'],
			['phone', '--print', '--user', 'JCPD7173', '--data', 'd'],
			['sign', 'a.pdf', 'b c.pdf', '--user', 'JCPD7173', '--otp', '012345', '--password-stdin', '--pin-stdin'],
			['admin', 'enroll', '--name', 'Anna', '--surname', 'Verdi', '--codice-fiscale', 'VRDNNA85M41F205X', '--phone', '+393471234567', '--email', 'anna@example.it'],
			['demo', '--scenario', 'expiring', '--user', 'JCPD7173', '--data', 'd'],
			['demo', '--scenario=locked', '--all', '--json'],
			['admin', 'list', '--count', '5', '--lang', 'en'],
			['admin', 'show', 'JCPD7173', '--user', 'true', '--data', 'a=b'],
			['status', '--user', 'jcpd7173 ', '--data', 'null'],
		];
		for (const argv of lines) expect(plainArguments(argv), argv.join(' ')).toStrictEqual(meowParse(argv));
	});

	it('leaves to meow what it might read otherwise', () => {
		const lines: string[][] = [
			['--help'],
			['status', '-h'],
			['--version'],
			['status', '--user', 'A', '--user', 'B'],
			['status', '--user'],
			['status', '--user', '--json'],
			['status', '--user='],
			['status', '--user', '"JCPD7173"'],
			['status', '--json=false'],
			['status', '--no-json'],
			['status', '--no-motion'],
			['status', '--usr', 'X'],
			['clock', 'set', '2026-11-24T09:00:00Z'],
			['admin', 'show', '12'],
			['sign', '--', '--user'],
			['status', '-'],
		];
		for (const argv of lines) expect(plainArguments(argv), argv.join(' ')).toBeUndefined();
	});
});
