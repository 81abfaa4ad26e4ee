import {appendFileSync, mkdirSync} from 'node:fs';
import {afterEach} from 'vitest';
import {join} from 'node:path';
import {poolFor} from '../../source/core/store/postgres/database.js';
import {temporaryDirectory} from './holders.js';
import {freshDatabase, postgresUrl, underCI} from './postgres.js';

/*
 * The two places the logs beside a data folder's documents can be (the outbox, the access log,
 * the signature log): the folder's files, or a PostgreSQL database. The contract suites in
 * test/core/logs/ run the same cases against both; the PostgreSQL kind is skipped when there is
 * no server (see postgres.ts), except under CI, where its cases fail saying so. `plant…` writes
 * raw text where a log keeps one entry, behind the classes' backs (a torn line, a hand edit).
 * `remove` deletes the folder and drops the database.
 */

export interface LogPlace {
	directory: string;
	url: string | undefined;
	plantAccess(userId: string | null, id: number, text: string): Promise<void>;
	plantSignature(userId: string, text: string): Promise<void>;
	plantOutbox(id: number, kind: 'sms' | 'email', text: string): Promise<void>;
	remove(): Promise<void>;
}

export interface LogKind {
	name: 'folder' | 'postgres';
	/** Whether this kind's cases run here (under CI always: a missing server fails them). */
	available: boolean;
	open(): Promise<LogPlace>;
}

const folderKind: LogKind = {
	name: 'folder',
	available: true,
	async open() {
		const folder = temporaryDirectory();
		const line = (sub: string, name: string, text: string) => {
			mkdirSync(join(folder.path, sub), {recursive: true, mode: 0o700});
			appendFileSync(join(folder.path, sub, name), text + '\n', {mode: 0o600});
		};
		return {
			directory: folder.path,
			url: undefined,
			plantAccess: async (userId, _id, text) => line('access', `${userId ?? 'unknown'}.jsonl`, text),
			plantSignature: async (userId, text) => line('signatures', `${userId}.jsonl`, text),
			plantOutbox: async (id, kind, text) => {
				mkdirSync(join(folder.path, 'outbox'), {recursive: true, mode: 0o700});
				appendFileSync(join(folder.path, 'outbox', `${String(id).padStart(8, '0')}.${kind}.json`), text, {mode: 0o600});
			},
			remove: async () => folder.remove(),
		};
	},
};

const postgresKind: LogKind = {
	name: 'postgres',
	available: postgresUrl() !== undefined || underCI(),
	async open() {
		const folder = temporaryDirectory();
		const {url, drop} = await freshDatabase();
		const run = async (text: string, values: unknown[]) => void (await (await poolFor(url)).query(text, values));
		return {
			directory: folder.path,
			url,
			plantAccess: (userId, id, text) => run('INSERT INTO mysign_access_log (user_id, id, entry) VALUES ($1, $2, $3)', [userId ?? '', id, text]),
			plantSignature: (userId, text) => run('INSERT INTO mysign_signatures (user_id, record) VALUES ($1, $2)', [userId, text]),
			plantOutbox: (id, kind, text) => run('INSERT INTO mysign_outbox (id, user_id, kind, record) VALUES ($1, NULL, $2, $3)', [id, kind, text]),
			remove: async () => {
				folder.remove();
				await drop();
			},
		};
	},
};

export const LOG_KINDS: readonly LogKind[] = [folderKind, postgresKind];

/**
 * Opens a kind's place for a test; every place opened is removed after the test. Call once at the
 * top of a test file.
 */
export function logPlaces(): (kind: LogKind) => Promise<LogPlace> {
	const opened: LogPlace[] = [];
	afterEach(async () => {
		for (const place of opened.splice(0)) await place.remove();
	});
	return async kind => {
		const place = await kind.open();
		opened.push(place);
		return place;
	};
}
