import {execFileSync} from 'node:child_process';
import {join} from 'node:path';
import {build} from 'esbuild';
import {NODE_BUNDLE} from '../../scripts/node-bundle.mjs';
import {ROOT, WORKERS} from './root.js';

export {ROOT, WORKERS};

/** Vitest global setup: end-to-end tests run the bundled CLI and worker processes, so bundle them once first. */
export default async function setup(): Promise<void> {
	execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], {cwd: ROOT, stdio: 'inherit'});
	// Bundled like the CLI; code the workers import dynamically (PDF, PKI, e-mail) stays in chunks loaded only when used.
	await build({
		...NODE_BUNDLE,
		entryPoints: [join(ROOT, 'test', 'workers', '*.ts')],
		outdir: WORKERS,
		outExtension: {'.js': '.mjs'},
		external: ['argon2', 'fs-ext'],
	});
}
