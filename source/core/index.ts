/*
 * The core's public face: everything source/ui, source/cli and source/cli.tsx use from the
 * domain, and the only core module they may import (eslint.config.js refuses the others).
 * What is exported by value here is light (no store, no zod, no PKI): the CLI imports this file
 * before its first output. The portal and the heavier helpers are reached through the `load…`
 * functions, which import them on first use (esbuild keeps them in their own chunks).
 */

export {asWriteFailure, DomainError, isDomainError, type ErrorCode, type ErrorParams} from './errors.js';
export {describeCharacter, findForbiddenCharacter, toDisplayText} from './text/sanitize.js';
export {OTP_DIGITS} from './otp/format.js';
export {USER_ID_PATTERN} from './holders/user-id.js';
export {newestSmsCode, type SmsCode} from './otp/phone-codes.js';
export {readCheckedStamp, setProgramIdentity} from './store/checked-stamp.js';
export {resolveDataDirectory} from './paths.js';
export {requestStore} from './store/location.js';
export {displayUrl, hasPassword, storeUrlProblem} from './store/postgres/url.js';
export {parseDuration, type Clock} from './clock.js';
export {parseTrainerTime, type ClockChange, type FolderClockView} from './clock-control.js';
export {parseEnrollmentCsv} from './admin/csv.js';

export type * from './portal/types.js';
export type {Portal, DemoCreation, OutboxAttachment} from './portal.js';
export type {CertificatePhase} from './certificate/lifecycle.js';
export type {CertificateState} from './certificate/record.js';
export type {OtpChannel} from './store/schema.js';
export type {CertificateStatusReport, CouponSummary, HolderDetails, HolderSummary, OperatorSummary, RevocationReason} from './admin/admin.js';
export type {SharedFolder} from './store/shared-folder.js';
export type {DemoCredential} from './demo/demo.js';

/** The Portal class (the store, the schema, the session and OTP code come with it). */
export async function loadPortal(): Promise<typeof import('./portal.js').Portal> {
	return (await import('./portal.js')).Portal;
}

/** Whether the folder has a database (without reading or checking it). */
export async function hasDatabase(dataDirectory: string): Promise<boolean> {
	const {Store} = await import('./store/store.js');
	return new Store(dataDirectory).exists();
}

/** The checks an enrolment makes before it writes anything (`mysign admin enroll`). */
export async function checkEnrollment(...args: Parameters<typeof import('./admin/enrollment.js').checkEnrollment>): ReturnType<typeof import('./admin/enrollment.js').checkEnrollment> {
	return (await import('./admin/enrollment.js')).checkEnrollment(...args);
}

/** The reasons `mysign admin revoke` accepts. */
export async function revocationReasons(): Promise<readonly string[]> {
	return (await import('./admin/admin.js')).REVOCATION_REASONS;
}

/** `mysign admin init --group`: the folder shared by a group (see store/shared-folder.ts). */
export async function loadSharedFolderSetup(): Promise<typeof import('./store/shared-folder.js').initSharedFolder> {
	return (await import('./store/shared-folder.js')).initSharedFolder;
}

/** `mysign admin migrate`: a folder's database into PostgreSQL (see store/migrate.ts). */
export async function loadMigration(): Promise<typeof import('./store/migrate.js').migrateFolder> {
	return (await import('./store/migrate.js')).migrateFolder;
}

/** The trainer's scenarios (`mysign demo --scenario`). */
export async function loadScenarios(): Promise<{SCENARIOS: typeof import('./demo/scenarios.js').SCENARIOS; isScenario: typeof import('./demo/scenarios.js').isScenario}> {
	const {SCENARIOS, isScenario} = await import('./demo/scenarios.js');
	return {SCENARIOS, isScenario};
}

/** The demo holders and operators with their credentials, as the seed defines them. */
export async function demoRoster(): Promise<Pick<import('./portal.js').DemoCreation, 'credentials' | 'operators'>> {
	const [{readSeed, demoCredentials, demoOperators}, {seedFile}] = await Promise.all([import('./demo/demo.js'), import('./paths.js')]);
	const seed = await readSeed(seedFile());
	return {credentials: demoCredentials(seed), operators: demoOperators(seed)};
}
