import {EventEmitter} from 'node:events';
import stripAnsi from 'strip-ansi';
import {textWidth} from './text-width.js';

/**
 * ASCII stand-ins for the symbols the interface draws, each as wide as the symbol it replaces
 * so that Ink's layout (measured in Unicode) still lines up.
 */
const ASCII_SYMBOLS: Record<string, string> = {
	'✓': '+',
	'✔': '+',
	'✗': 'x',
	'✘': 'x',
	'›': '>',
	'‹': '<',
	'»': '"',
	'«': '"',
	'’': "'",
	'‘': "'",
	'“': '"',
	'”': '"',
	'…': '.',
	'•': '*',
	'·': '-',
	'→': '>',
	'←': '<',
	'↑': '^',
	'↓': 'v',
	'–': '-',
	'—': '-',
	'−': '-',
	'▶': '>',
	'◀': '<',
	'▼': 'v',
	'▲': '^',
	'▾': 'v',
	'‖': '|',
	'§': 'S',
	'€': 'E',
	'°': 'o',
	'\u00A0': ' ',
};

const HORIZONTAL_LINES = /[─━┄┅┈┉╌╍═╴╶╸╺]/u;
const VERTICAL_LINES = /[│┃┆┇┊┋╎╏║╵╷╹╻]/u;

function asciiCharacter(character: string): string {
	const mapped = ASCII_SYMBOLS[character];
	if (mapped !== undefined) return mapped;
	const code = character.codePointAt(0)!;
	if (code >= 0x2500 && code <= 0x257f) return HORIZONTAL_LINES.test(character) ? '-' : VERTICAL_LINES.test(character) ? '|' : '+';
	if (code >= 0x2580 && code <= 0x259f) return '#';
	// Accented letters lose their accents (è → e); anything else becomes "?" as wide as it was.
	const base = character.normalize('NFD').replace(/\p{M}/gu, '');
	if (/^[\x20-\x7E]$/.test(base)) return base;
	return '?'.repeat(textWidth(character));
}

/** The text with every non-ASCII character replaced by an ASCII one of the same width; escape sequences pass unchanged. */
export function toAscii(text: string): string {
	return text.replace(/[^\x00-\x7F]/gu, asciiCharacter);
}

/**
 * The stream Ink writes to, standing in front of the real terminal: in a non-UTF-8 locale every
 * write goes through `toAscii`; on a dumb terminal (`plain`) escape sequences are removed and
 * each new screen is printed below the previous one, with a blank line between, as a transcript.
 */
export class TerminalOutput extends EventEmitter {
	private lastScreen = '';
	constructor(
		private readonly target: NodeJS.WriteStream,
		private readonly options: {ascii: boolean; plain: boolean},
	) {
		super();
		target.on('resize', () => this.emit('resize'));
	}

	get columns(): number {
		return this.target.columns;
	}

	get rows(): number {
		return this.target.rows;
	}

	get isTTY(): boolean {
		// A dumb terminal takes no synchronised-update or cursor sequences: Ink is told it writes to a pipe.
		return this.options.plain ? false : this.target.isTTY;
	}

	write(chunk: string | Uint8Array, ...rest: unknown[]): boolean {
		let text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
		if (this.options.plain) {
			const screen = stripAnsi(text).replace(/\r/g, '').trimEnd();
			if (screen === '' || screen === this.lastScreen) return true;
			this.lastScreen = screen;
			text = `${screen}\n\n`;
		}
		if (this.options.ascii) text = toAscii(text);
		const callback = rest.find(argument => typeof argument === 'function') as (() => void) | undefined;
		return this.target.write(text, callback);
	}
}
