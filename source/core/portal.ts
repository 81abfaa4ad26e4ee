import {checkPassword, PASSWORD_SPECIALS, type PasswordContext, type PasswordVerdict} from './account/password-policy.js';
import {SUGGESTED_QUESTIONS} from './account/secret-question.js';
import {loadBoundKeys} from './key-binding.js';
import {NO_HOLDER, Store} from './store/store.js';
import {AccountService, RecoveryService} from './portal/account.js';
import {AdminService} from './portal/admin.js';
import {CertificateService} from './portal/certificate.js';
import {PortalContext} from './portal/context.js';
import {createDemo, createLive, DemoService, type DemoCreation} from './portal/demo.js';
import {FolderService} from './portal/folder.js';
import {HistoryService} from './portal/history.js';
import {MailboxService} from './portal/mailbox.js';
import {OtpAreaService} from './portal/otp.js';
import {PhoneService} from './portal/phone.js';
import {PinService} from './portal/pin.js';
import {RenewalService} from './portal/renewal.js';
import {SessionService} from './portal/sessions.js';
import {SigningService} from './portal/signing.js';
import type {PortalOptions} from './portal/types.js';

export type * from './portal/types.js';
export type {DemoCreation} from './portal/demo.js';
export type {OutboxAttachment} from './portal/mailbox.js';

/*
 * What the TUI, the phone companion and the CLI call: a composition root over one small service
 * per area (source/core/portal/), all sharing one context (the store, the clock, the keys, the
 * outbox and the session checks: portal/context.ts) that never leaves the core. Every rule is
 * enforced behind the services, so no front end can skip a step; every holder operation takes
 * the session first and checks it (test/core/holder-operations.test.ts walks them all).
 */
export class Portal {
	/** Logging in and out, the session's state, "Dispositivi e sessioni", CLI sessions. */
	readonly sessions: SessionService;
	/** The dashboard, the certificate's details and downloads, the suspension. */
	readonly certificate: CertificateService;
	/** "Rinnova firma digitale", "Richiedi nuovo certificato", coupons, RAO. */
	readonly renewal: RenewalService;
	/** "PIN di firma". */
	readonly pin: PinService;
	/** "Firma documenti" and the verification of a .p7m. */
	readonly signing: SigningService;
	/** "Cronologia firme", "Visualizza accessi", "Report". */
	readonly history: HistoryService;
	/** "Gestisci il tuo account". */
	readonly account: AccountService;
	/** "Hai dimenticato la password?" and the userID reminder (anonymous). */
	readonly recovery: RecoveryService;
	/** "Codici OTP". */
	readonly otp: OtpAreaService;
	/** The phone companion (the holder's own phone). */
	readonly phone: PhoneService;
	/** Operator commands (`mysign admin`, `mysign status`). */
	readonly admin: AdminService;
	/** The data folder: its settings, clock and CRL. */
	readonly folder: FolderService;
	/** The trainer's scenarios and room reset. */
	readonly demo: DemoService;
	/** The outbox (`mysign outbox`). */
	readonly mailbox: MailboxService;
	/** The data folder this portal opened. */
	readonly dataDirectory: string;

	private constructor(private readonly context: PortalContext) {
		this.dataDirectory = context.store.directory;
		this.sessions = new SessionService(context);
		this.certificate = new CertificateService(context);
		this.renewal = new RenewalService(context);
		this.pin = new PinService(context);
		this.signing = new SigningService(context);
		this.history = new HistoryService(context);
		this.account = new AccountService(context);
		this.recovery = new RecoveryService(context);
		this.otp = new OtpAreaService(context);
		this.phone = new PhoneService(context);
		this.admin = new AdminService(context);
		this.folder = new FolderService(context);
		this.demo = new DemoService(context);
		this.mailbox = new MailboxService(context);
	}

	/**
	 * Opens the data folder; the database must exist and be valid (see `createDemo`), and its keys
	 * be the ones it records. Creates nothing: a wrong --data is refused as it is.
	 */
	static async open(options: PortalOptions): Promise<Portal> {
		// One read of db.json (no holder's document) refuses a missing, unreadable or invalid file; each holder's is checked when used.
		const snapshot = await new Store(options.dataDirectory, undefined, options.store).read(NO_HOLDER);
		// Before anything else uses a key: a missing or different one stops here (see key-binding.ts).
		const context = new PortalContext(options, await loadBoundKeys(options.dataDirectory, snapshot.keys));
		// The folder's clock comes from this same read (a training folder's time decides what is over).
		context.seen(snapshot);
		const portal = new Portal(context);
		await portal.folder.refreshCertificates();
		return portal;
	}

	/**
	 * The portal is being closed (Ctrl-C, SIGHUP, SIGTERM): every session this process opened ends
	 * in the store, logged as `session-closed` (see `SessionService.closeOwn`).
	 */
	closeOwnSessions(): Promise<void> {
		return this.sessions.closeOwn();
	}

	/** The data folder's time (real, or a training folder's): a countdown or an expiry is read against it. */
	now(): Date {
		return this.context.clock.now();
	}

	/**
	 * The embedded default: the demo data set in a folder without a database. With one, nothing
	 * (not even the seed is read): `open` checks it, and refuses an invalid one as `createDemo` would.
	 */
	static async createDemoIfMissing(options: PortalOptions): Promise<void> {
		if (await new Store(options.dataDirectory, undefined, options.store).exists()) return;
		await createDemo(options);
	}

	/** Creates (or with `reset`, recreates) the demo data set. Returns the demo credentials and whether it wrote. */
	static createDemo(options: PortalOptions & {reset?: boolean}): Promise<DemoCreation> {
		return createDemo(options);
	}

	/**
	 * A live database (real time, no demo holders) in a folder without one: its keys, its CA and
	 * an empty CRL are created with it. `mysign admin enroll` on a folder without a database.
	 * Returns false (and changes nothing) when the folder already has one.
	 */
	static createLive(options: Pick<PortalOptions, 'dataDirectory'>): Promise<boolean> {
		return createLive(options);
	}

	/** What the password rules say of a candidate (also `portal.account.checkPassword`, for the interface). */
	static checkPassword(password: string, context: PasswordContext): PasswordVerdict {
		return checkPassword(password, context);
	}

	static readonly passwordSpecials = PASSWORD_SPECIALS;
	static readonly suggestedQuestions: readonly string[] = SUGGESTED_QUESTIONS;
}
