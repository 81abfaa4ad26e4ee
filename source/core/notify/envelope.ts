import {randomBytes} from 'node:crypto';

/*
 * The "Busta Cifrata" (seed 002): a PDF encrypted with AES-256 (PDF 1.7 extension level 3)
 * under the holder's passphrase, holding the emergency code (ERC). qpdf opens it with the
 * passphrase and not without. pdfkit is loaded only when an envelope is made.
 */

export async function buildEnvelopePdf(input: {holderName: string; userId: string; erc: string; passphrase: string; issuedAt: Date}): Promise<Buffer> {
	const {default: PDFDocument} = await import('pdfkit');
	const document = new PDFDocument({
		pdfVersion: '1.7ext3',
		userPassword: input.passphrase,
		ownerPassword: randomBytes(24).toString('base64'),
		permissions: {printing: 'highResolution', copying: true},
		info: {Title: 'Busta Cifrata - Codice di Emergenza', Author: 'InfoCert S.p.A. (simulazione mysign)'},
	});
	const chunks: Buffer[] = [];
	document.on('data', (chunk: Buffer) => chunks.push(chunk));
	const finished = new Promise<Buffer>((resolve, reject) => {
		document.on('end', () => resolve(Buffer.concat(chunks)));
		document.on('error', reject);
	});
	const date = new Intl.DateTimeFormat('it-IT', {timeZone: 'Europe/Rome', dateStyle: 'long'}).format(input.issuedAt);
	document.fontSize(18).text('Busta Cifrata (ERC)', {underline: true});
	document.moveDown();
	document.fontSize(12).text(`Titolare: ${input.holderName}`);
	document.text(`User ID: ${input.userId}`);
	document.text(`Data di emissione: ${date}`);
	document.moveDown();
	document.fontSize(16).text(`Codice di Emergenza: ${input.erc}`);
	document.moveDown();
	document
		.fontSize(11)
		.text(
			'Conserva questo codice con cura e separato dalle credenziali. Ti serve per sospendere il certificato di firma ' +
				'dal portale MySign ("Sospensione e revoca firma") insieme all\u2019identificativo univoco (IUT).',
		);
	document.end();
	return finished;
}
