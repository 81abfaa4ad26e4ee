import {readdir} from 'node:fs/promises';
import type pg from 'pg';
import {AccessLog, lineOf} from '../../history/access-log.js';
import {SignatureLog} from '../../history/signature-log.js';
import {Outbox} from '../../notify/outbox.js';
import {isRealDirectory, readRegularFile} from '../safe-file.js';
import {transaction} from './queries.js';

/*
 * `mysign admin migrate`'s copy of a folder's logs into the database (store/migrate.ts's
 * `copyLogs`): the outbox with each e-mail's .eml, every access log (the unknown-identifier one
 * too) and every signature log, read as the folder's classes read them (invalid lines skipped),
 * in one transaction. The database holds no documents yet (migrate checks), so log rows already
 * there can only be an earlier attempt's: they are replaced, never doubled.
 */

export interface CopiedLogs {
	messages: number;
	accessEntries: number;
	signatures: number;
}

/** An e-mail with its PDF is well under 16 MB (the mailbox reads no more). */
const MAX_EML_BYTES = 16 * 1024 * 1024;

export async function copyFolderLogs(directory: string, url: string): Promise<CopiedLogs> {
	return transaction(url, client => copyFolderLogsWith(client, directory));
}

/** The same, inside the caller's transaction (admin migrate's, with the documents). */
export async function copyFolderLogsWith(client: pg.PoolClient, directory: string): Promise<CopiedLogs> {
	const outbox = new Outbox(directory);
	const access = new AccessLog(directory);
	const signatures = new SignatureLog(directory);
	const copied: CopiedLogs = {messages: 0, accessEntries: 0, signatures: 0};
	{
		for (const table of ['mysign_outbox', 'mysign_access_log', 'mysign_signatures']) await client.query(`DELETE FROM ${table}`);
		for (const message of await outbox.list()) {
			const path = (await outbox.hasEml(message)) ? await outbox.emlPath(message) : undefined;
			const eml = path ? await readRegularFile(path, MAX_EML_BYTES) : null;
			await client.query('INSERT INTO mysign_outbox (id, user_id, kind, record, eml) VALUES ($1, $2, $3, $4, $5)', [message.id, message.userId, message.kind, JSON.stringify(message), eml]);
			copied.messages++;
		}
		const holders = [...(await holdersIn(access.directory)).map(userId => ({userId, read: () => access.read(userId).then(reading => reading.entries)})), {userId: null, read: () => access.readUnknown()}];
		for (const {userId, read} of holders) {
			const entries = await read();
			if (entries.length === 0) continue;
			await client.query(
				`INSERT INTO mysign_access_log (user_id, id, entry)
				 SELECT $1, id, entry FROM unnest($2::bigint[], $3::text[]) WITH ORDINALITY AS given(id, entry, n) ORDER BY n
				 ON CONFLICT (user_id, id) DO NOTHING`,
				[userId ?? '', entries.map(entry => entry.id), entries.map(entry => lineOf(entry).trimEnd())],
			);
			copied.accessEntries += entries.length;
		}
		for (const userId of await holdersIn(signatures.directory)) {
			const {records} = await signatures.read(userId);
			if (records.length === 0) continue;
			await client.query(`INSERT INTO mysign_signatures (user_id, record) SELECT $1, record FROM unnest($2::text[]) WITH ORDINALITY AS given(record, n) ORDER BY n`, [
				userId,
				records.map(record => JSON.stringify(record)),
			]);
			copied.signatures += records.length;
		}
	}
	return copied;
}

/** The userIDs that have a log file in `folder` (none when it is missing; a link in its place is refused). */
async function holdersIn(folder: string): Promise<string[]> {
	if (!isRealDirectory(folder)) return [];
	return (await readdir(folder)).flatMap(name => /^([A-Z0-9]{1,16})\.jsonl$/.exec(name)?.[1] ?? []).sort();
}
