import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {isDomainError} from '../../source/core/errors.js';
import {composeEmail} from '../../source/core/notify/email.js';
import {Outbox} from '../../source/core/notify/outbox.js';
import {describeError, translator} from '../../source/ui/i18n/index.js';
import {demoPortal, temporaryDirectory} from '../helpers/portal.js';

/*
 * "A partial failure says exactly what was done": `outbox save` of an e-mail whose second
 * attachment cannot be written (a file of that name is already there) names the file it did
 * save, the one it did not and why, and how many after it were not tried; nothing is overwritten.
 */

let cleanup: (() => void)[] = [];
afterEach(() => {
	for (const remove of cleanup) remove();
	cleanup = [];
});

describe('saving an e-mail’s attachments', () => {
	it('stops at the first one it cannot write, keeping and naming the ones saved before it', async () => {
		const {portal, directory, remove} = await demoPortal();
		cleanup.push(remove);
		const attachments = ['uno.txt', 'due.txt', 'tre.txt'].map(filename => ({filename, content: Buffer.from(`contenuto di ${filename}\n`), contentType: 'text/plain'}));
		const eml = await composeEmail({from: 'a@b.it', to: 'c@d.it', subject: 'Tre allegati', text: 'testo', date: new Date(), attachments});
		// A message id far beyond the demo's: another process's message, as a shared folder's outbox may hold.
		const id = 9000;
		await new Outbox(directory).deliverEmail({id, kind: 'email', userId: null, to: 'c@d.it', at: new Date().toISOString(), subject: 'Tre allegati', text: 'testo', attachments: attachments.map(entry => entry.filename)}, eml);

		const target = temporaryDirectory();
		cleanup.push(target.remove);
		mkdirSync(target.path, {recursive: true});
		writeFileSync(join(target.path, 'due.txt'), 'già qui\n');
		const error = await portal.mailbox.saveAttachments(id, target.path).then(
			() => undefined,
			(caught: unknown) => caught,
		);
		expect(isDomainError(error, 'outbox.savedPartly'), String(error)).toBe(true);
		expect(isDomainError(error) && error.params).toEqual({saved: join(target.path, 'uno.txt'), path: join(target.path, 'due.txt'), reason: 'EEXIST', left: 1});
		expect(describeError(translator('it'), error)).toBe(`Salvati solo ${join(target.path, 'uno.txt')}. Non salvato ${join(target.path, 'due.txt')} (EEXIST); 1 altro allegato non è stato salvato: risolvi e ripeti in un’altra cartella.`);
		expect(readFileSync(join(target.path, 'uno.txt'), 'utf8')).toBe('contenuto di uno.txt\n');
		expect(readFileSync(join(target.path, 'due.txt'), 'utf8')).toBe('già qui\n');
		expect(existsSync(join(target.path, 'tre.txt'))).toBe(false);
	});
});
