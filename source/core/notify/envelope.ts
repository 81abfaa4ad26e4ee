import {taggedPdf} from '../pdf/document.js';

/*
 * The "Busta Cifrata" (seed 002): a PDF encrypted with AES-256 (revision 6) under the holder's
 * passphrase, holding the emergency code (ERC). qpdf opens it with the passphrase and not
 * without. A4, tagged, in Italian, the codes in a monospaced font (see pdf/document.ts).
 */

function longDate(date: Date): string {
	return new Intl.DateTimeFormat('it-IT', {timeZone: 'Europe/Rome', dateStyle: 'long'}).format(date);
}

export async function buildEnvelopePdf(input: {holderName: string; userId: string; erc: string; passphrase: string; issuedAt: Date; iut?: string}): Promise<Buffer> {
	return taggedPdf(
		'Busta Cifrata - Codice di Emergenza',
		pdf => {
			pdf.heading('Busta Cifrata (ERC)', {underline: true}).space();
			pdf.field('Titolare', input.holderName);
			pdf.field('User ID', input.userId, {code: true});
			pdf.field('Data di emissione', longDate(input.issuedAt));
			pdf.space();
			pdf.field('Codice di Emergenza', input.erc, {size: 16, code: true});
			if (input.iut) pdf.field('IUT', input.iut, {code: true});
			pdf.space();
			pdf.paragraph(
				'Conserva questo codice con cura e separato dalle credenziali. Ti serve per sospendere il certificato di firma ' +
					'dal portale MySign ("Sospensione e revoca firma") insieme all\u2019identificativo univoco (IUT).',
			);
		},
		{userPassword: input.passphrase},
	);
}

/**
 * The registration envelope (enrolment, or a certificate an operator reissued): the initial
 * password (enrolment only), the PIN and the ERC with the IUT they go with, encrypted under the
 * holder's codice fiscale, as InfoCert's "busta" reaches a new holder. No PUK: a blocked PIN
 * blocks the certificate for good, so there is nothing for one to unblock.
 */
export async function buildRegistrationPdf(input: {holderName: string; userId: string; codiceFiscale: string; iut: string; password: string | null; pin: string; erc: string; issuedAt: Date}): Promise<Buffer> {
	return taggedPdf(
		'Busta Cifrata - Codici del certificato di firma remota',
		pdf => {
			pdf.heading('Busta Cifrata - Registrazione', {underline: true}).space();
			pdf.field('Titolare', input.holderName);
			pdf.field('User ID', input.userId, {code: true});
			pdf.field('IUT', input.iut, {code: true});
			pdf.field('Data di emissione', longDate(input.issuedAt));
			pdf.space();
			if (input.password !== null) pdf.field('Password iniziale', input.password, {size: 14, code: true});
			pdf.field('PIN di firma', input.pin, {size: 14, code: true});
			pdf.field('Codice di Emergenza', input.erc, {size: 14, code: true});
			pdf.space();
			pdf.paragraph(
				(input.password !== null
					? 'Al primo accesso al portale MySign ti sarà chiesto di cambiare la password iniziale. '
					: 'Il certificato precedente è revocato: accedi a MySign con la tua password di sempre. ') +
					'Il PIN firma i documenti: non è recuperabile e dopo 3 tentativi errati si blocca per sempre. ' +
					`Il Codice di Emergenza (ERC) con lo IUT ${input.iut} sospende il certificato. Conserva questi codici separati.`,
			);
		},
		{userPassword: input.codiceFiscale},
	);
}
