import {readFileSync} from 'node:fs';
import {afterEach, describe, expect, it} from 'vitest';
import {startTerminal, type Terminal, type TerminalOptions} from './terminal.js';

const opened: Terminal[] = [];
afterEach(() => {
	while (opened.length > 0) opened.pop()!.dispose();
});

/** Whether a process is alive (a zombie waiting to be reaped counts as ended). Reads /proc: Linux only. */
function isRunning(pid: number): boolean {
	try {
		return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
	} catch {
		return false;
	}
}

/**
 * Runs `script` in bash, which lingers 0.2 s when it exits (an EXIT trap keeps the exit status): a pty's
 * last bytes before its only process exits can be lost by the kernel on a loaded machine (seen in full
 * runs), and these tests are about the harness, not that race.
 */
function bash(script: string, options: Omit<TerminalOptions, 'command' | 'args'> = {}): Terminal {
	const terminal = startTerminal({command: 'bash', args: ['--norc', '--noprofile', '-c', `trap 'sleep 0.2' EXIT; ${script}`], ...options});
	opened.push(terminal);
	return terminal;
}

describe('the pseudo-terminal harness', () => {
	it('shows what the program printed and reports its exit code', async () => {
		const terminal = bash('printf "hello\\nworld   \\n"; exit 3');
		await terminal.waitForText('world');
		const exit = await terminal.waitForExit();
		expect(exit).toEqual({exitCode: 3});
		expect(terminal.exited).toBe(true);
		const lines = terminal.screen().split('\n');
		expect(lines).toHaveLength(24);
		expect(lines.slice(0, 2)).toEqual(['hello', 'world']);
		expect(terminal.raw()).toBe('hello\r\nworld   \r\n');
	});

	it('types into a program that reads a line and waits for its answer', async () => {
		const terminal = bash('read -r -p "name? " line; echo "got:[$line]"');
		await terminal.waitForText('name?');
		await terminal.type('Mario Rossi è');
		terminal.write('\r');
		await terminal.waitForText('got:[Mario Rossi è]');
		await terminal.waitForText(/^got:\[.*\]$/gm); // flags g and y are ignored: no stale lastIndex
		await terminal.waitForText(/^got:\[.*\]$/gm);
		expect((await terminal.waitForExit()).exitCode).toBe(0);
	});

	it('matches a frame sent as a synchronised update only once all of it has arrived, as a terminal shows it', async () => {
		// The first half is on the screen for 300 ms before the rest: a wait for it must still see the whole frame.
		const terminal = bash('printf "\\e[?2026hTOP\\n"; sleep 0.3; printf "BOTTOM\\e[?2026l"; sleep 5');
		await terminal.waitForText('TOP');
		expect(terminal.screen()).toContain('BOTTOM');
		// A frame left open (a program killed half-way) is still matched, after a while.
		const killed = bash('printf "\\e[?2026hHALF"; sleep 5');
		await killed.waitForText('HALF');
	});

	it('reads the alternate screen while the program is in it, and the normal one after', async () => {
		const terminal = bash('printf "MAIN\\n\\e[?1049hALT"; read -r _; printf "\\e[?1049l"');
		await terminal.waitForText('ALT');
		expect(terminal.screen()).not.toContain('MAIN');
		expect(terminal.raw()).toContain('\u001b[?1049h');
		terminal.write('\r');
		await terminal.waitForExit();
		expect(terminal.screen()).toContain('MAIN');
		expect(terminal.screen()).not.toContain('ALT');
		expect(terminal.raw()).toContain('\u001b[?1049l');
	});

	it('rejects on timeout with the expected text and the screen', async () => {
		const terminal = bash('echo "only this"; sleep 30');
		await terminal.waitForText('only this');
		const started = Date.now();
		const error = await terminal.waitForText('never shown', 300).then(() => undefined, (error: unknown) => error);
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		expect(error).toBeInstanceOf(Error);
		expect((error as Error).message).toContain('"never shown"');
		expect((error as Error).message).toContain('timed out after 300 ms');
		expect((error as Error).message).toContain('only this');
	});

	it('rejects at once when the program has exited without showing the text', async () => {
		const terminal = bash('echo "bye"; exit 7');
		const started = Date.now();
		await expect(terminal.waitForText(/welcome/)).rejects.toThrow(/\/welcome\/[^]*exited with code 7[^]*bye/);
		expect(Date.now() - started).toBeLessThan(5_000);
	});

	it('hides CI, NODE_OPTIONS and VITEST* from the program unless a test sets them; undefined removes a variable', async () => {
		const saved = {CI: process.env['CI'], NODE_OPTIONS: process.env['NODE_OPTIONS'], HARNESS_PROBE: process.env['HARNESS_PROBE']};
		Object.assign(process.env, {CI: 'true', NODE_OPTIONS: '--no-warnings', HARNESS_PROBE: 'inherited'});
		try {
			const script = 'echo "CI=[$CI] NO=[$NODE_OPTIONS] V=[${!VITEST*}] P=[$HARNESS_PROBE] T=[$TERM]"';
			const plain = bash(script);
			await plain.waitForExit();
			expect(plain.screen()).toContain('CI=[] NO=[] V=[] P=[inherited] T=[xterm-256color]');

			const explicit = bash(script, {env: {CI: '1', HARNESS_PROBE: undefined, TERM: 'xterm'}});
			await explicit.waitForExit();
			expect(explicit.screen()).toContain('CI=[1] NO=[] V=[] P=[] T=[xterm]');
		} finally {
			for (const [key, value] of Object.entries(saved)) {
				if (value === undefined) delete process.env[key];
				else process.env[key] = value;
			}
		}
	});

	it('resizes the pseudo-terminal and the screen', async () => {
		const terminal = bash('stty size; read -r _; stty size', {cols: 100, rows: 30});
		await terminal.waitForText('30 100');
		terminal.resize(50, 12);
		terminal.write('\r');
		await terminal.waitForText('12 50');
		await terminal.waitForExit();
		expect(terminal.screen().split('\n')).toHaveLength(12);
	});

	it('answers terminal queries like a real terminal (cursor position report)', async () => {
		const terminal = bash('printf "abc\\e[6n"; IFS= read -r -s -d R reply; printf "\\rreply=%q\\n" "$reply"');
		await terminal.waitForText('reply=$\'\\E[1;4\'');
		await terminal.waitForExit();
	});

	it('kill() sends a signal; dispose() SIGKILLs the whole process group', async () => {
		const terminal = bash('trap "echo TERM; exit 143" TERM; echo ready; read -r _');
		await terminal.waitForText('ready');
		terminal.kill();
		await terminal.waitForText('TERM');
		expect(await terminal.waitForExit()).toEqual({exitCode: 143});

		const stubborn = bash('trap "" TERM HUP INT; sleep 30 & echo "$! ready"; wait');
		await stubborn.waitForText('ready');
		const sleeper = Number(stubborn.screen().split(' ')[0]);
		expect(isRunning(sleeper)).toBe(true);
		stubborn.dispose();
		expect(stubborn.screen()).toMatch(/^\d+ ready$/m);
		expect(await stubborn.waitForExit()).toEqual({exitCode: 0, signal: 9});
		await expect.poll(() => isRunning(sleeper), {timeout: 2_000}).toBe(false);
	});
});
