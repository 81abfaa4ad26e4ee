import {spawnSync} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {CLI, ROOT, e2eFixture} from '../helpers/cli.js';
import {MARIO} from '../helpers/holders.js';

/*
 * What a command sets up before it answers, paid on every run (the test suite alone runs the CLI
 * ~800 times): the first Intl.DateTimeFormat of a process (ICU's date formatting, ~16–30 ms of
 * CPU) only when something prints a time, and string-width (~20–30 ms to set up) only where a
 * table is printed. The built CLI runs with a preload that counts the DateTimeFormats built and
 * module hooks that name the sources of every bundle file loaded (esbuild's `// path` comments).
 */

// The hooks run in their own thread: each line is written to stderr at once (writeSync), before the file runs.
const HOOKS = `import {writeSync} from 'node:fs';
export async function load(url, context, next) {
	const loaded = await next(url, context);
	if (url.startsWith('file:') && loaded.source) {
		for (const [, source] of String(loaded.source).matchAll(/^\\/\\/ (\\S+)$/gm)) writeSync(2, 'SOURCE ' + source + '\\n');
	}
	return loaded;
}`;
const PRELOAD = `import {writeSync} from 'node:fs';
import {register} from 'node:module';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)});
const Original = Intl.DateTimeFormat;
let built = 0;
Intl.DateTimeFormat = new Proxy(Original, {construct: (target, parameters, newTarget) => (built++, Reflect.construct(target, parameters, newTarget))});
process.on('exit', () => writeSync(2, 'DATETIMEFORMATS ' + built + '\\n'));`;

const {demoFolder} = e2eFixture();

/** The command's exit code, the sources its bundle files hold, and the DateTimeFormats it built. */
function traced(args: readonly string[]): {status: number | null; sources: string[]; dateFormats: number} {
	const env: Record<string, string | undefined> = {...process.env};
	delete env['CI'];
	const run = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(PRELOAD)}`, CLI, ...args], {encoding: 'utf8', env: env as NodeJS.ProcessEnv, cwd: ROOT});
	const sources = [...run.stderr.matchAll(/^SOURCE (\S+)$/gm)].map(match => match[1]!);
	const counted = /^DATETIMEFORMATS (\d+)$/m.exec(run.stderr);
	expect(counted, run.stderr).not.toBeNull();
	return {status: run.status, sources, dateFormats: Number(counted![1])};
}

const stringWidth = (sources: readonly string[]) => sources.filter(source => source.includes('node_modules/string-width/'));

describe('what a command loads and sets up before it answers', () => {
	it('--help: no date formatting, no string-width, no schema library, no domain', () => {
		const help = traced(['--help']);
		expect(help.status).toBe(0);
		expect(help.sources).toContain('source/cli/command-help.ts');
		expect(help.dateFormats).toBe(0);
		expect(stringWidth(help.sources)).toEqual([]);
		expect(help.sources.filter(source => source.includes('node_modules/zod/') || source === 'source/core/portal.ts')).toEqual([]);
	});

	it('status and admin show print no table: string-width is not loaded; admin list prints one and loads it', () => {
		const data = demoFolder();
		const status = traced(['status', '--user', MARIO.userId, '--data', data]);
		expect(status.status).toBe(0);
		expect(status.sources).toContain('source/core/portal.ts');
		expect(stringWidth(status.sources)).toEqual([]);
		const show = traced(['admin', 'show', MARIO.userId, '--data', data]);
		expect(show.status).toBe(0);
		expect(show.sources).toContain('source/cli/admin.ts');
		expect(stringWidth(show.sources)).toEqual([]);
		const list = traced(['admin', 'list', '--data', data]);
		expect(list.status).toBe(0);
		expect(stringWidth(list.sources)).not.toEqual([]);
	});

	it('a plain command line (status, outbox) is read without meow; --help still goes through it', () => {
		const data = demoFolder();
		const meowSources = (sources: readonly string[]) => sources.filter(source => source.includes('node_modules/meow/'));
		const status = traced(['status', '--user', MARIO.userId, '--data', data]);
		expect(status.status).toBe(0);
		expect(meowSources(status.sources)).toEqual([]);
		const outbox = traced(['outbox', '--data', data, '--json']);
		expect(outbox.status).toBe(0);
		expect(meowSources(outbox.sources)).toEqual([]);
		const help = traced(['status', '--help']);
		expect(help.status).toBe(0);
		expect(meowSources(help.sources)).not.toEqual([]);
	});
});
