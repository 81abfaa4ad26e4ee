import type {render} from 'ink-testing-library';
import stripAnsi from 'strip-ansi';
import {vi} from 'vitest';

type Rendered = ReturnType<typeof render>;

export const KEYS = {
	tab: '\t',
	shiftTab: '\u001b[Z',
	enter: '\r',
	escape: '\u001b',
	up: '\u001b[A',
	down: '\u001b[B',
	left: '\u001b[D',
	right: '\u001b[C',
	pageUp: '\u001b[5~',
	pageDown: '\u001b[6~',
	space: ' ',
	ctrlC: '\u0003',
	ctrlU: '\u0015',
} as const;

export function screen(rendered: Rendered): string {
	return stripAnsi(rendered.lastFrame() ?? '');
}

/** Lets the key router deliver what was written (it hands on one press per timer tick). */
const settle = () => new Promise(resolve => setTimeout(resolve, 2));

/** Types text one key at a time, as a person does. */
export async function type(rendered: Rendered, text: string): Promise<void> {
	for (const character of text) {
		rendered.stdin.write(character);
		await settle();
	}
}

export async function press(rendered: Rendered, key: string): Promise<void> {
	rendered.stdin.write(key);
	await settle();
}

export async function waitForScreen(rendered: Rendered, expected: string | RegExp, timeout = 10_000): Promise<string> {
	await vi.waitFor(
		() => {
			const text = screen(rendered);
			if (typeof expected === 'string' ? !text.includes(expected) : !expected.test(text)) throw new Error(`screen lacks ${String(expected)}:\n${text}`);
		},
		{timeout, interval: 20},
	);
	return screen(rendered);
}

/**
 * Gives the rendered app a terminal of that size (ink-testing-library's is 100 columns, rows
 * unset) and tells Ink and useTerminalSize, as a real terminal's SIGWINCH would.
 */
export function resize(rendered: Rendered, columns: number, rows: number): void {
	Object.defineProperty(rendered.stdout, 'columns', {configurable: true, get: () => columns});
	Object.defineProperty(rendered.stdout, 'rows', {configurable: true, get: () => rows});
	rendered.stdout.emit('resize');
}
