import {existsSync, readFileSync, renameSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {readCheckedStamp, setProgramIdentity} from '../../../source/core/store/checked-stamp.js';
import {Store} from '../../../source/core/store/store.js';
import {demoCopies} from '../../helpers/demo-template.js';

/*
 * db.json.checked lets a start draw the login screen before it loads the schema code. It must
 * be believed only for the exact file this program validated and wrote: any other db.json, or
 * any other program, gets the full validation first.
 */

const demoCopy = demoCopies();
const THIS_FILE = import.meta.filename;
const OTHER_PROGRAM = join(import.meta.dirname, 'files.test.ts');

afterEach(() => setProgramIdentity(undefined));

async function stampedFolder(): Promise<{directory: string; store: Store}> {
	const {directory} = await demoCopy();
	setProgramIdentity(THIS_FILE);
	const store = new Store(directory);
	await store.update(db => {
		db.settings.loginMaxAttempts = 3;
	});
	return {directory, store};
}

describe('db.json.checked', () => {
	it('is written 0600 by a store write and gives the login screen its setting', async () => {
		const {directory} = await stampedFolder();
		expect(statSync(join(directory, 'db.json.checked')).mode & 0o777).toBe(0o600);
		expect(readCheckedStamp(directory)).toEqual({loginMaxAttempts: 3});
	});

	it('is neither written nor believed without a program identity (the sources run by tests)', async () => {
		const {directory} = await demoCopy();
		await new Store(directory).update(db => {
			db.settings.loginMaxAttempts = 4;
		});
		expect(existsSync(join(directory, 'db.json.checked'))).toBe(false);
		expect(readCheckedStamp(directory)).toBeUndefined();
	});

	it('is not believed by another program', async () => {
		const {directory} = await stampedFolder();
		setProgramIdentity(OTHER_PROGRAM);
		expect(readCheckedStamp(directory)).toBeUndefined();
	});

	it('is not believed once db.json was rewritten by hand, even with the same bytes', async () => {
		const {directory} = await stampedFolder();
		const file = join(directory, 'db.json');
		// As a person's edit comes: file times move in ticks of a few milliseconds (see checked-stamp.ts).
		await new Promise(resolve => setTimeout(resolve, 20));
		writeFileSync(file, readFileSync(file));
		expect(readCheckedStamp(directory)).toBeUndefined();
	});

	it('is not believed for a db.json copied into place', async () => {
		const {directory} = await stampedFolder();
		const file = join(directory, 'db.json');
		writeFileSync(`${file}.copy`, readFileSync(file));
		renameSync(`${file}.copy`, file);
		expect(readCheckedStamp(directory)).toBeUndefined();
	});

	it('goes stale when a program without one (another version) writes db.json', async () => {
		const {directory, store} = await stampedFolder();
		setProgramIdentity(undefined);
		await store.update(db => {
			db.settings.loginMaxAttempts = 7;
		});
		setProgramIdentity(THIS_FILE);
		expect(readCheckedStamp(directory)).toBeUndefined();
	});

	it('is not believed when torn, emptied or missing db.json', async () => {
		const {directory} = await stampedFolder();
		const stamp = join(directory, 'db.json.checked');
		const text = readFileSync(stamp, 'utf8');
		writeFileSync(stamp, text.slice(0, text.length / 2));
		expect(readCheckedStamp(directory)).toBeUndefined();
		writeFileSync(stamp, '');
		expect(readCheckedStamp(directory)).toBeUndefined();
		writeFileSync(stamp, text);
		expect(readCheckedStamp(directory)).toEqual({loginMaxAttempts: 3});
		renameSync(join(directory, 'db.json'), join(directory, 'moved.json'));
		expect(readCheckedStamp(directory)).toBeUndefined();
	});

	it('follows every write of this program', async () => {
		const {directory, store} = await stampedFolder();
		await store.update(db => {
			db.settings.loginMaxAttempts = 9;
		});
		expect(readCheckedStamp(directory)).toEqual({loginMaxAttempts: 9});
	});
});
