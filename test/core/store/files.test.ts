import {readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {DomainError} from '../../../source/core/errors.js';
import {migrate} from '../../../source/core/store/migrations.js';
import {emptyDatabase} from '../../../source/core/store/schema.js';
import {Store} from '../../../source/core/store/store.js';
import {temporaryDirectory} from '../../helpers/portal.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function folder(): string {
	const created = temporaryDirectory();
	cleanup = created.remove;
	return join(created.path, 'data');
}

describe('file permissions', () => {
	it('creates the folder 0700 and writes db.json 0600, also under umask 000', async () => {
		const previous = process.umask(0);
		try {
			const store = new Store(folder());
			await store.initialize(() => emptyDatabase());
			await store.update(db => {
				db.sequences['x'] = 1;
			});
			expect(statSync(store.file).mode & 0o777).toBe(0o600);
			expect(statSync(store.directory).mode & 0o777).toBe(0o700);
		} finally {
			process.umask(previous);
		}
	});
});

describe('a database that does not parse or validate', () => {
	const cases: [string, (valid: string) => string, string][] = [
		['truncated', valid => valid.slice(0, valid.length / 2), 'store.invalid'],
		['not JSON', () => 'hello', 'store.invalid'],
		['schema-violating', valid => valid.replace('"holders": []', '"holders": [{"userId": "ABC"}]'), 'store.invalid'],
		['from a future version', valid => valid.replace('"version": 1', '"version": 99'), 'store.futureVersion'],
	];

	it.each(cases)('%s: read, update and initialize refuse it, name the file, and change nothing', async (_name, corrupt, code) => {
		const store = new Store(folder());
		await store.initialize(() => emptyDatabase());
		const valid = JSON.stringify(emptyDatabase(), null, 2);
		writeFileSync(store.file, corrupt(valid));
		const before = readFileSync(store.file);
		for (const attempt of [() => store.read(), () => store.update(() => undefined), () => store.initialize(() => emptyDatabase())]) {
			const error = await attempt().then(
				() => undefined,
				(caught: unknown) => caught,
			);
			expect(error).toBeInstanceOf(DomainError);
			expect((error as DomainError).code).toBe(code);
			expect((error as DomainError).params['file']).toBe(store.file);
		}
		expect(readFileSync(store.file).equals(before)).toBe(true);
	});

	it('explains where a schema violation is', async () => {
		const store = new Store(folder());
		await store.initialize(() => emptyDatabase());
		writeFileSync(store.file, JSON.stringify({...emptyDatabase(), holders: [{userId: 'ABC'}]}));
		await expect(store.read()).rejects.toMatchObject({params: {reason: expect.stringContaining('holders.0')}});
	});
});

describe('migrations', () => {
	it('upgrades step by step to the target version', () => {
		const steps = {
			1: (document: Record<string, unknown>) => ({...document, a: 'added in 2'}),
			2: (document: Record<string, unknown>) => ({...document, b: `${String(document['a'])}, then 3`}),
		};
		expect(migrate({version: 1}, steps, 3)).toEqual({kind: 'ok', migrated: true, document: {version: 3, a: 'added in 2', b: 'added in 2, then 3'}});
		expect(migrate({version: 3}, steps, 3)).toEqual({kind: 'ok', migrated: false, document: {version: 3}});
	});

	it('recognises future and unversioned documents', () => {
		expect(migrate({version: 7}, {}, 3)).toEqual({kind: 'future', version: 7});
		expect(migrate({}, {}, 3)).toEqual({kind: 'unversioned'});
		expect(migrate([], {}, 3)).toEqual({kind: 'unversioned'});
		expect(migrate({version: '1'}, {}, 3)).toEqual({kind: 'unversioned'});
	});
});
