// The esbuild options every Node bundle of this project shares (the CLI, and the benchmark's
// harness built the same way so that the comparison is fair).
export const NODE_BUNDLE = {
	bundle: true,
	// Lazily imported modules stay in their own chunks, read only when used.
	splitting: true,
	chunkNames: 'chunks/[name]-[hash]',
	platform: 'node',
	format: 'esm',
	target: 'node20',
	jsx: 'automatic',
	// CommonJS dependencies that call require() work inside the ESM bundle.
	banner: {js: "import {createRequire as __createRequire} from 'node:module';const require = __createRequire(import.meta.url);"},
	// React in production mode.
	define: {'process.env.NODE_ENV': '"production"'},
	logLevel: 'warning',
};

/**
 * Left outside the CLI bundle: native addons, pdfkit (it reads its font files from its own
 * folder), mailparser (its encoding tables are large and only `mysign outbox save` needs them)
 * and Ink's optional devtools, which we never load.
 */
export const CLI_EXTERNALS = ['argon2', 'fs-ext', 'react-devtools-core', 'pdfkit', 'mailparser'];
