import {writeFile} from 'node:fs/promises';
import {resolve} from 'node:path';
import {assertFirstAccessDone} from '../account/first-access.js';
import {assertLiveSession} from '../account/sessions.js';
import {FolderClock, type Clock} from '../clock.js';
import {DomainError} from '../errors.js';
import {fingerprintsOf} from '../key-binding.js';
import type {OtpKeys} from '../keys.js';
import {messagesFor} from '../notify/messages/messages.js';
import type {OutboxStore} from '../notify/outbox.js';
import {Reports} from '../notify/reports.js';
import {Challenges} from '../otp/challenges.js';
import {OtpService} from '../otp/service.js';
import type {CertificationAuthority} from '../pki/authority.js';
import type {Database} from '../store/schema.js';
import {Store} from '../store/store.js';
import type {SignatureLogStore} from '../history/signature-log.js';
import {outboxOf, signatureLogOf} from '../store/postgres/logs.js';
import type {PortalOptions, Session} from './types.js';

/*
 * What every area service of the portal shares (see portal.ts): the store, the clock, the keys,
 * the outbox and the session checks. Built once per portal and handed to each service; never
 * handed out of the core.
 */

/**
 * Writes a file the user asked for, refusing to replace an existing one (or to follow a link
 * there); returns its absolute path. The path is used exactly as given: nothing is trimmed.
 */
export async function writeNewFile(path: string, content: string | Buffer, mode = 0o644): Promise<string> {
	if (path === '') throw new DomainError('download.noPath');
	const target = resolve(path);
	try {
		await writeFile(target, content, {flag: 'wx', mode});
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EEXIST') throw new DomainError('download.exists', {path: target});
		throw new DomainError('download.failed', {path: target, reason: code ?? 'error'});
	}
	return target;
}

/** Reissues pki/crl.pem from the certificates' states in the store, with the next CRL Number. */
export async function publishCrl(store: Store, authority: CertificationAuthority, clock: Clock): Promise<void> {
	const {issueCrl} = await import('../pki/crl.js');
	await issueCrl(store, authority, clock);
}

export class PortalContext {
	readonly store: Store;
	readonly clock: Clock;
	readonly outbox: OutboxStore;
	readonly terminal: string;
	readonly otp: OtpService;
	readonly challenges: Challenges;
	readonly signatureLog: SignatureLogStore;
	readonly reports: Reports;
	/** The newest database this process read or wrote (for the one synchronous holder query). */
	lastSnapshot: Database | undefined;
	/** Takes in every database this process reads or writes: the folder's clock and `lastSnapshot`. */
	readonly seen: (db: Database) => void;

	constructor(
		options: PortalOptions,
		readonly keys: OtpKeys,
	) {
		const folderClock = options.clock ? undefined : new FolderClock();
		this.seen = db => {
			// A view of no holder (settings, a coupon, the CRL) says nothing of the session's holder.
			if (db.holders.length > 0) this.lastSnapshot = db;
			folderClock?.observe(db.clock);
		};
		this.store = new Store(options.dataDirectory, this.seen, options.store);
		this.store.bindKeys(fingerprintsOf(keys));
		this.clock = options.clock ?? folderClock!;
		this.terminal = options.terminal ?? 'terminal';
		// A holder's change is logged under this process's terminal, the acting session's (see notify/changes.ts).
		this.store.actingTerminal = this.terminal;
		// The logs beside the documents: the folder's files, or the database its store is in.
		const url = this.store.url;
		this.outbox = outboxOf(options.dataDirectory, url);
		this.challenges = new Challenges(this.store, this.clock, this.outbox, keys);
		this.otp = new OtpService(this.store, this.clock, keys, this.challenges);
		this.signatureLog = signatureLogOf(options.dataDirectory, url);
		this.reports = new Reports(this.store, this.outbox, this.signatureLog, this.clock, this.challenges);
	}

	/**
	 * Every holder operation starts here, whoever calls it (portal, phone, command line): an open
	 * session of that very holder, not ended elsewhere, not timed out, not paired with another
	 * userID; otherwise `auth.sessionExpired` before anything is read for it or stored. And a
	 * finished first access: a password of one's own and a secret question (recovery needs both
	 * factors); until then only the first-access operations answer (`requireLiveSession`: the
	 * account view, the password, the secret question, the sessions, the dashboard).
	 */
	async requireSession(session: Session): Promise<void> {
		await this.liveSnapshot(session);
	}

	async requireLiveSession(session: Session): Promise<void> {
		await this.liveSnapshotDuringSetup(session);
	}

	/** The database as it is now, once the session is known to be live and first access done (see `requireSession`). */
	async liveSnapshot(session: Session): Promise<Database> {
		const db = await this.liveSnapshotDuringSetup(session);
		assertFirstAccessDone(db, session.userId);
		return db;
	}

	/** `liveSnapshot` for what first access itself needs. */
	async liveSnapshotDuringSetup(session: Session): Promise<Database> {
		const db = await this.store.read(session.userId);
		assertLiveSession(db, session, this.clock.now());
		return db;
	}

	async notifyHolder(input: {userId: string; to: string; subject: string; text: string}): Promise<void> {
		const {sendEmail} = await import('../notify/email.js');
		await sendEmail(this.store, this.outbox, {...input, at: this.clock.now()});
	}

	async sendEnvelope(input: {userId: string; to: string; name: string; surname: string; language: 'it' | 'en' | null; pdf: Buffer; at: Date}): Promise<void> {
		const {sendEmail} = await import('../notify/email.js');
		await sendEmail(this.store, this.outbox, {
			userId: input.userId,
			to: input.to,
			...messagesFor(input.language).renewalEnvelope({name: input.name, surname: input.surname}),
			at: input.at,
			attachments: [{filename: 'BustaCifrata-ERC.pdf', content: input.pdf, contentType: 'application/pdf'}],
		});
	}

	/** The local CA, opened (and checked: missing, or a key that is not its certificate's) before a change needs it. */
	async authority(): Promise<CertificationAuthority> {
		const {CertificationAuthority} = await import('../pki/authority.js');
		return CertificationAuthority.open(this.store.directory, this.clock);
	}

	async publishCrl(): Promise<void> {
		await publishCrl(this.store, await this.authority(), this.clock);
	}
}
