import {statSync} from 'node:fs';
import {DomainError} from './errors.js';

/*
 * Who may act as the room's operator or trainer: the OS user who owns the data folder (or root).
 * In a folder shared by a group (mysign admin init --group), every member may use the portal,
 * the phone and the holder commands, but enrolling, unlocking, revoking, reactivating, listing
 * holders, coupons, scenarios, a reset and the folder's clock stay with the folder's owner:
 * otherwise any trainee could lift their own lock-out or end everyone's sessions. In a private
 * folder the owner is the only user anyway.
 */
export function assertFolderOperator(dataDirectory: string): void {
	const uid = process.getuid?.();
	if (uid === undefined || uid === 0) return;
	const owner = statSync(dataDirectory).uid;
	if (uid !== owner) throw new DomainError('operator.notOwner', {directory: dataDirectory, owner});
}
