import {taggedPdf} from '../pdf/document.js';

/*
 * "Scarica il modulo di revoca" (seed 003 §8): revocation is not online; the holder fills in
 * and signs this form and an operator (RAO) revokes. The PDF comes pre-filled with the
 * holder's and the certificate's data: A4, tagged, in Italian, codes in a monospaced font.
 */

export interface RevocationFormData {
	name: string;
	surname: string;
	codiceFiscale: string;
	userId: string;
	iut: string;
	serial: string;
	certificateSerial: string;
	expiresAt: Date;
	date: Date;
}

export async function buildRevocationForm(data: RevocationFormData): Promise<Buffer> {
	const day = (date: Date) => new Intl.DateTimeFormat('it-IT', {timeZone: 'Europe/Rome', day: '2-digit', month: '2-digit', year: 'numeric'}).format(date);
	return taggedPdf('Modulo di richiesta di revoca del certificato di firma remota', pdf => {
		pdf.heading('Richiesta di revoca del certificato qualificato di firma remota', {size: 16, align: 'center'});
		pdf.space().paragraph('InfoCert S.p.A. - Qualified Trust Service Provider');
		pdf.space().subheading('Dati del Titolare');
		const rows: [string, string, boolean][] = [
			['Nome', data.name, false],
			['Cognome', data.surname, false],
			['Codice fiscale', data.codiceFiscale, true],
			['User ID', data.userId, true],
			['Identificativo univoco (IUT)', data.iut, true],
			['Numero di serie del titolare', data.serial, true],
			['Numero di serie del certificato', data.certificateSerial.toUpperCase(), true],
			['Scadenza del certificato', day(data.expiresAt), false],
		];
		for (const [label, value, code] of rows) pdf.field(label, value, {size: 11, code});
		pdf.space().subheading('Motivo della revoca');
		for (const reason of ['Compromissione della chiave o del dispositivo', 'Variazione dei dati del Titolare', 'Cessazione del servizio', 'Altro: ______________________________']) {
			pdf.paragraph(`[  ] ${reason}`);
		}
		pdf.space().paragraph(`Data: ${day(data.date)}                    Firma del Titolare: ______________________________`);
		pdf.space().paragraph('Consegna il modulo compilato e firmato all\u2019operatore di registrazione (RAO) con un documento di identità valido, oppure segui le indicazioni del call center InfoCert (065 464 1489). La revoca è definitiva.', {size: 9});
	});
}
