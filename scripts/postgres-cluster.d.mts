// Types for postgres-cluster.mjs, which the test setup (TypeScript) shares with .ci/run.

export const TEST_DATABASE: string;
export class PostgresMissing extends Error {}
export function findBinaries(env?: NodeJS.ProcessEnv): {initdb: string; pgCtl: string; createdb: string};
export function startCluster(directory: string, env?: NodeJS.ProcessEnv): Promise<string>;
export function stopCluster(directory: string, env?: NodeJS.ProcessEnv): void;
