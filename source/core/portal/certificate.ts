import {resolve} from 'node:path';
import type {CertificateDetails} from '../certificate/details.js';
import {certificateLifecycle} from '../certificate/lifecycle.js';
import {certificateState, currentCertificate, maskIut} from '../certificate/record.js';
import type {SuspensionRequest} from '../certificate/suspension.js';
import {DomainError} from '../errors.js';
import type {CertificateRecord} from '../store/schema.js';
import {writeNewFile, type PortalContext} from './context.js';
import type {CertificateView, DashboardView, Session} from './types.js';

/** The dashboard, "Dettagli certificato", its downloads, and "Sospensione e revoca firma". */
export class CertificateService {
	constructor(private readonly context: PortalContext) {}

	async dashboard(session: Session): Promise<DashboardView> {
		// During first access too: it tells the portal to ask for the password and the question.
		const db = await this.context.liveSnapshotDuringSetup(session);
		const holder = db.holders.find(entry => entry.userId === session.userId);
		if (!holder) throw new DomainError('auth.sessionExpired');
		const certificate = this.certificateOf(db.certificates, holder);
		const deadline = holder.replacementDeadline ? new Date(holder.replacementDeadline) : null;
		const record = currentCertificate(db.certificates, holder.userId);
		const lifecycle = record ? certificateLifecycle(record, holder, this.context.clock.now(), db.settings.renewalWindowDays) : undefined;
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
			state: certificateState(record, this.context.clock),
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
	async details(session: Session): Promise<CertificateDetails> {
		const record = await this.currentRecord(session);
		const {certificateDetails} = await import('../certificate/details.js');
		return certificateDetails(record.pem);
	}

	/** "Scarica": writes the current certificate as PEM or DER to `path` (never over an existing file). */
	async export(session: Session, format: 'pem' | 'der', path: string): Promise<string> {
		const record = await this.currentRecord(session);
		const {certificateDer} = await import('../certificate/details.js');
		return writeNewFile(path, format === 'pem' ? record.pem.trimEnd() + '\n' : certificateDer(record.pem));
	}

	/** "Scarica il modulo di revoca": a PDF pre-filled with the holder's data, written to `path` (never over a file). */
	async exportRevocationForm(session: Session, path: string): Promise<string> {
		const record = await this.currentRecord(session);
		const holder = (await this.context.store.read(session.userId)).holders.find(entry => entry.userId === session.userId)!;
		const {buildRevocationForm} = await import('../certificate/revocation-form.js');
		const pdf = await buildRevocationForm({
			name: holder.name,
			surname: holder.surname,
			codiceFiscale: holder.codiceFiscale,
			userId: holder.userId,
			iut: record.iut,
			serial: record.serial,
			certificateSerial: record.certificateSerial,
			expiresAt: new Date(record.expiresAt),
			date: this.context.clock.now(),
		});
		return writeNewFile(path, pdf);
	}

	async suggestedRevocationFormFile(session: Session): Promise<string> {
		await this.context.requireSession(session);
		return resolve(process.cwd(), `modulo-revoca-${session.userId}.pdf`);
	}

	/** Where "Scarica" proposes to save: TINIT-<codice fiscale>.pem (or .cer) in the current folder. */
	async suggestedFile(session: Session, format: 'pem' | 'der'): Promise<string> {
		const record = await this.currentRecord(session);
		return resolve(process.cwd(), `${record.serial}.${format === 'pem' ? 'pem' : 'cer'}`);
	}

	/** The full IUT, for the declaration of the renewal's step 1 ("titolare della firma con IUT …"). */
	async currentIut(session: Session): Promise<string> {
		return (await this.currentRecord(session)).iut;
	}

	private async currentRecord(session: Session): Promise<CertificateRecord> {
		const record = currentCertificate((await this.context.liveSnapshot(session)).certificates, session.userId);
		if (!record) throw new DomainError('certificate.none');
		return record;
	}

	/** Suspends the current certificate at once and reissues the CRL (certificateHold). */
	async suspend(session: Session, request: SuspensionRequest): Promise<{until: Date}> {
		await this.context.requireSession(session);
		const {suspend} = await import('../certificate/suspension.js');
		// The CA first: a suspension stored with no CRL to publish it would say one thing and do another.
		await this.context.authority();
		const result = await suspend(this.context.store, this.context.clock, this.context.keys.pepper, session.userId, request);
		await this.context.publishCrl();
		return result;
	}
}
