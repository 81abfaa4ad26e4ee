/*
 * Loaded with `node --import` before the CLI: makes the file system under MYSIGN_FAULT_DIR fail
 * the way a full disk or a read-only mount does, at the layer the program calls (node:fs and
 * node:fs/promises), so tests can run where root ignores permissions.
 *   MYSIGN_FAULT=ENOSPC  opening works, but every write of data fails (the disk is full)
 *   MYSIGN_FAULT=EROFS   every open for writing, mkdir, rename, link and unlink fails (read-only)
 * Reads are untouched.
 */
import fs from 'node:fs';
import fsPromises from 'node:fs/promises';
import {syncBuiltinESMExports} from 'node:module';
import {resolve} from 'node:path';

const fault = process.env['MYSIGN_FAULT'];
const root = process.env['MYSIGN_FAULT_DIR'] ? resolve(process.env['MYSIGN_FAULT_DIR']) : undefined;

function failure(syscall: string, path: unknown): NodeJS.ErrnoException {
	const messages: Record<string, string> = {ENOSPC: 'no space left on device', EROFS: 'read-only file system'};
	const error: NodeJS.ErrnoException = new Error(`${fault}: ${messages[fault!]}, ${syscall} '${String(path)}'`);
	error.code = fault;
	error.errno = fault === 'ENOSPC' ? -28 : -30;
	error.syscall = syscall;
	error.path = String(path);
	return error;
}

const inside = (path: unknown) => root !== undefined && (typeof path === 'string' || path instanceof URL) && resolve(String(path instanceof URL ? path.pathname : path)).startsWith(root);
const writing = (flags: unknown) => typeof flags === 'string' ? /[wax+]/.test(flags) : typeof flags === 'number' && (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_APPEND)) !== 0;

if (fault && root) {
	const promises = fsPromises as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
	const realOpen = promises['open']!;
	promises['open'] = async (...args: unknown[]) => {
		const [path, flags] = args;
		if (!inside(path) || !writing(flags)) return realOpen(...args);
		if (fault === 'EROFS') throw failure('open', path);
		const handle = (await realOpen(...args)) as Record<string, unknown>;
		for (const method of ['write', 'writeFile', 'appendFile', 'writev']) {
			handle[method] = () => Promise.reject(failure('write', path));
		}
		return handle;
	};
	for (const name of ['writeFile', 'appendFile']) {
		const real = promises[name]!;
		promises[name] = (...args: unknown[]) => (inside(args[0]) ? Promise.reject(failure(name === 'writeFile' ? 'open' : 'write', args[0])) : real(...args));
	}
	if (fault === 'EROFS') {
		for (const name of ['mkdir', 'rename', 'link', 'unlink', 'rm', 'chmod']) {
			const real = promises[name]!;
			promises[name] = (...args: unknown[]) => {
				// mkdir of a folder that exists is EEXIST even on a read-only mount; recursive mkdir of one succeeds.
				if (name === 'mkdir' && inside(args[0]) && fs.existsSync(String(args[0]))) return real(...args);
				return inside(args[0]) ? Promise.reject(failure(name, args[0])) : real(...args);
			};
		}
	}
	const sync = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
	for (const name of ['writeFileSync', 'appendFileSync']) {
		const real = sync[name]!;
		sync[name] = (...args: unknown[]) => {
			if (inside(args[0])) throw failure('write', args[0]);
			return real(...args);
		};
	}
	// Descriptors opened for writing under the folder (the store writes db.json and the holder documents with synchronous calls).
	const writable = new Map<unknown, unknown>();
	const realOpenSync = sync['openSync']!;
	sync['openSync'] = (...args: unknown[]) => {
		if (inside(args[0]) && writing(args[1]) && fault === 'EROFS') throw failure('open', args[0]);
		const fd = realOpenSync(...args);
		if (inside(args[0]) && writing(args[1])) writable.set(fd, args[0]);
		return fd;
	};
	const realCloseSync = sync['closeSync']!;
	sync['closeSync'] = (...args: unknown[]) => {
		writable.delete(args[0]);
		return realCloseSync(...args);
	};
	for (const name of ['writeSync', 'writevSync']) {
		const real = sync[name]!;
		sync[name] = (...args: unknown[]) => {
			if (writable.has(args[0])) throw failure('write', writable.get(args[0]));
			return real(...args);
		};
	}
	syncBuiltinESMExports();
}
