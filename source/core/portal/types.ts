import type {AccountView} from '../account/account.js';
import type {PasswordContext, PasswordVerdict} from '../account/password-policy.js';
import type {RecoveryNext} from '../account/recovery.js';
import type {SessionStatus} from '../account/sessions.js';
import type {AppLoginOffer} from '../auth/app-login.js';
import type {LoginResult} from '../auth/login.js';
import type {CertificateDetails} from '../certificate/details.js';
import type {CertificateState} from '../certificate/record.js';
import type {Lifecycle} from '../certificate/lifecycle.js';
import type {PendingRenewal, RenewalWindow} from '../certificate/renewal.js';
import type {SuspensionRequest} from '../certificate/suspension.js';
import type {Clock} from '../clock.js';
import type {OutboxMessage} from '../notify/outbox.js';
import type {ChallengeView} from '../otp/challenges.js';
import type {AppActivation, OtpOverview} from '../otp/service.js';
import type {AccessEntry, SessionRecord} from '../store/schema.js';
import type {SignatureRecord} from '../history/signature-log.js';
import type {HistoryFilter, HistoryPage} from '../history/query.js';
import type {ReportFrequency, ReportSettings, ReportUpdate} from '../notify/reports.js';
import type {DocumentToSign} from '../signing/documents.js';
import type {SignedDocument, SigningResult} from '../signing/signer.js';
import type {SignatureVerification} from '../signing/verification.js';
import type {Admin} from '../admin/admin.js';
import type {EnrolledHolder, EnrollmentInput} from '../admin/enrollment.js';
import type {Scenario} from '../demo/scenarios.js';

/* The shapes the portal's area services take and give (see portal.ts). */

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
	/**
	 * A PostgreSQL URL (tests): by default this process's --store / MYSIGN_STORE (requestStore),
	 * else the folder's store.url, else the folder's own files (see store/location.ts).
	 */
	store?: string;
}
