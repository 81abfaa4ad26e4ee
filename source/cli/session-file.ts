import {createHash, randomBytes} from 'node:crypto';
import {constants, realpathSync} from 'node:fs';
import {lstat, mkdir, open, rename, unlink} from 'node:fs/promises';
import {homedir} from 'node:os';
import {join} from 'node:path';

/*
 * The holder's half of a command-line session: a token file that only its OS user can read,
 * holding the session's ID and random secret (db.json keeps only the secret's hash). One file
 * per data folder and userID, named by a hash of both, in a private folder:
 *   $XDG_RUNTIME_DIR/mysign   (per login, on a RAM file system, emptied at logout), else
 *   $XDG_CACHE_HOME/mysign    (~/.cache/mysign).
 * The folder must be a real folder (not a symbolic link) of this user with mode 0700; the file a
 * regular file of this user with mode 0600, opened without following links. Anything else is
 * not used: the command asks for the password instead.
 */

export interface SessionToken {
	sessionId: string;
	secret: string;
}

const MAX_TOKEN_BYTES = 1024;

function baseFolder(env: NodeJS.ProcessEnv): string {
	const runtime = env['XDG_RUNTIME_DIR'];
	if (runtime && runtime.startsWith('/')) return join(runtime, 'mysign');
	const cache = env['XDG_CACHE_HOME'] && env['XDG_CACHE_HOME'].startsWith('/') ? env['XDG_CACHE_HOME'] : join(homedir(), '.cache');
	return join(cache, 'mysign');
}

/** The token file of `userId` on `dataDirectory` (the folder's real path, so two spellings share it). */
export function tokenFile(dataDirectory: string, userId: string, env: NodeJS.ProcessEnv = process.env): string {
	let real = dataDirectory;
	try {
		real = realpathSync(dataDirectory);
	} catch {
		// a folder that does not exist has no session anyway
	}
	const key = createHash('sha256').update(`${real}\0${userId}`).digest('hex').slice(0, 40);
	return join(baseFolder(env), `${key}.session`);
}

const ownedByMe = (uid: number) => typeof process.getuid !== 'function' || uid === process.getuid();

/** Creates the private folder, or checks the one there: a folder of this user, 0700. */
async function privateFolder(folder: string): Promise<boolean> {
	await mkdir(folder, {recursive: true, mode: 0o700}).catch(() => undefined);
	const info = await lstat(folder).catch(() => undefined);
	return info !== undefined && info.isDirectory() && ownedByMe(info.uid) && (info.mode & 0o077) === 0;
}

/** The token stored for this holder and folder, if one is there and safe to use. */
export async function readToken(file: string): Promise<SessionToken | undefined> {
	const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => undefined);
	if (!handle) return undefined;
	try {
		const info = await handle.stat();
		if (!info.isFile() || !ownedByMe(info.uid) || (info.mode & 0o077) !== 0 || info.size > MAX_TOKEN_BYTES) return undefined;
		const buffer = Buffer.alloc(MAX_TOKEN_BYTES);
		const {bytesRead} = await handle.read(buffer, 0, MAX_TOKEN_BYTES, 0);
		const parsed = JSON.parse(buffer.subarray(0, bytesRead).toString('utf8')) as Partial<SessionToken>;
		if (typeof parsed.sessionId !== 'string' || typeof parsed.secret !== 'string') return undefined;
		return {sessionId: parsed.sessionId, secret: parsed.secret};
	} catch {
		return undefined;
	} finally {
		await handle.close();
	}
}

/** Stores a token (a new 0600 file renamed over the old one); false when the folder is not private. */
export async function writeToken(file: string, token: SessionToken): Promise<boolean> {
	const folder = join(file, '..');
	if (!(await privateFolder(folder))) return false;
	const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
	const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
	try {
		await handle.chmod(0o600);
		await handle.writeFile(JSON.stringify(token));
		await handle.sync();
		await handle.close();
		await rename(temporary, file);
	} catch (error) {
		await handle.close().catch(() => undefined);
		await unlink(temporary).catch(() => undefined);
		throw error;
	}
	return true;
}

export async function removeToken(file: string): Promise<void> {
	await unlink(file).catch(() => undefined);
}
