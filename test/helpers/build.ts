import {execFileSync} from 'node:child_process';
import {join} from 'node:path';

/** Vitest global setup: end-to-end tests run the bundled CLI, so bundle it once first. */
export default function setup(): void {
	const root = join(import.meta.dirname, '..', '..');
	execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {cwd: root, stdio: 'inherit'});
}
