/*
 * Prepares the bench's PostgreSQL databases (issue 22), the documents being exactly a data
 * folder's (what the store writes and reads):
 *   create SERVER NAME [TEMPLATE]  a new database on SERVER (any database's URL there); with
 *                                  TEMPLATE, a copy of it (its files copied: seconds, not a reload)
 *   drop SERVER NAME...            drops them, cutting their connections
 *   copy FOLDER URL DIRECTORY      FOLDER's documents as rows of mysign_documents, each the file's
 *                                  exact text (db.json, holders/<userID>.json, holders/index.json),
 *                                  inserted in bulk, its outbox.sequence as the outbox counter;
 *                                  then one Store.update on URL (DIRECTORY: the data folder a
 *                                  server uses with it) reads and validates every document.
 *                                  Prints the seconds of each step as JSON.
 * `mysign admin migrate` does the copy through the store (every document read, validated and
 * written in one statement); this is the bench's shortcut, validated the same way afterwards.
 */
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import pg from 'pg';
import {DataFiles} from '../../source/core/store/documents.js';
import {HOLDER_FILE_PATTERN, INDEX_FILE} from '../../source/core/store/partition.js';
import {closePools, poolFor} from '../../source/core/store/postgres/database.js';
import {Store} from '../../source/core/store/store.js';

/** Rows per INSERT: about 8 MB of documents (a holder's is ~8 KB), far below a statement's limits. */
const BATCH_BYTES = 8 * 2 ** 20;

const [command, ...args] = process.argv.slice(2) as [string, ...string[]];

async function onServer(server: string, work: (client: pg.Client) => Promise<void>): Promise<void> {
	const client = new pg.Client({connectionString: server});
	await client.connect();
	try {
		await work(client);
	} finally {
		await client.end();
	}
}

async function copy(folder: string, url: string, directory: string): Promise<{copy: number; validate: number; documents: number}> {
	const started = performance.now();
	const files = new DataFiles(folder);
	const names = ['db.json', ...readdirSync(files.holdersDirectory).filter(name => name === INDEX_FILE || HOLDER_FILE_PATTERN.test(name)).map(name => `holders/${name}`)];
	// The store's own pool: the schema is created as the store creates it.
	const pool = await poolFor(url);
	let batch: {names: string[]; bodies: string[]; bytes: number} = {names: [], bodies: [], bytes: 0};
	const flush = async () => {
		if (batch.names.length === 0) return;
		await pool.query('INSERT INTO mysign_documents (name, body) SELECT * FROM unnest($1::text[], $2::text[])', [batch.names, batch.bodies]);
		batch = {names: [], bodies: [], bytes: 0};
	};
	for (const name of names) {
		const body = readFileSync(join(folder, name), 'utf8');
		batch.names.push(name);
		batch.bodies.push(body);
		batch.bytes += body.length;
		if (batch.bytes >= BATCH_BYTES) await flush();
	}
	await flush();
	let outbox: string | undefined;
	try {
		outbox = readFileSync(join(folder, 'outbox.sequence'), 'utf8').trim();
	} catch {
		// none: no message sent yet
	}
	if (outbox) await pool.query(`INSERT INTO mysign_counters (name, value) VALUES ('outbox', $1)`, [Number(outbox)]);
	const copied = performance.now();
	const holders = await new Store(directory, undefined, url).update(db => db.holders.length);
	const documents = names.filter(name => HOLDER_FILE_PATTERN.test(name.slice('holders/'.length))).length;
	if (holders !== documents) throw new Error(`the store reads ${holders} holders, ${documents} holder documents were copied`);
	await closePools();
	return {copy: (copied - started) / 1000, validate: (performance.now() - copied) / 1000, documents: names.length};
}

if (command === 'create') {
	const [server, name, template] = args as [string, string, string | undefined];
	await onServer(server, async client => {
		const {rows} = await client.query<{server_version_num: string}>('SHOW server_version_num');
		// FILE_COPY (PostgreSQL 15+): the template's files copied after a checkpoint, instead of every block through the WAL.
		const strategy = template && Number(rows[0]!.server_version_num) >= 150_000 ? ' STRATEGY = FILE_COPY' : '';
		await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}${template ? ` TEMPLATE ${client.escapeIdentifier(template)}${strategy}` : ''}`);
	});
} else if (command === 'drop') {
	const [server, ...names] = args as [string, ...string[]];
	await onServer(server, async client => {
		for (const name of names) await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
	});
} else if (command === 'copy') {
	const [folder, url, directory] = args as [string, string, string];
	process.stdout.write(JSON.stringify(await copy(folder, url, directory)) + '\n');
} else {
	throw new Error(`unknown command ${command}`);
}
