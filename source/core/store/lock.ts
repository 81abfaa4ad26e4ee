import {AsyncLocalStorage} from 'node:async_hooks';
import {open, type FileHandle} from 'node:fs/promises';
import fsExt from 'fs-ext';
import {DomainError} from '../errors.js';

/*
 * Cross-process exclusive lock on a file with flock(2). The kernel releases it when the holder
 * dies, even by SIGKILL, so a crashed process never leaves a stale lock behind.
 * Within one process, a promise chain serialises callers first, so only one flock is ever waited for.
 */

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function tryFlock(fd: number): Promise<boolean> {
	return new Promise((resolve, reject) => {
		fsExt.flock(fd, 'exnb', error => {
			if (!error) resolve(true);
			else if ((error as NodeJS.ErrnoException).code === 'EAGAIN' || (error as NodeJS.ErrnoException).code === 'EWOULDBLOCK') resolve(false);
			else reject(error);
		});
	});
}

export class FileLock {
	private queue: Promise<unknown> = Promise.resolve();
	/** Set while a task holds this lock, to catch a task that asks for it again (it would wait forever). */
	private readonly holder = new AsyncLocalStorage<true>();

	constructor(
		readonly path: string,
		private readonly timeoutMs = 15_000,
	) {}

	/** Runs `task` while holding the lock; throws `store.locked` if it cannot be had in time. */
	async with<T>(task: () => Promise<T>): Promise<T> {
		if (this.holder.getStore()) throw new Error(`nested lock of ${this.path}: a store operation may not start another one`);
		const run = this.queue.then(() => this.holding(task));
		this.queue = run.catch(() => undefined);
		return run;
	}

	private async holding<T>(task: () => Promise<T>): Promise<T> {
		let handle: FileHandle;
		try {
			handle = await open(this.path, 'a', 0o600);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new DomainError('store.missing', {file: this.path});
			throw error;
		}
		try {
			const deadline = Date.now() + this.timeoutMs;
			let wait = 1;
			// Non-blocking attempts with a short, jittered back-off: a blocking flock would tie up a libuv thread.
			while (!(await tryFlock(handle.fd))) {
				if (Date.now() > deadline) throw new DomainError('store.locked', {file: this.path});
				await sleep(wait + Math.random() * wait);
				wait = Math.min(wait * 2, 16);
			}
			return await this.holder.run(true, task);
		} finally {
			// Closing the descriptor releases the flock.
			await handle.close();
		}
	}
}
