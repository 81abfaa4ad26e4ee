import {randomUUID} from 'node:crypto';
import {login as attemptLogin, MAX_IDENTIFIER_LENGTH, type LoginResult} from './auth/login.js';
import {certificateState, currentCertificate, maskIut, type CertificateState} from './certificate/record.js';
import {systemClock, type Clock} from './clock.js';
import {buildDemoDatabase, demoCredentials, readSeed, type DemoCredential} from './demo/demo.js';
import {DomainError} from './errors.js';
import {loadOrCreateKey} from './keys.js';
import {seedFile} from './paths.js';
import {Store} from './store/store.js';
import type {Settings} from './settings.js';

/*
 * The one facade the TUI and the CLI call. It owns the store, the clock and the keys; every
 * rule is enforced behind it, so no front end can skip a step.
 */

export interface Session {
	readonly id: string;
	readonly userId: string;
	readonly startedAt: Date;
}

export interface CertificateView {
	state: CertificateState;
	activatedAt: Date;
	expiresAt: Date;
	iutMasked: string;
	serial: string;
	holder: {name: string; surname: string; commonName: string; country: string};
	issuer: {commonName: string; organization: string; organizationalUnit: string; country: string};
}

export interface DashboardView {
	userId: string;
	name: string;
	surname: string;
	certificate: CertificateView | undefined;
}

export type PortalLoginResult = {kind: 'success'; session: Session} | Exclude<LoginResult, {kind: 'success'}>;

export interface PortalOptions {
	dataDirectory: string;
	clock?: Clock;
	/** How this terminal is described in the access log, e.g. "pts/3 ssh 10.0.0.7". */
	terminal?: string;
}

export class Portal {
	readonly store: Store;
	readonly clock: Clock;
	private readonly terminal: string;

	private constructor(
		options: PortalOptions,
		private readonly pepper: Buffer,
	) {
		this.store = new Store(options.dataDirectory);
		this.clock = options.clock ?? systemClock;
		this.terminal = options.terminal ?? 'terminal';
	}

	/** Opens the data folder; the database must exist and be valid (see `createDemo`). */
	static async open(options: PortalOptions): Promise<Portal> {
		const store = new Store(options.dataDirectory);
		await store.ensureDirectory();
		const pepper = await loadOrCreateKey(options.dataDirectory, 'pepper');
		const portal = new Portal(options, pepper);
		await portal.store.read(); // refuse to start on a missing, unreadable or invalid file
		return portal;
	}

	/** Creates (or with `reset`, recreates) the demo data set. Returns the demo credentials and whether it wrote. */
	static async createDemo(options: PortalOptions & {reset?: boolean}): Promise<{created: boolean; credentials: DemoCredential[]}> {
		const store = new Store(options.dataDirectory);
		await store.ensureDirectory();
		const pepper = await loadOrCreateKey(options.dataDirectory, 'pepper');
		const seed = await readSeed(seedFile());
		const created = await store.initialize(() => buildDemoDatabase(seed, options.clock ?? systemClock, pepper), {replace: options.reset ?? false});
		return {created, credentials: demoCredentials(seed)};
	}

	async settings(): Promise<Settings> {
		return (await this.store.read()).settings;
	}

	async login(identifier: string, password: string): Promise<PortalLoginResult> {
		if (identifier.trim().length === 0 || identifier.length > MAX_IDENTIFIER_LENGTH) {
			// Same answer as a wrong password: length says nothing about existence.
			identifier = identifier.slice(0, MAX_IDENTIFIER_LENGTH);
		}
		const result = await attemptLogin(this.store, this.clock, this.pepper, {identifier, password, terminal: this.terminal});
		if (result.kind !== 'success') return result;
		return {kind: 'success', session: {id: randomUUID(), userId: result.holder.userId, startedAt: this.clock.now()}};
	}

	async dashboard(session: Session): Promise<DashboardView> {
		const db = await this.store.read();
		const holder = db.holders.find(entry => entry.userId === session.userId);
		if (!holder) throw new DomainError('auth.sessionExpired');
		return {
			userId: holder.userId,
			name: holder.name,
			surname: holder.surname,
			certificate: this.certificateOf(db.certificates, holder),
		};
	}

	private certificateOf(certificates: Parameters<typeof currentCertificate>[0], holder: {userId: string; name: string; surname: string}): CertificateView | undefined {
		const record = currentCertificate(certificates, holder.userId);
		if (!record) return undefined;
		return {
			state: certificateState(record, this.clock),
			activatedAt: new Date(record.activatedAt),
			expiresAt: new Date(record.expiresAt),
			iutMasked: maskIut(record.iut),
			serial: record.serial,
			holder: {name: holder.name, surname: holder.surname, commonName: `${holder.name} ${holder.surname}`, country: 'IT'},
			issuer: record.issuer,
		};
	}
}
