import {DATABASE_VERSION} from './schema.js';

/**
 * Upgrades a parsed database file step by step to DATABASE_VERSION.
 * `migrations[n]` turns a version-n document into a version-(n+1) one.
 * Version 1 is the first release, so the list is empty; the mechanism is tested with injected steps.
 */
export type Migration = (document: Record<string, unknown>) => Record<string, unknown>;

export const migrations: Record<number, Migration> = {};

export type MigrationResult =
	| {kind: 'ok'; document: unknown; migrated: boolean}
	| {kind: 'future'; version: number}
	| {kind: 'unversioned'};

export function migrate(
	document: unknown,
	steps: Record<number, Migration> = migrations,
	target = DATABASE_VERSION,
): MigrationResult {
	if (typeof document !== 'object' || document === null || Array.isArray(document)) return {kind: 'unversioned'};
	let current = document as Record<string, unknown>;
	const version = current['version'];
	if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return {kind: 'unversioned'};
	if (version > target) return {kind: 'future', version};
	for (let v = version; v < target; v++) {
		const step = steps[v];
		if (!step) throw new Error(`no migration from database version ${v}`);
		current = {...step(current), version: v + 1};
	}
	return {kind: 'ok', document: current, migrated: version !== target};
}
