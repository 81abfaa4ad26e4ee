// `npm run bench` (issue 10): builds what the benchmark runs, then runs bench/main.ts in a fresh
// process so the builds leave nothing behind in the process that measures.
import {spawnSync} from 'node:child_process';
import {mkdirSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {build} from 'esbuild';
import {CLI_EXTERNALS, NODE_BUNDLE} from './node-bundle.mjs';

const started = performance.now();
const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'node_modules', '.cache', 'mysign-bench');

function run(args, options = {}) {
	const result = spawnSync(process.execPath, args, {stdio: 'inherit', ...options});
	if (result.status !== 0) process.exit(result.status ?? 1);
}

// 1. The CLI, as `npm run build` makes it; nothing left from an earlier bench run.
rmSync(OUT, {recursive: true, force: true});
run([join(ROOT, 'scripts', 'build.mjs')], {cwd: ROOT});

/*
 * 2. The minimal Ink app, bundled by scripts/build.mjs itself (same platform, format, target,
 * externals, banner, define and Ink patch): the script builds `source/cli.tsx` into `dist/` of
 * its working directory, so it runs in a folder whose source/cli.tsx is the minimal app.
 * The folder is inside node_modules so that `ink` and `react` resolve to the project's copies,
 * and has a package.json of type module like the project's, so Node loads the bundle as ESM.
 */
const minimal = join(OUT, 'minimal-ink');
mkdirSync(join(minimal, 'source'), {recursive: true});
writeFileSync(join(minimal, 'package.json'), JSON.stringify({name: 'minimal-ink', private: true, type: 'module'}) + '\n');
writeFileSync(join(minimal, 'source', 'cli.tsx'), `import ${JSON.stringify(join(ROOT, 'bench', 'minimal-ink.tsx'))};\n`);
run([join(ROOT, 'scripts', 'build.mjs')], {cwd: minimal});

// 3. The harness and its helper processes, bundled the way test/helpers/build.ts bundles test workers.
await build({
	...NODE_BUNDLE,
	entryPoints: [join(ROOT, 'bench', 'main.ts'), join(ROOT, 'bench', 'workers', '*.ts'), join(ROOT, 'bench', 'workers', '*.tsx')],
	outdir: OUT,
	outbase: join(ROOT, 'bench'),
	outExtension: {'.js': '.mjs'},
	// The pseudo-terminal stays outside too (a native addon).
	external: [...CLI_EXTERNALS, '@lydell/node-pty', '@xterm/headless'],
});

// 4. The benchmark itself.
const buildSeconds = (performance.now() - started) / 1000;
run([join(OUT, 'main.mjs'), '--build-seconds', buildSeconds.toFixed(1), ...process.argv.slice(2)], {cwd: ROOT});
process.stdout.write(`Total run time (build included): ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
