import {appendFileSync, mkdirSync} from 'node:fs';
import {join} from 'node:path';
import pg from 'pg';
import {closePools, poolFor} from '../../source/core/store/postgres/database.js';
import {temporaryDirectory} from './holders.js';
import {freshDatabase, postgresUrl} from './postgres-local.js';

/*
 * The two places the logs beside a data folder's documents can be (the outbox, the access log,
 * the signature log): the folder's files, or a PostgreSQL database. The contract suites in
 * test/core/logs/ run the same cases against both; the PostgreSQL kind is skipped when no
 * server is configured (see postgres-local.ts). `plant…` writes raw text where a log keeps one
 * entry, behind the classes' backs (a torn line, a hand edit).
 */

export interface LogPlace {
	directory: string;
	url: string | undefined;
	plantAccess(userId: string | null, id: number, text: string): Promise<void>;
	plantSignature(userId: string, text: string): Promise<void>;
	plantOutbox(id: number, kind: 'sms' | 'email', text: string): Promise<void>;
	remove(): void;
}

export interface LogKind {
	name: 'folder' | 'postgres';
	/** Whether this kind can run here. */
	available: boolean;
	open(): Promise<LogPlace>;
}

const databases: string[] = [];

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
			remove: folder.remove,
		};
	},
};

const postgresKind: LogKind = {
	name: 'postgres',
	available: postgresUrl() !== undefined,
	async open() {
		const folder = temporaryDirectory();
		const url = await freshDatabase();
		databases.push(url);
		const run = async (text: string, values: unknown[]) => void (await (await poolFor(url)).query(text, values));
		return {
			directory: folder.path,
			url,
			plantAccess: (userId, id, text) => run('INSERT INTO mysign_access_log (user_id, id, entry) VALUES ($1, $2, $3)', [userId ?? '', id, text]),
			plantSignature: (userId, text) => run('INSERT INTO mysign_signatures (user_id, record) VALUES ($1, $2)', [userId, text]),
			plantOutbox: (id, kind, text) => run('INSERT INTO mysign_outbox (id, user_id, kind, record) VALUES ($1, NULL, $2, $3)', [id, kind, text]),
			remove: folder.remove,
		};
	},
};

export const LOG_KINDS: readonly LogKind[] = [folderKind, postgresKind];

/** After a suite: this process's pools closed and the databases it made dropped. */
export async function closeLogKinds(): Promise<void> {
	await closePools();
	const server = postgresUrl();
	if (!server || databases.length === 0) return;
	const client = new pg.Client({connectionString: server});
	await client.connect();
	try {
		for (const url of databases.splice(0)) await client.query(`DROP DATABASE IF EXISTS ${new URL(url).pathname.slice(1)}`);
	} finally {
		await client.end();
	}
}
