import {DomainError} from './errors.js';
import {KEY_NAMES, keyFile, keyFingerprint, loadKey, type KeyName, type OtpKeys} from './keys.js';
import type {Database} from './store/schema.js';

/*
 * Keys are bound to their database. keys/pepper.key peppers every PIN, password and ERC hash and
 * keys/totp.key seals the authenticators' secrets: with another key the right PIN compares as
 * wrong, and counting that as a failed attempt walks the holder to a permanent block. So db.json
 * records a fingerprint of each key, every open checks the key files against it before any
 * secret is compared, and every write checks it again under the lock. Keys are only ever created
 * together with a database (`Portal.createDemo`), never by a command that reads a folder.
 */

export type KeyFingerprints = Record<KeyName, string>;

export function fingerprintsOf(keys: OtpKeys): KeyFingerprints {
	return {pepper: keyFingerprint(keys.pepper), totp: keyFingerprint(keys.totpKey)};
}

/**
 * The keys of an existing database, each checked against the fingerprint it records; a missing,
 * unreadable or different key stops here, nothing created or written. `recorded` null: a database
 * from before fingerprints, whose keys must exist and are trusted on first use (see `bindDatabase`).
 */
export async function loadBoundKeys(dataDirectory: string, recorded: KeyFingerprints | null): Promise<OtpKeys> {
	const keys: Partial<Record<KeyName, Buffer>> = {};
	// One at a time, so the message always names the first key (pepper) when both are gone.
	for (const name of KEY_NAMES) {
		const key = await loadKey(dataDirectory, name);
		if (!key) throw new DomainError('store.keyMissing', {file: keyFile(dataDirectory, name)});
		if (recorded && keyFingerprint(key) !== recorded[name]) throw new DomainError('store.keyMismatch', {file: keyFile(dataDirectory, name)});
		keys[name] = key;
	}
	return {pepper: keys.pepper!, totpKey: keys.totp!};
}

/**
 * Before a write, under the lock, with the database as re-read from disk: refuses to write with
 * keys that are not the database's (it was replaced, say restored from a backup, since the open)
 * and records the fingerprints where there are none yet: a new database, or one older than
 * fingerprints (trust on first use: its keys were checked to exist when the folder was opened).
 */
export function bindDatabase(db: Database, dataDirectory: string, fingerprints: KeyFingerprints): void {
	if (db.keys === null) {
		db.keys = {...fingerprints};
		return;
	}
	for (const name of KEY_NAMES) {
		if (db.keys[name] !== fingerprints[name]) throw new DomainError('store.keyMismatch', {file: keyFile(dataDirectory, name)});
	}
}
