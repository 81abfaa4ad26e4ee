import {randomBytes} from 'node:crypto';
import {upgradeToR6} from './security-r6.js';

/*
 * The PDFs mysign hands to holders (the encrypted envelopes, the revocation form): A4, tagged
 * (a structure tree of headings and paragraphs, so screen readers read them in order), in
 * Italian (it-IT), the title shown instead of the file name, and every code (password, PIN,
 * PUK, ERC, IUT, userID...) in a monospaced font, where 0/O and 1/l/I cannot be confused.
 * pdfkit is loaded only when a PDF is made.
 */

type PdfDocument = InstanceType<typeof import('pdfkit')>;
type StructureElement = ReturnType<PdfDocument['struct']>;

const TEXT_FONT = 'Helvetica';
const CODE_FONT = 'Courier';
const AUTHOR = 'InfoCert S.p.A. (simulazione mysign)';

/** Writes tagged content: each call is one structure element of the document, drawn in order. */
export class TaggedWriter {
	constructor(
		readonly document: PdfDocument,
		private readonly root: StructureElement,
	) {}

	heading(text: string, options: {size?: number; underline?: boolean; align?: 'left' | 'center'} = {}): this {
		this.element('H1', () => this.document.font(TEXT_FONT).fontSize(options.size ?? 18).text(text, {underline: options.underline ?? false, align: options.align ?? 'left'}));
		return this;
	}

	subheading(text: string, options: {size?: number} = {}): this {
		this.element('H2', () => this.document.font(TEXT_FONT).fontSize(options.size ?? 12).text(text, {underline: true}));
		return this;
	}

	paragraph(text: string, options: {size?: number} = {}): this {
		this.element('P', () => this.document.font(TEXT_FONT).fontSize(options.size ?? 11).text(text));
		return this;
	}

	/** "Label: value" on one line, the value in the monospaced font when it is a code. */
	field(label: string, value: string, options: {size?: number; code?: boolean} = {}): this {
		this.element('P', () => {
			this.document.fontSize(options.size ?? 12).font(TEXT_FONT).text(`${label}: `, {continued: true});
			this.document.font(options.code ? CODE_FONT : TEXT_FONT).text(value);
		});
		return this;
	}

	space(lines = 1): this {
		this.document.moveDown(lines);
		return this;
	}

	private element(type: string, draw: () => void): void {
		this.root.add(this.document.struct(type, {}, draw));
	}
}

/** A tagged A4 PDF (AES-256 R6 under `encryption.userPassword` when given), written by `draw`. */
export async function taggedPdf(title: string, draw: (writer: TaggedWriter) => void, encryption?: {userPassword: string}): Promise<Buffer> {
	const {default: PDFDocument} = await import('pdfkit');
	const passwords = encryption ? {userPassword: encryption.userPassword, ownerPassword: randomBytes(24).toString('base64')} : undefined;
	const document = new PDFDocument({
		size: 'A4',
		tagged: true,
		lang: 'it-IT',
		displayTitle: true,
		info: {Title: title, Author: AUTHOR},
		...(passwords && {
			pdfVersion: '1.7ext3',
			...passwords,
			// As before, plus "extract for accessibility" so screen readers can read the codes out.
			permissions: {printing: 'highResolution', copying: true, contentAccessibility: true},
		}),
	});
	if (passwords) upgradeToR6(document, passwords);
	const chunks: Buffer[] = [];
	document.on('data', (chunk: Buffer) => chunks.push(chunk));
	const finished = new Promise<Buffer>((resolve, reject) => {
		document.on('end', () => resolve(Buffer.concat(chunks)));
		document.on('error', reject);
	});
	const root = document.struct('Document');
	document.addStructure(root);
	draw(new TaggedWriter(document, root));
	root.end();
	document.end();
	return finished;
}
