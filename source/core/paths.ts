import {existsSync, readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

/** The package root: the nearest folder above this module whose package.json is mysign's (works bundled and from source). */
export function packageRoot(from = dirname(fileURLToPath(import.meta.url))): string {
	let folder = from;
	for (;;) {
		const manifest = join(folder, 'package.json');
		if (existsSync(manifest)) {
			try {
				if ((JSON.parse(readFileSync(manifest, 'utf8')) as {name?: string}).name === 'mysign') return folder;
			} catch {
				// not ours; keep looking
			}
		}
		const parent = dirname(folder);
		if (parent === folder) throw new Error('mysign package root not found');
		folder = parent;
	}
}

/** Where the demo seed ships. */
export function seedFile(): string {
	return join(packageRoot(), 'data', 'seed.json');
}

/**
 * The data folder: --data, else $MYSIGN_DATA, else `data/` at the project root when running
 * from a checkout (it has the sources), else $XDG_DATA_HOME/mysign (~/.local/share/mysign).
 */
export function resolveDataDirectory(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
	if (flag) return resolve(flag);
	if (env['MYSIGN_DATA']) return resolve(env['MYSIGN_DATA']);
	const root = packageRoot();
	if (existsSync(join(root, 'source')) || existsSync(join(root, '.git'))) return join(root, 'data');
	const xdg = env['XDG_DATA_HOME'] || join(homedir(), '.local', 'share');
	return join(xdg, 'mysign');
}
