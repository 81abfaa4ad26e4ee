import {basename, dirname} from 'node:path';
import type {Adapter} from 'lowdb';
import {z} from 'zod';
import {DomainError} from '../errors.js';
import {removeStrayTemporaries, writeFileAtomicSync} from './atomic-write.js';
import {migrate} from './migrations.js';
import {readRegularFileSync} from './safe-file.js';

/** The largest database read: far above any real one (1 000 holders are ~2 MB), below V8's longest string. */
const MAX_DATABASE_BYTES = 256 * 1024 * 1024;

/**
 * A lowdb adapter for one JSON file that many processes share.
 * Reads validate the schema (after migrations); writes are atomic and durable (see atomic-write.ts).
 * lowdb's own JSONFile writer uses one fixed temp name and no fsync, which is unsafe here.
 */
export class AtomicJsonFile<T> implements Adapter<T> {
	private readonly check: (value: unknown) => CheckResult<T>;

	constructor(
		readonly file: string,
		private readonly schema: z.ZodType<T>,
	) {
		this.check = incrementalCheck(schema);
	}

	async read(): Promise<T | null> {
		let text: string;
		try {
			// Synchronous, like the write: under the store lock, a trip through the thread pool can wait for a time slice.
			// Never through a symlink, never a FIFO or device (refused at once, naming the file): see safe-file.ts.
			text = readRegularFileSync(this.file, MAX_DATABASE_BYTES).toString('utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
			if (error instanceof DomainError) throw error;
			throw new DomainError('store.unreadable', {file: this.file, reason: (error as NodeJS.ErrnoException).code ?? 'error'});
		}
		return this.parse(text);
	}

	parse(text: string): T {
		let document: unknown;
		try {
			document = JSON.parse(text);
		} catch (error) {
			throw new DomainError('store.invalid', {file: this.file, reason: `not valid JSON (${(error as Error).message})`});
		}
		const migrated = migrate(document);
		if (migrated.kind === 'future') throw new DomainError('store.futureVersion', {file: this.file, version: migrated.version});
		if (migrated.kind === 'unversioned') throw new DomainError('store.invalid', {file: this.file, reason: 'no valid "version" field'});
		const result = this.check(migrated.document);
		if (!result.success) {
			const issue = result.issue;
			const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
			throw new DomainError('store.invalid', {file: this.file, reason: `${where}: ${issue?.message ?? 'invalid'}`});
		}
		return result.data;
	}

	async write(data: T): Promise<void> {
		// A change that broke the schema must not reach the disk: every later read would refuse it.
		const checked = this.check(data);
		if (!checked.success) {
			const issue = checked.issue;
			throw new DomainError('store.invalid', {file: this.file, reason: `refused to save ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`});
		}
		try {
			writeFileAtomicSync(this.file, JSON.stringify(data, null, '\t') + '\n', {syncDirectory: true});
		} catch (error) {
			throw new DomainError('store.writeFailed', {file: this.file, reason: (error as NodeJS.ErrnoException).code ?? 'error'});
		}
	}

	/** Removes temp files left by writers that died mid-write (their pid no longer runs). Call under the lock. */
	async removeStrayTemporaries(): Promise<number> {
		return removeStrayTemporaries(dirname(this.file), basename(this.file));
	}
}

/** `value` checked against `schema` (incrementally, see below), or `store.invalid` naming `file` and the first issue. */
export function checkDocument<T>(file: string, value: unknown, schema: z.ZodType<T>, refusing = false): T {
	const result = incrementalCheck(schema)(value);
	if (result.success) return result.data;
	const where = result.issue && result.issue.path.length > 0 ? result.issue.path.join('.') : '(root)';
	const reason = refusing ? `refused to save ${where}: ${result.issue?.message ?? 'invalid'}` : `${where}: ${result.issue?.message ?? 'invalid'}`;
	throw new DomainError('store.invalid', {file, reason});
}

/** `text` as JSON, or `store.invalid` naming `file`. */
export function parseJson(file: string, text: string): unknown {
	try {
		return JSON.parse(text);
	} catch (error) {
		throw new DomainError('store.invalid', {file, reason: `not valid JSON (${(error as Error).message})`});
	}
}

/*
 * zod compiles an object schema into a validator (new Function) on its first parse: for the
 * database that took 60-90 ms of every start to the login screen, against 5-11 ms to validate
 * the same file interpreted; later parses cost the same either way (~2 ms for the demo data,
 * ~40 ms for 1 000 holders, measured here). Each process validates db.json a few times, so it is
 * never worth compiling.
 */
const INTERPRETED = {jitless: true} as const;

type CheckResult<T> = {success: true; data: T} | {success: false; issue: {path: PropertyKey[]; message: string} | undefined};

/**
 * `schema.safeParse`, with the same result and first issue, that skips what this process has
 * already validated: for an object schema, each field (and each element of an array field) whose
 * JSON text is exactly one that validated last time, in its parsed form, is taken as it is. Under
 * the store lock a write reads back a database that other processes changed in a holder or two
 * and checks it again before saving: validating all of it was most of the CPU spent holding the
 * lock (8 processes queue for it). Fields are compared by text, so nothing unvalidated gets through.
 */
function incrementalCheck<T>(schema: z.ZodType<T>): (value: unknown) => CheckResult<T> {
	// One per schema, so every Store of the process (a CLI command opens several) shares what it validated.
	const shared = checks.get(schema) as ((value: unknown) => CheckResult<T>) | undefined;
	if (shared) return shared;
	const check = makeIncrementalCheck(schema);
	checks.set(schema, check);
	return check;
}

const checks = new WeakMap<z.ZodType, (value: unknown) => CheckResult<unknown>>();

function makeIncrementalCheck<T>(schema: z.ZodType<T>): (value: unknown) => CheckResult<T> {
	const whole = (value: unknown): CheckResult<T> => {
		const result = schema.safeParse(value, INTERPRETED);
		return result.success ? {success: true, data: result.data} : {success: false, issue: result.error.issues[0]};
	};
	// Only a plain object schema (unknown keys stripped) is checked field by field.
	if (!(schema instanceof z.ZodObject) || schema._zod.def.catchall !== undefined) return whole;
	const fields = Object.entries(schema.shape as Record<string, z.ZodType>).map(([key, field]) => {
		const inner = field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field;
		const element = inner instanceof z.ZodArray && !inner._zod.def.checks?.length ? (inner.element as z.ZodType) : undefined;
		return {key, field, element};
	});
	// Per field: the JSON of its last validated value (whole fields) or of each validated element (arrays).
	const seenFields = new Map<string, string>();
	const seenElements = new Map<string, Set<string>>();
	return value => {
		if (typeof value !== 'object' || value === null || Array.isArray(value)) return whole(value);
		const document = value as Record<string, unknown>;
		const output: Record<string, unknown> = {};
		for (const {key, field, element} of fields) {
			const raw = document[key];
			if (element && Array.isArray(raw)) {
				const seen = seenElements.get(key);
				const now = new Set<string>();
				const items: unknown[] = [];
				for (const [index, item] of raw.entries()) {
					const text = JSON.stringify(item);
					if (seen?.has(text)) {
						items.push(item);
						now.add(text);
						continue;
					}
					const result = element.safeParse(item, INTERPRETED);
					if (!result.success) return {success: false, issue: prefixed([key, index], result.error.issues[0])};
					const parsed = JSON.stringify(result.data);
					// Taken as it is next time only if parsing changed nothing (no default filled, no key stripped).
					if (parsed === text) now.add(text);
					items.push(result.data);
				}
				seenElements.set(key, now);
				output[key] = items;
				continue;
			}
			const text = raw === undefined ? undefined : JSON.stringify(raw);
			if (text !== undefined && seenFields.get(key) === text) {
				output[key] = raw;
				continue;
			}
			const result = field.safeParse(raw, INTERPRETED);
			if (!result.success) return {success: false, issue: prefixed([key], result.error.issues[0])};
			if (text !== undefined && JSON.stringify(result.data) === text) seenFields.set(key, text);
			if (result.data !== undefined || key in document) output[key] = result.data;
		}
		return {success: true, data: output as T};
	};
}

function prefixed(path: PropertyKey[], issue: {path: PropertyKey[]; message: string} | undefined): {path: PropertyKey[]; message: string} | undefined {
	return issue ? {path: [...path, ...issue.path], message: issue.message} : undefined;
}
