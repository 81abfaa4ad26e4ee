/*
 * Prepares bench data folders with the project's own code, so the records are exactly what the
 * portal writes and reads:
 *   history DIR USERID COUNT   replaces the holder's signature log with COUNT demo signatures
 *                              spread like the seed's (its days and failure rate); prints the
 *                              counts per outcome as JSON
 *   holders DIR COUNT          grows the folder to COUNT holders, cloning the first demo holder's
 *                              document (holders/<userID>.json) under new userIDs; then the store
 *                              reads and validates the whole folder in one update; prints the count
 */
import {randomUUID} from 'node:crypto';
import {readFileSync, writeFileSync} from 'node:fs';
import {demoSignatureHistory, readSeed} from '../../source/core/demo/demo.js';
import {SignatureLog} from '../../source/core/history/signature-log.js';
import {seedFile} from '../../source/core/paths.js';
import {DataFiles} from '../../source/core/store/documents.js';
import {type HolderDocument} from '../../source/core/store/partition.js';
import {Store} from '../../source/core/store/store.js';

const [command, directory, ...rest] = process.argv.slice(2);
const store = new Store(directory!);

if (command === 'history') {
	const [userId, countText] = rest as [string, string];
	const seed = await readSeed(seedFile());
	const shape = seed.holders.find(holder => holder.userId === userId)?.history ?? {days: 365, failureRate: 0.06};
	const certificate = (await store.read()).certificates.find(record => record.userId === userId);
	if (!certificate) throw new Error(`no certificate for ${userId}`);
	const records = demoSignatureHistory(userId, {...shape, signatures: Number(countText)}, new Date(), certificate.certificateSerial);
	await new SignatureLog(directory!).replace(userId, records);
	const success = records.filter(record => record.outcome === 'success').length;
	process.stdout.write(JSON.stringify({total: records.length, success, failure: records.length - success}) + '\n');
} else if (command === 'holders') {
	const count = Number(rest[0]);
	const files = new DataFiles(directory!);
	const taken = files.holderIds();
	const text = readFileSync(files.holderFile(taken[0]!), 'utf8');
	/*
	 * Written directly, without the store's fsync per document (bench data is thrown away at the
	 * end of the run): through Store.update, 100 000 documents would take minutes. Each is the
	 * template's document with its userID, contacts and records' userIDs changed, and a
	 * certificate of its own (id, IUT); the demo template has no sessions, challenges or queued
	 * entries, but any would be renamed too (the store refuses a document with another's records).
	 */
	const writeClone = (userId: string, number: number) => {
		const document = JSON.parse(text) as HolderDocument;
		const from = document.holder.userId;
		const email = `holder${number}@example.it`;
		const phone = `+39347${String(number).padStart(7, '0')}`;
		document.holder = {...document.holder, userId, email, phone};
		for (const name of ['certificates', 'challenges', 'renewals', 'raoApprovals', 'pinChanges', 'sessions', 'accessLog', 'notices'] as const) {
			for (const record of document[name] as {userId: string | null}[]) record.userId = userId;
		}
		for (const [index, certificate] of document.certificates.entries()) {
			const id = randomUUID();
			if (document.firstState?.certificateId === certificate.id) document.firstState.certificateId = id;
			document.certificates[index] = {...certificate, id, iut: String(30_000_000 + number * 10 + index)};
		}
		if (document.firstState) document.firstState = {...document.firstState, email, phone};
		document.loginThrottle = Object.fromEntries(Object.entries(document.loginThrottle).map(([key, value]) => [key.replace(from, userId), value]));
		writeFileSync(files.holderFile(userId), JSON.stringify(document, null, '\t') + '\n', {mode: 0o600});
	};
	const seen = new Set(taken);
	for (let number = 0, holders = seen.size; holders < count; number++) {
		// 6 digits: never one of the demo's 4-digit userIDs.
		const userId = `JCPD${String(number).padStart(6, '0')}`;
		if (seen.has(userId)) continue;
		writeClone(userId, number);
		holders++;
	}
	// The store reads and validates every document (and writes its check stamp): the folder opens.
	const holders = await store.update(db => db.holders.length);
	process.stdout.write(JSON.stringify({holders}) + '\n');
} else {
	throw new Error(`unknown command ${command}`);
}
