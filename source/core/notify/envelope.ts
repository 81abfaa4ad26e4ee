import {randomBytes} from 'node:crypto';

/*
 * The "Busta Cifrata" (seed 002): a PDF encrypted with AES-256 (PDF 1.7 extension level 3)
 * under the holder's passphrase, holding the emergency code (ERC). qpdf opens it with the
 * passphrase and not without. pdfkit is loaded only when an envelope is made.
 */

type PdfDocument = InstanceType<typeof import('pdfkit')>;

/** An AES-256 PDF that opens only with `passphrase`; `draw` writes its page. */
async function encryptedPdf(title: string, passphrase: string, draw: (document: PdfDocument) => void): Promise<Buffer> {
	const {default: PDFDocument} = await import('pdfkit');
	const document = new PDFDocument({
		pdfVersion: '1.7ext3',
		userPassword: passphrase,
		ownerPassword: randomBytes(24).toString('base64'),
		permissions: {printing: 'highResolution', copying: true},
		info: {Title: title, Author: 'InfoCert S.p.A. (simulazione mysign)'},
	});
	const chunks: Buffer[] = [];
	document.on('data', (chunk: Buffer) => chunks.push(chunk));
	const finished = new Promise<Buffer>((resolve, reject) => {
		document.on('end', () => resolve(Buffer.concat(chunks)));
		document.on('error', reject);
	});
	draw(document);
	document.end();
	return finished;
}

function longDate(date: Date): string {
	return new Intl.DateTimeFormat('it-IT', {timeZone: 'Europe/Rome', dateStyle: 'long'}).format(date);
}

export async function buildEnvelopePdf(input: {holderName: string; userId: string; erc: string; passphrase: string; issuedAt: Date}): Promise<Buffer> {
	return encryptedPdf('Busta Cifrata - Codice di Emergenza', input.passphrase, document => {
		document.fontSize(18).text('Busta Cifrata (ERC)', {underline: true});
		document.moveDown();
		document.fontSize(12).text(`Titolare: ${input.holderName}`);
		document.text(`User ID: ${input.userId}`);
		document.text(`Data di emissione: ${longDate(input.issuedAt)}`);
		document.moveDown();
		document.fontSize(16).text(`Codice di Emergenza: ${input.erc}`);
		document.moveDown();
		document
			.fontSize(11)
			.text(
				'Conserva questo codice con cura e separato dalle credenziali. Ti serve per sospendere il certificato di firma ' +
					'dal portale MySign ("Sospensione e revoca firma") insieme all\u2019identificativo univoco (IUT).',
			);
	});
}

/**
 * The registration envelope (enrolment): the initial password, PIN, PUK and ERC, encrypted
 * under the holder's codice fiscale, as InfoCert's "busta" reaches a new holder.
 */
export async function buildRegistrationPdf(input: {holderName: string; userId: string; codiceFiscale: string; iut: string; password: string; pin: string; puk: string; erc: string; issuedAt: Date}): Promise<Buffer> {
	return encryptedPdf('Busta Cifrata - Codici del certificato di firma remota', input.codiceFiscale, document => {
		document.fontSize(18).text('Busta Cifrata - Registrazione', {underline: true});
		document.moveDown();
		document.fontSize(12).text(`Titolare: ${input.holderName}`);
		document.text(`User ID: ${input.userId}`);
		document.text(`IUT: ${input.iut}`);
		document.text(`Data di emissione: ${longDate(input.issuedAt)}`);
		document.moveDown();
		document.fontSize(14).text(`Password iniziale: ${input.password}`);
		document.text(`PIN di firma: ${input.pin}`);
		document.text(`PUK: ${input.puk}`);
		document.text(`Codice di Emergenza: ${input.erc}`);
		document.moveDown();
		document
			.fontSize(11)
			.text(
				'Al primo accesso al portale MySign ti sarà chiesto di cambiare la password iniziale. Il PIN firma i documenti: ' +
					'non è recuperabile. Il Codice di Emergenza (ERC) con lo IUT sospende il certificato. Conserva questi codici separati.',
			);
	});
}
