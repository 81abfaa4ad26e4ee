import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {expect, it} from 'vitest';
import {migrateFolder} from '../../../source/core/store/migrate.js';
import {nextSequence} from '../../../source/core/store/schema.js';
import {NO_HOLDER, Store} from '../../../source/core/store/store.js';
import {MARIO} from '../../helpers/holders.js';
import {refusal} from '../../helpers/portal.js';
import {describePostgres, onDatabase, postgresPlaces} from '../../helpers/postgres.js';
import {copyDemoTemplate} from '../../helpers/templates.js';

/*
 * `admin migrate` in the core (the CLI's is in test/e2e/postgres-servers.test.ts): what it
 * refuses changes nothing on either side, and the outbox numbering goes on where the folder's was.
 */

const places = postgresPlaces();

async function demoAndDatabase(): Promise<{directory: string; url: string}> {
	const folder = copyDemoTemplate('fixed');
	places.track(folder.remove);
	return {directory: folder.path, url: await places.database()};
}

async function documentRows(url: string): Promise<number> {
	return onDatabase(url, async client => Number((await client.query<{count: string}>('SELECT count(*)::text AS count FROM mysign_documents')).rows[0]!.count));
}

describePostgres('admin migrate', () => {
	it('a broken holder document stops the migration, naming it: the folder keeps its database, the database stays empty', async () => {
		const {directory, url} = await demoAndDatabase();
		const file = join(directory, 'holders', `${MARIO.userId}.json`);
		writeFileSync(file, readFileSync(file, 'utf8').replace(/"pinFailures": 0/, '"pinFailures": "zero"'));
		const refused = await refusal(migrateFolder(directory, url));
		expect(refused.code).toBe('store.invalid');
		expect(String(refused.params['file'])).toBe(file);
		expect(existsSync(join(directory, 'db.json'))).toBe(true);
		expect(existsSync(join(directory, 'store.url'))).toBe(false);
		expect(await documentRows(url)).toBe(0);
	});

	it('outbox numbers go on above the folder\'s outbox.sequence (a number given for a message never delivered is not given again)', async () => {
		const {directory, url} = await demoAndDatabase();
		writeFileSync(join(directory, 'outbox.sequence'), '57\n');
		const result = await migrateFolder(directory, url);
		expect(result.holders).toBe(3);
		const store = new Store(directory, undefined, url);
		expect(await store.update(db => nextSequence(db, 'outbox'), NO_HOLDER)).toBe(58);
		// Run again on the moved folder: refused, nothing changed.
		expect((await refusal(migrateFolder(directory, url))).code).toBe('store.alreadyMigrated');
	});
});
