import {join} from 'node:path';

/*
 * The project's folder and where the test workers are bundled: their own module, so that test
 * files can name them without loading esbuild (build.ts, the global setup, re-exports them).
 */
export const ROOT = join(import.meta.dirname, '..', '..');
/** Bundled test workers: plain JS the tests start as separate processes. Inside the project, so native addons resolve. */
export const WORKERS = join(ROOT, 'node_modules', '.cache', 'mysign-test');
