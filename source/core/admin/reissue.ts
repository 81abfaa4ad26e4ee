import {randomInt} from 'node:crypto';
import type {Clock} from '../clock.js';
import {asWriteFailure, DomainError} from '../errors.js';
import {hashPeppered} from '../auth/hashing.js';
import {OPERATOR_ONLY_STATES} from '../certificate/lifecycle.js';
import {certificateState, currentCertificate, newCertificateRecord, newUniqueIut} from '../certificate/record.js';
import type {CertificationAuthority} from '../pki/authority.js';
import {sealPrivateKey} from '../pki/holder-key.js';
import type {Database} from '../store/schema.js';
import type {Store} from '../store/store.js';
import type {Deliver, EnrolledHolder} from './enrollment.js';
import {OPERATOR_TERMINAL, recordChange} from '../notify/changes.js';

/*
 * `mysign admin reissue USER --codice-fiscale CF`: the operator (RAO) path out of the states the
 * portal cannot lead out of: a PIN blocked for good (3 wrong PINs; "Richiedi nuovo certificato"
 * asks for that PIN) or a certificate an operator revoked. Re-identification: the operator types
 * the holder's codice fiscale again, read from the identity document in front of them; it must
 * match the one on record. Then, as at enrolment: a new key and certificate from the local CA
 * (new IUT, valid the usual years from today), a new PIN and ERC in a new registration envelope
 * (the PDF opened with the codice fiscale, e-mailed to the holder). The password is not
 * touched: it is the holder's own login, unrelated to the PIN, and still works (a forgotten one
 * has its own recovery). The old certificate is revoked and the CRL reissued.
 *
 * Order: every check before anything is stored (unknown holder, codice fiscale, state, the CA
 * opens); the new certificate and the revocation stored together under the lock (re-checked
 * there); then the CRL; then the envelope. Refused: nothing stored. A CRL or an envelope that
 * fails after the commit is its own error (admin.reissueCrlStale, admin.reissueNotSent), which
 * says the new certificate is stored and what to do.
 */

export interface ReissueInput {
	userId: string;
	/** Typed again by the operator from the holder's identity document. */
	codiceFiscale: string;
}

export interface ReissueResult {
	userId: string;
	email: string;
	iut: string;
	certificateSerial: string;
	expiresAt: Date;
	previousSerial: string;
}

/** What went wrong after the commit, safe to show: a domain error's code, a system error's code. */
function failureReason(error: unknown): string {
	const failure = asWriteFailure(error);
	if (failure instanceof DomainError) return failure.params['reason'] !== undefined ? `${failure.code} ${String(failure.params['reason'])}` : failure.code;
	return (failure as NodeJS.ErrnoException | undefined)?.code ?? 'error';
}

function digits(count: number): string {
	return Array.from({length: count}, () => randomInt(0, 10)).join('');
}

/** The checks, on a snapshot or under the lock: the holder, the codice fiscale, a state only an operator can lead out of. */
function reissuable(db: Database, input: ReissueInput, clock: Clock) {
	const userId = input.userId.trim().toUpperCase();
	const holder = db.holders.find(entry => entry.userId === userId);
	if (!holder) throw new DomainError('admin.unknownUser', {userId: input.userId.trim()});
	if (input.codiceFiscale.trim().toUpperCase() !== holder.codiceFiscale) throw new DomainError('admin.identityMismatch', {userId});
	const certificate = currentCertificate(db.certificates, userId);
	if (!certificate) throw new DomainError('certificate.none');
	const state = certificateState(certificate, clock);
	if (!OPERATOR_ONLY_STATES.includes(state)) throw new DomainError('admin.notReissuable', {userId, state});
	return {holder, certificate};
}

export async function reissue(
	store: Store,
	clock: Clock,
	pepper: Buffer,
	authority: () => Promise<CertificationAuthority>,
	publishCrl: () => Promise<void>,
	deliver: Deliver,
	input: ReissueInput,
): Promise<ReissueResult> {
	// The holder's document alone; a new IUT is checked against every holder's (holders/index.json).
	const scope = input.userId.trim().toUpperCase();
	const snapshot = await store.read(scope);
	const {holder, certificate} = reissuable(snapshot, input, clock);
	// The CA first: a missing or foreign ca.key refuses the reissue before anything is stored.
	const ca = await authority();
	const now = clock.now();
	const iut = await newUniqueIut(store);
	const pin = digits(8);
	const erc = digits(8);
	const expiresAt = new Date(now);
	expiresAt.setUTCFullYear(expiresAt.getUTCFullYear() + snapshot.settings.certificateValidityYears);
	const issued = await ca.issue({givenName: holder.name, surname: holder.surname, codiceFiscale: holder.codiceFiscale, iut}, {notBefore: new Date(now.getTime() - 60_000), notAfter: expiresAt});
	const [pinHash, ercHash, privateKey] = await Promise.all([hashPeppered(pin, pepper), hashPeppered(erc, pepper), sealPrivateKey(issued.privateKey, pin, pepper)]);
	issued.privateKey.fill(0);
	const record = newCertificateRecord({userId: holder.userId, codiceFiscale: holder.codiceFiscale, iut, issued, privateKey, activatedAt: now, expiresAt});

	await store.update(async db => {
		// Again under the lock: another operator may have reissued (or the holder changed) meanwhile,
		// or another holder's certificate taken the IUT (the index is current under the lock).
		const current = reissuable(db, input, clock);
		if (current.certificate.id !== certificate.id || (await store.holderIdByIut(iut)) !== undefined) throw new DomainError('admin.notReissuable', {userId: holder.userId, state: 'active'});
		const old = current.certificate;
		if (old.status !== 'revoked') {
			// A blocked certificate is replaced, not compromised: RFC 5280's "superseded".
			old.status = 'revoked';
			old.revokedAt = now.toISOString();
			old.revocationReason = 'superseded';
		}
		old.suspendedUntil = null;
		db.certificates.push(record);
		const owner = current.holder;
		owner.pinHash = pinHash;
		owner.ercHash = ercHash;
		owner.pinFailures = 0;
		owner.pukHash = null;
		owner.replacementDeadline = null;
		delete db.loginThrottle[`erc:${owner.userId}`];
		// Procedures begun on the old certificate cannot finish on it.
		db.renewals = db.renewals.filter(entry => entry.userId !== owner.userId);
		db.pinChanges = db.pinChanges.filter(entry => entry.userId !== owner.userId);
		// In the same step: "Visualizza accessi" and an e-mail with the new IUT (the envelope follows).
		recordChange(db, {kind: 'certificate-issued', userId: owner.userId, iut, expiresAt, envelope: true}, now, OPERATOR_TERMINAL);
	}, scope);
	// Committed: from here a failure is not a refusal. The new PIN and ERC exist only in this
	// process until the envelope is sent, so the operator is told exactly what is stored and what
	// was not done (a stale CRL is reissued by the next operator command; a lost envelope is not).
	const crl = await publishCrl().then(() => undefined, (error: unknown) => failureReason(error));
	const enrolled: EnrolledHolder = {userId: holder.userId, name: holder.name, surname: holder.surname, codiceFiscale: holder.codiceFiscale, email: holder.email, iut, expiresAt};
	const sent = await deliver(enrolled, {password: null, pin, erc}, 'reissue').then(() => undefined, (error: unknown) => failureReason(error));
	if (sent !== undefined) throw new DomainError('admin.reissueNotSent', {userId: holder.userId, iut, reason: sent});
	if (crl !== undefined) throw new DomainError('admin.reissueCrlStale', {userId: holder.userId, iut, reason: crl});
	return {userId: holder.userId, email: holder.email, iut, certificateSerial: issued.serialNumber, expiresAt, previousSerial: certificate.certificateSerial};
}
