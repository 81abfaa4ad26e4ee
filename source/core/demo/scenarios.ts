import {DAY, MINUTE, type Clock} from '../clock.js';
import {DomainError} from '../errors.js';
import type {CertificationAuthority} from '../pki/authority.js';
import type {Store} from '../store/store.js';
import {buildDemoHolder, type DemoSeed} from './demo.js';

/*
 * Workshop scenarios (`mysign demo --scenario NAME --user ID`): one demo holder is rebuilt as
 * the seed has it (password, PIN, ERC, a new certificate) and then put in a named situation.
 * The rest of the room is left alone; `mysign demo --reset` restores everyone.
 */

export const SCENARIOS = ['fresh', 'expiring', 'expired', 'suspended', 'pin-blocked', 'replacement', 'locked'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export function isScenario(value: string): value is Scenario {
	return (SCENARIOS as readonly string[]).includes(value);
}

export async function applyScenario(
	store: Store,
	clock: Clock,
	keys: {pepper: Buffer; totpKey: Buffer},
	authority: CertificationAuthority,
	seed: DemoSeed,
	userId: string,
	scenario: Scenario,
): Promise<void> {
	const entry = seed.holders.find(holder => holder.userId === userId);
	if (!entry) throw new DomainError('scenario.unknown', {userId, holders: seed.holders.map(holder => holder.userId).join(', ')});
	const now = clock.now();
	const settings = (await store.read()).settings;
	// expiring: inside the renewal window, with a month to go; expired: ten days ago.
	const expiresInDays = scenario === 'expiring' ? 20 : scenario === 'expired' ? -10 : scenario === 'fresh' ? entry.certificate.expiresInDays : Math.max(entry.certificate.expiresInDays, 60);
	const {holder, certificate} = await buildDemoHolder(entry, now, keys, authority, settings, {expiresInDays, status: 'active'});
	if (scenario === 'suspended') {
		certificate.status = 'suspended';
		certificate.revokedAt = now.toISOString();
		certificate.suspendedUntil = new Date(now.getTime() + 30 * DAY).toISOString();
	}
	if (scenario === 'pin-blocked') {
		certificate.status = 'blocked';
		holder.pinFailures = settings.pinMaxAttempts;
	}
	holder.replacementDeadline = scenario === 'replacement' ? new Date(now.getTime() + 30 * DAY).toISOString() : scenario === 'fresh' ? holder.replacementDeadline : null;
	await store.update(db => {
		const index = db.holders.findIndex(existing => existing.userId === userId);
		// Keep what the holder set up meanwhile that is not part of the situation: report settings, language.
		if (index >= 0) {
			holder.report = db.holders[index]!.report;
			db.holders[index] = holder;
		} else db.holders.push(holder);
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
	});
}
