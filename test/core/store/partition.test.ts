import {execFileSync} from 'node:child_process';
import {chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {findHolder, identifiedScope} from '../../../source/core/auth/login.js';
import {nextSequence, type Database} from '../../../source/core/store/schema.js';
import {NO_HOLDER, Store} from '../../../source/core/store/store.js';
import {A, B, EMAIL, expectRefusal, folders, holder, holderPath, killedCommit, readJson, rejection, renamedHolder, serialise, session, sha256, tree, twoHolders} from './partition-fixture.js';

/*
 * The partitioned data folder (issue 22) against someone who can write into it: each file the
 * store reads there is a regular file, read never through a link, each holder document only its
 * own holder's; a broken one is refused naming it with nothing changed (db.json, holders/,
 * anything outside the folder).
 */

const {partitioned, path} = folders();

/** Expects both a lock-free read and a locked write to refuse with `code` naming `file`, every byte of `roots` unchanged. */
async function expectRefused(store: Store, code: string, file: string, roots: readonly string[] = [store.directory]): Promise<void> {
	const before = roots.map(root => tree(root));
	expectRefusal(await rejection(store.read()), code, file);
	expectRefusal(await rejection(store.update(db => void (db.sequences['touched'] = 1))), code, file);
	// A scoped operation on the other holder reads db.json and its own document: refused when the broken file is one of those.
	expect(roots.map(root => tree(root))).toEqual(before);
}

describe('the commit record in db.json', () => {
	it.each([
		['a file outside holders/', {file: '../db.lock', temporary: '../db.lock.1.000000000001.tmp'}],
		['db.lock', {file: 'db.lock', temporary: 'db.lock.1.000000000001.tmp'}],
		['a key in pki/', {file: '../pki/ca.key', temporary: 'x.1.000000000001.tmp'}],
		['a path with a folder', {file: `sub/${A}.json`, temporary: `sub/${A}.json.1.000000000001.tmp`}],
		['a temp outside holders/', {file: `${A}.json`, temporary: `../${A}.json.1.000000000001.tmp`}],
		['another holder\'s document as the temp', {file: `${A}.json`, temporary: `${B}.json`}],
		['another holder\'s temp', {file: `${A}.json`, temporary: `${B}.json.1.000000000001.tmp`}],
		['the target itself as the temp', {file: `${A}.json`, temporary: `${A}.json`}],
	])('naming %s is refused as invalid, naming db.json, nothing moved', async (_what, entry) => {
		const store = await partitioned();
		writeFileSync(join(store.directory, 'holders', `${B}.json.1.000000000001.tmp`), readFileSync(holderPath(store, B)));
		const top = readJson(store.file);
		writeFileSync(store.file, serialise({...top, commit: [{...entry, sha256: sha256(readFileSync(holderPath(store, B)))}]}));
		await expectRefused(store, 'store.invalid', store.file);
	});

	it('a committed temp that is a symlink is refused, never followed nor renamed', async () => {
		const store = await partitioned();
		const outside = join(path(), 'outside.json');
		const text = renamedHolder(store, A, 'Eve');
		writeFileSync(outside, text);
		const {[`${A}.json`]: temporary} = killedCommit(store, {[`${A}.json`]: text});
		rmSync(join(store.directory, 'holders', temporary!));
		symlinkSync(outside, join(store.directory, 'holders', temporary!));
		await expectRefused(store, 'file.symlink', join(store.directory, 'holders', temporary!), [store.directory, join(outside, '..')]);
		expect(readFileSync(outside, 'utf8')).toBe(text);
	});

	it('a committed temp that is a FIFO is refused at once (no hang)', async () => {
		const store = await partitioned();
		const {[`${A}.json`]: temporary} = killedCommit(store, {[`${A}.json`]: renamedHolder(store, A, 'Eve')});
		rmSync(join(store.directory, 'holders', temporary!));
		execFileSync('mkfifo', [join(store.directory, 'holders', temporary!)]);
		await expectRefused(store, 'file.notRegular', join(store.directory, 'holders', temporary!));
	});

	it('a committed temp whose bytes are not what was committed is refused, naming it', async () => {
		const store = await partitioned();
		const {[`${A}.json`]: temporary} = killedCommit(store, {[`${A}.json`]: renamedHolder(store, A, 'Anna2')});
		writeFileSync(join(store.directory, 'holders', temporary!), renamedHolder(store, A, 'Eve'));
		await expectRefused(store, 'store.invalid', join(store.directory, 'holders', temporary!));
	});

	it('a committed temp holding another holder\'s document (hash right) is refused, not renamed over the target', async () => {
		const store = await partitioned();
		const {[`${A}.json`]: temporary} = killedCommit(store, {[`${A}.json`]: readFileSync(holderPath(store, B), 'utf8')});
		await expectRefused(store, 'store.invalid', join(store.directory, 'holders', temporary!));
	});
});

describe('holders/ and the holder documents', () => {
	it('holders/ a symlink to another folder: refused, nothing read or written through it', async () => {
		const store = await partitioned();
		const elsewhere = join(path(), 'elsewhere');
		renameSync(join(store.directory, 'holders'), elsewhere);
		symlinkSync(elsewhere, join(store.directory, 'holders'));
		await expectRefused(store, 'file.notDirectory', join(store.directory, 'holders'), [store.directory, elsewhere]);
		expectRefusal(await rejection(store.read(A)), 'file.notDirectory', join(store.directory, 'holders'));
		expectRefusal(await rejection(store.update(db => void (db.holders[0]!.name = 'Eve'), A)), 'file.notDirectory', join(store.directory, 'holders'));
		expectRefusal(await rejection(store.holderIdByEmail('anna@example.it')), 'file.notDirectory', join(store.directory, 'holders'));
	});

	it('a holder document that is a symlink is refused, never followed', async () => {
		const store = await partitioned();
		const outside = join(path(), 'a.json');
		renameSync(holderPath(store, A), outside);
		symlinkSync(outside, holderPath(store, A));
		await expectRefused(store, 'file.symlink', holderPath(store, A), [store.directory, join(outside, '..')]);
	});

	it('a holder document that is a FIFO is refused at once', async () => {
		const store = await partitioned();
		rmSync(holderPath(store, A));
		execFileSync('mkfifo', [holderPath(store, A)]);
		await expectRefused(store, 'file.notRegular', holderPath(store, A));
	});

	it('a holder document above the size limit is refused unread', async () => {
		const store = await partitioned();
		truncateSync(holderPath(store, A), 64 * 1024 * 1024);
		await expectRefused(store, 'file.tooLarge', holderPath(store, A));
	});

	it('a folder in place of a holder document is refused', async () => {
		const store = await partitioned();
		rmSync(holderPath(store, A));
		mkdirSync(holderPath(store, A));
		await expectRefused(store, 'file.notRegular', holderPath(store, A));
	});

	const foreign: [string, (document: Record<string, unknown>) => void][] = [
		['another holder as its holder', document => void ((document['holder'] as {userId: string}).userId = B)],
		['another holder\'s session', document => void (document['sessions'] as unknown[]).push(session(B, 'stolen'))],
		['another holder\'s login throttle', document => void ((document['loginThrottle'] as Record<string, unknown>)[`user:${B}`] = {failures: 0, lockedUntil: null, lockouts: 0, lastFailureAt: null})],
		['another holder\'s counter', document => void ((document['sequences'] as Record<string, number>)[`accessLog:${B}`] = 1)],
		['a counter of nobody', document => void ((document['sequences'] as Record<string, number>)['outbox'] = 1)],
		['another holder\'s access entry', document => void (document['accessLog'] as unknown[]).push({id: 1, at: '2026-11-24T09:00:00.000Z', userId: B, outcome: 'success', terminal: 't'})],
	];
	it.each(foreign)('a holder document holding %s is refused, naming it, byte-exact', async (_what, edit) => {
		const store = await partitioned();
		const document = readJson(holderPath(store, A));
		edit(document);
		writeFileSync(holderPath(store, A), serialise(document));
		await expectRefused(store, 'store.invalid', holderPath(store, A));
		expectRefusal(await rejection(store.read(A)), 'store.invalid', holderPath(store, A));
	});

	it.each([['a symlink', 'link'], ['a FIFO', 'fifo']])('an index that is %s is refused by a lookup by e-mail, never followed', async (_what, kind) => {
		const store = await partitioned();
		const index = join(store.directory, 'holders', 'index.json');
		rmSync(index);
		if (kind === 'link') symlinkSync(holderPath(store, B), index);
		else execFileSync('mkfifo', [index]);
		expectRefusal(await rejection(store.holderIdByEmail(EMAIL[B])), kind === 'link' ? 'file.symlink' : 'file.notRegular', index);
	});

	it('db.json holding a session of A beside A\'s document is refused, naming db.json (never joins A\'s view)', async () => {
		const store = await partitioned();
		writeFileSync(store.file, serialise({...readJson(store.file), sessions: [session(A, 'planted')]}));
		await expectRefused(store, 'store.invalid', store.file);
		expectRefusal(await rejection(store.read(A)), 'store.invalid', store.file);
		expectRefusal(await rejection(store.update(db => void (db.holders[0]!.name = 'X'), A)), 'store.invalid', store.file);
	});

	it('B\'s document copied over A\'s file is refused (its holder is not A)', async () => {
		const store = await partitioned();
		writeFileSync(holderPath(store, A), readFileSync(holderPath(store, B)));
		await expectRefused(store, 'store.invalid', holderPath(store, A));
	});
});

describe('the files the store creates', () => {
	it('are private (holders/ 0700, documents and index 0600), also under umask 000', async () => {
		const previous = process.umask(0);
		try {
			const store = await partitioned();
			await store.update(db => void (db.holders[0]!.email = 'anna.new@example.it'), A);
			await store.update(db => nextSequence(db, 'outbox'), NO_HOLDER);
			const modes = Object.entries(tree(store.directory)).filter(([name]) => name.startsWith('holders') || name === 'db.json' || name === 'outbox.sequence');
			expect(Object.fromEntries(modes.map(([name, entry]) => [name, entry.split(' ').slice(0, 2).join(' ')]))).toEqual({
				'db.json': 'file 600',
				holders: 'dir 700',
				[`holders/${A}.json`]: 'file 600',
				[`holders/${B}.json`]: 'file 600',
				'holders/index.json': 'file 600',
				'outbox.sequence': 'file 600',
			});
		} finally {
			process.umask(previous);
		}
	});

	it('follow a folder shared by its group (holders/ 2770, documents 0660)', async () => {
		const data = join(path(), 'data');
		mkdirSync(data);
		chmodSync(data, 0o2770);
		const store = new Store(data);
		await store.initialize(() => twoHolders());
		await store.update(db => void (db.holders[0]!.email = 'anna.new@example.it'), A);
		expect(statSync(join(data, 'holders')).mode & 0o7777).toBe(0o2770);
		for (const name of [`${A}.json`, `${B}.json`, 'index.json']) expect(statSync(join(data, 'holders', name)).mode & 0o777, name).toBe(0o660);
	});

	it('never write a holder document larger than the store reads back (its holder locked out for good)', async () => {
		const store = await partitioned();
		const before = tree(store.directory);
		const grow = (db: Database) => {
			for (let count = 0; count < 70_000; count++) db.sessions.push({...session(A, `s${count}`), terminal: 'x'.repeat(200)});
		};
		expectRefusal(await rejection(store.update(grow, A)), 'store.invalid', holderPath(store, A));
		expect(tree(store.directory)).toEqual(before);
		expect((await store.read(A)).sessions).toHaveLength(1);
	});
});

describe('a format-1 db.json', () => {
	it('beside holders/ with the document of a holder it does not have is refused, not merged', async () => {
		const store = await partitioned();
		const whole = await store.read();
		whole.holders = whole.holders.filter(entry => entry.userId !== B);
		whole.sessions = whole.sessions.filter(entry => entry.userId !== B);
		delete whole.loginThrottle[`user:${B}`];
		writeFileSync(store.file, serialise(whole));
		const before = tree(store.directory);
		expectRefusal(await rejection(store.update(db => void (db.sequences['touched'] = 1))), 'store.invalid', holderPath(store, B));
		expect(tree(store.directory)).toEqual(before);
		// A lock-free reader reads the format-1 file alone: B is not there.
		expect((await store.read()).holders.map(entry => entry.userId)).toEqual([A]);
	});

	it('relabelled format 2 (holders inside) is refused, its holders never silently dropped', async () => {
		const store = await partitioned();
		const whole = await store.read();
		writeFileSync(store.file, serialise({...whole, version: 2}));
		const before = tree(store.directory);
		expectRefusal(await rejection(store.read()), 'store.invalid', store.file);
		expectRefusal(await rejection(store.update(db => void (db.sequences['touched'] = 1))), 'store.invalid', store.file);
		expect(tree(store.directory)).toEqual(before);
	});

	it('holding one userID twice is refused byte-exact (a split would keep one and drop the other)', async () => {
		const store = await partitioned();
		const whole = await store.read();
		whole.holders.push({...whole.holders[0]!, email: 'other@example.it', name: 'Impostor'});
		writeFileSync(store.file, serialise(whole));
		const before = tree(store.directory);
		expectRefusal(await rejection(store.read()), 'store.invalid', store.file);
		expectRefusal(await rejection(store.update(db => void (db.sequences['touched'] = 1))), 'store.invalid', store.file);
		expect(tree(store.directory)).toEqual(before);
	});
});

describe('holders/index.json', () => {
	it('an entry giving A\'s address to B never logs into B with A\'s address', async () => {
		const store = await partitioned();
		const index = readJson(join(store.directory, 'holders', 'index.json')) as {emails: Record<string, string>};
		index.emails[EMAIL[A]] = B;
		writeFileSync(join(store.directory, 'holders', 'index.json'), serialise(index));
		// What a login by e-mail does: scope to the index's answer, then find the holder with that address in that view.
		const scope = await identifiedScope(store, EMAIL[A].toUpperCase());
		expect(scope).toBe(B);
		expect(findHolder(await store.read(scope), EMAIL[A])).toBeUndefined();
	});

	it('missing, it is rebuilt from the documents; the next change of address writes it whole again', async () => {
		const store = await partitioned();
		rmSync(join(store.directory, 'holders', 'index.json'));
		expect(await store.holderIdByEmail(EMAIL[B])).toBe(B);
		await store.update(db => void (db.holders.find(entry => entry.userId === A)!.email = 'anna.new@example.it'), A);
		const index = readJson(join(store.directory, 'holders', 'index.json')) as {emails: Record<string, string>};
		expect(index.emails).toEqual({'anna.new@example.it': A, [EMAIL[B]]: B});
	});

	it('an address already in the index for another holder is refused, nothing committed', async () => {
		const store = await partitioned();
		const before = tree(store.directory);
		await expect(store.update(db => void (db.holders.find(entry => entry.userId === A)!.email = EMAIL[B]), A)).rejects.toMatchObject({code: 'store.invalid', params: {reason: expect.stringMatching(/it is JCPD2222's/)}});
		expect(tree(store.directory)).toEqual(before);
	});
});

describe('<data>/outbox.sequence', () => {
	const next = (store: Store) => store.update(db => nextSequence(db, 'outbox'), NO_HOLDER);

	it('gives each number once, above the number db.json kept before the file, private', async () => {
		const store = await partitioned();
		await store.update(db => void (db.sequences['outbox'] = 10));
		expect([await next(store), await next(store)]).toEqual([11, 12]);
		expect(readFileSync(join(store.directory, 'outbox.sequence'), 'utf8')).toBe('12\n');
		expect(statSync(join(store.directory, 'outbox.sequence')).mode & 0o777).toBe(0o600);
		writeFileSync(join(store.directory, 'outbox.sequence'), '3\n');
		expect(await next(store)).toBe(11);
	});

	it.each([['garbage', 'abc\n'], ['two lines', '4\n5\n'], ['a negative number', '-4\n'], ['too many digits', '1234567890123456\n']])('holding %s is refused naming it, nothing committed', async (_what, text) => {
		const store = await partitioned();
		writeFileSync(join(store.directory, 'outbox.sequence'), text);
		const before = tree(store.directory);
		expectRefusal(await rejection(next(store)), 'store.invalid', join(store.directory, 'outbox.sequence'));
		expect(tree(store.directory)).toEqual(before);
	});

	// Numbering without the file starts above what the folder used (db.json's old counter, outbox/):
	// given again, a number would make Outbox.deliver remove the files of a message already sent.
	it('deleted, it never gives again the number of a message in the outbox', async () => {
		const store = await partitioned();
		expect([await next(store), await next(store)]).toEqual([1, 2]);
		// Both messages were sent (their files are in outbox/, as Outbox.deliver names them).
		mkdirSync(join(store.directory, 'outbox'), {recursive: true, mode: 0o700});
		for (const number of ['00000001', '00000002']) writeFileSync(join(store.directory, 'outbox', `${number}.sms.json`), '{}', {mode: 0o600});
		rmSync(join(store.directory, 'outbox.sequence'));
		expect(await next(store)).toBe(3);
	});

	it('a symlink in its place is refused, the file it points to unchanged', async () => {
		const store = await partitioned();
		const outside = join(path(), 'counter');
		writeFileSync(outside, '7\n');
		symlinkSync(outside, join(store.directory, 'outbox.sequence'));
		const before = [tree(store.directory), tree(join(outside, '..'))];
		expectRefusal(await rejection(next(store)), 'file.symlink', join(store.directory, 'outbox.sequence'));
		expect([tree(store.directory), tree(join(outside, '..'))]).toEqual(before);
	});
});

describe('a scoped operation', () => {
	it.each<[string, (db: Database) => void]>([
		['creates a session of another holder', db => void db.sessions.push(session(B, 'planted'))],
		['creates another holder', db => void db.holders.push(holder('JCPD3333', 'carla@example.it'))],
		['creates a session of nobody', db => void db.sessions.push(session('JCPD3333', 'planted'))],
		['removes its own holder', db => void db.holders.splice(0, 1)],
	])('that %s throws and commits nothing', async (_what, change) => {
		const store = await partitioned();
		const before = tree(store.directory);
		await expect(store.update(change, A)).rejects.toThrow();
		expect(tree(store.directory)).toEqual(before);
	});

	// A throttle, counter or queued entry keyed to a holder outside the view would otherwise land in db.json.
	it.each<[string, (db: Database) => void]>([
		['sets another holder\'s login throttle', db => void (db.loginThrottle[`user:${B}`] = {failures: 9, lockedUntil: '2099-01-01T00:00:00.000Z', lockouts: 9, lastFailureAt: null})],
		['sets another holder\'s access-log counter', db => void (db.sequences[`accessLog:${B}`] = 1)],
		['queues an access entry of another holder', db => void db.accessLog.push({id: 1, at: '2026-11-24T09:00:00.000Z', userId: B, outcome: 'success', terminal: 't'})],
	])('that %s throws and commits nothing', async (_what, change) => {
		const store = await partitioned();
		const before = tree(store.directory);
		await expect(store.update(change, A)).rejects.toThrow();
		expect(tree(store.directory)).toEqual(before);
	});
});
