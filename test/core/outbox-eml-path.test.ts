import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {Outbox} from '../../source/core/notify/outbox.js';
import {temporaryDirectory} from '../helpers/portal.js';

/*
 * An outbox record names its .eml; in a group's folder anyone of the group can write a record,
 * so the name is taken only when it is the record's own file: never a path out of outbox/.
 */

describe('Outbox.emlPath', () => {
	it('is the record’s own <id>.email.eml, and nothing a record names elsewhere', async () => {
		const folder = temporaryDirectory();
		const outbox = new Outbox(folder.path);
		mkdirSync(outbox.directory);
		const record = (id: number, eml: string) => writeFileSync(join(outbox.directory, `${String(id).padStart(8, '0')}.email.json`), JSON.stringify({id, kind: 'email', userId: 'JCPD7173', to: 'a@b.it', at: '2026-01-01T00:00:00.000Z', subject: 's', text: 't', eml}));
		record(1, '00000001.email.eml');
		record(2, '../db.json');
		record(3, '/etc/passwd');
		record(4, '00000001.email.eml');
		const paths = await Promise.all((await outbox.list()).map(message => outbox.emlPath(message)));
		expect(paths).toEqual([join(outbox.directory, '00000001.email.eml'), undefined, undefined, undefined]);
		folder.remove();
	});
});
