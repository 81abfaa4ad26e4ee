import type {Clock} from '../clock.js';
import {asWriteFailure, DomainError} from '../errors.js';
import {currentCertificate} from '../certificate/record.js';
import type {CertificationAuthority} from '../pki/authority.js';
import type {AccessLogStore} from '../history/access-log.js';
import type {SignatureLogStore} from '../history/signature-log.js';
import type {OutboxMessage, OutboxStore} from '../notify/outbox.js';
import {nextSequence, type CertificateRecord, type Database, type Holder} from '../store/schema.js';
import type {Store} from '../store/store.js';
import {buildDemoHolder, demoSignatureHistory, type DemoSeed} from './demo.js';
import {firstStateOf, restoredHolder} from './first-state.js';
import {HANDOUT_SUBJECT} from '../admin/handout.js';
import {CATALOGUES} from '../notify/messages/messages.js';

/*
 * `mysign demo --reset --keep-enrolled`: every holder (the demo's and every enrolled one) back
 * to its first state, in the same folder, with the same CA:
 * - the original certificate active again (off the CRL, its key sealed under the initial PIN),
 *   so a certificate or a .p7m taken from it before the reset still verifies; the holder's later
 *   certificates (renewals, scenarios) are revoked as superseded and stay on the CRL;
 * - the initial credentials (password, PIN, ERC; enrolled holders must change the password
 *   again at first access), the first OTP channels and phone/e-mail, no secret question for an
 *   enrolled holder;
 * - no sessions, lock-outs, OTP challenges, renewals, PIN changes, recoveries or app logins in
 *   progress; coupons they used are unused again (the slips handed out work again);
 * - an empty outbox holding again each enrolled holder's registration e-mail (the same envelope,
 *   so its codes are the ones restored), no access log, the demo's signature history (empty for
 *   an enrolled holder).
 * Operators (RAO) and the coupons nobody in the room used are kept as they are; so is the clock.
 */

export interface RoomResetResult {
	/** Holders back to their first state. */
	reset: string[];
	/** Enrolled holders whose registration e-mail is in the outbox again. */
	envelopes: string[];
	/** Enrolled holders reset whose registration e-mail was no longer in the outbox. */
	withoutEnvelope: string[];
	/** Holders without a first state on record (enrolled before it was kept): left as they were. */
	skipped: string[];
	/** Coupons used by a holder of the room, unused again. */
	couponsFreed: number;
}

/** The enrolment e-mail's subject, in any language (see notify/messages/): only the subject, no holder's data. */
const REGISTRATION_SUBJECTS: ReadonlySet<string> = new Set(Object.values(CATALOGUES).map(messages => messages.registration({name: '', surname: '', userId: '', iut: ''}).subject));

interface Dependencies {
	store: Store;
	clock: Clock;
	keys: {pepper: Buffer; totpKey: Buffer};
	authority: CertificationAuthority;
	seed: DemoSeed;
	outbox: OutboxStore;
	signatureLog: SignatureLogStore;
	accessLog: AccessLogStore;
}

/** Runs `task` over `items`, at most `limit` at a time. */
async function inParallel<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	await Promise.all(Array.from({length: Math.min(limit, items.length)}, async () => {
		while (next < items.length) await task(items[next++]!);
	}));
}

/** Each enrolled holder's first registration e-mail (the enrolment's), whose .eml is there (in a folder: a regular file). */
async function registrationEmails(outbox: OutboxStore, userIds: ReadonlySet<string>): Promise<Map<string, OutboxMessage[]>> {
	const envelopes = new Map<string, OutboxMessage>();
	const handouts = new Map<string, OutboxMessage>();
	for (const message of await outbox.list({kind: 'email'})) {
		const userId = message.userId;
		if (userId === null || !userIds.has(userId)) continue;
		const kind = REGISTRATION_SUBJECTS.has(message.subject ?? '') && message.attachments?.includes(`BustaCifrata-${userId}.pdf`) ? envelopes : message.subject === HANDOUT_SUBJECT && message.attachments?.includes(`Scheda-${userId}.pdf`) ? handouts : undefined;
		if (!kind || kind.has(userId)) continue;
		// Never a link or a FIFO in its place: that holder is reported without an envelope.
		if (await outbox.hasEml(message)) kind.set(userId, message);
	}
	// The envelope, then the trainee's handout if there was one (a holder without an envelope keeps neither).
	return new Map([...envelopes].map(([userId, envelope]) => [userId, [envelope, ...(handouts.has(userId) ? [handouts.get(userId)!] : [])]]));
}

/** Puts `record` last among the certificates: the holder's current one is the last issued (see currentCertificate). */
function makeCurrent(db: Database, record: CertificateRecord): void {
	db.certificates.splice(db.certificates.indexOf(record), 1);
	db.certificates.push(record);
}

function supersedeOthers(db: Database, userId: string, keep: CertificateRecord | undefined, at: string): void {
	for (const certificate of db.certificates) {
		if (certificate.userId !== userId || certificate === keep || certificate.status === 'revoked') continue;
		certificate.status = 'revoked';
		certificate.revokedAt = at;
		certificate.revocationReason = 'superseded';
		certificate.suspendedUntil = null;
	}
}

/** Whatever the holder had in progress or was locked out of. */
function clearActivity(db: Database, userIds: ReadonlySet<string>): number {
	for (const key of Object.keys(db.loginThrottle)) {
		const userId = key.slice(key.lastIndexOf(':') + 1);
		if (userIds.has(userId)) delete db.loginThrottle[key];
	}
	db.sessions = db.sessions.filter(session => !userIds.has(session.userId));
	db.challenges = db.challenges.filter(challenge => !userIds.has(challenge.userId));
	db.renewals = db.renewals.filter(renewal => !userIds.has(renewal.userId));
	db.pinChanges = db.pinChanges.filter(change => !userIds.has(change.userId));
	db.raoApprovals = db.raoApprovals.filter(approval => !userIds.has(approval.userId));
	db.recoveries = db.recoveries.filter(recovery => recovery.userId === null || !userIds.has(recovery.userId));
	db.loginRequests = db.loginRequests.filter(request => request.userId === null || !userIds.has(request.userId));
	let freed = 0;
	for (const coupon of db.coupons) {
		if (coupon.usedBy !== null && userIds.has(coupon.usedBy)) {
			coupon.usedAt = null;
			coupon.usedBy = null;
			freed++;
		}
	}
	return freed;
}

export async function resetRoom(deps: Dependencies): Promise<RoomResetResult> {
	const {store, clock, seed, outbox} = deps;
	const now = clock.now();
	const snapshot = await store.read();
	const seeded = new Map(seed.holders.map(entry => [entry.userId, entry]));
	// A demo holder from before first states were kept is rebuilt from the seed (argon2: a few only).
	const rebuilt = new Map<string, {holder: Holder; certificate: CertificateRecord}>();
	for (const holder of snapshot.holders) {
		const entry = seeded.get(holder.userId);
		if (!snapshot.firstStates[holder.userId] && entry) rebuilt.set(holder.userId, await buildDemoHolder(entry, now, deps.keys, deps.authority, snapshot.settings));
	}
	const enrolled = new Set(snapshot.holders.filter(holder => !seeded.has(holder.userId)).map(holder => holder.userId));
	const emails = await registrationEmails(outbox, enrolled);

	const result = await store.update(db => {
		const reset = new Set<string>();
		const skipped: string[] = [];
		const at = now.toISOString();
		for (const [index, holder] of db.holders.entries()) {
			const first = db.firstStates[holder.userId];
			const original = first ? db.certificates.find(certificate => certificate.id === first.certificateId && certificate.userId === holder.userId) : undefined;
			if (first && original) {
				db.holders[index] = restoredHolder(holder, first);
				supersedeOthers(db, holder.userId, original, at);
				Object.assign(original, {status: 'active', revokedAt: null, revocationReason: null, suspendedUntil: null, privateKey: structuredClone(first.privateKey)});
				makeCurrent(db, original);
			} else {
				const built = rebuilt.get(holder.userId);
				if (!built) {
					skipped.push(holder.userId);
					continue;
				}
				db.holders[index] = built.holder;
				supersedeOthers(db, holder.userId, undefined, at);
				db.certificates.push(built.certificate);
				db.firstStates[holder.userId] = firstStateOf(built.holder, built.certificate);
			}
			reset.add(holder.userId);
		}
		const couponsFreed = clearActivity(db, reset);
		// The envelopes keep their place in the outbox's numbering, after everything sent before.
		const envelopes = [...reset].filter(userId => emails.has(userId)).flatMap(userId => emails.get(userId)!.map(email => ({userId, email, id: nextSequence(db, 'outbox'), to: db.holders.find(holder => holder.userId === userId)!.email})));
		// Every message numbered before this was the room's; those numbered after (other servers'
		// sends once this commits) are not the reset's to delete.
		const fence = envelopes[0]?.id ?? nextSequence(db, 'outbox');
		return {reset: [...reset], skipped, couponsFreed, envelopes, fence, certificates: new Map([...reset].map(userId => [userId, currentCertificate(db.certificates, userId)!.certificateSerial]))};
	});

	// The record is on disk; now the files that follow it: the outbox, the logs. A failure from here
	// on is no refusal and says so (demo.resetIncomplete), never "nothing was changed".
	try {
		// The outbox keeps only the envelopes, under their new numbers (their .eml not copied: see OutboxStore.restart).
		await outbox.restart(
			result.envelopes.map(({userId, email, id, to}) => ({
				original: email,
				renumbered: {id, kind: 'email', userId, to, at: now.toISOString(), subject: email.subject, text: email.text, attachments: email.attachments},
			})),
			result.fence,
		);
		await inParallel(result.reset, 8, async userId => {
			await deps.accessLog.remove(userId).catch(() => undefined);
			const entry = seeded.get(userId);
			// The demo's history is kept when nothing was added to it (a log that cannot be read is written again).
			if (entry?.history && !rebuilt.has(userId) && (await deps.signatureLog.count(userId).catch(() => -1)) === entry.history.signatures) return;
			if (entry?.history) await deps.signatureLog.replace(userId, demoSignatureHistory(userId, entry.history, now, result.certificates.get(userId)!));
			else if (await deps.signatureLog.has(userId)) await deps.signatureLog.replace(userId, []);
		});
	} catch (error) {
		const failure = asWriteFailure(error);
		const reason = failure instanceof DomainError ? failure.code : ((failure as NodeJS.ErrnoException | undefined)?.code ?? 'error');
		throw new DomainError('demo.resetIncomplete', {count: result.reset.length, reason});
	}
	const envelopes = [...new Set(result.envelopes.map(envelope => envelope.userId))];
	return {
		reset: result.reset,
		envelopes,
		withoutEnvelope: result.reset.filter(userId => enrolled.has(userId) && !envelopes.includes(userId)),
		skipped: result.skipped,
		couponsFreed: result.couponsFreed,
	};
}
