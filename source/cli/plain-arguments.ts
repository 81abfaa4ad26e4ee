import {FLAGS, type FlagName, type FlagSpec} from './command-flags.js';
import type {ParsedFlags} from './command-types.js';

/*
 * A command line read without loading meow (its bundle and its parse: ~25-40 ms of CPU on every
 * command, and the test suite runs ~650 of them). Only plain forms are read, and they come out
 * exactly as meow gives them (test/cli/plain-arguments.test.ts compares the two): words that
 * cannot be numbers or quoted, and known flags by their own name, each at most once: a switch as
 * `--json`, a value as `--user X` or `--user=X` (not empty, not starting with `-` or a quote).
 * Anything else (a short flag, `--`, --help, --version, an unknown or negated or repeated flag, a
 * missing value, a word yargs would turn into a number) gives undefined, and meow reads it as
 * before.
 */

const BY_CLI_NAME = new Map<string, FlagName>((Object.entries(FLAGS) as [FlagName, FlagSpec][]).map(([name, spec]) => [spec.cli, name]));

/** A word yargs-parser might change: number-like (`12`, `.5`, `0x1f`, `1e3`), quoted, empty or starting with a space. */
const NOT_PLAIN_WORD = /^(?:$|\s|['"]|[+.]?\d)/;
/** A string flag's value yargs-parser might change (it strips matching quotes), or that meow reads otherwise (empty). */
const NOT_PLAIN_VALUE = /^(?:$|['"])/;

/** The title meow gives the process (the first of package.json's `bin` names). */
export const PROCESS_TITLE = 'mysign';

export function plainArguments(argv: readonly string[]): {input: string[]; flags: ParsedFlags} | undefined {
	const input: string[] = [];
	const flags: Record<string, string | boolean | undefined> = {};
	for (const [name, spec] of Object.entries(FLAGS) as [FlagName, FlagSpec][]) {
		if (spec.type === 'boolean') flags[name] = spec.default ?? false;
	}
	const given = new Set<FlagName>();
	for (let index = 0; index < argv.length; index++) {
		const argument = argv[index]!;
		if (!argument.startsWith('--')) {
			if (argument.startsWith('-') || NOT_PLAIN_WORD.test(argument)) return undefined;
			input.push(argument);
			continue;
		}
		const equals = argument.indexOf('=');
		const name = BY_CLI_NAME.get(equals === -1 ? argument.slice(2) : argument.slice(2, equals));
		if (name === undefined || given.has(name) || name === 'help' || name === 'version' || name === 'motion') return undefined;
		given.add(name);
		if (FLAGS[name].type === 'boolean') {
			if (equals !== -1) return undefined;
			flags[name] = true;
			continue;
		}
		const value = equals === -1 ? argv[++index] : argument.slice(equals + 1);
		if (value === undefined || value.startsWith('-') || NOT_PLAIN_VALUE.test(value)) return undefined;
		flags[name] = value;
	}
	return {input, flags: flags as ParsedFlags};
}
