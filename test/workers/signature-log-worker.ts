/*
 * A separate process appending to one holder's signature log: `count` appends of a PAIR of
 * records ("<tag>-<n>-a.pdf", "<tag>-<n>-b.pdf"), printing "ok <n>" after each append returned.
 */
import {SignatureLog} from '../../source/core/history/signature-log.js';

const [directory, userId, tag, countText] = process.argv.slice(2);
const log = new SignatureLog(directory!);
const record = (name: string) => ({
	at: new Date().toISOString(),
	document: name,
	sha256: null,
	size: 1,
	outcome: 'success' as const,
	reason: null,
	channel: 'sms' as const,
	certificateSerial: null,
});
for (let index = 0; index < Number(countText); index++) {
	await log.append(userId!, [record(`${tag}-${index}-a.pdf`), record(`${tag}-${index}-b.pdf`)]);
	process.stdout.write(`ok ${index}\n`);
}
