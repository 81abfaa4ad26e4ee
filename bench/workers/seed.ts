/*
 * Prepares bench data folders with the project's own code, so the records are exactly what the
 * portal writes and reads:
 *   history DIR USERID COUNT   replaces the holder's signature log with COUNT demo signatures
 *                              spread like the seed's (its days and failure rate); prints the
 *                              counts per outcome as JSON
 *   holders DIR COUNT          grows the database to COUNT holders, cloning the first demo holder
 *                              (and certificate) under new userIDs; the store validates the result
 */
import {randomUUID} from 'node:crypto';
import {demoSignatureHistory, readSeed} from '../../source/core/demo/demo.js';
import {SignatureLog} from '../../source/core/history/signature-log.js';
import {seedFile} from '../../source/core/paths.js';
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
	await store.update(db => {
		const template = db.holders[0]!;
		const certificate = db.certificates.find(record => record.userId === template.userId)!;
		const taken = new Set(db.holders.map(holder => holder.userId));
		for (let number = 0; db.holders.length < count; number++) {
			const userId = `JCPD${String(number).padStart(4, '0')}`;
			if (taken.has(userId)) continue;
			db.holders.push({...structuredClone(template), userId, email: `holder${number}@example.it`, phone: `+39347${String(number).padStart(7, '0')}`});
			db.certificates.push({...structuredClone(certificate), id: randomUUID(), userId, iut: String(30_000_000 + number)});
		}
	});
	process.stdout.write(JSON.stringify({holders: (await store.read()).holders.length}) + '\n');
} else {
	throw new Error(`unknown command ${command}`);
}
