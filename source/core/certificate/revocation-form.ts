/*
 * "Scarica il modulo di revoca" (seed 003 §8): revocation is not online; the holder fills in
 * and signs this form and an operator (RAO) revokes. The PDF comes pre-filled with the
 * holder's and the certificate's data; pdfkit is loaded only when it is made.
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
	const {default: PDFDocument} = await import('pdfkit');
	const document = new PDFDocument({info: {Title: 'Modulo di richiesta di revoca del certificato di firma remota', Author: 'InfoCert S.p.A. (simulazione mysign)'}});
	const chunks: Buffer[] = [];
	document.on('data', (chunk: Buffer) => chunks.push(chunk));
	const finished = new Promise<Buffer>((resolve, reject) => {
		document.on('end', () => resolve(Buffer.concat(chunks)));
		document.on('error', reject);
	});
	const day = (date: Date) => new Intl.DateTimeFormat('it-IT', {timeZone: 'Europe/Rome', day: '2-digit', month: '2-digit', year: 'numeric'}).format(date);
	document.fontSize(16).text('Richiesta di revoca del certificato qualificato di firma remota', {align: 'center'});
	document.moveDown().fontSize(11).text('InfoCert S.p.A. - Qualified Trust Service Provider');
	document.moveDown().fontSize(12).text('Dati del Titolare', {underline: true});
	const rows: [string, string][] = [
		['Nome', data.name],
		['Cognome', data.surname],
		['Codice fiscale', data.codiceFiscale],
		['User ID', data.userId],
		['Identificativo univoco (IUT)', data.iut],
		['Numero di serie del titolare', data.serial],
		['Numero di serie del certificato', data.certificateSerial.toUpperCase()],
		['Scadenza del certificato', day(data.expiresAt)],
	];
	for (const [label, value] of rows) document.fontSize(11).text(`${label}: ${value}`);
	document.moveDown().fontSize(12).text('Motivo della revoca', {underline: true});
	for (const reason of ['Compromissione della chiave o del dispositivo', 'Variazione dei dati del Titolare', 'Cessazione del servizio', 'Altro: ______________________________']) {
		document.fontSize(11).text(`[  ] ${reason}`);
	}
	document.moveDown().fontSize(11).text(`Data: ${day(data.date)}                    Firma del Titolare: ______________________________`);
	document.moveDown().fontSize(9).text('Consegna il modulo compilato e firmato all\u2019operatore di registrazione (RAO) con un documento di identità valido, oppure segui le indicazioni del call center InfoCert (065 464 1489). La revoca è definitiva.');
	document.end();
	return finished;
}
