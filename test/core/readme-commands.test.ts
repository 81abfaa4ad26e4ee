import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {COMMANDS} from '../../source/cli/command-table.js';
import {ROOT} from '../helpers/root.js';

/*
 * The README's command list (the code block under "## Commands") and the command table
 * (source/cli/command-table.ts) name the same commands: a command added to the table is
 * listed for users, and the README shows no command the program does not have.
 */

/** The first fenced block after the `## Commands` heading. */
export function readmeCommandList(readme: string): string {
	const section = readme.split(/^## Commands$/m)[1];
	if (section === undefined) throw new Error('README.md has no "## Commands" section');
	const block = /^```\n([\s\S]*?)^```$/m.exec(section);
	if (!block) throw new Error('README.md: no code block under "## Commands"');
	return block[1]!;
}

const list = readmeCommandList(readFileSync(join(ROOT, 'README.md'), 'utf8'));
const lines = list.split('\n').filter(line => line.startsWith('mysign'));

describe("README's command list and the command table", () => {
	it('every command of the table is in the README list', () => {
		const listed = new Set(lines.map(line => /^mysign ([a-z][a-z-]*)/.exec(line)?.[1]).filter(Boolean));
		for (const spec of COMMANDS.filter(command => command.name !== '')) expect(listed.has(spec.name), `mysign ${spec.name} in README.md`).toBe(true);
		// The bare portal: its own line with its flags.
		expect(lines.some(line => line.startsWith('mysign [--data DIR]'))).toBe(true);
	});

	it('every admin sub-command of the table is on an `mysign admin` line of the README list', () => {
		const adminLines = lines.filter(line => line.startsWith('mysign admin '));
		const admin = COMMANDS.find(command => command.name === 'admin')!;
		for (const {words} of admin.subcommands ?? []) {
			const pattern = new RegExp(`(^mysign admin | \\| )${words.replace(/-/g, '\\-')}( |$)`);
			expect(adminLines.some(line => pattern.test(line)), `mysign admin ${words} in README.md`).toBe(true);
		}
	});

	it('every `mysign WORD` of the README list is a command of the table', () => {
		const names = new Set(COMMANDS.map(command => command.name));
		const words = [...list.matchAll(/(?:^|[\s`|])mysign ([a-z][a-z-]*)/gm)].map(match => match[1]!);
		expect(words.length).toBeGreaterThan(10);
		for (const word of words) expect(names.has(word), `mysign ${word} (README.md) in the command table`).toBe(true);
		// And every `admin WORD …` it shows is one of admin's sub-commands (or a group of them).
		const admin = COMMANDS.find(command => command.name === 'admin')!;
		const known = new Set((admin.subcommands ?? []).flatMap(sub => [sub.words, sub.words.split(' ')[0]!]));
		for (const match of list.matchAll(/(?:mysign admin|\| admin|\|(?! admin\b)) ([a-z][a-z-]*)/g)) {
			if (match[0].startsWith('|') && !/^mysign admin /m.test(list.slice(list.lastIndexOf('\n', match.index) + 1, match.index))) continue;
			expect(known.has(match[1]!), `admin ${match[1]!} (README.md) is an admin sub-command`).toBe(true);
		}
	});
});
