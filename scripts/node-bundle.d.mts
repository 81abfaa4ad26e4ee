// Types for node-bundle.mjs, which the test setup (TypeScript) shares with the build scripts.
import type {BuildOptions} from 'esbuild';

export const NODE_BUNDLE: BuildOptions;
export const CLI_EXTERNALS: string[];
