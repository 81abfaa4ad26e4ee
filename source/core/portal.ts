import {rm, writeFile} from 'node:fs/promises';
import {basename, join, resolve} from 'node:path';
import {Account, type AccountView} from './account/account.js';
import {checkPassword, PASSWORD_SPECIALS, type PasswordContext, type PasswordVerdict} from './account/password-policy.js';
import {PasswordRecovery, type RecoveryNext} from './account/recovery.js';
import {assertFirstAccessDone} from './account/first-access.js';
import {SUGGESTED_QUESTIONS} from './account/secret-question.js';
import {assertLiveSession, Sessions, type SessionStatus} from './account/sessions.js';
import {AppLogin, type AppLoginOffer} from './auth/app-login.js';
import {login as attemptLogin, MAX_IDENTIFIER_LENGTH, type LoginResult} from './auth/login.js';
import type {CertificateDetails} from './certificate/details.js';
import type {PendingRenewal, Renewals, RenewalWindow} from './certificate/renewal.js';
import type {SuspensionRequest} from './certificate/suspension.js';
import {certificateState, currentCertificate, maskIut, suspensionIsOver, type CertificateState} from './certificate/record.js';
import {certificateLifecycle, type Lifecycle} from './certificate/lifecycle.js';
import {FolderClock, systemClock, type Clock} from './clock.js';
import {assertFolderOperator} from './operator.js';
import {changeFolderTime, describeFolderTime, type ClockChange, type FolderClockView} from './clock-control.js';
import {buildDemoDatabase, demoCredentials, demoHistories, demoOperators, readSeed, type DemoCredential} from './demo/demo.js';
import {DomainError} from './errors.js';
import {fingerprintsOf, loadBoundKeys} from './key-binding.js';
import {loadOrCreateKey} from './keys.js';
import {messagesFor, messagesOf} from './notify/messages/messages.js';
import {Outbox, type OutboxMessage} from './notify/outbox.js';
import {Challenges, type ChallengeView, type OtpKeys} from './otp/challenges.js';
import {OtpService, type AppActivation, type OtpOverview} from './otp/service.js';
import {secondsLeft, totpCode} from './otp/totp.js';
import {seedFile} from './paths.js';
import {pkiFiles} from './pki/files.js';
import type {Settings} from './settings.js';
import type {CertificationAuthority} from './pki/authority.js';
import {emptyDatabase, type AccessEntry, type CertificateRecord, type Database, type OtpChannel, type SessionRecord} from './store/schema.js';
import {readRegularFile} from './store/safe-file.js';
import {Store} from './store/store.js';
import {SignatureLog, type SignatureRecord} from './history/signature-log.js';
import {queryHistory, queryPositions, type HistoryFilter, type HistoryPage} from './history/query.js';
import {accessSucceeded} from './history/access-log.js';
import {Reports, type ReportFrequency, type ReportSettings, type ReportUpdate} from './notify/reports.js';
import type {DocumentToSign} from './signing/documents.js';
import type {SignedDocument, Signer, SigningResult} from './signing/signer.js';
import type {SignatureVerification} from './signing/verification.js';
import type {Admin} from './admin/admin.js';
import type {EnrolledHolder, EnrollmentInput, EnrollmentSecrets} from './admin/enrollment.js';
import type {Scenario} from './demo/scenarios.js';
import type {RoomResetResult} from './demo/room-reset.js';

/*
 * The one facade the TUI, the phone companion and the CLI call. It owns the store, the clock
 * and the keys; every rule is enforced behind it, so no front end can skip a step.
 */

export interface Session {
	readonly id: string;
	readonly userId: string;
	readonly startedAt: Date;
}

export interface CertificateView {
	state: CertificateState;
	/** While suspended: when it becomes active again. */
	suspendedUntil: Date | null;
	/** When an operator revoked it (null otherwise). */
	revokedAt: Date | null;
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
	/** "Richiedi nuovo certificato": offered when an operator flagged the holder or the certificate expired. */
	replacement: {allowed: boolean; deadline: Date | null};
	/** Where the certificate is in its life and the next step that exists from there (certificate/lifecycle.ts). */
	lifecycle: Lifecycle | undefined;
	/** Enrolled with an initial password: the portal asks for a new one before anything else. */
	mustChangePassword: boolean;
	/** No secret question yet: the portal asks for one before anything else (recovery needs it). */
	needsSecretQuestion: boolean;
	language: 'it' | 'en' | null;
}

export interface AuthenticatorReading {
	device: 'app' | 'token';
	code: string;
	secondsLeft: number;
}

export type PortalLoginResult = {kind: 'success'; session: Session} | Exclude<LoginResult, {kind: 'success'}>;
export type {Admin, EnrolledHolder, EnrollmentInput, Scenario};
export type {AccountView, PasswordVerdict, PasswordContext, RecoveryNext, SessionStatus, SessionRecord};
export type {DocumentToSign, SignedDocument, SigningResult, SignatureRecord, SignatureVerification, HistoryFilter, HistoryPage, AccessEntry, ReportSettings, ReportFrequency, ReportUpdate};
export type {AppActivation, AppLoginOffer, CertificateDetails, PendingRenewal, RenewalWindow, SuspensionRequest, ChallengeView, OtpOverview, OutboxMessage};

export interface PortalOptions {
	dataDirectory: string;
	/**
	 * Tests only: a clock injected in-process. Every front end leaves it out and runs on the data
	 * folder's clock (real time, or a training folder's simulated time: see clock.ts).
	 */
	clock?: Clock;
	/** How this terminal is described in the access log, e.g. "pts/3 ssh 10.0.0.7". */
	terminal?: string;
}

/**
 * Writes a file the user asked for, refusing to replace an existing one (or to follow a link
 * there); returns its absolute path. The path is used exactly as given: nothing is trimmed.
 */
async function writeNewFile(path: string, content: string | Buffer, mode = 0o644): Promise<string> {
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
async function publishCrl(store: Store, authority: CertificationAuthority, clock: Clock): Promise<void> {
	const {issueCrl} = await import('./pki/crl.js');
	await issueCrl(store, authority, clock);
}

/** The demo holders' past signatures, replacing whatever history the folder had. */
async function writeDemoHistories(dataDirectory: string, seed: Awaited<ReturnType<typeof readSeed>>, db: Database, now: Date): Promise<void> {
	const log = new SignatureLog(dataDirectory);
	await rm(log.directory, {recursive: true, force: true});
	for (const [userId, records] of demoHistories(seed, db, now)) await log.replace(userId, records);
}

/** Creates the keys where missing: only with a new database (see key-binding.ts). */
async function loadOrCreateKeys(dataDirectory: string): Promise<OtpKeys> {
	const [pepper, totpKey] = await Promise.all([loadOrCreateKey(dataDirectory, 'pepper'), loadOrCreateKey(dataDirectory, 'totp')]);
	return {pepper, totpKey};
}

export class Portal {
	readonly store: Store;
	readonly clock: Clock;
	readonly outbox: Outbox;
	private readonly terminal: string;
	private readonly otpService: OtpService;
	private readonly appLogin: AppLogin;
	private readonly signatureLog: SignatureLog;
	private readonly reports: Reports;
	private readonly sessions: Sessions;
	/** Sessions this process opened and has not logged out: ended when the portal is closed (`closeOwnSessions`). */
	private readonly ownSessions = new Map<string, string>();
	private readonly accounts: Account;
	private readonly recovery: PasswordRecovery;
	/** The newest database this process read or wrote (for the one synchronous holder query). */
	private lastSnapshot: Database | undefined;
	/** Takes in every database this process reads or writes: the folder's clock and `lastSnapshot`. */
	private readonly seen: (db: Database) => void;

	private constructor(
		options: PortalOptions,
		private readonly keys: OtpKeys,
	) {
		const folderClock = options.clock ? undefined : new FolderClock();
		this.seen = db => {
			this.lastSnapshot = db;
			folderClock?.observe(db.clock);
		};
		this.store = new Store(options.dataDirectory, this.seen);
		this.store.bindKeys(fingerprintsOf(keys));
		this.clock = options.clock ?? folderClock!;
		this.terminal = options.terminal ?? 'terminal';
		// A holder's change is logged under this process's terminal, the acting session's (see notify/changes.ts).
		this.store.actingTerminal = this.terminal;
		this.outbox = new Outbox(options.dataDirectory);
		this.otpService = new OtpService(this.store, this.clock, keys, new Challenges(this.store, this.clock, this.outbox, keys));
		this.appLogin = new AppLogin(this.store, this.clock, keys.pepper, this.terminal);
		this.signatureLog = new SignatureLog(options.dataDirectory);
		this.reports = new Reports(this.store, this.outbox, this.signatureLog, this.clock, this.otpService.challenges);
		this.sessions = new Sessions(this.store, this.clock);
		const notify = (input: {userId: string; to: string; subject: string; text: string}) => this.notifyHolder(input);
		this.accounts = new Account(this.store, this.clock, keys.pepper, this.otpService.challenges);
		this.recovery = new PasswordRecovery(this.store, this.clock, keys.pepper, this.otpService.challenges, notify, this.terminal);
	}

	/**
	 * Opens the data folder; the database must exist and be valid (see `createDemo`), and its keys
	 * be the ones it records. Creates nothing: a wrong --data is refused as it is.
	 */
	static async open(options: PortalOptions): Promise<Portal> {
		// One read both refuses a missing, unreadable or invalid file and finds suspensions that are over.
		const snapshot = await new Store(options.dataDirectory).read();
		// Before anything else uses a key: a missing or different one stops here (see key-binding.ts).
		const portal = new Portal(options, await loadBoundKeys(options.dataDirectory, snapshot.keys));
		// The folder's clock comes from this same read (a training folder's time decides what is over).
		portal.seen(snapshot);
		await portal.refreshCertificates({snapshot});
		return portal;
	}

	/**
	 * The embedded default: the demo data set in a folder without a database. With one, nothing
	 * (not even the seed is read): `open` checks it, and refuses an invalid one as `createDemo` would.
	 */
	static async createDemoIfMissing(options: PortalOptions): Promise<void> {
		if (await new Store(options.dataDirectory).exists()) return;
		await Portal.createDemo(options);
	}

	/** Creates (or with `reset`, recreates) the demo data set. Returns the demo credentials and whether it wrote. */
	static async createDemo(options: PortalOptions & {reset?: boolean}): Promise<{created: boolean; credentials: DemoCredential[]; operators: {userId: string; name: string; password: string}[]}> {
		const store = new Store(options.dataDirectory);
		const seed = await readSeed(seedFile());
		const clock = options.clock ?? systemClock;
		// The CA (and its heavy libraries) is needed only when there is something to issue.
		if (!options.reset && (await store.exists())) {
			// An invalid file is reported, never replaced; nor are its keys, which must be its own.
			await loadBoundKeys(options.dataDirectory, (await store.read()).keys);
			return {created: false, credentials: demoCredentials(seed), operators: demoOperators(seed)};
		}
		// Replacing a room is the trainer's (the folder's owner: see operator.ts).
		if (options.reset && (await store.exists())) assertFolderOperator(options.dataDirectory);
		// A new database: the folder and any missing key are created with it, and it records the keys.
		await store.ensureDirectory();
		const keys = await loadOrCreateKeys(options.dataDirectory);
		store.bindKeys(fingerprintsOf(keys));
		const {CertificationAuthority} = await import('./pki/authority.js');
		if (options.reset) {
			// A reset room starts from nothing: a new CA (every earlier certificate stops verifying,
			// revoked ones included) and an empty outbox (its numbering restarts with the database).
			await rm(pkiFiles(options.dataDirectory).directory, {recursive: true, force: true});
			await rm(new Outbox(options.dataDirectory).directory, {recursive: true, force: true});
			await rm(store.accessLog.directory, {recursive: true, force: true});
		}
		const authority = await CertificationAuthority.open(options.dataDirectory, clock, {create: true});
		const created = await store.initialize(() => buildDemoDatabase(seed, clock, keys, authority), {replace: options.reset ?? false});
		if (created) {
			await publishCrl(store, authority, clock);
			await writeDemoHistories(options.dataDirectory, seed, await store.read(), clock.now());
		}
		return {created, credentials: demoCredentials(seed), operators: demoOperators(seed)};
	}

	/**
	 * A live database (real time, no demo holders) in a folder without one: its keys, its CA and
	 * an empty CRL are created with it. `mysign admin enroll` on a folder without a database.
	 * Returns false (and changes nothing) when the folder already has one.
	 */
	static async createLive(options: Pick<PortalOptions, 'dataDirectory'>): Promise<boolean> {
		const store = new Store(options.dataDirectory);
		if (await store.exists()) return false;
		await store.ensureDirectory();
		const keys = await loadOrCreateKeys(options.dataDirectory);
		store.bindKeys(fingerprintsOf(keys));
		const {CertificationAuthority} = await import('./pki/authority.js');
		const authority = await CertificationAuthority.open(options.dataDirectory, systemClock, {create: true});
		const created = await store.initialize(() => emptyDatabase());
		if (created) await publishCrl(store, authority, systemClock);
		return created;
	}

	async settings(): Promise<Settings> {
		return (await this.store.read()).settings;
	}

	// ── The folder's clock (`mysign clock`) ──────────────────────────────────────────────

	/** The data folder's time: real in a live folder, the trainer's in a training folder. */
	async folderClock(): Promise<FolderClockView> {
		return describeFolderTime((await this.store.read()).clock);
	}

	/**
	 * Sets, advances or resets a training folder's clock (a live folder refuses), then ends the
	 * suspensions that are over at the new time and reissues the CRL, stamped with it.
	 */
	async changeFolderClock(change: ClockChange): Promise<FolderClockView> {
		assertFolderOperator(this.store.directory);
		const view = await changeFolderTime(this.store, change);
		await this.refreshCertificates({always: true});
		return view;
	}

	// ── Access ────────────────────────────────────────────────────────────────────────────

	async login(identifier: string, password: string): Promise<PortalLoginResult> {
		// An empty or overlong identifier gets the same answer as a wrong password.
		const result = await attemptLogin(this.store, this.clock, this.keys.pepper, {identifier: identifier.slice(0, MAX_IDENTIFIER_LENGTH), password, terminal: this.terminal});
		if (result.kind !== 'success') return result;
		return {kind: 'success', session: await this.newSession(result.holder.userId)};
	}

	/** "Accedi con l'app": a code for the login screen; see `pollAppLogin`. */
	offerAppLogin(): Promise<AppLoginOffer> {
		return this.appLogin.offer();
	}

	async pollAppLogin(offerId: string): Promise<{state: 'pending' | 'expired' | 'denied'} | {state: 'approved'; session: Session}> {
		const result = await this.appLogin.poll(offerId);
		return result.state === 'approved' ? {state: 'approved', session: await this.newSession(result.userId)} : result;
	}

	private async newSession(userId: string): Promise<Session> {
		const record = await this.sessions.open(userId, this.terminal);
		this.ownSessions.set(record.id, userId);
		return {id: record.id, userId, startedAt: new Date(record.startedAt)};
	}

	/**
	 * A command-line session (`mysign sign` without the password each time): a random secret for
	 * this live session, of which the store keeps only a hash; see `resumeCliSession`.
	 */
	async cliSessionSecret(session: Session): Promise<string> {
		await this.requireSession(session);
		const {attachSecret} = await import('./account/cli-session.js');
		return attachSecret(this.store, this.clock, session);
	}

	/** The CLI session whose secret this is, if still live (counts as activity); `auth.sessionExpired` otherwise. */
	async resumeCliSession(input: {userId: string; sessionId: string; secret: string}): Promise<Session> {
		const {findBySecret} = await import('./account/cli-session.js');
		const record = await findBySecret(this.store, this.clock, input);
		const status = await this.sessions.status(record, {touch: true});
		if (status.state !== 'active') throw new DomainError('auth.sessionExpired');
		return {id: record.id, userId: record.userId, startedAt: new Date(record.startedAt)};
	}

	/** "Esci": ends the session here and for every other process. */
	logout(session: Session): Promise<void> {
		// Only the holder's own session: an id paired with another userID ends nothing.
		this.ownSessions.delete(session.id);
		return this.sessions.end(session.id, 'logout', session.userId);
	}

	/**
	 * The portal is being closed (Ctrl-C, SIGHUP, SIGTERM): every session this process opened ends
	 * in the store ("Dispositivi e sessioni" no longer lists it), logged as `session-closed`.
	 * Sessions already ended elsewhere stay as they were. The caller bounds the wait.
	 */
	async closeOwnSessions(): Promise<void> {
		const open = [...this.ownSessions];
		this.ownSessions.clear();
		for (const [id, userId] of open) await this.sessions.end(id, 'closed', userId);
	}

	/**
	 * Whether the session is still open (it may have timed out, or been ended from another
	 * session); `touch` records a key press, which keeps it alive.
	 */
	sessionStatus(session: Session, options: {touch?: boolean} = {}): Promise<SessionStatus> {
		return this.sessions.status(session, options);
	}

	/** "Dispositivi e sessioni": the holder's open sessions, newest first. */
	async openSessions(session: Session): Promise<SessionRecord[]> {
		await this.requireLiveSession(session);
		return this.sessions.list(session.userId);
	}

	/** "Esci da tutte le altre sessioni"; returns how many were ended. */
	async endOtherSessions(session: Session): Promise<number> {
		await this.requireLiveSession(session);
		return this.sessions.endOthers(session.userId, session.id);
	}

	// ── Dashboard and certificate ─────────────────────────────────────────────────────────

	async dashboard(session: Session): Promise<DashboardView> {
		// During first access too: it tells the portal to ask for the password and the question.
		const db = await this.liveSnapshotDuringSetup(session);
		const holder = db.holders.find(entry => entry.userId === session.userId);
		if (!holder) throw new DomainError('auth.sessionExpired');
		const certificate = this.certificateOf(db.certificates, holder);
		const deadline = holder.replacementDeadline ? new Date(holder.replacementDeadline) : null;
		const record = currentCertificate(db.certificates, holder.userId);
		const lifecycle = record ? certificateLifecycle(record, holder, this.clock.now(), db.settings.renewalWindowDays) : undefined;
		return {
			userId: holder.userId,
			name: holder.name,
			surname: holder.surname,
			certificate,
			replacement: {allowed: lifecycle?.replacementAllowed ?? false, deadline},
			lifecycle,
			mustChangePassword: holder.mustChangePassword,
			needsSecretQuestion: holder.secretQuestion === null,
			language: holder.language,
		};
	}

	private certificateOf(certificates: readonly CertificateRecord[], holder: {userId: string; name: string; surname: string}): CertificateView | undefined {
		const record = currentCertificate(certificates, holder.userId);
		if (!record) return undefined;
		return {
			state: certificateState(record, this.clock),
			suspendedUntil: record.suspendedUntil ? new Date(record.suspendedUntil) : null,
			revokedAt: record.status === 'revoked' && record.revokedAt ? new Date(record.revokedAt) : null,
			activatedAt: new Date(record.activatedAt),
			expiresAt: new Date(record.expiresAt),
			iutMasked: maskIut(record.iut),
			serial: record.serial,
			holder: {name: holder.name, surname: holder.surname, commonName: `${holder.name} ${holder.surname}`, country: 'IT'},
			issuer: record.issuer,
		};
	}

	/** What the X.509 certificate itself declares (fingerprint, policies, QC statements). */
	async certificateDetails(session: Session): Promise<CertificateDetails> {
		const record = await this.currentRecord(session);
		const {certificateDetails} = await import('./certificate/details.js');
		return certificateDetails(record.pem);
	}

	/** "Scarica": writes the current certificate as PEM or DER to `path` (never over an existing file). */
	async exportCertificate(session: Session, format: 'pem' | 'der', path: string): Promise<string> {
		const record = await this.currentRecord(session);
		const {certificateDer} = await import('./certificate/details.js');
		return writeNewFile(path, format === 'pem' ? record.pem.trimEnd() + '\n' : certificateDer(record.pem));
	}

	/** "Scarica il modulo di revoca": a PDF pre-filled with the holder's data, written to `path` (never over a file). */
	async exportRevocationForm(session: Session, path: string): Promise<string> {
		const record = await this.currentRecord(session);
		const holder = (await this.store.read()).holders.find(entry => entry.userId === session.userId)!;
		const {buildRevocationForm} = await import('./certificate/revocation-form.js');
		const pdf = await buildRevocationForm({
			name: holder.name,
			surname: holder.surname,
			codiceFiscale: holder.codiceFiscale,
			userId: holder.userId,
			iut: record.iut,
			serial: record.serial,
			certificateSerial: record.certificateSerial,
			expiresAt: new Date(record.expiresAt),
			date: this.clock.now(),
		});
		return writeNewFile(path, pdf);
	}

	async suggestedRevocationFormFile(session: Session): Promise<string> {
		await this.requireSession(session);
		return resolve(process.cwd(), `modulo-revoca-${session.userId}.pdf`);
	}

	/** Where "Scarica" proposes to save: TINIT-<codice fiscale>.pem (or .cer) in the current folder. */
	async suggestedCertificateFile(session: Session, format: 'pem' | 'der'): Promise<string> {
		const record = await this.currentRecord(session);
		return resolve(process.cwd(), `${record.serial}.${format === 'pem' ? 'pem' : 'cer'}`);
	}

	private async currentRecord(session: Session): Promise<CertificateRecord> {
		const record = currentCertificate((await this.liveSnapshot(session)).certificates, session.userId);
		if (!record) throw new DomainError('certificate.none');
		return record;
	}

	// ── "Rinnova firma digitale" ──────────────────────────────────────────────────────────

	private renewalService: Promise<Renewals> | undefined;

	/** The renewal procedure, loaded on first use (it needs the PKI libraries). */
	private renewals(): Promise<Renewals> {
		this.renewalService ??= (async () => {
			const [{Renewals}, {CertificationAuthority}] = await Promise.all([import('./certificate/renewal.js'), import('./pki/authority.js')]);
			return new Renewals(
				this.store,
				this.clock,
				this.keys.pepper,
				this.otpService.challenges,
				() => CertificationAuthority.open(this.store.directory, this.clock),
				() => this.publishCrl(),
				envelope => this.sendEnvelope(envelope),
			);
		})();
		return this.renewalService;
	}

	async renewalWindow(session: Session): Promise<RenewalWindow> {
		await this.requireSession(session);
		return (await this.renewals()).window(session.userId);
	}

	/** "Rinnova con Coupon": checks a coupon before the consents (it is spent only at activation). */
	async checkCoupon(session: Session, code: string): Promise<void> {
		await this.requireSession(session);
		const {findUsableCoupon} = await import('./certificate/coupons.js');
		findUsableCoupon(await this.store.read(), this.keys.pepper, code);
	}

	/** Operators: new single-use renewal coupons; the codes are shown once and stored only as HMACs. */
	async createCoupons(count: number): Promise<string[]> {
		assertFolderOperator(this.store.directory);
		const {createCoupons} = await import('./certificate/coupons.js');
		return createCoupons(this.store, this.clock, this.keys.pepper, count);
	}

	/** "Rinnova con credenziali RAO": the operator's userID and password; an OTP goes to the operator's phone. */
	async raoAuthorize(session: Session, input: {operatorId: string; password: string}): Promise<ChallengeView> {
		await this.requireSession(session);
		return (await this.renewals()).raoAuthorize(session.userId, input);
	}

	async raoConfirm(session: Session, input: {operatorId: string; challengeId: string; code: string}): Promise<string> {
		await this.requireSession(session);
		return (await this.renewals()).raoConfirm(session.userId, input);
	}

	async beginRenewal(session: Session, input: {acceptConditions: boolean; confirmData: boolean; pin: string; coupon?: string; raoApprovalId?: string}): Promise<{renewalId: string; challenge: ChallengeView}> {
		await this.requireSession(session);
		return (await this.renewals()).begin(session.userId, input);
	}

	/** A renewal (or new certificate) left mid-way that the holder can resume at its step, if any. */
	async pendingRenewal(session: Session): Promise<PendingRenewal | undefined> {
		await this.requireSession(session);
		return (await this.renewals()).pending(session.userId);
	}

	async confirmRenewalConsents(session: Session, renewalId: string, code: string): Promise<void> {
		await this.requireSession(session);
		return (await this.renewals()).confirmConsents(session.userId, renewalId, code);
	}

	/** The new PIN; returns the activation OTP, or undefined when a replacement asks for the security information first. */
	async chooseRenewalPin(session: Session, renewalId: string, pin: string, pinAgain: string): Promise<ChallengeView | undefined> {
		await this.requireSession(session);
		return (await this.renewals()).choosePin(session.userId, renewalId, pin, pinAgain);
	}

	/** "Richiedi nuovo certificato": flagged, expired or expiry day, while the PIN works (certificate/lifecycle.ts). */
	async replacementStatus(session: Session): Promise<{allowed: boolean; deadline: Date | null}> {
		await this.requireSession(session);
		return (await this.renewals()).replacementAllowed(session.userId);
	}

	async beginReplacement(session: Session, input: {acceptConditions: boolean; pin: string}): Promise<{renewalId: string; challenge: ChallengeView}> {
		await this.requireSession(session);
		return (await this.renewals()).begin(session.userId, {...input, confirmData: true}, 'replacement');
	}

	async replacementSecurityInfo(session: Session, renewalId: string, input: {passphrase: string; passphraseAgain: string; useCodiceFiscale: boolean}): Promise<ChallengeView> {
		await this.requireSession(session);
		return (await this.renewals()).securityInfo(session.userId, renewalId, input);
	}

	private async sendEnvelope(input: {userId: string; to: string; name: string; surname: string; language: 'it' | 'en' | null; pdf: Buffer; at: Date}): Promise<void> {
		const {sendEmail} = await import('./notify/email.js');
		await sendEmail(this.store, this.outbox, {
			userId: input.userId,
			to: input.to,
			...messagesFor(input.language).renewalEnvelope({name: input.name, surname: input.surname}),
			at: input.at,
			attachments: [{filename: 'BustaCifrata-ERC.pdf', content: input.pdf, contentType: 'application/pdf'}],
		});
	}

	/** Issues the new certificate; its new IUT is returned to be shown in full (the holder needs it to suspend). */
	async activateRenewal(session: Session, renewalId: string, code: string): Promise<{expiresAt: Date; iut: string}> {
		await this.requireSession(session);
		return (await this.renewals()).activate(session.userId, renewalId, code);
	}

	/** The full IUT, for the declaration of step 1 ("titolare della firma con IUT …"). */
	async currentIut(session: Session): Promise<string> {
		return (await this.currentRecord(session)).iut;
	}

	// ── "PIN di firma" ────────────────────────────────────────────────────────────────────

	/** "Modifica PIN", step 1: current PIN (counted), new PIN twice; an OTP confirms it. */
	async startPinChange(session: Session, input: {currentPin: string; newPin: string; newPinAgain: string}): Promise<{changeId: string; challenge: ChallengeView}> {
		await this.requireSession(session);
		const {PinChanges} = await import('./certificate/pin-change.js');
		return new PinChanges(this.store, this.clock, this.keys.pepper, this.otpService.challenges).start(session.userId, input);
	}

	async confirmPinChange(session: Session, changeId: string, code: string): Promise<void> {
		await this.requireSession(session);
		const {PinChanges} = await import('./certificate/pin-change.js');
		return new PinChanges(this.store, this.clock, this.keys.pepper, this.otpService.challenges).confirm(session.userId, changeId, code);
	}

	/** Signing-PIN attempts left before the certificate is blocked (shown by every PIN prompt). */
	async pinAttemptsLeft(session: Session): Promise<number> {
		const db = await this.store.read();
		assertLiveSession(db, session, this.clock.now());
		const holder = db.holders.find(entry => entry.userId === session.userId);
		return db.settings.pinMaxAttempts - (holder?.pinFailures ?? 0);
	}

	// ── "Sospensione e revoca firma" ──────────────────────────────────────────────────────

	/** Suspends the current certificate at once and reissues the CRL (certificateHold). */
	async suspend(session: Session, request: SuspensionRequest): Promise<{until: Date}> {
		await this.requireSession(session);
		const {suspend} = await import('./certificate/suspension.js');
		// The CA first: a suspension stored with no CRL to publish it would say one thing and do another.
		await this.authority();
		const result = await suspend(this.store, this.clock, this.keys.pepper, session.userId, request);
		await this.publishCrl();
		return result;
	}

	/**
	 * Ends suspensions whose end date has passed and reissues pki/crl.pem. Runs at start and on
	 * `mysign crl`; returns the CRL's path.
	 */
	async refreshCertificates(options: {always?: boolean; snapshot?: Database} = {}): Promise<string> {
		const snapshot = options.snapshot ?? (await this.store.read());
		const now = this.clock.now();
		// Only write (and load the PKI code) when a suspension is over: starting the portal must stay light.
		if (snapshot.certificates.some(entry => suspensionIsOver(entry, now))) {
			const {endExpiredSuspensions} = await import('./certificate/suspension.js');
			await this.authority();
			if (await this.store.update(db => endExpiredSuspensions(db, this.clock.now()))) await this.publishCrl();
		} else if (options.always) {
			await this.publishCrl();
		}
		return pkiFiles(this.store.directory).crl;
	}

	private async publishCrl(): Promise<void> {
		await publishCrl(this.store, await this.authority(), this.clock);
	}

	/** The local CA, opened (and checked: missing, or a key that is not its certificate's) before a change needs it. */
	private async authority(): Promise<CertificationAuthority> {
		const {CertificationAuthority} = await import('./pki/authority.js');
		return CertificationAuthority.open(this.store.directory, this.clock);
	}

	// ── "Gestisci il tuo account" and password recovery ──────────────────────────────────

	async account(session: Session): Promise<AccountView> {
		await this.requireLiveSession(session);
		return this.accounts.view(session.userId);
	}

	/** What the password rules say of a candidate, for the checklist shown while typing. */
	static checkPassword(password: string, context: PasswordContext): PasswordVerdict {
		return checkPassword(password, context);
	}

	static readonly passwordSpecials = PASSWORD_SPECIALS;
	static readonly suggestedQuestions: readonly string[] = SUGGESTED_QUESTIONS;

	// The same three through the instance, for the interface: it holds a portal, and importing
	// this class's code would load the whole domain before the first frame (see cli.tsx).
	checkPassword(password: string, context: PasswordContext): PasswordVerdict {
		return checkPassword(password, context);
	}

	get passwordSpecials(): string {
		return PASSWORD_SPECIALS;
	}

	get suggestedQuestions(): readonly string[] {
		return SUGGESTED_QUESTIONS;
	}

	/** The holder's names, which a password may not be built from. */
	async passwordContext(session: Session): Promise<PasswordContext> {
		// During first access too: the new password's rules need the holder's names.
		const holder = (await this.liveSnapshotDuringSetup(session)).holders.find(entry => entry.userId === session.userId);
		return holder ? {userId: holder.userId, name: holder.name, surname: holder.surname, email: holder.email} : {userId: session.userId};
	}

	async changePassword(session: Session, input: {current: string; next: string; again: string}): Promise<void> {
		await this.requireLiveSession(session);
		return this.accounts.changePassword(session.userId, input, this.terminal);
	}

	async startRecoveryPhoneChange(session: Session, phone: string): Promise<{phone: string; challenge: ChallengeView}> {
		await this.requireSession(session);
		return this.accounts.startPhoneChange(session.userId, phone);
	}

	async confirmRecoveryPhoneChange(session: Session, input: {challengeId: string; phone: string; code: string}): Promise<void> {
		await this.requireSession(session);
		return this.accounts.confirmPhoneChange(session.userId, input, this.terminal);
	}

	async startEmailChange(session: Session, email: string): Promise<{email: string; challenge: ChallengeView}> {
		await this.requireSession(session);
		return this.accounts.startEmailChange(session.userId, email);
	}

	async confirmEmailChange(session: Session, input: {challengeId: string; email: string; code: string}): Promise<void> {
		await this.requireSession(session);
		return this.accounts.confirmEmailChange(session.userId, input, this.terminal);
	}

	async setSecretQuestion(session: Session, input: {question: string; answer: string}): Promise<void> {
		await this.requireLiveSession(session);
		return this.accounts.setSecretQuestion(session.userId, input, this.terminal);
	}

	async setLanguage(session: Session, language: 'it' | 'en'): Promise<void> {
		await this.requireSession(session);
		return this.accounts.setLanguage(session.userId, language, this.terminal);
	}

	/** "Hai dimenticato la password?", step 1: the same answer for every userID. */
	startPasswordRecovery(identifier: string): Promise<{recoveryId: string}> {
		return this.recovery.start(identifier);
	}

	resendRecoveryCode(recoveryId: string): Promise<void> {
		return this.recovery.resend(recoveryId);
	}

	confirmRecoveryCode(recoveryId: string, code: string): Promise<RecoveryNext> {
		return this.recovery.confirmCode(recoveryId, code);
	}

	answerRecoveryQuestion(recoveryId: string, answer: string): Promise<void> {
		return this.recovery.answer(recoveryId, answer);
	}

	/** The new password; the holder then logs in with it (recovery never opens a session). */
	setRecoveredPassword(recoveryId: string, password: string, again: string): Promise<void> {
		return this.recovery.setPassword(recoveryId, password, again);
	}

	/** "Ho dimenticato lo User ID": sent by e-mail when the codice fiscale and address match. */
	remindUserId(codiceFiscale: string, email: string): Promise<void> {
		return this.recovery.remindUserId(codiceFiscale, email);
	}

	/**
	 * Every holder operation starts here, whoever calls it (portal, phone, command line): an open
	 * session of that very holder, not ended elsewhere, not timed out, not paired with another
	 * userID; otherwise `auth.sessionExpired` before anything is read for it or stored. And a
	 * finished first access: a password of one's own and a secret question (recovery needs both
	 * factors); until then only the first-access operations answer (`requireLiveSession`: the
	 * account view, the password, the secret question, the sessions, the dashboard).
	 */
	private async requireSession(session: Session): Promise<void> {
		await this.liveSnapshot(session);
	}

	private async requireLiveSession(session: Session): Promise<void> {
		await this.liveSnapshotDuringSetup(session);
	}

	/** The database as it is now, once the session is known to be live and first access done (see `requireSession`). */
	private async liveSnapshot(session: Session): Promise<Database> {
		const db = await this.liveSnapshotDuringSetup(session);
		assertFirstAccessDone(db, session.userId);
		return db;
	}

	/** `liveSnapshot` for what first access itself needs. */
	private async liveSnapshotDuringSetup(session: Session): Promise<Database> {
		const db = await this.store.read();
		assertLiveSession(db, session, this.clock.now());
		return db;
	}

	private async notifyHolder(input: {userId: string; to: string; subject: string; text: string}): Promise<void> {
		const {sendEmail} = await import('./notify/email.js');
		await sendEmail(this.store, this.outbox, {...input, at: this.clock.now()});
	}

	// ── Operators (`mysign admin`), scenarios and the outbox ──────────────────────────────

	private adminService: Promise<Admin> | undefined;

	/** The operator commands (the folder's owner only: see operator.ts); loaded on first use (they need the CA). */
	async admin(): Promise<Admin> {
		assertFolderOperator(this.store.directory);
		return this.adminServices();
	}

	/** `mysign status` (monitoring, open to every user of the folder): a holder's certificate state. */
	async certificateStatus(userId: string): ReturnType<Admin['status']> {
		return (await this.adminServices()).status(userId);
	}

	private adminServices(): Promise<Admin> {
		this.adminService ??= (async () => {
			const [{Admin}, {CertificationAuthority}] = await Promise.all([import('./admin/admin.js'), import('./pki/authority.js')]);
			return new Admin(
				this.store,
				this.clock,
				this.keys.pepper,
				() => CertificationAuthority.open(this.store.directory, this.clock),
				() => this.publishCrl(),
				// An enrolment sends the envelope, then the trainee's printable handout; a reissue only the envelope.
				async (holder, secrets, occasion) => {
					await this.sendRegistration(holder, secrets, occasion);
					if (occasion !== 'reissue') await this.sendHandout(holder);
				},
			);
		})();
		return this.adminService;
	}

	/** Rows of an enrolment CSV (header row with nome, cognome, codice fiscale, cellulare, email). */
	async parseEnrollmentCsv(text: string): Promise<EnrollmentInput[]> {
		const {parseEnrollmentCsv} = await import('./admin/csv.js');
		return parseEnrollmentCsv(text);
	}

	/**
	 * "InfoCert LegalCert: registrazione": the userID and the IUT in the text, the codes in a PDF
	 * only the codice fiscale opens. Sent at enrolment and when an operator reissues a
	 * certificate (`admin reissue`: a new PIN and ERC, no password: the holder keeps theirs).
	 */
	private async sendRegistration(holder: EnrolledHolder, secrets: EnrollmentSecrets, occasion: 'enrolment' | 'reissue' = 'enrolment'): Promise<void> {
		const [{buildRegistrationPdf}, {sendEmail}] = await Promise.all([import('./notify/envelope.js'), import('./notify/email.js')]);
		const now = this.clock.now();
		const pdf = await buildRegistrationPdf({holderName: `${holder.name} ${holder.surname}`, userId: holder.userId, codiceFiscale: holder.codiceFiscale, iut: holder.iut, ...secrets, issuedAt: now});
		// A new holder has no saved language yet (Italian); a reissue speaks the holder's.
		const messages = messagesOf(await this.store.read(), holder.userId);
		await sendEmail(this.store, this.outbox, {
			userId: holder.userId,
			to: holder.email,
			...messages[occasion === 'reissue' ? 'reissue' : 'registration']({name: holder.name, surname: holder.surname, userId: holder.userId, iut: holder.iut}),
			at: now,
			attachments: [{filename: `BustaCifrata-${holder.userId}.pdf`, content: pdf, contentType: 'application/pdf'}],
		});
	}

	/** The trainee's printable handout (see admin/handout.ts): its text as the e-mail, the same on one A4 PDF. */
	private async sendHandout(holder: EnrolledHolder): Promise<void> {
		const [{buildHandoutPdf, handoutText, HANDOUT_SUBJECT}, {sendEmail}] = await Promise.all([import('./admin/handout.js'), import('./notify/email.js')]);
		const pdf = await buildHandoutPdf(holder);
		const attachments = [{filename: `Scheda-${holder.userId}.pdf`, content: pdf, contentType: 'application/pdf'}];
		await sendEmail(this.store, this.outbox, {userId: holder.userId, to: holder.email, subject: HANDOUT_SUBJECT, text: handoutText(holder), at: this.clock.now(), attachments});
	}

	/** `mysign demo --scenario`: puts one demo holder in a named situation and reissues the CRL. */
	async applyScenario(userId: string, scenario: Scenario): Promise<void> {
		assertFolderOperator(this.store.directory);
		const [{applyScenario}, {CertificationAuthority}] = await Promise.all([import('./demo/scenarios.js'), import('./pki/authority.js')]);
		await applyScenario(this.store, this.clock, this.keys, await CertificationAuthority.open(this.store.directory, this.clock), await readSeed(seedFile()), userId.trim().toUpperCase(), scenario);
		await this.publishCrl();
	}

	/** `mysign demo --scenario NAME --all`: every holder in the situation; returns their userIDs. */
	async applyScenarioToAll(scenario: Scenario): Promise<string[]> {
		assertFolderOperator(this.store.directory);
		const [{applyScenarioToAll}, authority, seed] = await Promise.all([import('./demo/scenarios.js'), this.authority(), readSeed(seedFile())]);
		const userIds = await applyScenarioToAll(this.store, this.clock, this.keys, authority, seed, scenario);
		await this.publishCrl();
		return userIds;
	}

	/** `mysign demo --reset --keep-enrolled`: every holder back to its first state, same CA (see demo/room-reset.ts). */
	async resetRoom(): Promise<RoomResetResult> {
		assertFolderOperator(this.store.directory);
		const [{resetRoom}, authority, seed] = await Promise.all([import('./demo/room-reset.js'), this.authority(), readSeed(seedFile())]);
		const result = await resetRoom({store: this.store, clock: this.clock, keys: this.keys, authority, seed, outbox: this.outbox, signatureLog: this.signatureLog, accessLogDirectory: this.store.accessLog.directory});
		await this.publishCrl();
		return result;
	}

	/** Writes an e-mail's attachments into `directory` (never over existing files); returns their paths. */
	async saveAttachments(messageId: number, directory: string): Promise<string[]> {
		const message = (await this.outbox.list({kind: 'email'})).find(entry => entry.id === messageId);
		const eml = message ? this.outbox.emlPath(message) : undefined;
		if (!message || !eml) throw new DomainError('outbox.unknown', {id: messageId});
		const {simpleParser} = await import('mailparser');
		// An e-mail with its PDF is well under 16 MB; never read through a link or from a FIFO.
		const parsed = await simpleParser(await readRegularFile(eml, 16 * 1024 * 1024));
		const written: string[] = [];
		for (const [index, attachment] of parsed.attachments.entries()) {
			// Only the file's own name, made safe: an attachment name cannot choose the folder.
			const safe = basename(attachment.filename ?? '').replace(/[^\w.-]/g, '_');
			const name = /^\.*$/.test(safe) ? `allegato-${index + 1}` : safe;
			// 0600: an attachment (a registration envelope, opened by a codice fiscale anyone can work
			// out) is no more readable than the outbox's .eml, even saved into a world-readable home.
			written.push(await writeNewFile(join(directory, name), attachment.content, 0o600));
		}
		return written;
	}

	// ── "Firma documenti" (what GoSign does with a remote certificate) ────────────────────

	private signerService: Promise<Signer> | undefined;

	private signer(): Promise<Signer> {
		this.signerService ??= import('./signing/signer.js').then(
			({Signer}) => new Signer(this.store, this.clock, this.keys.pepper, this.otpService.challenges, this.signatureLog, (userId, signed, at) => this.reports.signed(userId, signed, at)),
		);
		return this.signerService;
	}

	/** Reads and hashes the documents to sign; refuses missing, unreadable, oversized or already signed files. */
	async inspectDocuments(paths: readonly string[]): Promise<DocumentToSign[]> {
		const {inspectDocuments} = await import('./signing/documents.js');
		return inspectDocuments(paths);
	}

	/** Signing step 1: certificate usable, PIN right (when given), then an OTP bound to the documents. Needs a live session. */
	async requestSignatureOtp(session: Session, documents: readonly DocumentToSign[], pin?: string): Promise<ChallengeView> {
		await this.requireSession(session);
		return (await this.signer()).requestOtp(session.userId, documents, pin);
	}

	/** An OTP already waiting for these documents (a script that sent the SMS in an earlier call). */
	async pendingSignatureOtp(session: Session, documents: readonly DocumentToSign[]): Promise<ChallengeView | undefined> {
		await this.requireSession(session);
		return (await this.signer()).pendingOtp(session.userId, documents);
	}

	/** Signing step 2: PIN and OTP; writes DOCUMENT.p7m beside each document. Needs a live session. */
	async signDocuments(session: Session, input: {documents: readonly DocumentToSign[]; pin: string; challengeId: string; code: string}): Promise<SigningResult> {
		await this.requireSession(session);
		return (await this.signer()).sign(session.userId, input);
	}

	/** Checks a .p7m against the local CA and CRL: signer, signing time, certificate status then and now. */
	async verifySignature(path: string): Promise<SignatureVerification> {
		const {verifySignatureFile} = await import('./signing/verification.js');
		return verifySignatureFile(path, pkiFiles(this.store.directory), this.clock.now());
	}

	// ── "Cronologia firme", "Visualizza accessi" and "Report" ─────────────────────────────

	/** The holder's signature attempts through the history filters. */
	async signatureHistory(session: Session, filter: HistoryFilter, page: {page: number; pageSize: number}): Promise<HistoryPage<SignatureRecord> & {skipped: number}> {
		await this.requireSession(session);
		// Columns (times and outcomes); only the page's records are read from their lines.
		for (let attempt = 0; ; attempt++) {
			const log = await this.signatureLog.view(session.userId);
			const result = queryPositions(log.times, filter, {...page, now: this.clock.now(), ascending: log.ascending, succeeded: index => log.succeeded(index)});
			const items = await log.records(result.items);
			if (items) return {...result, items, skipped: log.skipped};
			// The file changed under the view (replaced, or edited in place): a new view reads it again.
			if (attempt === 2) throw new Error('the signature log keeps changing while it is read');
		}
	}

	/**
	 * `signatureHistory` without waiting, from the columns this process already read (a filter
	 * change draws its result in the same frame as the choice). Undefined when the log has not been
	 * opened here yet, or changed under it: call `signatureHistory`.
	 */
	signatureHistoryNow(session: Session, filter: HistoryFilter, page: {page: number; pageSize: number}): (HistoryPage<SignatureRecord> & {skipped: number}) | undefined {
		// Synchronous, so checked against the newest database this process read: every open portal
		// reads it at least once a second (the session watch), and no snapshot at all refuses.
		if (!this.lastSnapshot) throw new DomainError('auth.sessionExpired');
		assertLiveSession(this.lastSnapshot, session, this.clock.now());
		const log = this.signatureLog.viewNow(session.userId);
		if (!log) return undefined;
		const result = queryPositions(log.times, filter, {...page, now: this.clock.now(), ascending: log.ascending, succeeded: index => log.succeeded(index)});
		const items = log.records(result.items);
		return items ? {...result, items, skipped: log.skipped} : undefined;
	}

	/** The holder's logins through the same filters ("Visualizza accessi"). */
	async accessHistory(session: Session, filter: HistoryFilter, page: {page: number; pageSize: number}): Promise<HistoryPage<AccessEntry>> {
		// The holder's file in <data>/access/, then entries db.json holds that it lacks (see Store.save).
		const [logged, snapshot] = await Promise.all([this.store.accessLog.read(session.userId), this.liveSnapshot(session)]);
		const lastId = logged.entries.at(-1)?.id ?? 0;
		const pending = snapshot.accessLog.filter(entry => entry.userId === session.userId && entry.id > lastId);
		const entries = pending.length === 0 ? logged.entries : [...logged.entries, ...pending];
		const times = pending.length === 0 ? logged.times : undefined;
		return queryHistory(entries, filter, {...page, now: this.clock.now(), times, succeeded: entry => accessSucceeded(entry.outcome)});
	}

	async reportSettings(session: Session): Promise<ReportSettings & {accountEmail: string}> {
		await this.requireSession(session);
		return this.reports.settings(session.userId);
	}

	/** "Salva": saved, or (a new address) a code sent to that address, to confirm with `confirmReportAddress`. */
	async updateReportSettings(session: Session, input: {email: string; frequency: ReportFrequency}): Promise<ReportUpdate> {
		await this.requireSession(session);
		return this.reports.update(session.userId, input);
	}

	/** The code sent to the new report address; the address and frequency are stored only now. */
	async confirmReportAddress(session: Session, input: {challengeId: string; email: string; frequency: ReportFrequency; code: string}): Promise<void> {
		await this.requireSession(session);
		return this.reports.confirmAddress(session.userId, input);
	}

	/** Daily signature summaries now due, for every holder who asked for them; returns how many went out. */
	sendDailyReports(): Promise<number> {
		return this.reports.sendAllDailySummaries();
	}

	// ── "Codici OTP" ──────────────────────────────────────────────────────────────────────

	async otpOverview(session: Session): Promise<OtpOverview> {
		await this.requireSession(session);
		return this.otpService.overview(session.userId);
	}

	async startAppActivation(session: Session): Promise<AppActivation> {
		await this.requireSession(session);
		return this.otpService.startAppActivation(session.userId);
	}

	async confirmAppActivation(session: Session, challengeId: string, code: string): Promise<void> {
		await this.requireSession(session);
		return this.otpService.confirmAppActivation(session.userId, challengeId, code);
	}

	async setPreferredChannel(session: Session, channel: OtpChannel): Promise<void> {
		await this.requireSession(session);
		return this.otpService.setPreferred(session.userId, channel);
	}

	async setPush(session: Session, enabled: boolean): Promise<void> {
		await this.requireSession(session);
		return this.otpService.setPush(session.userId, enabled);
	}

	async startPhoneChange(session: Session, newNumber: string): Promise<{newPhone: string; challenge: ChallengeView}> {
		await this.requireSession(session);
		return this.otpService.startPhoneChange(session.userId, newNumber);
	}

	async confirmPhoneChange(session: Session, challengeId: string, newPhone: string, code: string): Promise<void> {
		await this.requireSession(session);
		return this.otpService.confirmPhoneChange(session.userId, challengeId, newPhone, code);
	}

	async resendOtp(session: Session, challengeId: string): Promise<ChallengeView> {
		await this.requireSession(session);
		return this.otpService.challenges.resend(challengeId, session.userId);
	}

	/** For operations of later capabilities: a challenge bound to `operation` and `data`. */
	get challenges(): Challenges {
		return this.otpService.challenges;
	}

	// ── The phone companion (acts as the holder's own phone) ──────────────────────────────

	phoneMessages(userId: string): Promise<OutboxMessage[]> {
		return this.outbox.list({userId, kind: 'sms'});
	}

	async authenticatorReadings(userId: string): Promise<AuthenticatorReading[]> {
		const readings: AuthenticatorReading[] = [];
		// An operator's phone has no MyInfoCert app or token here: SMS only.
		if (!(await this.store.read()).holders.some(holder => holder.userId === userId)) return readings;
		for (const device of ['app', 'token'] as const) {
			const secret = await this.otpService.authenticatorSecret(userId, device);
			if (secret) readings.push({device, code: await totpCode(secret, this.clock.now()), secondsLeft: secondsLeft(this.clock.now())});
		}
		return readings;
	}

	pendingPushes(userId: string): Promise<{id: string; operation: string; createdAt: Date; expiresAt: Date}[]> {
		return this.otpService.challenges.pendingPushes(userId);
	}

	answerPush(userId: string, challengeId: string, approve: boolean): Promise<void> {
		return this.otpService.challenges.answerPush(userId, challengeId, approve);
	}

	/** The state of a challenge (a push request the phone may have answered). */
	async challengeState(session: Session, challengeId: string): Promise<ChallengeView> {
		await this.requireSession(session);
		return this.otpService.challenges.get(challengeId, session.userId);
	}

	answerAppLogin(userId: string, code: string, approve: boolean): Promise<void> {
		return this.appLogin.answer(userId, code, approve);
	}

	/** The name of a holder (or an operator, whose phone receives RAO codes); undefined when unknown. */
	async holderName(userId: string): Promise<string | undefined> {
		const db = await this.store.read();
		const holder = db.holders.find(entry => entry.userId === userId);
		return holder ? `${holder.name} ${holder.surname}` : db.operators.find(entry => entry.userId === userId)?.name;
	}
}
