import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';

/*
 * What a holder's PDF reader (and qpdf, poppler's pdfinfo/pdftotext) sees in the PDFs mysign
 * writes: encryption, page size, tagging, language, the text and the font each piece is drawn in.
 */

function run(command: string, args: readonly string[]) {
	return spawnSync(command, args, {encoding: 'utf8'});
}

const passwordArgument = (password: string | undefined) => (password === undefined ? [] : [`--password=${password}`]);

/** `qpdf --show-encryption` (R, P, each permission, the methods). */
export function showEncryption(file: string, password?: string): string {
	const result = run('qpdf', ['--show-encryption', ...passwordArgument(password), file]);
	if (result.status !== 0) throw new Error(`qpdf --show-encryption ${file}: ${result.stderr.trim()}`);
	return result.stdout;
}

/** Whether `qpdf --check` opens the file with this password and finds nothing wrong. */
export function qpdfOpens(file: string, password: string): boolean {
	return run('qpdf', [`--password=${password}`, '--check', file]).status === 0;
}

/** `pdfinfo` (poppler) with the user password: "Page size", "Tagged", "Encrypted"... by name. */
export function pdfInfo(file: string, password?: string): Record<string, string> {
	const result = run('pdfinfo', [...(password === undefined ? [] : ['-upw', password]), file]);
	if (result.status !== 0) throw new Error(`pdfinfo ${file}: ${result.stderr.trim()}`);
	return Object.fromEntries(result.stdout.split('\n').filter(line => line.includes(':')).map(line => [line.slice(0, line.indexOf(':')).trim(), line.slice(line.indexOf(':') + 1).trim()]));
}

/** The structure tree with its text, as `pdfinfo -struct-text` prints it (what a screen reader walks). */
export function pdfStructure(file: string, password?: string): string {
	const result = run('pdfinfo', [...(password === undefined ? [] : ['-upw', password]), '-struct-text', file]);
	if (result.status !== 0) throw new Error(`pdfinfo -struct-text ${file}: ${result.stderr.trim()}`);
	return result.stdout;
}

/** The file decrypted by qpdf with `password` (throws when that fails), uncompressed (`--qdf`), as latin1 text. */
export function decryptedSource(file: string, password: string | undefined, workDirectory: string): string {
	const decrypted = join(workDirectory, `decrypted-${Math.random().toString(36).slice(2)}.pdf`);
	const result = run('qpdf', [...passwordArgument(password), '--decrypt', '--qdf', '--object-streams=disable', file, decrypted]);
	if (result.status !== 0) throw new Error(`qpdf could not open ${file}: ${result.stderr.trim()}`);
	return readFileSync(decrypted, 'latin1');
}

/** The text of a (password-protected) PDF as a reader extracts it: qpdf decrypts it, pdftotext reads it. */
export function pdfText(file: string, password: string | undefined, workDirectory: string): string {
	decryptedSource(file, password, workDirectory);
	const result = run('pdftotext', [...(password === undefined ? [] : ['-upw', password]), '-enc', 'UTF-8', file, '-']);
	if (result.status !== 0) throw new Error(`pdftotext ${file}: ${result.stderr.trim()}`);
	return result.stdout;
}

/** Decodes a PDF literal string's escapes: \n \r \t \b \f \( \) \\ and octal \ddd. */
function pdfLiteral(text: string): string {
	return text.replace(/\\([nrtbf()\\]|[0-7]{1,3})/g, (_, escape: string) => {
		if (/^[0-7]/.test(escape)) return String.fromCharCode(Number.parseInt(escape, 8));
		return ({n: '\n', r: '\r', t: '\t', b: '\b', f: '\f'} as Record<string, string>)[escape] ?? escape;
	});
}

/**
 * Each text-showing operator of the decrypted page with the base font it is drawn in, e.g.
 * {font: 'Courier', text: '40213769'}; the pieces pdfkit splits for kerning are joined again.
 */
export function textRuns(source: string): {font: string; text: string}[] {
	const fonts = new Map<string, string>();
	for (const [, name, object] of source.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
		const base = new RegExp(`^${object} 0 obj\\n<<[^]*?/BaseFont /([\\w-]+)`, 'm').exec(source)?.[1];
		if (base) fonts.set(name!, base);
	}
	const runs: {font: string; text: string}[] = [];
	let font = '';
	for (const match of source.matchAll(/\/(F\d+) [\d.]+ Tf|\[((?:\((?:\\.|[^\\)])*\)|[^\]])*)\]\s*TJ|\(((?:\\.|[^\\)])*)\)\s*Tj/g)) {
		if (match[1] !== undefined) {
			font = fonts.get(match[1]) ?? match[1];
			continue;
		}
		const pieces = match[2] !== undefined ? [...match[2].matchAll(/\(((?:\\.|[^\\)])*)\)/g)].map(piece => piece[1]!) : [match[3]!];
		runs.push({font, text: pieces.map(pdfLiteral).join('')});
	}
	return runs;
}
