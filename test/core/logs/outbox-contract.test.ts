import {lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import type {OutboxMessage} from '../../../source/core/notify/outbox.js';
import {outboxOf} from '../../../source/core/store/postgres/logs.js';
import {GIULIA, MARIO, temporaryDirectory} from '../../helpers/holders.js';
import {LOG_KINDS, logPlaces} from '../../helpers/log-kinds.js';

/*
 * The outbox's contract, the same for a folder's files and a PostgreSQL database (see
 * notify/outbox.ts and store/postgres/outbox.ts): messages listed in number order through the
 * filters, invalid records skipped, an e-mail's .eml read from a file of its own (0600, never
 * through a link), the room reset's restart and a new room's clear.
 */

const at = '2026-11-20T09:00:00.000Z';
const sms = (id: number, userId: string | null = MARIO.userId): OutboxMessage => ({id, kind: 'sms', userId, to: '+39 333 000 0000', at, text: `SMS ${id}`});
const email = (id: number, userId: string | null = GIULIA.userId): OutboxMessage => ({id, kind: 'email', userId, to: 'giulia@example.it', at, subject: `Oggetto ${id}`, text: `Testo ${id}`, attachments: ['a.pdf']});
const emlOf = (id: number) => Buffer.from(`From: InfoCert <noreply@mysign.local>\r\nSubject: ${id}\r\n\r\nbody ${id}\r\n`);
const own = (id: number) => `${String(id).padStart(8, '0')}.email.eml`;

const openPlace = logPlaces();
const cleanups: (() => void)[] = [];
afterEach(() => {
	while (cleanups.length > 0) cleanups.pop()!();
});

describe.each(LOG_KINDS)('the outbox ($name)', kind => {
	const open = async () => {
		const place = await openPlace(kind);
		return {place, outbox: outboxOf(place.directory, place.url)};
	};

	it.skipIf(!kind.available)('lists messages in number order, through the holder and kind filters', async () => {
		const {outbox} = await open();
		await outbox.deliver(sms(3, null));
		await outbox.deliverEmail(email(2), emlOf(2));
		await outbox.deliver(sms(1));
		await outbox.deliver(sms(4, GIULIA.userId));
		expect((await outbox.list()).map(message => message.id)).toEqual([1, 2, 3, 4]);
		expect(await outbox.list({userId: MARIO.userId})).toEqual([sms(1)]);
		expect(await outbox.list({kind: 'email'})).toEqual([{...email(2), eml: own(2)}]);
		expect((await outbox.list({userId: GIULIA.userId, kind: 'sms'})).map(message => message.id)).toEqual([4]);
		expect(await outbox.list({userId: 'JCPD0000'})).toEqual([]);
		expect(await outbox.delivered(sms(1))).toBe(true);
		expect(await outbox.delivered({id: 1, kind: 'email'})).toBe(false);
		expect(await outbox.delivered(sms(9))).toBe(false);
	});

	it.skipIf(!kind.available)('a number delivered again is the new message only (a sender killed before its commit left the old one)', async () => {
		const {outbox} = await open();
		await outbox.deliverEmail(email(5), emlOf(5));
		await outbox.deliver(sms(5));
		expect(await outbox.list()).toEqual([sms(5)]);
		expect(await outbox.hasEml({...email(5), eml: own(5)})).toBe(false);
	});

	it.skipIf(!kind.available)('skips records that are not valid messages', async () => {
		const {place, outbox} = await open();
		await outbox.deliver(sms(1));
		await place.plantOutbox(2, 'sms', '{"id":2,"kind":"sms","userId":nu');
		await place.plantOutbox(3, 'sms', JSON.stringify({...sms(3), kind: 'fax'}));
		await place.plantOutbox(4, 'email', JSON.stringify({...email(4), to: 42}));
		await outbox.deliver(sms(5));
		expect((await outbox.list()).map(message => message.id)).toEqual([1, 5]);
	});

	it.skipIf(!kind.available)('gives an e-mail’s own .eml as a file of the outbox folder (0600), nothing a record names elsewhere', async () => {
		const {place, outbox} = await open();
		await outbox.deliverEmail(email(7), emlOf(7));
		await outbox.deliver(sms(8));
		const [message] = await outbox.list({kind: 'email'});
		expect(await outbox.hasEml(message!)).toBe(true);
		const path = await outbox.emlPath(message!);
		expect(path).toBe(join(place.directory, 'outbox', own(7)));
		expect(readFileSync(path!)).toEqual(emlOf(7));
		expect(statSync(path!).mode & 0o777).toBe(0o600);
		expect(statSync(join(place.directory, 'outbox')).mode & 0o777).toBe(0o700);
		// Asked again: the same file.
		expect(await outbox.emlPath(message!)).toBe(path);
		expect(await outbox.emlPath(sms(8))).toBeUndefined();
		for (const elsewhere of ['../db.json', '/etc/passwd', own(8)]) {
			expect(await outbox.emlPath({...message!, eml: elsewhere})).toBeUndefined();
			expect(await outbox.hasEml({...message!, eml: elsewhere})).toBe(false);
		}
		// A number with no e-mail: no file.
		expect(await outbox.hasEml({...email(9), eml: own(9)})).toBe(false);
	});

	it.skipIf(!kind.available)('restarts with only the kept e-mails under their new numbers (the room reset), or with nothing (a new room)', async () => {
		const {outbox} = await open();
		await outbox.deliver(sms(1));
		await outbox.deliverEmail(email(2), emlOf(2));
		await outbox.deliverEmail(email(3, MARIO.userId), emlOf(3));
		const [kept] = await outbox.list({kind: 'email', userId: GIULIA.userId});
		await outbox.restart([{original: kept!, renumbered: {...email(4), at: '2026-11-21T09:00:00.000Z'}}], 4);
		const messages = await outbox.list();
		expect(messages).toEqual([{...email(4), at: '2026-11-21T09:00:00.000Z', eml: own(4)}]);
		expect(readFileSync((await outbox.emlPath(messages[0]!))!)).toEqual(emlOf(2));
		expect(await outbox.delivered(email(2))).toBe(false);
		await outbox.deliver(sms(5));
		await outbox.clear();
		expect(await outbox.list()).toEqual([]);
		expect(await outbox.delivered(sms(5))).toBe(false);
	});

	it.skipIf(!kind.available)('describes where a message is kept without the database’s password', async () => {
		const {place, outbox} = await open();
		const said = outbox.describe(sms(12));
		expect(said).toContain('12');
		if (place.url) {
			const withPassword = new URL(place.url);
			withPassword.password = 'segreto';
			expect(outboxOf(place.directory, withPassword.toString()).describe(sms(12))).not.toContain('segreto');
		} else expect(said).toBe(join(place.directory, 'outbox', '00000012.sms.json'));
	});
});

describe.skipIf(!LOG_KINDS[1]!.available)('the outbox in PostgreSQL, writing an .eml on demand', () => {
	const open = async () => {
		const place = await openPlace(LOG_KINDS[1]!);
		const outbox = outboxOf(place.directory, place.url);
		await outbox.deliverEmail(email(7), emlOf(7));
		const [message] = await outbox.list();
		return {place, outbox, message: message!, folder: join(place.directory, 'outbox')};
	};

	it('replaces a link planted at the file, never writing through it', async () => {
		const {place, outbox, message, folder} = await open();
		const victim = join(place.directory, 'victim.txt');
		writeFileSync(victim, 'do not touch\n');
		mkdirSync(folder, {mode: 0o700});
		symlinkSync(victim, join(folder, own(7)));
		const path = await outbox.emlPath(message);
		expect(readFileSync(victim, 'utf8')).toBe('do not touch\n');
		expect(lstatSync(path!).isFile()).toBe(true);
		expect(readFileSync(path!)).toEqual(emlOf(7));
		expect(statSync(path!).mode & 0o777).toBe(0o600);
	});

	it('refuses a link put in place of the outbox folder', async () => {
		const {outbox, message, folder} = await open();
		const victim = temporaryDirectory();
		cleanups.push(victim.remove);
		symlinkSync(victim.path, folder);
		await expect(outbox.emlPath(message)).rejects.toMatchObject({code: 'file.notDirectory'});
		expect(readdirSync(victim.path)).toEqual([]);
		// A restart or clear deletes nothing through it either.
		writeFileSync(join(victim.path, own(7)), 'keep me\n');
		await outbox.clear();
		expect(readdirSync(victim.path)).toEqual([own(7)]);
	});

	it('writes the file again when it no longer holds the message (changed, or another mode)', async () => {
		const {outbox, message, folder} = await open();
		const path = (await outbox.emlPath(message))!;
		writeFileSync(path, 'altered');
		expect(readFileSync((await outbox.emlPath(message))!)).toEqual(emlOf(7));
		renameSync(path, `${path}.old`);
		writeFileSync(path, emlOf(7), {mode: 0o644});
		await outbox.emlPath(message);
		expect(statSync(path).mode & 0o777).toBe(0o600);
		expect(readdirSync(folder).sort()).toEqual([own(7), `${own(7)}.old`]);
	});

	it('skips a row whose record is of another number or kind', async () => {
		const {place, outbox} = await open();
		await place.plantOutbox(8, 'sms', JSON.stringify(sms(9)));
		await place.plantOutbox(10, 'email', JSON.stringify({...email(10), kind: 'sms'}));
		expect((await outbox.list()).map(entry => entry.id)).toEqual([7]);
	});
});
