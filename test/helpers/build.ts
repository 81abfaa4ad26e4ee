import {execFileSync} from 'node:child_process';
import {join} from 'node:path';
import {build} from 'esbuild';

export const ROOT = join(import.meta.dirname, '..', '..');
/** Bundled test workers: plain JS the tests start as separate processes. Inside the project, so native addons resolve. */
export const WORKERS = join(ROOT, 'node_modules', '.cache', 'mysign-test');

/** Vitest global setup: end-to-end tests run the bundled CLI and worker processes, so bundle them once first. */
export default async function setup(): Promise<void> {
	execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], {cwd: ROOT, stdio: 'inherit'});
	await build({
		entryPoints: [join(ROOT, 'test', 'workers', '*.ts')],
		outdir: WORKERS,
		outExtension: {'.js': '.mjs'},
		bundle: true,
		// Code the workers import dynamically (PDF, PKI, e-mail) is loaded only when used: a worker starts in ~30% less CPU.
		splitting: true,
		chunkNames: 'chunks/[name]-[hash]',
		platform: 'node',
		format: 'esm',
		target: 'node20',
		external: ['argon2', 'fs-ext'],
		banner: {js: "import {createRequire as __createRequire} from 'node:module';const require = __createRequire(import.meta.url);"},
		logLevel: 'warning',
	});
}
