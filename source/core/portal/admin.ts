import type {Admin} from '../admin/admin.js';
import type {EnrolledHolder, EnrollmentInput, EnrollmentSecrets} from '../admin/enrollment.js';
import {messagesOf} from '../notify/messages/messages.js';
import {assertFolderOperator} from '../operator.js';
import type {PortalContext} from './context.js';

/** The operator commands (`mysign admin`), `mysign status`, and the e-mails an enrolment sends. */
export class AdminService {
	private service: Promise<Admin> | undefined;

	constructor(private readonly context: PortalContext) {}

	/** The operator commands (the folder's owner only: see operator.ts); loaded on first use (they need the CA). */
	async commands(): Promise<Admin> {
		assertFolderOperator(this.context.store.directory);
		return this.admin();
	}

	/** `mysign status` (monitoring, open to every user of the folder): a holder's certificate state. */
	async certificateStatus(userId: string): ReturnType<Admin['status']> {
		return (await this.admin()).status(userId);
	}

	private admin(): Promise<Admin> {
		this.service ??= (async () => {
			const {Admin} = await import('../admin/admin.js');
			const context = this.context;
			return new Admin(
				context.store,
				context.clock,
				context.keys.pepper,
				() => context.authority(),
				() => context.publishCrl(),
				// An enrolment sends the envelope, then the trainee's printable handout; a reissue only the envelope.
				async (holder, secrets, occasion) => {
					await this.sendRegistration(holder, secrets, occasion);
					if (occasion !== 'reissue') await this.sendHandout(holder);
				},
			);
		})();
		return this.service;
	}

	/** Rows of an enrolment CSV (header row with nome, cognome, codice fiscale, cellulare, email). */
	async parseEnrollmentCsv(text: string): Promise<EnrollmentInput[]> {
		const {parseEnrollmentCsv} = await import('../admin/csv.js');
		return parseEnrollmentCsv(text);
	}

	/**
	 * "InfoCert LegalCert: registrazione": the userID and the IUT in the text, the codes in a PDF
	 * only the codice fiscale opens. Sent at enrolment and when an operator reissues a
	 * certificate (`admin reissue`: a new PIN and ERC, no password: the holder keeps theirs).
	 */
	private async sendRegistration(holder: EnrolledHolder, secrets: EnrollmentSecrets, occasion: 'enrolment' | 'reissue' = 'enrolment'): Promise<void> {
		const [{buildRegistrationPdf}, {sendEmail}] = await Promise.all([import('../notify/envelope.js'), import('../notify/email.js')]);
		const now = this.context.clock.now();
		const pdf = await buildRegistrationPdf({holderName: `${holder.name} ${holder.surname}`, userId: holder.userId, codiceFiscale: holder.codiceFiscale, iut: holder.iut, ...secrets, issuedAt: now});
		// A new holder has no saved language yet (Italian); a reissue speaks the holder's.
		const messages = messagesOf(await this.context.store.read(holder.userId), holder.userId);
		await sendEmail(this.context.store, this.context.outbox, {
			userId: holder.userId,
			to: holder.email,
			...messages[occasion === 'reissue' ? 'reissue' : 'registration']({name: holder.name, surname: holder.surname, userId: holder.userId, iut: holder.iut}),
			at: now,
			attachments: [{filename: `BustaCifrata-${holder.userId}.pdf`, content: pdf, contentType: 'application/pdf'}],
		});
	}

	/** The trainee's printable handout (see admin/handout.ts): its text as the e-mail, the same on one A4 PDF. */
	private async sendHandout(holder: EnrolledHolder): Promise<void> {
		const [{buildHandoutPdf, handoutText, HANDOUT_SUBJECT}, {sendEmail}] = await Promise.all([import('../admin/handout.js'), import('../notify/email.js')]);
		const pdf = await buildHandoutPdf(holder);
		const attachments = [{filename: `Scheda-${holder.userId}.pdf`, content: pdf, contentType: 'application/pdf'}];
		await sendEmail(this.context.store, this.context.outbox, {userId: holder.userId, to: holder.email, subject: HANDOUT_SUBJECT, text: handoutText(holder), at: this.context.clock.now(), attachments});
	}
}
