import {AsyncLocalStorage} from 'node:async_hooks';
import {closeSync, constants} from 'node:fs';
import {nativeFsExt} from '../native-addons.js';
import {DomainError} from '../errors.js';
import {openRegularSync} from './safe-file.js';

/*
 * Cross-process exclusive lock on a file with flock(2). The kernel releases it when the holder
 * dies, even by SIGKILL, so a crashed process never leaves a stale lock behind.
 * Within one process, a promise chain serialises callers first, so only one flock is ever waited for.
 */

/** Waits in the kernel for the lock: a waiter gets it as soon as it is released, not after a back-off sleep. */
function flock(fd: number): Promise<void> {
	return new Promise((resolve, reject) => nativeFsExt().flock(fd, 'ex', error => (error ? reject(error) : resolve())));
}

/** Takes the lock if it is free, without waiting (a non-blocking flock needs no thread). */
function tryFlock(fd: number): boolean {
	try {
		nativeFsExt().flockSync(fd, 'exnb');
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EAGAIN' || (error as NodeJS.ErrnoException).code === 'EWOULDBLOCK') return false;
		throw error;
	}
}

/*
 * Callers in this process queue per path, whichever FileLock object they use (a signature log
 * makes one per append): so at most one blocking flock per path waits on a libuv thread, and
 * concurrent appends cannot fill the thread pool with waiters while the holder needs a thread.
 */
const queues = new Map<string, Promise<unknown>>();
/** The paths the current task holds, to catch a task that asks for one again (it would wait forever). */
const held = new AsyncLocalStorage<ReadonlySet<string>>();

export class FileLock {

	constructor(
		readonly path: string,
		private readonly timeoutMs = 15_000,
	) {}

	/** Runs `task` while holding the lock; throws `store.locked` if it cannot be had in time. */
	async with<T>(task: () => Promise<T>): Promise<T> {
		const holding = held.getStore();
		if (holding?.has(this.path)) throw new Error(`nested lock of ${this.path}: a store operation may not start another one`);
		const run = (queues.get(this.path) ?? Promise.resolve()).then(() => this.holding(task, new Set([...(holding ?? []), this.path])));
		const settled = run.catch(() => undefined);
		queues.set(this.path, settled);
		// The last in line removes the queue, so the map does not keep every path ever locked.
		void settled.then(() => queues.get(this.path) === settled && queues.delete(this.path));
		return run;
	}

	private async holding<T>(task: () => Promise<T>, paths: ReadonlySet<string>): Promise<T> {
		/*
		 * Opening, trying and releasing are synchronous system calls: each asynchronous one is a trip
		 * through libuv's thread pool, and with 8 processes on 2 cores every trip can wait for a time
		 * slice, while the lock is held (an asynchronous close released it only after such a trip).
		 */
		let fd: number;
		try {
			// Never through a symlink (a planted `db.lock → elsewhere` creates nothing), never a FIFO.
			fd = openRegularSync(this.path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new DomainError('store.missing', {file: this.path});
			throw error;
		}
		try {
			if (!tryFlock(fd)) {
				/*
				 * Taken: wait in the kernel's queue (a blocking flock on a libuv thread, at most one per
				 * lock and process, since callers in this process queue first). Polling with a back-off
				 * left the lock free while every waiter slept, and let one writer win it over and over
				 * (8 processes: p99 wait 736 ms for a lock held 5 ms). On timeout the descriptor is closed
				 * below; the thread still waits until the holder lets go, and the lock it then gets goes
				 * at once with the descriptor's last reference (checked: a third process takes it).
				 */
				let timer: NodeJS.Timeout | undefined;
				const timedOut = new Promise<never>((_, reject) => {
					timer = setTimeout(() => reject(new DomainError('store.locked', {file: this.path})), this.timeoutMs);
				});
				try {
					await Promise.race([flock(fd), timedOut]);
				} finally {
					clearTimeout(timer);
				}
			}
			return await held.run(paths, task);
		} finally {
			// Closing the descriptor releases the flock.
			closeSync(fd);
		}
	}
}
