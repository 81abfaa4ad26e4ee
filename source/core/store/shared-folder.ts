import {execFileSync} from 'node:child_process';
import {chmodSync, chownSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync} from 'node:fs';
import {dirname, join, relative, sep} from 'node:path';
import {DomainError} from '../errors.js';
import {folderModes, SHARED_MODES as shared} from './safe-file.js';

/*
 * `mysign admin init --group NAME`: a data folder several OS users share through a group. The
 * folder becomes group-owned, set-group-id and 2770; from then on (see `folderModes` in
 * safe-file.ts) every file mysign creates in it is 0660 and keeps the folder's group (a rewrite
 * is a new file renamed into place, and new files in a set-group-id folder take its group), keys
 * are 0640 (the group reads them, nobody else), sub-folders 2770. Others read nothing.
 * A folder that already holds data is converted the same way, after a first pass that changes
 * nothing and refuses links, special files and files of other users.
 */

export interface SharedFolder {
	directory: string;
	group: string;
	gid: number;
	/** Entries (folders and files, the data folder included) whose group and mode were set. */
	entries: number;
	created: boolean;
}

/** The group's id, from the system's group database (getent, so LDAP groups count), or undefined. */
export function groupId(name: string): number | undefined {
	if (!/^[A-Za-z_][\w.-]{0,63}$/.test(name)) return undefined;
	try {
		const line = execFileSync('getent', ['group', name], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']});
		const gid = Number(line.split(':')[2]);
		return Number.isInteger(gid) ? gid : undefined;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
	}
	// No getent: the local group file.
	try {
		const line = readFileSync('/etc/group', 'utf8').split('\n').find(entry => entry.split(':')[0] === name);
		const gid = Number(line?.split(':')[2]);
		return line && Number.isInteger(gid) ? gid : undefined;
	} catch {
		return undefined;
	}
}

/** A secret: the files of `keys/` and the CA's private key. */
function isSecret(root: string, file: string): boolean {
	const path = relative(root, file);
	return path.split(sep)[0] === 'keys' || path === join('pki', 'ca.key');
}

export function initSharedFolder(directory: string, group: string): SharedFolder {
	const gid = groupId(group);
	const root = process.getuid?.() === 0;
	if (gid === undefined || (!root && !(process.getgroups?.() ?? []).includes(gid))) throw new DomainError('admin.initGroupUnknown', {group});
	let created = false;
	try {
		if (!statSync(directory).isDirectory()) throw new DomainError('file.notDirectory', {file: directory});
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
		// Missing parents are made as mkdir -p makes them; the data folder itself private until it has its group.
		mkdirSync(dirname(directory), {recursive: true});
		mkdirSync(directory, {mode: 0o700});
		created = true;
	}
	// First pass: check everything, change nothing.
	const entries: {path: string; folder: boolean}[] = [{path: directory, folder: true}];
	const uid = process.getuid?.();
	for (let index = 0; index < entries.length; index++) {
		const {path, folder} = entries[index]!;
		const info = index === 0 ? statSync(path) : lstatSync(path);
		if (info.isSymbolicLink()) throw new DomainError('file.symlink', {file: path});
		if (!info.isDirectory() && !info.isFile()) throw new DomainError('file.notRegular', {file: path});
		if (!root && info.uid !== uid) throw new DomainError('admin.initNotOwner', {file: path, reason: `uid ${info.uid}`});
		if (folder) for (const name of readdirSync(path).sort()) entries.push({path: join(path, name), folder: lstatSync(join(path, name)).isDirectory()});
	}
	// Second pass: the group first (chown clears set-group-id), then the mode.
	for (const {path, folder} of entries) {
		chownSync(path, -1, gid);
		chmodSync(path, folder ? shared.directory : isSecret(directory, path) ? shared.secret : shared.file);
	}
	if (!folderModes(directory).shared) throw new Error(`${directory} did not become set-group-id (is it on a file system without Unix modes?)`);
	return {directory, group, gid, entries: entries.length, created};
}
