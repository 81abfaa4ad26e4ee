import {statSync} from 'node:fs';
import {DomainError} from '../errors.js';
import type {Holder} from '../store/schema.js';

/*
 * The MyInfoCert app is a device: on a shared server, the OS user it was activated by. Approving
 * an "Accedi con l'app" login or a push request is what the app does, so only that user (or
 * root) may do it through `mysign phone`; anyone else on the folder would otherwise log in as the
 * holder without the password. An app activated before this rule (or the demo's) lives with the
 * data folder's owner, who made it. Root is no exception: it administers the server, it is not
 * the holder's phone.
 */

/** The OS user of this process, recorded when the holder activates the app here. */
export function thisDevice(): number | null {
	return process.getuid?.() ?? null;
}

/** Root too: root administers the server (see operator.ts), but is not the holder's phone. */
export function assertAppDevice(holder: Holder, dataDirectory: string): void {
	const uid = process.getuid?.();
	if (uid === undefined) return;
	const owner = holder.otp.app?.device ?? statSync(dataDirectory).uid;
	if (uid !== owner) throw new DomainError('phone.notYourDevice', {userId: holder.userId});
}
