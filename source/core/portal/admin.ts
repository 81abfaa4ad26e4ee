import type {Admin} from '../admin/admin.js';
import type {EnrolledHolder, EnrollmentInput, EnrollmentSecrets} from '../admin/enrollment.js';
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
		const text = [
			`Gentile ${holder.name} ${holder.surname},`,
			'',
			...(occasion === 'reissue'
				? [
						`l'operatore ti ha emesso un nuovo certificato di firma remota (IUT ${holder.iut}); il certificato precedente è revocato.`,
						'In allegato trovi la Busta Cifrata con il nuovo PIN e il nuovo Codice di Emergenza, che va usato con lo IUT indicato:',
						`aprila con il tuo codice fiscale (in maiuscolo). Accedi a MySign con il tuo User ID ${holder.userId} e la tua password di sempre.`,
					]
				: [
						`la registrazione del tuo certificato di firma remota è completata. Il tuo User ID è ${holder.userId}, il tuo IUT è ${holder.iut}.`,
						'In allegato trovi la Busta Cifrata con la password iniziale, il PIN e il Codice di Emergenza (da usare con lo IUT indicato):',
						'aprila con il tuo codice fiscale (in maiuscolo). Al primo accesso a MySign ti sarà chiesto di cambiare la password.',
					]),
			'',
			'InfoCert S.p.A. (messaggio simulato da mysign)',
		].join('\n');
		await sendEmail(this.context.store, this.context.outbox, {
			userId: holder.userId,
			to: holder.email,
			subject: occasion === 'reissue' ? 'InfoCert LegalCert: nuovo certificato emesso dall\'operatore' : 'InfoCert LegalCert: registrazione',
			text,
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
