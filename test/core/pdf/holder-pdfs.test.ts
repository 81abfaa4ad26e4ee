import {randomBytes} from 'node:crypto';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {buildRevocationForm} from '../../../source/core/certificate/revocation-form.js';
import {buildEnvelopePdf, buildRegistrationPdf} from '../../../source/core/notify/envelope.js';
import {upgradeToR6} from '../../../source/core/pdf/security-r6.js';
import {decryptedSource, pdfInfo, pdfStructure, pdfText, qpdfOpens, showEncryption, textRuns} from '../../helpers/pdf.js';
import {temporaryDirectory} from '../../helpers/portal.js';

/*
 * The PDFs a holder receives, read with qpdf and poppler as their reader would: AES-256 R6 with
 * "extract for accessibility" allowed, A4, tagged (headings and paragraphs), Italian, and every
 * code in Courier.
 */

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function folder(): string {
	const made = temporaryDirectory();
	cleanup = made.remove;
	return made.path;
}

const REGISTRATION = {
	holderName: 'ANNA NERI',
	userId: 'JCPD4821',
	codiceFiscale: 'NRENNA85M41F205X',
	iut: '31415927',
	password: 'Q0l1I!oO8',
	pin: '27182818',
	erc: '14142135',
	issuedAt: new Date('2026-12-03T10:00:00Z'),
};

async function written(directory: string, name: string, pdf: Promise<Buffer>): Promise<string> {
	const file = join(directory, name);
	writeFileSync(file, await pdf);
	return file;
}

/** Page, tagging, language: the same for every holder PDF. */
function expectA4TaggedItalian(file: string, password: string | undefined, directory: string): void {
	const info = pdfInfo(file, password);
	expect(info['Page size']).toBe('595.28 x 841.89 pts (A4)');
	expect(info['Tagged']).toBe('yes');
	expect(info['Pages']).toBe('1');
	expect(decryptedSource(file, password, directory)).toMatch(/\/Lang \(it-IT\)/);
}

function expectR6WithAccessibility(file: string, password: string): void {
	const encryption = showEncryption(file, password);
	expect(encryption).toMatch(/^R = 6$/m);
	expect(encryption).toContain('Supplied password is user password');
	expect(encryption).toContain('file encryption method: AESv3');
	expect(encryption).toContain('extract for accessibility: allowed');
	// The rest as before: printing and copying allowed, no changes.
	for (const allowed of ['extract for any purpose', 'print low resolution', 'print high resolution']) expect(encryption).toContain(`${allowed}: allowed`);
	for (const refused of ['modify document assembly', 'modify forms', 'modify annotations', 'modify other', 'modify anything']) expect(encryption).toContain(`${refused}: not allowed`);
}

describe('the registration envelope', () => {
	it('is AES-256 R6 under the codice fiscale only, with accessibility extraction allowed', async () => {
		const directory = folder();
		const file = await written(directory, 'busta.pdf', buildRegistrationPdf(REGISTRATION));
		expectR6WithAccessibility(file, REGISTRATION.codiceFiscale);
		expect(qpdfOpens(file, REGISTRATION.codiceFiscale)).toBe(true);
		expect(qpdfOpens(file, '')).toBe(false);
		expect(qpdfOpens(file, 'RSSMRA80A01H501U')).toBe(false);
		expect(qpdfOpens(file, REGISTRATION.codiceFiscale.toLowerCase())).toBe(false);
	});

	it('is A4, tagged, in Italian, headings and paragraphs in reading order, every code in Courier', async () => {
		const directory = folder();
		const file = await written(directory, 'busta.pdf', buildRegistrationPdf(REGISTRATION));
		expectA4TaggedItalian(file, REGISTRATION.codiceFiscale, directory);
		const structure = pdfStructure(file, REGISTRATION.codiceFiscale);
		expect(structure).toMatch(/^Document\n\s+H1 \(block\)\n\s+"Busta Cifrata - Registrazione"/);
		const paragraphs = [...structure.matchAll(/P \(block\)\n\s+"([^"]*)"/g)].map(match => match[1]);
		expect(paragraphs.slice(0, 7)).toEqual([
			'Titolare: ANNA NERI',
			'User ID: JCPD4821',
			'IUT: 31415927',
			'Data di emissione: 3 dicembre 2026',
			'Password iniziale: Q0l1I!oO8',
			'PIN di firma: 27182818',
			'Codice di Emergenza: 14142135',
		]);
		const runs = textRuns(decryptedSource(file, REGISTRATION.codiceFiscale, directory));
		for (const code of ['JCPD4821', '31415927', 'Q0l1I!oO8', '27182818', '14142135']) {
			expect(runs.filter(run => run.text === code), code).toEqual([{font: 'Courier', text: code}]);
		}
		for (const label of ['PIN di firma: ', 'Titolare: ', 'ANNA NERI']) expect(runs.find(run => run.text === label)?.font, label).toBe('Helvetica');
		expect(pdfText(file, REGISTRATION.codiceFiscale, directory)).toContain('Codice di Emergenza: 14142135');
	});
});

describe('the ERC envelope ("Richiedi nuovo certificato")', () => {
	it('opens with a passphrase of any script (SASLprep: a no-break space is a space), R6, A4, tagged, ERC in Courier', async () => {
		const directory = folder();
		const passphrase = 'Città\u00a0di mare 42';
		const file = await written(directory, 'erc.pdf', buildEnvelopePdf({holderName: 'LUCA VERDI', userId: 'JCPD5590', erc: '98765432', passphrase, issuedAt: new Date()}));
		expectR6WithAccessibility(file, 'Città di mare 42');
		expect(qpdfOpens(file, 'Città di mare 42')).toBe(true);
		expect(qpdfOpens(file, 'Citta di mare 42')).toBe(false);
		expectA4TaggedItalian(file, 'Città di mare 42', directory);
		const runs = textRuns(decryptedSource(file, 'Città di mare 42', directory));
		expect(runs.find(run => run.text === '98765432')?.font).toBe('Courier');
		expect(runs.find(run => run.text === 'JCPD5590')?.font).toBe('Courier');
		expect(pdfStructure(file, 'Città di mare 42')).toMatch(/H1 \(block\)\n\s+"Busta Cifrata \(ERC\)"/);
	});
});

describe('the revocation form (not encrypted)', () => {
	it('is A4, tagged, in Italian, with the codes in Courier', async () => {
		const directory = folder();
		const file = await written(
			directory,
			'revoca.pdf',
			buildRevocationForm({name: 'MARIO', surname: 'ROSSI', codiceFiscale: 'RSSMRA80A01H501U', userId: 'JCPD7173', iut: '20547815', serial: 'TINIT-RSSMRA80A01H501U', certificateSerial: '1f2e3d', expiresAt: new Date('2027-01-01T00:00:00Z'), date: new Date('2026-12-03T00:00:00Z')}),
		);
		expect(pdfInfo(file)['Encrypted']).toBe('no');
		expectA4TaggedItalian(file, undefined, directory);
		const structure = pdfStructure(file);
		expect(structure).toMatch(/H1 \(block\)\n\s+"Richiesta di revoca del certificato qualificato di firma remota"/);
		expect(structure).toMatch(/H2 \(block\)\n\s+"Dati del Titolare"/);
		expect(structure).toContain('"Codice fiscale: RSSMRA80A01H501U"');
		const runs = textRuns(decryptedSource(file, undefined, directory));
		for (const code of ['RSSMRA80A01H501U', 'JCPD7173', '20547815', 'TINIT-RSSMRA80A01H501U', '1F2E3D']) expect(runs.find(run => run.text === code)?.font, code).toBe('Courier');
		expect(runs.find(run => run.text === 'ROSSI')?.font).toBe('Helvetica');
	});
});

describe('upgradeToR6', () => {
	it('keeps the owner password working too (qpdf tells it from the user password)', async () => {
		const directory = folder();
		const {default: PDFDocument} = await import('pdfkit');
		const passwords = {userPassword: 'utente', ownerPassword: randomBytes(12).toString('hex')};
		const document = new PDFDocument({pdfVersion: '1.7ext3', ...passwords, permissions: {printing: 'highResolution'}});
		upgradeToR6(document, passwords);
		const chunks: Buffer[] = [];
		document.on('data', (chunk: Buffer) => chunks.push(chunk));
		const ended = new Promise(resolve => document.on('end', resolve));
		document.text('prova');
		document.end();
		await ended;
		const file = join(directory, 'prova.pdf');
		writeFileSync(file, Buffer.concat(chunks));
		expect(showEncryption(file, passwords.ownerPassword)).toContain('Supplied password is owner password');
		expect(showEncryption(file, passwords.userPassword)).toContain('Supplied password is user password');
		expect(qpdfOpens(file, passwords.ownerPassword)).toBe(true);
		expect(qpdfOpens(file, 'altro')).toBe(false);
	});

	it('refuses a document pdfkit did not set up as AES-256 R5, rather than writing a broken one', async () => {
		const {default: PDFDocument} = await import('pdfkit');
		const passwords = {userPassword: 'utente', ownerPassword: 'proprietario'};
		expect(() => upgradeToR6(new PDFDocument({pdfVersion: '1.7', ...passwords}), passwords)).toThrow('cannot make it R6');
		expect(() => upgradeToR6(new PDFDocument(), passwords)).toThrow('cannot make it R6');
	});
});
