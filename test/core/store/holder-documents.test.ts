import {chmodSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {DomainError} from '../../../source/core/errors.js';
import {emptyDatabase, nextSequence} from '../../../source/core/store/schema.js';
import {Store} from '../../../source/core/store/store.js';
import {holderFile, holdersFolder, recordBytes} from '../../helpers/data-folder.js';
import {dataFolders, rejection, temporaries, validHolder, withUmask} from '../../helpers/stores.js';

/*
 * The holder documents of a partitioned data folder (issue 22, holders/<userID>.json): written
 * with db.json's care (modes, whatever the umask), and refused like a broken db.json when
 * broken, naming the document, by every read and update that sees it, with nothing changed.
 * files.test.ts has the same for db.json.
 */

/** A data folder path that does not exist yet, inside a temp folder removed after the test. */
const folder = dataFolders();

describe('holder document permissions', () => {
	it('creates holders/ 0700 and writes each holder document 0600, also under umask 000, alone or in a commit with db.json', async () => {
		await withUmask(0, async () => {
			const store = new Store(folder());
			await store.initialize(() => ({...emptyDatabase(), holders: [validHolder()]}));
			const holder = holderFile(store.directory, 'JCPD1234');
			expect(statSync(holdersFolder(store.directory)).mode & 0o777).toBe(0o700);
			expect(statSync(holder).mode & 0o777).toBe(0o600);
			chmodSync(holder, 0o644);
			await store.update(db => void (db.holders[0]!.pinFailures = 1), 'JCPD1234');
			expect(statSync(holder).mode & 0o777).toBe(0o600);
			await store.update(db => void db.holders.push({...validHolder(), userId: 'JCPD5678', email: 'altro.titolare@example.it'}));
			await store.update(db => {
				for (const entry of db.holders) entry.pinFailures = 2;
			});
			for (const userId of ['JCPD1234', 'JCPD5678']) expect(statSync(holderFile(store.directory, userId)).mode & 0o777, userId).toBe(0o600);
			expect(statSync(store.file).mode & 0o777).toBe(0o600);
		});
	});
});

describe('a holder document that does not parse or validate', () => {
	const holderCases: [string, (text: string) => string, string][] = [
		['truncated', text => text.slice(0, Math.floor(text.length / 2)), 'not valid JSON'],
		['empty', () => '', 'not valid JSON'],
		['not an object', () => '[1, 2, 3]', '(root)'],
		['schema-violating (a holder without a password hash)', text => JSON.stringify({...JSON.parse(text), holder: {...validHolder(), passwordHash: undefined}}), 'holder.passwordHash'],
		['another holder’s (its userID changed)', text => JSON.stringify({...JSON.parse(text), holder: {...validHolder(), userId: 'JCPD5678'}}), 'holder.userId is JCPD5678, not JCPD1234'],
		['from a future version', text => JSON.stringify({...JSON.parse(text), version: 99}), 'version'],
	];

	it.each(holderCases)('%s: read and update, whole or scoped to the holder, refuse it, name the file, and change nothing', async (_name, corrupt, reason) => {
		const store = new Store(folder());
		await store.initialize(() => ({...emptyDatabase(), holders: [validHolder()]}));
		const file = holderFile(store.directory, 'JCPD1234');
		writeFileSync(file, corrupt(readFileSync(file, 'utf8')));
		const before = recordBytes(store.directory);
		let changed = false;
		const attempts: [string, () => Promise<unknown>][] = [
			['read', () => store.read()],
			['read scoped', () => store.read('JCPD1234')],
			['update', () => store.update(db => {
				changed = true;
				nextSequence(db, 'counter');
			})],
			['update scoped', () => store.update(() => (changed = true), 'JCPD1234')],
			['update from a fresh Store', () => new Store(store.directory).update(() => (changed = true))],
		];
		for (const [what, attempt] of attempts) {
			const error = await rejection(attempt());
			expect(error, what).toBeInstanceOf(DomainError);
			expect((error as DomainError).code, what).toBe('store.invalid');
			expect((error as DomainError).params['file'], what).toBe(file);
			expect(String((error as DomainError).params['reason']), what).toContain(reason);
		}
		expect(changed).toBe(false);
		expect(recordBytes(store.directory)).toEqual(before);
		expect(temporaries(store.directory)).toEqual([]);
		expect(temporaries(holdersFolder(store.directory))).toEqual([]);
	});
});
