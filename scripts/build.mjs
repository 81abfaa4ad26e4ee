// Bundles the CLI so it starts fast: one ESM entry plus lazily loaded chunks (the TUI, the
// codice-fiscale tables) that commands which do not need them never read.
import {mkdir, readFile, rm, writeFile} from 'node:fs/promises';
import {dirname, join, relative, resolve, sep} from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {CLI_EXTERNALS, NODE_BUNDLE} from './node-bundle.mjs';
import {inkSharedOutputCaches, stringWidthLazyEmoji, yogaWithoutFetch} from './start-patches.mjs';

/*
 * Ink 6.8's incremental renderer moves the cursor up one row too few when the previous frame
 * ended with a newline (every frame shorter than the terminal, which is what we draw), so each
 * update lands one row low and scrolls the screen. Fix that one expression at bundle time;
 * the build fails if the code changes, so an Ink upgrade cannot silently drop the fix.
 */
/*
 * Every patch below counts what it did; the build fails at its end if one did nothing (a moved or
 * renamed file would otherwise skip a patch silently). When each one goes:
 * - patch-ink-incremental-cursor (test/e2e/ink-cursor.test.ts fails without it): with Ink 7, which fixed the cursor upstream (vadimdemedes/ink#910)
 *   but needs Node 22; the project supports Node 20.19 (package.json engines), so not before the
 *   project requires Node 22.
 * - zod-english-only: when `z` stops re-exporting every locale (or the core moves to `zod/mini`);
 *   check by building without it: dist/ shrinks by ~300 KB with it.
 * - string-width-fast-path: when string-width measures non-ASCII single-column text without the
 *   first-use cost of Intl.Segmenter (first call on '┌──── è ›' in a fresh process: ~55 ms without,
 *   ~0.13 ms with, Node 20); re-measure on each string-width upgrade.
 * - meow-lazy-normalize: when meow stops running normalize-package-data when its bundle loads
 *   (check: a profile of `node dist/cli.js --help` without it shows requireNormalize under the
 *   meow chunk's top level, ~20 ms).
 * - yoga-without-fetch, string-width-lazy-emoji, ink-shared-output-caches: see scripts/start-patches.mjs; review on each
 *   yoga-layout, string-width or Ink upgrade (the build fails if the code they replace changed).
 */
const applied = new Map([
	['patch-ink-incremental-cursor', 0],
	['zod-english-only', 0],
	['string-width-fast-path', 0],
	['meow-lazy-normalize', 0],
	['yoga-without-fetch', 0],
	['string-width-lazy-emoji', 0],
	['ink-shared-output-caches', 0],
]);
/*
 * The package each patch is for: a patch must have applied when its package is in the bundle
 * (`npm run bench` builds the minimal Ink app with this script: Ink and React, no zod).
 */
const patchedPackage = {'patch-ink-incremental-cursor': 'ink', 'zod-english-only': 'zod', 'string-width-fast-path': 'ink', 'meow-lazy-normalize': 'meow', 'yoga-without-fetch': 'ink', 'string-width-lazy-emoji': 'ink', 'ink-shared-output-caches': 'ink'};
const markApplied = name => applied.set(name, applied.get(name) + 1);

const INK_CURSOR_BUG = 'buffer.push(ansiEscapes.cursorUp(previousVisible - 1));';
const INK_CURSOR_FIX = "buffer.push(ansiEscapes.cursorUp(previousVisible - (previousOutput.endsWith('\\n') ? 0 : 1)));";

const patchInk = {
	name: 'patch-ink-incremental-cursor',
	setup(context) {
		context.onLoad({filter: /ink[\\/]build[\\/]log-update\.js$/}, async ({path}) => {
			const source = await readFile(path, 'utf8');
			if (!source.includes(INK_CURSOR_BUG)) throw new Error(`ink log-update.js changed: review the incremental-cursor patch in scripts/build.mjs (${path})`);
			markApplied('patch-ink-incremental-cursor');
			return {contents: source.replace(INK_CURSOR_BUG, INK_CURSOR_FIX), loader: 'js'};
		});
	},
};

/*
 * zod's `z` namespace re-exports every locale (`z.locales`: ~45 languages, ~300 KB of the
 * ~730 KB of zod in the bundle), which every start would load and compile. Only English is used
 * (zod registers it as the default itself): the locales index is bundled with `en` alone.
 */
const zodEnglishOnly = {
	name: 'zod-english-only',
	setup(context) {
		context.onResolve({filter: /^\.\.\/locales\/index\.js$/}, ({importer, resolveDir}) => {
			if (!/[\\/]zod[\\/]v4[\\/](classic|core)[\\/]/.test(importer)) return undefined;
			return {path: join(resolveDir, '..', 'locales', 'index.js'), namespace: 'zod-locales'};
		});
		context.onLoad({filter: /.*/, namespace: 'zod-locales'}, ({path}) => {
			markApplied('zod-english-only');
			return {
				contents: `export {default as en} from ${JSON.stringify(join(dirname(path), 'en.js'))};\n`,
				loader: 'js',
				resolveDir: dirname(path),
			};
		});
	},
};

/*
 * string-width answers printable ASCII at once but measures anything else (a box-drawing line,
 * "è", "«»", "…") with Intl.Segmenter and emoji regular expressions whose first use costs tens of
 * milliseconds, paid while the first frame is drawn: the first call on '┌──── è ›' in a fresh
 * process took ~55 ms (median of 10, Node 20), ~0.13 ms with this fast path. Every `string-width`
 * a library imports (Ink, cli-truncate, widest-line, wrap-ansi) is bundled behind
 * withSingleColumnFastPath, which answers strings made only of characters that are always one
 * column wide; anything else, and every call with options, goes to the string-width that library
 * resolves (wrap-ansi keeps its own older version). The build fails if it cannot be resolved.
 */
const TEXT_WIDTH = fileURLToPath(new URL('../source/ui/text-width.ts', import.meta.url));
const stringWidthFastPath = {
	name: 'string-width-fast-path',
	setup(context) {
		context.onResolve({filter: /^string-width$/}, async ({importer, resolveDir, kind, pluginData}) => {
			if (pluginData?.unwrapped || !/[\\/]node_modules[\\/]/.test(importer)) return undefined;
			const original = await context.resolve('string-width', {importer, resolveDir, kind, pluginData: {unwrapped: true}});
			if (original.errors.length > 0 || !original.path) throw new Error(`string-width fast path: cannot resolve string-width from ${importer}`);
			// Ink's own string-width is the one that counts (it measures every line of every frame).
			if (/[\\/]node_modules[\\/]ink[\\/]/.test(importer)) markApplied('string-width-fast-path');
			// The path only names the module (relative: no build-machine path in the bundle's comments).
			return {path: relative(process.cwd(), original.path), namespace: 'string-width-fast-path', pluginData: {original: original.path}};
		});
		context.onLoad({filter: /.*/, namespace: 'string-width-fast-path'}, ({pluginData}) => ({
			contents: [
				`import original from ${JSON.stringify(pluginData.original)};`,
				`import {withSingleColumnFastPath} from ${JSON.stringify(TEXT_WIDTH)};`,
				'export default withSingleColumnFastPath(original);',
			].join('\n'),
			loader: 'js',
			resolveDir: dirname(pluginData.original),
		}));
	},
};

/*
 * meow's bundled dependencies run normalize-package-data (with spdx-correct, hosted-git-info and
 * semver) when the module loads, though meow only calls it when `pkg` is read, which the CLI does
 * for --version alone: ~20 ms of CPU (spdx-correct's table sort ~12 ms) on every command. The
 * module is required on first call instead; what it does when called is unchanged.
 */
const MEOW_EAGER_NORMALIZE = 'var normalizeExports = requireNormalize();\nconst normalizePackageData = getDefaultExportFromCjs(normalizeExports);';
const MEOW_LAZY_NORMALIZE = 'const normalizePackageData = (...parameters) => getDefaultExportFromCjs(requireNormalize())(...parameters);';
const meowLazyNormalize = {
	name: 'meow-lazy-normalize',
	setup(context) {
		context.onLoad({filter: /meow[\\/]build[\\/]dependencies\.js$/}, async ({path}) => {
			const source = await readFile(path, 'utf8');
			if (!source.includes(MEOW_EAGER_NORMALIZE)) throw new Error(`meow's dependencies.js changed: review the meow-lazy-normalize patch in scripts/build.mjs (${path})`);
			markApplied('meow-lazy-normalize');
			return {contents: source.replace(MEOW_EAGER_NORMALIZE, MEOW_LAZY_NORMALIZE), loader: 'js'};
		});
	},
};

/*
 * esbuild escapes non-ASCII characters in strings but copies comments and regular expression
 * literals as they are. One such character makes Node decode the whole file as UTF-8 and V8 keep
 * and scan it as a two-byte string: with the 1 MB interface chunk holding one, a start took
 * ~20 ms longer (403 vs 384 ms, medians of 15).
 * Every non-ASCII UTF-16 unit becomes a \uXXXX escape, which means the same thing in a string,
 * a template, a regular expression (with or without the u/v flag: a surrogate pair stays a pair),
 * an identifier and a comment.
 */
function asciiOnly(text) {
	return text.replace(/[^\0-\x7F]/g, character => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const OPTIONS = {
	...NODE_BUNDLE,
	entryPoints: {cli: 'source/cli.tsx'},
	outdir: 'dist',
	external: CLI_EXTERNALS,
	plugins: [patchInk, zodEnglishOnly, stringWidthFastPath, meowLazyNormalize, yogaWithoutFetch(markApplied), stringWidthLazyEmoji(markApplied), inkSharedOutputCaches(markApplied)],
	legalComments: 'none',
	write: false,
	metafile: true,
};

/*
 * Fewer files at the start. esbuild puts each module in a chunk named by the set of entry points
 * that reach it, and every `import()` target is an entry point: the ~28 modules cli.js loads
 * before anything else were split over ~20 files (each shared with a different set of lazily
 * loaded modules), and each file costs ~0.45 ms to resolve, read, compile and link, whatever its
 * size. A first build finds the modules of the program's own code (under source/) that are only
 * loaded with import(); the second gives each of them the entry's static imports as imports of
 * its own. Those modules have all run by the time anything is imported lazily, so nothing runs
 * earlier or in another order; esbuild then finds them all reached by the same entry points and
 * writes them into one file. `--help` reads 9 files instead of 22, `admin show` 29 instead of 42.
 */
const CLI_SOURCE = 'source/cli.tsx';
async function startModulesEverywhere() {
	const first = await build({...OPTIONS, logLevel: 'silent'});
	// The patches are counted in the build that is written.
	for (const name of applied.keys()) applied.set(name, 0);
	const {inputs} = first.metafile;
	const statics = path => (inputs[path]?.imports ?? []).filter(entry => entry.kind !== 'dynamic-import' && !entry.external).map(entry => entry.path);
	const atStart = new Set();
	for (const pending = [CLI_SOURCE]; pending.length > 0; ) {
		const path = pending.pop();
		if (atStart.has(path)) continue;
		atStart.add(path);
		pending.push(...statics(path));
	}
	const lazy = new Set(Object.values(inputs).flatMap(input => input.imports.filter(entry => entry.kind === 'dynamic-import' && !entry.external).map(entry => entry.path)));
	const targets = new Set([...lazy].filter(path => path.startsWith('source/') && /\.tsx?$/.test(path) && !atStart.has(path)).map(path => resolve(path)));
	const imports = statics(CLI_SOURCE).map(path => `import ${JSON.stringify(resolve(path))};`).join('\n');
	return {
		name: 'start-modules-everywhere',
		setup(context) {
			context.onLoad({filter: /[\\/]source[\\/].*\.tsx?$/}, async ({path}) => {
				if (!targets.has(path)) return undefined;
				return {contents: `${await readFile(path, 'utf8')}\n${imports}\n`, loader: path.endsWith('x') ? 'tsx' : 'ts'};
			});
		},
	};
}

const result = await build({...OPTIONS, plugins: [...OPTIONS.plugins, await startModulesEverywhere()]});
const bundledFiles = Object.keys(result.metafile.inputs).map(input => resolve(input.replace(/^[\w-]+:/, '')).split(sep).join('/'));
const bundles = name => bundledFiles.some(file => file.includes(`/node_modules/${name}/`));
const skipped = [...applied].filter(([name, count]) => count === 0 && bundles(patchedPackage[name])).map(([name]) => name);
if (skipped.length > 0) throw new Error(`build patches that applied nowhere (a file moved or was renamed?): ${skipped.join(', ')}; review them in scripts/build.mjs`);
/*
 * The banner (a `require` for CommonJS dependencies) is written into every file, and each one
 * then creates a require function when it loads: ~0.05 ms each, over the ~20 files of `--help`
 * and the ~45 of a command that opens the data folder. It is left out of a file that never names
 * `require` (a comment or a string naming it keeps it too), which cannot change what that file does.
 */
const BANNER = NODE_BUNDLE.banner.js;
function withoutUnusedBanner(text) {
	const at = text.indexOf(BANNER);
	if (at === -1 || !/^(#![^\n]*\n)?$/.test(text.slice(0, at))) return text;
	const rest = text.slice(at + BANNER.length);
	return /\brequire\b/.test(rest) ? text : text.slice(0, at) + rest.replace(/^\n/, '');
}

await rm('dist', {recursive: true, force: true});
for (const file of result.outputFiles) {
	await mkdir(dirname(file.path), {recursive: true});
	await writeFile(file.path, asciiOnly(withoutUnusedBanner(file.text)), {mode: file.path.endsWith('cli.js') ? 0o755 : 0o644});
}
