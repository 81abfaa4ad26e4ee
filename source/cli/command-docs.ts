import type {Translate} from '../ui/i18n/index.js';
import type {CommandSpec} from './command-types.js';
import {FLAGS} from './command-flags.js';
import {flagLabel} from './command-help.js';

/*
 * What the command table generates besides the help: the shell completion scripts
 * (`mysign completion bash|zsh`) and the manual page (`mysign man`, roff). Nothing here is
 * written by hand per command, so a new command or flag appears in all of them.
 */

/** Flags that name a file or a folder (the shells complete paths after them). */
const PATH_FLAGS = new Set(['data', 'extract', 'csv']);

function listedFlags(spec: CommandSpec): string[] {
	return spec.flags.flatMap(name => ['--' + FLAGS[name].cli, ...('shortFlag' in FLAGS[name] ? [`-${FLAGS[name].shortFlag}`] : [])]);
}

/** The first words of the sub-commands (`admin enroll`, `admin coupon`), and the second words after each first word. */
function wordTree(spec: CommandSpec): {first: string[]; second: Map<string, string[]>} {
	const first: string[] = [];
	const second = new Map<string, string[]>();
	for (const entry of spec.subcommands ?? []) {
		const [head, next] = entry.words.split(' ') as [string, string | undefined];
		if (!first.includes(head)) first.push(head);
		if (next) second.set(head, [...(second.get(head) ?? []), next]);
	}
	return {first, second};
}

function pathFlagsPattern(): string {
	return [...PATH_FLAGS].map(name => `--${FLAGS[name as keyof typeof FLAGS].cli}`).join('|');
}

export function bashCompletion(commands: readonly CommandSpec[]): string {
	const portal = commands.find(spec => spec.name === '')!;
	const names = commands.filter(spec => spec.listed).map(spec => spec.name);
	const cases = commands
		.filter(spec => spec.listed)
		.map(spec => {
			const {first, second} = wordTree(spec);
			const seconds = [...second].map(([head, words]) => `\t\t\t${head}) subs="${words.join(' ')}" ;;`).join('\n');
			return [
				`\t\t${spec.name})`,
				`\t\t\topts="${listedFlags(spec).join(' ')}"`,
				`\t\t\tif [[ $COMP_CWORD -eq 2 ]]; then subs="${first.join(' ')}"; else case "\${COMP_WORDS[2]}" in`,
				seconds,
				'\t\t\tesac; fi ;;',
			]
				.filter(Boolean)
				.join('\n');
		})
		.join('\n');
	return `# mysign completion for bash: source <(mysign completion bash)
_mysign() {
	local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
	local opts="" subs=""
	case "$prev" in
		${pathFlagsPattern()}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
		--lang) COMPREPLY=($(compgen -W "it en" -- "$cur")); return ;;
	esac
	if [[ $COMP_CWORD -eq 1 ]]; then
		COMPREPLY=($(compgen -W "${names.join(' ')} ${listedFlags(portal).join(' ')}" -- "$cur"))
		return
	fi
	case "\${COMP_WORDS[1]}" in
${cases}
	esac
	if [[ "$cur" == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	elif [[ -n "$subs" ]]; then
		COMPREPLY=($(compgen -W "$subs" -- "$cur"))
	else
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}
complete -F _mysign mysign`;
}

export function zshCompletion(commands: readonly CommandSpec[]): string {
	const portal = commands.find(spec => spec.name === '')!;
	const names = commands.filter(spec => spec.listed).map(spec => spec.name);
	const cases = commands
		.filter(spec => spec.listed)
		.map(spec => {
			const {first, second} = wordTree(spec);
			const seconds = [...second].map(([head, words]) => `\t\t\t\t${head}) subs=(${words.join(' ')}) ;;`).join('\n');
			return [`\t\t${spec.name})`, `\t\t\topts=(${listedFlags(spec).join(' ')})`, `\t\t\tif (( CURRENT == 3 )); then subs=(${first.join(' ')}); else case $words[3] in`, seconds, '\t\t\tesac; fi ;;']
				.filter(Boolean)
				.join('\n');
		})
		.join('\n');
	return `#compdef mysign
# mysign completion for zsh: source <(mysign completion zsh) after compinit
_mysign() {
	local -a opts subs
	case $words[CURRENT-1] in
		${pathFlagsPattern()}) _files; return ;;
		--lang) compadd -- it en; return ;;
	esac
	if (( CURRENT == 2 )); then
		compadd -- ${names.join(' ')} ${listedFlags(portal).join(' ')}
		return
	fi
	case $words[2] in
${cases}
	esac
	if [[ $PREFIX == -* ]]; then
		compadd -- $opts
	elif (( $#subs )); then
		compadd -- $subs
	else
		_files
	fi
}
compdef _mysign mysign`;
}

/** Text for roff: backslashes and dashes escaped, no line starting with a control character. */
function roff(text: string): string {
	return text
		.replace(/\\/g, '\\e')
		.replace(/-/g, '\\-')
		.split('\n')
		.map(line => (/^[.']/.test(line) ? `\\&${line}` : line))
		.join('\n');
}

export function manPage(t: Translate, commands: readonly CommandSpec[]): string {
	const portal = commands.find(spec => spec.name === '')!;
	const lines = ['.TH MYSIGN 1 "" "mysign" "User Commands"', '.SH NAME', `mysign \\- ${roff(t(portal.summary))}`, '.SH SYNOPSIS', roff(t(portal.usage)), '.br', roff('mysign COMMAND [OPTIONS]'), '.SH DESCRIPTION', roff(t(portal.description)), '.SH COMMANDS'];
	for (const spec of commands.filter(command => command.listed)) {
		lines.push('.TP', `.B ${roff(spec.name)}`, roff(t(spec.summary)), '.RS', '.nf', roff(t(spec.usage)), '.fi', roff(t(spec.description)));
		for (const entry of spec.name === 'admin' ? (spec.subcommands ?? []) : []) lines.push('.nf', roff(t(entry.help)), '.fi');
		lines.push('.PP', `${roff(t('cmdHelp.example'))} \\fB${roff(t(spec.example))}\\fR`, '.RE');
	}
	lines.push('.SH OPTIONS');
	const seen = new Set<string>();
	for (const spec of commands) {
		for (const name of spec.flags) {
			if (seen.has(name)) continue;
			seen.add(name);
			lines.push('.TP', `.B ${roff(flagLabel(t, name))}`, roff(t(`flag.${name}` as Parameters<Translate>[0])));
		}
	}
	lines.push('.SH ENVIRONMENT', roff(t('cmdHelp.environment')));
	return lines.join('\n');
}
