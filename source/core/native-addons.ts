import {createRequire} from 'node:module';
import type Argon2 from 'argon2';
import type FsExt from 'fs-ext';
import {DomainError} from './errors.js';

/*
 * The two native addons are loaded on first use, not imported at the top of a module: a missing
 * package, or one whose install script did not run (npm's allowScripts policy, no C++ toolchain),
 * then ends a command with a message naming the addon and the fix instead of a module-loading
 * stack trace, and commands that never hash or lock (`--help`, `--version`) still work.
 */
const require = createRequire(import.meta.url);

type NativeAddon = 'argon2' | 'fs-ext';

function load<T>(name: NativeAddon, loader: () => unknown): T {
	try {
		return loader() as T;
	} catch (error) {
		// Only the first line: the rest is the module loader's require stack.
		const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);
		throw new DomainError('native.missing', {module: name, reason});
	}
}

let argon2: typeof Argon2 | undefined;
let fsExt: typeof FsExt | undefined;

/** argon2 (password, PIN and key-sealing hashes). */
export function nativeArgon2(): typeof Argon2 {
	argon2 ??= load<typeof Argon2>('argon2', () => require('argon2'));
	return argon2;
}

/** fs-ext (flock for the cross-process store lock). */
export function nativeFsExt(): typeof FsExt {
	fsExt ??= load<typeof FsExt>('fs-ext', () => require('fs-ext'));
	return fsExt;
}
