import {readFile} from 'node:fs/promises';
import {basename, dirname} from 'node:path';
import type {Adapter} from 'lowdb';
import {z} from 'zod';
import {DomainError} from '../errors.js';
import {removeStrayTemporaries, writeFileAtomic} from './atomic-write.js';
import {migrate} from './migrations.js';

/**
 * A lowdb adapter for one JSON file that many processes share.
 * Reads validate the schema (after migrations); writes are atomic and durable (see atomic-write.ts).
 * lowdb's own JSONFile writer uses one fixed temp name and no fsync, which is unsafe here.
 */
export class AtomicJsonFile<T> implements Adapter<T> {
	constructor(
		readonly file: string,
		private readonly schema: z.ZodType<T>,
	) {}

	async read(): Promise<T | null> {
		let text: string;
		try {
			text = await readFile(this.file, 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
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
		const result = this.schema.safeParse(migrated.document);
		if (!result.success) {
			const issue = result.error.issues[0];
			const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
			throw new DomainError('store.invalid', {file: this.file, reason: `${where}: ${issue?.message ?? 'invalid'}`});
		}
		return result.data;
	}

	async write(data: T): Promise<void> {
		// A change that broke the schema must not reach the disk: every later read would refuse it.
		const checked = this.schema.safeParse(data);
		if (!checked.success) {
			const issue = checked.error.issues[0];
			throw new DomainError('store.invalid', {file: this.file, reason: `refused to save ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`});
		}
		try {
			await writeFileAtomic(this.file, JSON.stringify(data, null, '\t') + '\n', {syncDirectory: true});
		} catch (error) {
			throw new DomainError('store.writeFailed', {file: this.file, reason: (error as NodeJS.ErrnoException).code ?? 'error'});
		}
	}

	/** Removes temp files left by writers that died mid-write (their pid no longer runs). Call under the lock. */
	async removeStrayTemporaries(): Promise<number> {
		return removeStrayTemporaries(dirname(this.file), basename(this.file));
	}
}
