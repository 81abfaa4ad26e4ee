import {lstat} from 'node:fs/promises';
import {readRegularFile} from '../store/safe-file.js';
import {basename} from 'node:path';
import type {Clock} from '../clock.js';
import {DomainError, isDomainError} from '../errors.js';
import {requireHolder} from '../holders/identity.js';
import {assertPinFormat, checkPin, countPinIn, throwUnlessPinRight, verifyPinOutsideLock, type PinVerdict} from '../auth/pin.js';
import {certificateState, currentCertificate} from '../certificate/record.js';
import {formatItalianDate} from '../italian-date.js';
import type {SignatureLogStore, SignatureRecord} from '../history/signature-log.js';
import type {ChallengeView, Challenges} from '../otp/challenges.js';
import {openPrivateKey, type SealedKey} from '../pki/holder-key.js';
import {pkiFiles} from '../pki/files.js';
import type {CertificateRecord} from '../store/schema.js';
import type {Store} from '../store/store.js';
import {documentsBinding, readDocumentContent, sha256Hex, type DocumentContent, type DocumentToSign} from './documents.js';
import {discardEnvelope, publishEnvelope, stageEnvelope, type StagedEnvelope} from './output.js';

const exists = (path: string) => lstat(path).then(() => true, () => false);

/*
 * Remote signing, as GoSign does it with a MySign certificate: the documents are hashed, an
 * OTP is bound to those hashes, and the PIN unseals the signing key only after the OTP is
 * right. Each document becomes DOCUMENT.p7m (CAdES-BES, content attached); several documents
 * share one OTP. Every attempt, refused or not, goes to the holder's signature log.
 */

export const OPERATION_SIGN = 'sign.documents';

export interface SignedDocument {
	name: string;
	output: string;
	sha256: string;
	size: number;
}

/** A document of the operation that was not signed, and why (an error code). */
export interface SigningFailure {
	name: string;
	/** Absolute path of the document. */
	path: string;
	reason: string;
}

/**
 * What one signing did: the envelopes written (each with its line in the signature log), and
 * the documents that were not signed (no .p7m; signing them again works).
 */
export interface SigningResult {
	signed: SignedDocument[];
	failed: SigningFailure[];
	/** Every document signed. */
	complete: boolean;
	/** The signature report e-mail (when the holder asked for one) could not be sent. */
	reportFailed: boolean;
}

export class Signer {
	constructor(
		private readonly store: Store,
		private readonly clock: Clock,
		private readonly pepper: Buffer,
		private readonly challenges: Challenges,
		private readonly log: SignatureLogStore,
		/** Told of every successful signing (the signature report). */
		private readonly onSigned: (userId: string, signed: SignedDocument[], at: Date) => Promise<void>,
	) {}

	/**
	 * Step 1: the certificate must be usable and (when given) the PIN right; then an OTP bound
	 * to the documents is sent (SMS) or expected (app, token, push).
	 */
	async requestOtp(userId: string, documents: readonly DocumentToSign[], pin?: string): Promise<ChallengeView> {
		const certificate = await this.usableCertificate(userId, documents);
		const snapshot = await this.store.read(userId);
		this.challenges.assertCanStartIn(snapshot, userId, this.clock.now());
		let verdict: PinVerdict | undefined;
		if (pin !== undefined) {
			try {
				assertPinFormat(pin);
				verdict = await verifyPinOutsideLock(snapshot, this.pepper, userId, certificate.id, pin);
			} catch (error) {
				await this.recordFailure(userId, documents, error, certificate, null);
				throw error;
			}
		}
		// One write: the PIN counted (when given) and the challenge started; the SMS leaves once committed.
		const outcome = await this.store.update(async (db, transaction) => {
			const now = this.clock.now();
			// The PIN counted first (never verified and left uncounted), then the limit again under the lock.
			if (verdict) {
				const counted = await countPinIn(db, userId, certificate.id, verdict, now);
				if (counted.kind !== 'ok') return {pin: counted};
			}
			const refused = this.challenges.refusalToStartIn(db, userId, now);
			if (refused) return {pin: {kind: 'ok'} as const, refused};
			const started = this.challenges.startIn(db, now, {userId, operation: OPERATION_SIGN, data: documentsBinding(documents)});
			transaction.afterCommit(started.send);
			return {pin: {kind: 'ok'} as const, challenge: started.challenge};
		}, userId);
		try {
			throwUnlessPinRight(outcome.pin);
		} catch (error) {
			await this.recordFailure(userId, documents, error, certificate, null);
			throw error;
		}
		if (outcome.refused) throw outcome.refused;
		return outcome.challenge!;
	}

	/** A challenge already waiting for these very documents (a script's second call, `--otp` after an SMS). */
	async pendingOtp(userId: string, documents: readonly DocumentToSign[]): Promise<ChallengeView | undefined> {
		return this.challenges.findPending(userId, OPERATION_SIGN, documentsBinding(documents));
	}

	/** Step 2: PIN and OTP; signs every document and writes its .p7m next to it. */
	async sign(userId: string, input: {documents: readonly DocumentToSign[]; pin: string; challengeId: string; code: string}): Promise<SigningResult> {
		const {documents} = input;
		const certificate = await this.usableCertificate(userId, documents);
		const contents = await this.rereadUnchanged(userId, documents, certificate);
		const sealed = await this.verifyPin(userId, certificate, documents, input.pin);
		const challenge = await this.challenges.get(input.challengeId, userId);
		try {
			await this.challenges.confirm({challengeId: input.challengeId, userId, operation: OPERATION_SIGN, data: documentsBinding(documents), code: input.code});
		} catch (error) {
			await this.recordFailure(userId, documents, error, certificate, challenge.channel);
			throw error;
		}

		const key = await openPrivateKey(sealed, input.pin, this.pepper);
		// The key the PIN was counted with: it opens unless the stored data disagree with themselves.
		if (!key) throw new DomainError('pin.changedMeanwhile');
		const {signCades} = await import('../pki/cades.js');
		const caPem = (await readRegularFile(pkiFiles(this.store.directory).certificate, 16 << 20)).toString('utf8');
		// Record before effect: every envelope is first written under a hidden name; the log's
		// lines (fsynced) come next; only then does each .p7m appear under its name.
		const staged: {document: DocumentToSign; envelope: StagedEnvelope; at: Date}[] = [];
		const records: SignatureRecord[] = [];
		const failed: SigningFailure[] = [];
		const refuse = (document: DocumentToSign, at: Date, reason: string) => {
			records.push(this.record(document, at, 'failure', reason, certificate, challenge.channel));
			failed.push({name: document.name, path: document.path, reason});
		};
		let logged = false;
		try {
			try {
				for (const [index, document] of documents.entries()) {
					const at = this.clock.now();
					const envelope = await signCades({content: contents[index]!.content, certificatePem: certificate.pem, privateKeyPkcs8: key, signingTime: at, chainPem: [caPem]});
					try {
						staged.push({document, envelope: await stageEnvelope(document.output, envelope, contents[index]!), at});
						records.push(this.record(document, at, 'success', null, certificate, challenge.channel));
					} catch {
						refuse(document, at, 'sign.writeFailed');
					}
				}
			} finally {
				key.fill(0);
			}
			await this.log.append(userId, records).catch((error: unknown) => {
				throw new DomainError('sign.logFailed', {reason: (error as NodeJS.ErrnoException).code ?? 'error'});
			});
			logged = true;
		} finally {
			// Nothing was recorded: nothing may appear.
			if (!logged) for (const entry of staged) await discardEnvelope(entry.envelope);
		}

		const signed: SignedDocument[] = [];
		const unpublished: SignatureRecord[] = [];
		for (const {document, envelope, at} of staged) {
			try {
				await publishEnvelope(envelope);
				signed.push({name: document.name, output: document.output, sha256: document.sha256, size: document.size});
			} catch (error) {
				const reason = (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'sign.outputExists' : 'sign.writeFailed';
				failed.push({name: document.name, path: document.path, reason});
				// The success line is already on disk: a later line says this envelope never appeared.
				unpublished.push(this.record(document, at, 'failure', reason, certificate, challenge.channel));
			}
		}
		await this.log.append(userId, unpublished).catch(() => undefined);
		failed.sort((a, b) => documents.findIndex(document => document.path === a.path) - documents.findIndex(document => document.path === b.path));
		const first = failed[0];
		if (signed.length === 0 && first) throw new DomainError(first.reason === 'sign.outputExists' ? 'sign.outputExists' : 'sign.writeFailed', {name: `${first.name}.p7m`, reason: 'write'});
		// The signatures are done and recorded: a report that cannot be sent does not undo them.
		let reportFailed = false;
		if (signed.length > 0) await this.onSigned(userId, signed, this.clock.now()).catch(() => (reportFailed = true));
		return {signed, failed, complete: failed.length === 0, reportFailed};
	}

	/** The current certificate, if it can sign now; otherwise the refusal is logged and thrown. */
	private async usableCertificate(userId: string, documents: readonly DocumentToSign[]): Promise<CertificateRecord> {
		const db = await this.store.read(userId);
		requireHolder(db, userId);
		const certificate = currentCertificate(db.certificates, userId);
		if (!certificate) throw new DomainError('certificate.none');
		const state = certificateState(certificate, this.clock);
		if (state !== 'active') {
			// A blocked PIN is for good: its message names the way out (the operator's new certificate).
			const error = state === 'blocked' ? new DomainError('pin.blocked') : new DomainError('sign.notActive', {state});
			await this.recordFailure(userId, documents, error, certificate, null);
			throw error;
		}
		// A training folder's clock set before the certificate's start: openssl would call the signature invalid.
		if (this.clock.now().getTime() < Date.parse(certificate.activatedAt)) {
			const error = new DomainError('sign.notYetValid', {date: formatItalianDate(new Date(certificate.activatedAt))});
			await this.recordFailure(userId, documents, error, certificate, null);
			throw error;
		}
		return certificate;
	}

	/** The PIN checked and counted; returns the key sealed under it (the one the lock saw, see checkPin). */
	private async verifyPin(userId: string, certificate: CertificateRecord, documents: readonly DocumentToSign[], pin: string): Promise<SealedKey> {
		try {
			assertPinFormat(pin);
			return await checkPin(this.store, this.pepper, userId, certificate.id, pin, this.clock);
		} catch (error) {
			await this.recordFailure(userId, documents, error, certificate, null);
			throw error;
		}
	}

	/** Each document read again (one open, the bytes hashed are the bytes signed); a changed one stops the signing. */
	private async rereadUnchanged(userId: string, documents: readonly DocumentToSign[], certificate: CertificateRecord): Promise<DocumentContent[]> {
		const contents: DocumentContent[] = [];
		for (const document of documents) {
			let content: DocumentContent;
			try {
				content = await readDocumentContent(document.path);
				if (sha256Hex(content.content) !== document.sha256) throw new DomainError('sign.documentChanged', {name: document.name});
				if (await exists(document.output)) throw new DomainError('sign.outputExists', {name: basename(document.output)});
			} catch (error) {
				await this.recordFailure(userId, documents, error, certificate, null);
				throw error;
			}
			contents.push(content);
		}
		return contents;
	}

	private record(document: DocumentToSign, at: Date, outcome: 'success' | 'failure', reason: string | null, certificate: CertificateRecord | null, channel: SignatureRecord['channel']): SignatureRecord {
		return {
			at: at.toISOString(),
			document: basename(document.path).slice(0, 255) || '?',
			sha256: document.sha256,
			size: document.size,
			outcome,
			reason,
			channel,
			certificateSerial: certificate?.certificateSerial ?? null,
		};
	}

	private async recordFailure(userId: string, documents: readonly DocumentToSign[], error: unknown, certificate: CertificateRecord | null, channel: SignatureRecord['channel']): Promise<void> {
		const reason = isDomainError(error) ? error.code : 'unexpected';
		const at = this.clock.now();
		await this.log.append(
			userId,
			documents.map(document => this.record(document, at, 'failure', reason, certificate, channel)),
		);
	}
}
