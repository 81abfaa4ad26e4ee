import {appendFileSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, expect, it} from 'vitest';
import type {AccessEntry} from '../../../source/core/store/schema.js';
import {copyFolderLogs} from '../../../source/core/store/postgres/copy-logs.js';
import {accessLogOf, outboxOf, signatureLogOf} from '../../../source/core/store/postgres/logs.js';
import {GIULIA, MARIO, temporaryDirectory} from '../../helpers/holders.js';
import {describePostgres, freshDatabase} from '../../helpers/postgres.js';

/*
 * `admin migrate`'s copy of a folder's logs into PostgreSQL (store/postgres/copy-logs.ts): the
 * database's classes then read what the folder's read, .eml bytes included; a second attempt
 * replaces the first's rows instead of doubling them.
 */

const removals: (() => Promise<void> | void)[] = [];
afterEach(async () => {
	while (removals.length > 0) await removals.pop()!();
});

const entry = (id: number, userId: string | null): AccessEntry => ({id, at: new Date(Date.UTC(2026, 10, 20, 9, 0, id)).toISOString(), userId, outcome: 'wrong-password', terminal: 'tty1'});
const record = (second: number) => ({at: new Date(Date.UTC(2026, 10, 20, 9, 0, second)).toISOString(), document: `d${second}.pdf`, sha256: null, size: 1, outcome: 'success', reason: null, channel: 'sms', certificateSerial: 'ab'}) as const;

describePostgres('copying a folder’s logs into PostgreSQL', () => {
	it('gives the database’s logs what the folder’s held, and never doubles them', async () => {
		const folder = temporaryDirectory();
		removals.push(folder.remove);
		const database = await freshDatabase();
		removals.push(database.drop);
		const [outbox, access, signatures] = [outboxOf(folder.path, undefined), accessLogOf(folder.path, undefined), signatureLogOf(folder.path, undefined)];
		await outbox.deliver({id: 1, kind: 'sms', userId: MARIO.userId, to: '+39 333', at: '2026-11-20T09:00:00.000Z', text: 'codice'});
		await outbox.deliverEmail({id: 2, kind: 'email', userId: GIULIA.userId, to: 'g@example.it', at: '2026-11-20T09:00:00.000Z', subject: 'Busta', text: 'vedi', attachments: ['a.pdf']}, Buffer.from('Subject: Busta\r\n\r\ncorpo\r\n'));
		await access.append([entry(1, MARIO.userId), entry(2, MARIO.userId), entry(1, GIULIA.userId), entry(3, null)]);
		await signatures.append(MARIO.userId, [record(1), record(2)]);
		appendFileSync(join(folder.path, 'signatures', `${MARIO.userId}.jsonl`), '{"torn\n');
		await signatures.append(GIULIA.userId, [record(3)]);

		for (let attempt = 0; attempt < 2; attempt++) expect(await copyFolderLogs(folder.path, database.url)).toEqual({messages: 2, accessEntries: 4, signatures: 3});

		const [copiedOutbox, copiedAccess, copiedSignatures] = [outboxOf(folder.path, database.url), accessLogOf(folder.path, database.url), signatureLogOf(folder.path, database.url)];
		const messages = await copiedOutbox.list();
		expect(messages).toEqual(await outbox.list());
		// The .eml written from the row is the folder's own (both at <data>/outbox/00000002.email.eml).
		const eml = readFileSync((await outbox.emlPath(messages[1]!))!);
		expect(readFileSync((await copiedOutbox.emlPath(messages[1]!))!)).toEqual(eml);
		for (const userId of [MARIO.userId, GIULIA.userId]) {
			const [copied, original] = [await copiedAccess.read(userId), await access.read(userId)];
			expect([copied.entries, copied.times]).toEqual([original.entries, original.times]);
			expect((await copiedSignatures.read(userId)).records).toEqual((await signatures.read(userId)).records);
		}
		expect(await copiedAccess.readUnknown()).toEqual([entry(3, null)]);
		expect(await copiedSignatures.count(MARIO.userId)).toBe(2);
	});
});
