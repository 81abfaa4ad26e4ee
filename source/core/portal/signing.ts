import type {ChallengeView} from '../otp/challenges.js';
import {pkiFiles} from '../pki/files.js';
import type {DocumentToSign} from '../signing/documents.js';
import type {Signer, SigningResult} from '../signing/signer.js';
import type {SignatureVerification} from '../signing/verification.js';
import type {PortalContext} from './context.js';
import type {Session} from './types.js';

/** "Firma documenti" (what GoSign does with a remote certificate) and the verification of a .p7m. */
export class SigningService {
	private service: Promise<Signer> | undefined;

	constructor(private readonly context: PortalContext) {}

	private signer(): Promise<Signer> {
		const context = this.context;
		this.service ??= import('../signing/signer.js').then(
			({Signer}) => new Signer(context.store, context.clock, context.keys.pepper, context.challenges, context.signatureLog, (userId, signed, at) => context.reports.signed(userId, signed, at)),
		);
		return this.service;
	}

	/** Reads and hashes the documents to sign; refuses missing, unreadable, oversized or already signed files. */
	async inspect(paths: readonly string[]): Promise<DocumentToSign[]> {
		const {inspectDocuments} = await import('../signing/documents.js');
		return inspectDocuments(paths);
	}

	/** Signing step 1: certificate usable, PIN right (when given), then an OTP bound to the documents. Needs a live session. */
	async requestOtp(session: Session, documents: readonly DocumentToSign[], pin?: string): Promise<ChallengeView> {
		await this.context.requireSession(session);
		return (await this.signer()).requestOtp(session.userId, documents, pin);
	}

	/** An OTP already waiting for these documents (a script that sent the SMS in an earlier call). */
	async pendingOtp(session: Session, documents: readonly DocumentToSign[]): Promise<ChallengeView | undefined> {
		await this.context.requireSession(session);
		return (await this.signer()).pendingOtp(session.userId, documents);
	}

	/** Signing step 2: PIN and OTP; writes DOCUMENT.p7m beside each document. Needs a live session. */
	async sign(session: Session, input: {documents: readonly DocumentToSign[]; pin: string; challengeId: string; code: string}): Promise<SigningResult> {
		await this.context.requireSession(session);
		return (await this.signer()).sign(session.userId, input);
	}

	/** Checks a .p7m against the local CA and CRL: signer, signing time, certificate status then and now. */
	async verify(path: string): Promise<SignatureVerification> {
		const {verifySignatureFile} = await import('../signing/verification.js');
		return verifySignatureFile(path, pkiFiles(this.context.store.directory), this.context.clock.now());
	}
}
