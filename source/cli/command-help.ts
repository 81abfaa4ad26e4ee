import type {Translate} from '../ui/i18n/index.js';
import type {FlagName} from './command-flags.js';
import type {CommandSpec} from './command-types.js';
import {FLAGS} from './command-flags.js';
import {suggestion} from './suggest.js';
import {UsageError} from './usage.js';

/*
 * The help at every level, from the command table: `mysign -h` / `mysign help` (the commands and
 * the portal's options), `mysign help COMMAND` / `mysign COMMAND --help` (usage, description,
 * options, example) and `mysign admin [GROUP|COMMAND] --help` (the operator commands). Every text
 * is in the catalogues; lines are wrapped at the given width (the terminal's, else 80).
 */

/** Columns a line takes (the catalogues' texts are Latin script: one column per code point). */
function columns(text: string): number {
	return [...text].length;
}

/** One line broken at spaces to fit `width`; continuation lines start with `hang`. */
export function wrapLine(line: string, width: number, hang = /^\s*/.exec(line)![0]): string[] {
	if (columns(line) <= width) return [line];
	const lead = /^\s*/.exec(line)![0];
	const lines: string[] = [];
	let current = lead;
	for (const word of line.slice(lead.length).split(' ')) {
		const start = lines.length === 0 ? lead : hang;
		if (current !== start && columns(current) + 1 + columns(word) > width) {
			lines.push(current);
			current = hang + word;
		} else {
			current = current === start ? current + word : `${current} ${word}`;
		}
	}
	lines.push(current);
	return lines;
}

export function wrapText(text: string, width: number): string {
	return text
		.split('\n')
		.flatMap(line => wrapLine(line, width))
		.join('\n');
}

/** `  label   description`, the description in a column, wrapped under itself. */
function row(label: string, description: string, width: number): string[] {
	const column = Math.min(24, Math.floor(width / 2));
	const head = `  ${label}`;
	if (columns(head) >= column - 1) return [head, ...wrapLine(' '.repeat(column) + description, width)];
	return wrapLine(head.padEnd(column) + description, width, ' '.repeat(column));
}

/** `--data DIR`, `--no-motion`, `-h, --help`. */
export function flagLabel(t: Translate, name: FlagName): string {
	const spec = FLAGS[name];
	const value = spec.type === 'string' ? ` ${t(`flagValue.${name}` as Parameters<Translate>[0])}` : '';
	return `${'shortFlag' in spec ? `-${spec.shortFlag}, ` : ''}--${spec.cli}${value}`;
}

function options(t: Translate, flags: readonly FlagName[], width: number): string[] {
	return [t('cmdHelp.options'), ...flags.flatMap(name => row(flagLabel(t, name), t(`flag.${name}` as Parameters<Translate>[0]), width))];
}

function globalHelp(t: Translate, commands: readonly CommandSpec[], width: number): string[] {
	const portal = commands.find(spec => spec.name === '')!;
	return [
		t('cmdHelp.usage'),
		'',
		t('cmdHelp.commands'),
		...commands.filter(spec => spec.listed).flatMap(spec => row(spec.name, t(spec.summary), width)),
		'',
		...options(t, portal.flags, width),
		'',
		t('cmdHelp.environment'),
		'',
		t('cmdHelp.exit'),
		'',
		t('cmdHelp.examples'),
		t('cmdHelp.more'),
	];
}

function commandHelp(t: Translate, spec: CommandSpec, width: number): string[] {
	return [
		t('cmdHelp.usageOf'),
		...t(spec.usage)
			.split('\n')
			.map(line => `  ${line}`),
		'',
		t(spec.description),
		'',
		...options(t, spec.flags, width),
		'',
		t('cmdHelp.example'),
		`  ${t(spec.example)}`,
	];
}

/** `admin [WORDS…] --help`: all the operator commands, a group (coupon, rao) or one command; an unknown word is a usage error. */
function subcommandHelp(t: Translate, spec: CommandSpec, words: readonly string[], width: number): string[] {
	const joined = words.join(' ');
	const entries = spec.subcommands ?? [];
	const group = spec.groups?.[joined];
	const notes = ['', ...options(t, spec.flags, width), t('adminHelp.options')];
	if (joined === '') return [t('adminHelp.title'), ...entries.map(entry => t(entry.help)), ...notes, '', t('cmdHelp.example'), `  ${t(spec.example)}`];
	if (group) return [t(group), ...entries.filter(entry => entry.words.startsWith(`${joined} `)).map(entry => t(entry.help)), ...notes];
	// A command, perhaps with its operand (`admin show JCPD7173 --help`).
	const entry = entries.find(candidate => joined === candidate.words || joined.startsWith(`${candidate.words} `));
	if (!entry) throw unknownCommand(t, spec, words);
	return [t('adminHelp.commandTitle'), t(entry.help), ...notes];
}

/** `Comando sconosciuto: admin lst. Forse intendevi admin list?` */
export function unknownCommand(t: Translate, spec: CommandSpec | undefined, words: readonly string[], commands: readonly CommandSpec[] = []): UsageError {
	const written = [spec?.name ?? '', ...words].filter(Boolean).join(' ');
	let guess: string | undefined;
	if (spec) {
		// `coupon crate` against the two-word sub-commands first, then `lst` against the one-word ones.
		const entries = (spec.subcommands ?? []).map(entry => entry.words);
		for (const count of [2, 1]) {
			const found = suggestion(words.slice(0, count).join(' '), entries.filter(entry => entry.split(' ').length === count));
			if (found) {
				guess = `${spec.name} ${found}`;
				break;
			}
		}
	} else {
		guess = suggestion(words[0] ?? '', commands.filter(command => command.listed).map(command => command.name));
	}
	const message = t('cli.unknownCommand', {command: written});
	return new UsageError(guess ? `${message} ${t('cli.didYouMean', {suggestion: guess})}` : message);
}


/** The help for `mysign help WORDS…` (= `mysign WORDS… --help`). */
export function helpFor(t: Translate, commands: readonly CommandSpec[], words: readonly string[], width: number): string {
	const [name, ...rest] = words;
	let lines: string[];
	if (name === undefined) {
		lines = globalHelp(t, commands, width);
	} else {
		const spec = commands.find(command => command.name === name && command.listed);
		if (!spec) throw unknownCommand(t, undefined, words, commands);
		lines = spec.name === 'admin' ? subcommandHelp(t, spec, rest, width) : commandHelp(t, spec, width);
	}
	return wrapText(lines.join('\n'), width);
}
