import type {render} from 'ink-testing-library';
import stripAnsi from 'strip-ansi';
import {vi} from 'vitest';

type Rendered = ReturnType<typeof render>;

export const KEYS = {tab: '\t', shiftTab: '\u001b[Z', enter: '\r', escape: '\u001b', up: '\u001b[A', down: '\u001b[B', space: ' ', ctrlC: '\u0003'} as const;

export function screen(rendered: Rendered): string {
	return stripAnsi(rendered.lastFrame() ?? '');
}

/** Types text one key at a time, as a person does, letting Ink process each key. */
export async function type(rendered: Rendered, text: string): Promise<void> {
	for (const character of text) {
		rendered.stdin.write(character);
		await new Promise(resolve => setImmediate(resolve));
	}
}

export async function press(rendered: Rendered, key: string): Promise<void> {
	rendered.stdin.write(key);
	await new Promise(resolve => setImmediate(resolve));
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
