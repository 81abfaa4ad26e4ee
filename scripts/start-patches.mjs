// Bundle-time patches that take work out of the full-screen portal's start (see scripts/build.mjs,
// which counts each one and fails the build if one applied nowhere).
import {readFile} from 'node:fs/promises';

/*
 * yoga-layout (Ink's layout engine) ships its WebAssembly as a base64 `data:` URL. Its emscripten
 * loader asks `fetch` for that URL whenever `fetch` exists, and Node's first `fetch` loads undici:
 * ~25-35 ms of CPU on every start of the portal and the phone, for bytes already in the file. The
 * loader's own decoder (the `atob` branch it takes where `fetch` is missing) is used for a data URL
 * instead; the bytes, and everything after them, are the same.
 */
const YOGA_FETCH = 'return w||"function"!=typeof fetch?Promise.resolve(';
const YOGA_NO_FETCH = 'return w||ua(H)||"function"!=typeof fetch?Promise.resolve(';

export function yogaWithoutFetch(markApplied) {
	return {
		name: 'yoga-without-fetch',
		setup(context) {
			context.onLoad({filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/}, async ({path}) => {
				const source = await readFile(path, 'utf8');
				if (source.split(YOGA_FETCH).length !== 2) throw new Error(`yoga-layout's wasm loader changed: review the yoga-without-fetch patch in scripts/start-patches.mjs (${path})`);
				markApplied('yoga-without-fetch');
				return {contents: source.replace(YOGA_FETCH, () => YOGA_NO_FETCH), loader: 'js'};
			});
		},
	};
}

/*
 * string-width 8 builds `/^\p{RGI_Emoji}$/v` when its module loads: V8 expands the emoji
 * property of strings then, ~20-30 ms of CPU on every start of the portal (and of every command
 * that prints a table), though the expression is only used for a grapheme that is not printable
 * ASCII and not answered by the fast path in front of string-width (source/ui/text-width.ts).
 * It is built on its first use instead; what it matches is unchanged.
 */
const RGI_EAGER = 'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;';
const RGI_LAZY = "let rgiEmojiPattern;\nconst rgiEmojiRegex = {test: segment => (rgiEmojiPattern ??= new RegExp('^\\\\p{RGI_Emoji}$', 'v')).test(segment)};";

export function stringWidthLazyEmoji(markApplied) {
	return {
		name: 'string-width-lazy-emoji',
		setup(context) {
			context.onLoad({filter: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/}, async ({path}) => {
				const source = await readFile(path, 'utf8');
				// The older string-width that wrap-ansi keeps builds no such expression (the build fails if no string-width had it).
				if (!source.includes(RGI_EAGER)) return undefined;
				if (source.split(RGI_EAGER).length !== 2 || source.split('rgiEmojiRegex').length !== 3) throw new Error(`string-width changed: review the string-width-lazy-emoji patch in scripts/start-patches.mjs (${path})`);
				markApplied('string-width-lazy-emoji');
				return {contents: source.replace(RGI_EAGER, () => RGI_LAZY), loader: 'js'};
			});
		},
	};
}

/*
 * Ink draws each frame through a new `Output`, whose caches (each line of text split into styled
 * characters, the width of each string) start empty every frame: a screen that changes one line
 * (a countdown, a field being typed in) tokenized all its lines again. The caches are kept from
 * frame to frame instead (emptied past 4096 entries, so a long session does not grow them). Each
 * entry is a pure function of its string (the same split, the same width), and Ink only reads
 * the cached characters, so every frame is the same as before.
 */
const INK_FRAME_CACHES = 'caches = new OutputCaches();';
const INK_SHARED_CACHES = 'caches = sharedOutputCaches();';
const SHARED_CACHES = `
let shared;
const SHARED_CACHE_LIMIT = 4096;
function sharedOutputCaches() {
    if (!shared || shared.styledChars.size + shared.widths.size + shared.blockWidths.size > SHARED_CACHE_LIMIT) shared = new OutputCaches();
    return shared;
}
export default class Output {`;

export function inkSharedOutputCaches(markApplied) {
	return {
		name: 'ink-shared-output-caches',
		setup(context) {
			context.onLoad({filter: /[\\/]ink[\\/]build[\\/]output\.js$/}, async ({path}) => {
				const source = await readFile(path, 'utf8');
				// The caches are only declared, and only read through their getters (this.caches.getStyledChars(…), …).
				const uses = source.match(/\bcaches\b/g)?.length ?? 0;
				if (source.split(INK_FRAME_CACHES).length !== 2 || source.split('export default class Output {').length !== 2 || uses !== source.split('this.caches.get').length) {
					throw new Error(`ink's output.js changed: review the ink-shared-output-caches patch in scripts/start-patches.mjs (${path})`);
				}
				markApplied('ink-shared-output-caches');
				return {contents: source.replace(INK_FRAME_CACHES, () => INK_SHARED_CACHES).replace('export default class Output {', () => SHARED_CACHES), loader: 'js'};
			});
		},
	};
}
