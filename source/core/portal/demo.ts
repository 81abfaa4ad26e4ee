import {join} from 'node:path';
import {rm} from 'node:fs/promises';
import {systemClock} from '../clock.js';
import {buildDemoDatabase, demoCredentials, demoHistories, demoOperators, readSeed, type DemoCredential} from '../demo/demo.js';
import type {RoomResetResult} from '../demo/room-reset.js';
import type {Scenario} from '../demo/scenarios.js';
import {fingerprintsOf, loadBoundKeys} from '../key-binding.js';
import {loadOrCreateKey, type OtpKeys} from '../keys.js';
import {assertFolderOperator} from '../operator.js';
import {seedFile} from '../paths.js';
import {pkiFiles} from '../pki/files.js';
import {accessLogOf, outboxOf, signatureLogOf} from '../store/postgres/logs.js';
import {emptyDatabase, type Database} from '../store/schema.js';
import {NO_HOLDER, Store} from '../store/store.js';
import {publishCrl, type PortalContext} from './context.js';
import type {PortalOptions} from './types.js';

/** The trainer's demo commands on an open folder: scenarios (`mysign demo --scenario`) and the room reset. */
export class DemoService {
	constructor(private readonly context: PortalContext) {}

	/** `mysign demo --scenario`: puts one demo holder in a named situation and reissues the CRL. */
	async applyScenario(userId: string, scenario: Scenario): Promise<void> {
		const {store, clock, keys} = this.context;
		assertFolderOperator(store.directory);
		const [{applyScenario}, authority] = await Promise.all([import('../demo/scenarios.js'), this.context.authority()]);
		await applyScenario(store, clock, keys, authority, await readSeed(seedFile()), userId.trim().toUpperCase(), scenario);
		await this.context.publishCrl();
	}

	/** `mysign demo --scenario NAME --all`: every holder in the situation; returns their userIDs. */
	async applyScenarioToAll(scenario: Scenario): Promise<string[]> {
		const {store, clock, keys} = this.context;
		assertFolderOperator(store.directory);
		const [{applyScenarioToAll}, authority, seed] = await Promise.all([import('../demo/scenarios.js'), this.context.authority(), readSeed(seedFile())]);
		const userIds = await applyScenarioToAll(store, clock, keys, authority, seed, scenario);
		await this.context.publishCrl();
		return userIds;
	}

	/** `mysign demo --reset --keep-enrolled`: every holder back to its first state, same CA (see demo/room-reset.ts). */
	async resetRoom(): Promise<RoomResetResult> {
		const {store, clock, keys, outbox, signatureLog} = this.context;
		assertFolderOperator(store.directory);
		const [{resetRoom}, authority, seed] = await Promise.all([import('../demo/room-reset.js'), this.context.authority(), readSeed(seedFile())]);
		const result = await resetRoom({store, clock, keys, authority, seed, outbox, signatureLog, accessLog: store.accessLog});
		await this.context.publishCrl();
		return result;
	}
}

/** The demo holders' past signatures, replacing whatever history the folder had. */
async function writeDemoHistories(dataDirectory: string, url: string | undefined, seed: Awaited<ReturnType<typeof readSeed>>, db: Database, now: Date): Promise<void> {
	const log = signatureLogOf(dataDirectory, url);
	await log.clear();
	for (const [userId, records] of demoHistories(seed, db, now)) await log.replace(userId, records);
}

/** Creates the keys where missing: only with a new database (see key-binding.ts). */
async function loadOrCreateKeys(dataDirectory: string): Promise<OtpKeys> {
	const [pepper, totpKey] = await Promise.all([loadOrCreateKey(dataDirectory, 'pepper'), loadOrCreateKey(dataDirectory, 'totp')]);
	return {pepper, totpKey};
}

export interface DemoCreation {
	created: boolean;
	credentials: DemoCredential[];
	operators: {userId: string; name: string; password: string}[];
}

/** See `Portal.createDemo`. */
export async function createDemo(options: PortalOptions & {reset?: boolean}): Promise<DemoCreation> {
	const store = new Store(options.dataDirectory, undefined, options.store);
	const seed = await readSeed(seedFile());
	const clock = options.clock ?? systemClock;
	// The CA (and its heavy libraries) is needed only when there is something to issue.
	if (!options.reset && (await store.exists())) {
		// An invalid file is reported, never replaced; nor are its keys, which must be its own.
		await loadBoundKeys(options.dataDirectory, (await store.read(NO_HOLDER)).keys);
		return {created: false, credentials: demoCredentials(seed), operators: demoOperators(seed)};
	}
	// Replacing a room is the trainer's (the folder's owner: see operator.ts).
	if (options.reset && (await store.exists())) {
		assertFolderOperator(options.dataDirectory);
		// A database shared by several servers is replaced only from one that holds its keys (another
		// folder's --store would replace every server's holders and bind the database to new keys).
		if (store.url !== undefined) await loadBoundKeys(options.dataDirectory, (await store.read(NO_HOLDER)).keys);
	}
	// Where the outbox and the logs of the new room are: the folder's files or its database.
	const {url} = store;
	// A new database: the folder and any missing key are created with it, and it records the keys.
	await store.ensureDirectory();
	const keys = await loadOrCreateKeys(options.dataDirectory);
	store.bindKeys(fingerprintsOf(keys));
	const {CertificationAuthority} = await import('../pki/authority.js');
	// A reset room starts from nothing: a new CA (every earlier certificate stops verifying,
	// revoked ones included).
	if (options.reset) await rm(pkiFiles(options.dataDirectory).directory, {recursive: true, force: true});
	const authority = await CertificationAuthority.open(options.dataDirectory, clock, {create: true});
	const created = await store.initialize(() => buildDemoDatabase(seed, clock, keys, authority), {replace: options.reset ?? false});
	if (created && options.reset) {
		// And an empty outbox (its numbering restarts with the database) and access log: only once the
		// room is replaced, so a refused replacement (the lock busy, the database gone) keeps them.
		await outboxOf(options.dataDirectory, url).clear();
		await rm(join(options.dataDirectory, 'outbox.sequence'), {force: true});
		await accessLogOf(options.dataDirectory, url).clear();
	}
	if (created) {
		await publishCrl(store, authority, clock);
		await writeDemoHistories(options.dataDirectory, url, seed, await store.read(), clock.now());
	}
	return {created, credentials: demoCredentials(seed), operators: demoOperators(seed)};
}

/** See `Portal.createLive`. */
export async function createLive(options: Pick<PortalOptions, 'dataDirectory' | 'store'>): Promise<boolean> {
	const store = new Store(options.dataDirectory, undefined, options.store);
	if (await store.exists()) return false;
	await store.ensureDirectory();
	const keys = await loadOrCreateKeys(options.dataDirectory);
	store.bindKeys(fingerprintsOf(keys));
	const {CertificationAuthority} = await import('../pki/authority.js');
	const authority = await CertificationAuthority.open(options.dataDirectory, systemClock, {create: true});
	const created = await store.initialize(() => emptyDatabase());
	if (created) await publishCrl(store, authority, systemClock);
	return created;
}
