import {execFileSync} from 'node:child_process';
import {chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {DomainError} from '../../../source/core/errors.js';
import {SignatureLog, type SignatureRecord} from '../../../source/core/history/signature-log.js';
import {loadOrCreateKey} from '../../../source/core/keys.js';
import {Outbox} from '../../../source/core/notify/outbox.js';
import {writeFileAtomic} from '../../../source/core/store/atomic-write.js';
import {readCheckedStamp, setProgramIdentity} from '../../../source/core/store/checked-stamp.js';
import {ensureRealDirectory, folderModes, readRegularFileSync} from '../../../source/core/store/safe-file.js';
import {Store} from '../../../source/core/store/store.js';
import {demoFolderCopies} from '../../helpers/demo-template.js';
import {holderFile, holdersFolder, recordBytes} from '../../helpers/data-folder.js';
import {temporaryDirectory} from '../../helpers/portal.js';

/*
 * Every file mysign opens in the data folder: never through a planted symlink, never a FIFO or
 * a device, bounded reads, refused naming the path with nothing changed (issue 17, item 1); and
 * the modes of a private and of a group-shared folder (item 5).
 */

const demoFolder = demoFolderCopies();
const cleanups: (() => void)[] = [];
afterEach(() => {
	setProgramIdentity(undefined);
	while (cleanups.length > 0) cleanups.pop()!();
});

function scratch(): string {
	const folder = temporaryDirectory();
	cleanups.push(folder.remove);
	return folder.path;
}

/** A file outside the data folder that a planted link points at, and its bytes. */
function victim(folder: string, name = 'victim.txt'): {file: string; bytes: Buffer} {
	const file = join(folder, name);
	writeFileSync(file, `precious ${name}\n`);
	return {file, bytes: readFileSync(file)};
}

async function refusal(promise: Promise<unknown>, code: string, file: string, withinMs = 1000): Promise<void> {
	const started = performance.now();
	const caught = await promise.then(
		() => undefined,
		(error: unknown) => error,
	);
	expect(performance.now() - started).toBeLessThan(withinMs);
	expect(caught).toBeInstanceOf(DomainError);
	expect((caught as DomainError).code).toBe(code);
	expect((caught as DomainError).params['file']).toBe(file);
}

const RECORD: SignatureRecord = {at: '2026-11-24T10:00:00.000Z', document: 'a.txt', sha256: null, size: null, outcome: 'success', reason: null, channel: 'sms', certificateSerial: null};

describe('a planted symlink is never followed', () => {
	it('db.json.checked → victim: a store write leaves the victim byte-identical and the link in place', async () => {
		const data = await demoFolder();
		const outside = victim(scratch());
		const stamp = join(data, 'db.json.checked');
		rmSync(stamp, {force: true});
		symlinkSync(outside.file, stamp);
		setProgramIdentity(import.meta.filename);
		await new Store(data).update(db => {
			db.settings.loginMaxAttempts = 4;
		});
		expect(readFileSync(outside.file)).toEqual(outside.bytes);
		expect(lstatSync(stamp).isSymbolicLink()).toBe(true);
		expect(readCheckedStamp(data)).toBeUndefined();
	});

	it('db.lock → elsewhere: the operation is refused naming db.lock, and elsewhere is not created', async () => {
		const data = await demoFolder();
		const elsewhere = join(scratch(), 'elsewhere');
		unlinkSync(join(data, 'db.lock'));
		symlinkSync(elsewhere, join(data, 'db.lock'));
		const before = recordBytes(data);
		await refusal(new Store(data).update(() => undefined), 'file.symlink', join(data, 'db.lock'));
		expect(existsSync(elsewhere)).toBe(false);
		expect(recordBytes(data)).toEqual(before);
	});

	it('db.json → a file elsewhere: reads and updates are refused, the target untouched', async () => {
		const data = await demoFolder();
		const outside = join(scratch(), 'db.json');
		writeFileSync(outside, readFileSync(join(data, 'db.json')));
		const bytes = readFileSync(outside);
		unlinkSync(join(data, 'db.json'));
		symlinkSync(outside, join(data, 'db.json'));
		await refusal(new Store(data).read(), 'file.symlink', join(data, 'db.json'));
		await refusal(new Store(data).update(() => undefined), 'file.symlink', join(data, 'db.json'));
		expect(readFileSync(outside)).toEqual(bytes);
	});

	it('holders/JCPD5590.json → victim: reads and updates, whole or scoped to the holder, are refused naming it, the victim untouched', async () => {
		const data = await demoFolder();
		const outside = victim(scratch(), 'JCPD5590.json');
		const document = holderFile(data, 'JCPD5590');
		writeFileSync(outside.file, readFileSync(document));
		const bytes = readFileSync(outside.file);
		unlinkSync(document);
		symlinkSync(outside.file, document);
		const before = recordBytes(data);
		await refusal(new Store(data).read(), 'file.symlink', document);
		await refusal(new Store(data).read('JCPD5590'), 'file.symlink', document);
		await refusal(new Store(data).update(db => void (db.settings.loginMaxAttempts = 4)), 'file.symlink', document);
		await refusal(new Store(data).update(db => void (db.holders[0]!.pinFailures = 1), 'JCPD5590'), 'file.symlink', document);
		expect(readFileSync(outside.file)).toEqual(bytes);
		expect(lstatSync(document).isSymbolicLink()).toBe(true);
		expect(recordBytes(data)).toEqual(before);
	});

	it('holders/ → another folder: reads and updates are refused naming it, and nothing is written there', async () => {
		const data = await demoFolder();
		const elsewhere = scratch();
		execFileSync('cp', ['-a', `${holdersFolder(data)}/.`, elsewhere]);
		const inside = readdirSync(elsewhere).sort();
		execFileSync('rm', ['-rf', holdersFolder(data)]);
		symlinkSync(elsewhere, holdersFolder(data));
		const db = readFileSync(join(data, 'db.json'));
		await refusal(new Store(data).read(), 'file.notDirectory', holdersFolder(data));
		await refusal(new Store(data).read('JCPD5590'), 'file.notDirectory', holdersFolder(data));
		await refusal(new Store(data).update(db => void (db.settings.loginMaxAttempts = 4)), 'file.notDirectory', holdersFolder(data));
		await refusal(new Store(data).update(db => void (db.holders[0]!.pinFailures = 1), 'JCPD5590'), 'file.notDirectory', holdersFolder(data));
		expect(readdirSync(elsewhere).sort()).toEqual(inside);
		expect(readFileSync(join(data, 'db.json'))).toEqual(db);
	});

	it('signatures/JCPD5590.jsonl → victim2: an append is refused and adds no line', async () => {
		const data = await demoFolder();
		const outside = victim(scratch(), 'victim2.txt');
		const log = join(data, 'signatures', 'JCPD5590.jsonl');
		unlinkSync(log);
		symlinkSync(outside.file, log);
		await refusal(new SignatureLog(data).append('JCPD5590', [RECORD]), 'file.symlink', log);
		await refusal(new SignatureLog(data).view('JCPD5590'), 'file.symlink', log);
		expect(readFileSync(outside.file)).toEqual(outside.bytes);
	});

	it('a sub-folder replaced by a link to another folder is refused: nothing is written there', async () => {
		const data = await demoFolder();
		const elsewhere = scratch();
		execFileSync('rm', ['-rf', join(data, 'signatures'), join(data, 'outbox')]);
		symlinkSync(elsewhere, join(data, 'signatures'));
		symlinkSync(elsewhere, join(data, 'outbox'));
		await refusal(new SignatureLog(data).append('JCPD5590', [RECORD]), 'file.notDirectory', join(data, 'signatures'));
		await refusal(new Outbox(data).list(), 'file.notDirectory', join(data, 'outbox'));
		expect(readdirSync(elsewhere)).toEqual([]);
	});

	it('a key file that is a link (even to a 0600 file) is refused', async () => {
		const data = scratch();
		const outside = join(scratch(), 'pepper.key');
		writeFileSync(outside, Buffer.alloc(32, 7).toString('base64') + '\n', {mode: 0o600});
		mkdirSync(join(data, 'keys'), {mode: 0o700});
		symlinkSync(outside, join(data, 'keys', 'pepper.key'));
		await refusal(loadOrCreateKey(data, 'pepper'), 'file.symlink', join(data, 'keys', 'pepper.key'));
	});
});

describe('special files are refused at once, reads are bounded', () => {
	it('db.json as a FIFO: read and update are refused within a second, naming it', async () => {
		const data = await demoFolder();
		unlinkSync(join(data, 'db.json'));
		execFileSync('mkfifo', [join(data, 'db.json')]);
		await refusal(new Store(data).read(), 'file.notRegular', join(data, 'db.json'));
		await refusal(new Store(data).update(() => undefined), 'file.notRegular', join(data, 'db.json'));
	});

	it('a holder document as a FIFO: read and update, whole or scoped, are refused within a second, naming it', async () => {
		const data = await demoFolder();
		const document = holderFile(data, 'JCPD5590');
		unlinkSync(document);
		execFileSync('mkfifo', [document]);
		await refusal(new Store(data).read(), 'file.notRegular', document);
		await refusal(new Store(data).read('JCPD5590'), 'file.notRegular', document);
		await refusal(new Store(data).update(() => undefined), 'file.notRegular', document);
		await refusal(new Store(data).update(() => undefined, 'JCPD5590'), 'file.notRegular', document);
	});

	it('db.json.checked → /dev/zero or a FIFO: the stamp is not believed, and not read beyond its bound', async () => {
		const data = await demoFolder();
		setProgramIdentity(import.meta.filename);
		const stamp = join(data, 'db.json.checked');
		for (const make of [() => symlinkSync('/dev/zero', stamp), () => execFileSync('mkfifo', [stamp])]) {
			rmSync(stamp, {force: true});
			make();
			const started = performance.now();
			expect(readCheckedStamp(data)).toBeUndefined();
			expect(performance.now() - started).toBeLessThan(1000);
		}
	});

	it('a key linked to /dev/zero is refused, not read', async () => {
		const data = scratch();
		mkdirSync(join(data, 'keys'), {mode: 0o700});
		symlinkSync('/dev/zero', join(data, 'keys', 'totp.key'));
		await refusal(loadOrCreateKey(data, 'totp'), 'file.symlink', join(data, 'keys', 'totp.key'));
	});

	it('a regular file above the bound is refused without reading it', () => {
		const file = join(scratch(), 'big');
		writeFileSync(file, Buffer.alloc(5000));
		expect(readRegularFileSync(file, 5000)).toHaveLength(5000);
		expect(() => readRegularFileSync(file, 4096)).toThrow(expect.objectContaining({code: 'file.tooLarge'}));
	});

	it('a folder where a file is expected, and a file where a folder is expected, are refused', async () => {
		const data = await demoFolder();
		const stamp = join(data, 'db.json.checked');
		rmSync(stamp, {force: true});
		mkdirSync(stamp);
		expect(() => readRegularFileSync(stamp, 4096)).toThrow(expect.objectContaining({code: 'file.notRegular'}));
		writeFileSync(join(data, 'plain'), 'x');
		expect(() => ensureRealDirectory(join(data, 'plain'))).toThrow(expect.objectContaining({code: 'file.notDirectory'}));
	});
});

describe('modes', () => {
	it('a private folder: files 0600, keys 0600, sub-folders 0700, whatever the umask', async () => {
		const data = scratch();
		chmodSync(data, 0o700);
		const previous = process.umask(0);
		try {
			await loadOrCreateKey(data, 'pepper');
			await writeFileAtomic(join(data, 'file.json'), '{}');
			ensureRealDirectory(join(data, 'sub'));
		} finally {
			process.umask(previous);
		}
		expect(folderModes(data).shared).toBe(false);
		expect(statSync(join(data, 'keys', 'pepper.key')).mode & 0o7777).toBe(0o600);
		expect(statSync(join(data, 'file.json')).mode & 0o7777).toBe(0o600);
		expect(statSync(join(data, 'sub')).mode & 0o7777).toBe(0o700);
	});

	it('a set-group-id, group-writable folder: files 0660, keys 0640, sub-folders 2770, even under umask 077', async () => {
		const data = scratch();
		chmodSync(data, 0o2770);
		const previous = process.umask(0o077);
		try {
			await loadOrCreateKey(data, 'pepper');
			await writeFileAtomic(join(data, 'file.json'), '{}');
			ensureRealDirectory(join(data, 'sub'));
			await new SignatureLog(data).append('JCPD7173', [RECORD]);
		} finally {
			process.umask(previous);
		}
		expect(folderModes(data).shared).toBe(true);
		expect(statSync(join(data, 'keys')).mode & 0o7777).toBe(0o2770);
		expect(statSync(join(data, 'keys', 'pepper.key')).mode & 0o7777).toBe(0o640);
		expect(statSync(join(data, 'file.json')).mode & 0o7777).toBe(0o660);
		expect(statSync(join(data, 'sub')).mode & 0o7777).toBe(0o2770);
		expect(statSync(join(data, 'signatures', 'JCPD7173.jsonl')).mode & 0o7777).toBe(0o660);
		expect(statSync(join(data, 'signatures', 'JCPD7173.jsonl.lock')).mode & 0o7777).toBe(0o660);
	});

	it('a key file others may read is refused with the chmod that fixes it; after it, the key loads', async () => {
		const data = scratch();
		chmodSync(data, 0o700);
		const key = await loadOrCreateKey(data, 'pepper');
		const file = join(data, 'keys', 'pepper.key');
		chmodSync(file, 0o644);
		const caught = await loadOrCreateKey(data, 'pepper').catch((error: unknown) => error);
		expect(caught).toMatchObject({code: 'file.secretExposed', params: {file, mode: '0644', command: `chmod 600 ${file}`}});
		// In a private folder the group may not read it either.
		chmodSync(file, 0o640);
		await expect(loadOrCreateKey(data, 'pepper')).rejects.toMatchObject({code: 'file.secretExposed'});
		execFileSync('sh', ['-c', (caught as DomainError).params['command'] as string]);
		expect(await loadOrCreateKey(data, 'pepper')).toEqual(key);
	});

	it('in a shared folder the group may read a key, others may not (chmod 640)', async () => {
		const data = scratch();
		chmodSync(data, 0o2770);
		await loadOrCreateKey(data, 'pepper');
		const file = join(data, 'keys', 'pepper.key');
		chmodSync(file, 0o660);
		await expect(loadOrCreateKey(data, 'pepper')).resolves.toHaveLength(32);
		chmodSync(file, 0o664);
		await expect(loadOrCreateKey(data, 'pepper')).rejects.toMatchObject({code: 'file.secretExposed', params: {command: `chmod 640 ${file}`}});
	});
});
