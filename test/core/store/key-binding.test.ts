import {cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {keyFingerprint} from '../../../source/core/keys.js';
import {Portal} from '../../../source/core/portal.js';
import {demoFolderCopies} from '../../helpers/demo-template.js';
import {holdersFolder, readDatabase, recordBytes, recordFiles} from '../../helpers/data-folder.js';
import {DEMO_NOW, lastSmsCode, logIn, ManualClock, MARIO, refusal, temporaryDirectory} from '../../helpers/portal.js';

/*
 * Issue 17 item 2: keys are bound to their database. A backup restored without keys/ (or with
 * another database's keys) is refused before any PIN or password is compared, nothing is counted
 * and nothing is written; restoring keys/ gives the holder back exactly what they had.
 */

const clock = () => new ManualClock(DEMO_NOW);
const copyFolder = demoFolderCopies(clock());
const open = (directory: string) => Portal.open({dataDirectory: directory, clock: clock(), terminal: 'test'});

/** Another demo database, with keys of its own. */
let other = {path: '', remove: () => undefined as void};
beforeAll(async () => {
	other = temporaryDirectory();
	await Portal.createDemo({dataDirectory: other.path, clock: clock()});
}, 60_000);
afterAll(() => other.remove());

/** Every file and folder under `directory` with its size and mtime: what "nothing changed" compares. */
function tree(directory: string): string[] {
	return readdirSync(directory, {recursive: true, encoding: 'utf8'})
		.sort()
		.map(name => {
			const info = statSync(join(directory, name));
			return `${name} ${info.isDirectory() ? 'dir' : `${info.size} ${info.mtimeMs}`}`;
		});
}

async function signAsMario(portal: Portal, directory: string) {
	const path = join(directory, 'verbale.txt');
	writeFileSync(path, 'Verbale d’esame n. 42\r\n');
	const documents = await portal.signing.inspect([path]);
	const session = await logIn(portal, MARIO.userId, MARIO.password);
	const challenge = await portal.signing.requestOtp(session, documents, MARIO.pin);
	const code = await lastSmsCode(portal, MARIO.userId);
	return portal.signing.sign(session, {documents, pin: MARIO.pin, challengeId: challenge.id, code});
}

describe('keys bound to their database', () => {
	it('a new database records a fingerprint of each key, which does not reveal the key', async () => {
		const directory = await copyFolder();
		const db = JSON.parse(readFileSync(join(directory, 'db.json'), 'utf8')) as {keys: {pepper: string; totp: string}};
		// db.json records the fingerprints; no record file (db.json, a holder document) holds a key.
		const texts = recordFiles(directory).map(file => readFileSync(file, 'utf8'));
		expect(texts.length).toBeGreaterThan(1);
		for (const [name, recorded] of Object.entries(db.keys)) {
			const key = Buffer.from(readFileSync(join(directory, 'keys', `${name}.key`), 'utf8').trim(), 'base64');
			expect(recorded).toBe(keyFingerprint(key));
			expect(recorded).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
			for (const text of texts) {
				expect(text).not.toContain(key.toString('base64'));
				expect(text).not.toContain(key.toString('hex'));
			}
		}
	});

	it('a backup restored without keys/ is refused, naming the key, with nothing created, written or counted; restoring keys/ gives the right PIN back', async () => {
		const directory = await copyFolder();
		renameSync(join(directory, 'keys'), join(directory, 'keys.backup'));
		const before = {db: recordBytes(directory), tree: tree(directory)};

		expect(await refusal(open(directory))).toEqual({code: 'store.keyMissing', params: {file: join(directory, 'keys', 'pepper.key')}});
		// `mysign demo` on the folder does not replace them either.
		expect(await refusal(Portal.createDemo({dataDirectory: directory, clock: clock()}))).toMatchObject({code: 'store.keyMissing'});
		expect(existsSync(join(directory, 'keys'))).toBe(false);
		expect(recordBytes(directory)).toEqual(before.db);
		expect(tree(directory)).toEqual(before.tree);

		renameSync(join(directory, 'keys.backup'), join(directory, 'keys'));
		const portal = await open(directory);
		expect(await portal.pin.attemptsLeft(await logIn(portal, MARIO.userId, MARIO.password))).toBe(3);
		const result = await signAsMario(portal, directory);
		expect(result.signed.map(document => document.name)).toEqual(['verbale.txt']);
	});

	it('one key missing is named; a key from another database is refused as not this database’s', async () => {
		const directory = await copyFolder();
		rmSync(join(directory, 'keys', 'totp.key'));
		expect(await refusal(open(directory))).toEqual({code: 'store.keyMissing', params: {file: join(directory, 'keys', 'totp.key')}});

		cpSync(join(other.path, 'keys', 'totp.key'), join(directory, 'keys', 'totp.key'));
		const db = recordBytes(directory);
		expect(await refusal(open(directory))).toEqual({code: 'store.keyMismatch', params: {file: join(directory, 'keys', 'totp.key')}});
		cpSync(join(other.path, 'keys'), join(directory, 'keys'), {recursive: true});
		expect(await refusal(open(directory))).toEqual({code: 'store.keyMismatch', params: {file: join(directory, 'keys', 'pepper.key')}});
		expect(recordBytes(directory)).toEqual(db);
	});

	it('a database swapped under an open portal (another backup): the next write is refused and counts nothing', async () => {
		const directory = await copyFolder();
		const portal = await open(directory);
		// The other database: its db.json and its holder documents.
		cpSync(join(other.path, 'db.json'), join(directory, 'db.json'));
		rmSync(holdersFolder(directory), {recursive: true});
		cpSync(holdersFolder(other.path), holdersFolder(directory), {recursive: true});
		const swapped = recordBytes(directory);

		// With this portal's pepper, the other database's hash of the right password would compare as wrong.
		expect(await refusal(portal.sessions.login(MARIO.userId, MARIO.password))).toEqual({code: 'store.keyMismatch', params: {file: join(directory, 'keys', 'pepper.key')}});
		expect(recordBytes(directory)).toEqual(swapped);
	});

	it('a folder without a database: open refuses it and creates nothing', async () => {
		const parent = temporaryDirectory();
		try {
			const typo = join(parent.path, 'some', 'typo', 'dir');
			expect(await refusal(open(typo))).toEqual({code: 'store.missing', params: {file: join(typo, 'db.json')}});
			expect(readdirSync(parent.path)).toEqual([]);
		} finally {
			parent.remove();
		}
	});

	it('a database older than fingerprints: its keys are trusted on first use and recorded by the first write, then checked', async () => {
		const directory = await copyFolder();
		const file = join(directory, 'db.json');
		// Such a database is in format 1: all of it in db.json, no holders/ yet.
		const {keys: recorded, ...old} = await readDatabase(directory);
		expect(old.version).toBe(1);
		writeFileSync(file, JSON.stringify(old, null, '\t') + '\n');
		rmSync(holdersFolder(directory), {recursive: true});
		const oldBytes = recordBytes(directory);

		// Still no key is created for it.
		renameSync(join(directory, 'keys'), join(directory, 'keys.backup'));
		expect(await refusal(open(directory))).toMatchObject({code: 'store.keyMissing'});
		expect(existsSync(join(directory, 'keys'))).toBe(false);
		renameSync(join(directory, 'keys.backup'), join(directory, 'keys'));

		const portal = await open(directory);
		expect(recordBytes(directory)).toEqual(oldBytes); // opening wrote nothing
		expect((await portal.sessions.login(MARIO.userId, MARIO.password)).kind).toBe('success');
		expect((JSON.parse(readFileSync(file, 'utf8')) as {keys: unknown}).keys).toEqual(recorded);

		cpSync(join(other.path, 'keys', 'pepper.key'), join(directory, 'keys', 'pepper.key'));
		expect(await refusal(open(directory))).toMatchObject({code: 'store.keyMismatch'});
	});

	it('a backup restored without pki/: no new CA is made, a CRL is refused naming the CA key', async () => {
		const directory = await copyFolder();
		rmSync(join(directory, 'pki'), {recursive: true});
		const portal = await open(directory);
		expect(await refusal(portal.folder.refreshCertificates({always: true}))).toEqual({code: 'store.caMissing', params: {file: join(directory, 'pki', 'ca.key')}});
		expect(existsSync(join(directory, 'pki'))).toBe(false);
	});

	it('without the CA key, a revocation or a suspension is refused before anything is stored', async () => {
		const directory = await copyFolder();
		const portal = await open(directory);
		rmSync(join(directory, 'pki', 'ca.key'));
		const before = recordBytes(directory);
		const admin = await portal.admin.commands();
		expect((await refusal(admin.revoke(MARIO.userId, 'keyCompromise'))).code).toBe('store.caMissing');
		expect(recordBytes(directory)).toEqual(before);
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		const afterLogin = recordBytes(directory);
		expect((await refusal(portal.certificate.suspend(session, {iut: '20547815', erc: '40213769', ercAgain: '40213769', endDate: '01/01/2027', acceptRevocationEffect: false}))).code).toBe('store.caMissing');
		expect(recordBytes(directory)).toEqual(afterLogin);
		expect((await readDatabase(directory)).certificates.find(entry => entry.userId === MARIO.userId)?.status).toBe('active');
	});

	it('`demo --reset` makes a new database with the folder’s keys (created where missing)', async () => {
		const directory = await copyFolder();
		rmSync(join(directory, 'keys'), {recursive: true});
		await Portal.createDemo({dataDirectory: directory, clock: clock(), reset: true});
		const portal = await open(directory);
		expect((await portal.sessions.login(MARIO.userId, MARIO.password)).kind).toBe('success');
		const db = JSON.parse(readFileSync(join(directory, 'db.json'), 'utf8')) as {keys: {pepper: string}};
		expect(db.keys.pepper).toBe(keyFingerprint(Buffer.from(readFileSync(join(directory, 'keys', 'pepper.key'), 'utf8').trim(), 'base64')));
	});
});
