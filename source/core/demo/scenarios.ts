import {X509Certificate} from 'node:crypto';
import {DAY, MINUTE, type Clock} from '../clock.js';
import {currentCertificate, newCertificateRecord} from '../certificate/record.js';
import {DomainError} from '../errors.js';
import type {CertificationAuthority} from '../pki/authority.js';
import type {CertificateRecord, Database, Holder} from '../store/schema.js';
import type {Store} from '../store/store.js';
import {buildDemoHolder, type DemoSeed} from './demo.js';

/*
 * Workshop scenarios (`mysign demo --scenario NAME --user ID`, or `--all`): a holder is put in a
 * named situation with a new certificate from the folder's CA. A demo holder is rebuilt as the
 * seed has it (password, PIN, ERC, a new key); any other holder (enrolled) keeps the credentials
 * and the key it has, certified anew with the scenario's dates (its PIN still opens it). The
 * holder's earlier certificates are revoked as superseded. The rest of the room is left alone;
 * `mysign demo --reset --keep-enrolled` restores everyone.
 */

export const SCENARIOS = ['fresh', 'expiring', 'expired', 'suspended', 'pin-blocked', 'replacement', 'locked'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export function isScenario(value: string): value is Scenario {
	return (SCENARIOS as readonly string[]).includes(value);
}

type Keys = {pepper: Buffer; totpKey: Buffer};

/** Days to the new certificate's expiry; undefined: a full validity period from now. */
function expiresInDays(scenario: Scenario, seedDays: number | undefined): number | undefined {
	// expiring: inside the renewal window, with a month to go; expired: ten days ago.
	if (scenario === 'expiring') return 20;
	if (scenario === 'expired') return -10;
	if (seedDays === undefined) return undefined;
	return scenario === 'fresh' ? seedDays : Math.max(seedDays, 60);
}

/** The holder and its new certificate, before the situation is applied. */
async function rebuild(db: Database, clock: Clock, keys: Keys, authority: CertificationAuthority, seed: DemoSeed, holder: Holder, scenario: Scenario): Promise<{holder: Holder; certificate: CertificateRecord}> {
	const now = clock.now();
	const entry = seed.holders.find(candidate => candidate.userId === holder.userId);
	if (entry) {
		const built = await buildDemoHolder(entry, now, keys, authority, db.settings, {expiresInDays: expiresInDays(scenario, entry.certificate.expiresInDays), status: 'active'});
		if (scenario !== 'fresh') built.holder.replacementDeadline = null;
		// Kept from what the holder set up meanwhile: report settings.
		built.holder.report = holder.report;
		return built;
	}
	const current = currentCertificate(db.certificates, holder.userId);
	if (!current) throw new DomainError('holder.notFound', {userId: holder.userId});
	const days = expiresInDays(scenario, undefined);
	const expiresAt = new Date(now);
	if (days === undefined) expiresAt.setUTCFullYear(expiresAt.getUTCFullYear() + db.settings.certificateValidityYears);
	else expiresAt.setTime(now.getTime() + days * DAY);
	const activatedAt = new Date(expiresAt);
	activatedAt.setUTCFullYear(activatedAt.getUTCFullYear() - db.settings.certificateValidityYears);
	// The key the holder's PIN opens, in a new certificate: credentials and key stay the holder's.
	const spki = new X509Certificate(current.pem).publicKey.export({type: 'spki', format: 'der'});
	const issued = await authority.issueFor({givenName: holder.name, surname: holder.surname, codiceFiscale: holder.codiceFiscale, iut: current.iut}, {notBefore: activatedAt, notAfter: expiresAt}, spki);
	const certificate = newCertificateRecord({userId: holder.userId, codiceFiscale: holder.codiceFiscale, iut: current.iut, issued, privateKey: structuredClone(current.privateKey), activatedAt, expiresAt});
	return {holder: {...structuredClone(holder), pinFailures: 0, replacementDeadline: null}, certificate};
}

/** Stores one holder's situation (inside a store update). */
function applySituation(db: Database, now: Date, prepared: {holder: Holder; certificate: CertificateRecord}, scenario: Scenario): void {
	const {holder, certificate} = prepared;
	const userId = holder.userId;
	const settings = db.settings;
	if (scenario === 'suspended') {
		certificate.status = 'suspended';
		certificate.revokedAt = now.toISOString();
		certificate.suspendedUntil = new Date(now.getTime() + 30 * DAY).toISOString();
	}
	if (scenario === 'pin-blocked') {
		certificate.status = 'blocked';
		holder.pinFailures = settings.pinMaxAttempts;
	}
	if (scenario === 'replacement') holder.replacementDeadline = new Date(now.getTime() + 30 * DAY).toISOString();
	const index = db.holders.findIndex(existing => existing.userId === userId);
	if (index >= 0) db.holders[index] = holder;
	else db.holders.push(holder);
	// The holder's earlier certificates stay on record, superseded, so a revoked one stays on the CRL.
	for (const existing of db.certificates) {
		if (existing.userId === userId && existing.status !== 'revoked') {
			existing.status = 'revoked';
			existing.revokedAt = now.toISOString();
			existing.revocationReason = 'superseded';
			existing.suspendedUntil = null;
		}
	}
	db.certificates.push(certificate);
	for (const key of Object.keys(db.loginThrottle)) if (key.endsWith(`:${userId}`)) delete db.loginThrottle[key];
	if (scenario === 'locked') {
		db.loginThrottle[`user:${userId}`] = {failures: 0, lockedUntil: new Date(now.getTime() + settings.loginLockMinutes * MINUTE).toISOString(), lockouts: 1, lastFailureAt: now.toISOString()};
	}
	for (const session of db.sessions) {
		if (session.userId === userId && session.endedAt === null) {
			session.endedAt = now.toISOString();
			session.endReason = 'ended-by-holder';
		}
	}
	db.renewals = db.renewals.filter(renewal => renewal.userId !== userId);
	db.pinChanges = db.pinChanges.filter(change => change.userId !== userId);
}

async function applyTo(store: Store, clock: Clock, keys: Keys, authority: CertificationAuthority, seed: DemoSeed, userIds: readonly string[] | 'all', scenario: Scenario): Promise<string[]> {
	const db = await store.read();
	const holders = userIds === 'all' ? db.holders : userIds.map(userId => db.holders.find(holder => holder.userId === userId) ?? unknownHolder(db, userId));
	// Keys, certificates and (demo holders) argon2 outside the lock, two holders at a time.
	const prepared: {holder: Holder; certificate: CertificateRecord}[] = [];
	for (let index = 0; index < holders.length; index += 2) {
		prepared.push(...(await Promise.all(holders.slice(index, index + 2).map(holder => rebuild(db, clock, keys, authority, seed, holder, scenario)))));
	}
	const now = clock.now();
	await store.update(current => {
		for (const entry of prepared) applySituation(current, now, entry, scenario);
	});
	return prepared.map(entry => entry.holder.userId);
}

function unknownHolder(db: Database, userId: string): never {
	const some = db.holders.slice(0, 5).map(holder => holder.userId);
	throw new DomainError('scenario.unknown', {userId, holders: some.join(', ') + (db.holders.length > some.length ? ', …' : '')});
}

export async function applyScenario(store: Store, clock: Clock, keys: Keys, authority: CertificationAuthority, seed: DemoSeed, userId: string, scenario: Scenario): Promise<void> {
	await applyTo(store, clock, keys, authority, seed, [userId], scenario);
}

/** Every holder of the folder in the situation; returns their userIDs. */
export function applyScenarioToAll(store: Store, clock: Clock, keys: Keys, authority: CertificationAuthority, seed: DemoSeed, scenario: Scenario): Promise<string[]> {
	return applyTo(store, clock, keys, authority, seed, 'all', scenario);
}
