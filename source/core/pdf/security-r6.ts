import {createCipheriv, createHash, randomBytes} from 'node:crypto';

/*
 * AES-256 PDF encryption at revision 6 (ISO 32000-2 §7.6.4.3, the current standard security
 * handler), over pdfkit's revision 5 (Adobe's deprecated extension level 3, which pdfkit 0.20
 * writes and nothing newer). The two revisions encrypt the objects identically (AESV3, a random
 * 256-bit file key); only the password checks and key wrapping differ: R6 replaces R5's single
 * SHA-256 with the iterated hash of algorithm 2.B. So the document is made by pdfkit as R5, and
 * before anything is written its encryption dictionary is rebuilt here: U, UE, O, OE (and R = 6)
 * from the same file key; /Perms and every encrypted object stay pdfkit's.
 */

type Bytes = Buffer | Uint8Array;

/** The pdfkit internals this relies on; checked at run time, so a pdfkit upgrade that moves them fails loudly. */
interface PdfkitSecurity {
	version: number;
	encryptionKey: Uint8Array;
	dictionary: {data: Record<string, unknown>};
}

/** ISO 32000-2 §7.6.4.3.4, algorithm 2.B: the hash of a password with a salt (and the U string, for the owner). */
export function hashR6(password: Bytes, salt: Bytes, userKey: Bytes = Buffer.alloc(0)): Buffer {
	let key = createHash('sha256').update(password).update(salt).update(userKey).digest();
	let last = 0;
	for (let round = 0; round < 64 || last > round - 32; round++) {
		const block = Buffer.concat([password, key, userKey]);
		const cipher = createCipheriv('aes-128-cbc', key.subarray(0, 16), key.subarray(16, 32)).setAutoPadding(false);
		const encrypted = Buffer.concat([cipher.update(Buffer.concat(Array.from({length: 64}, () => block))), cipher.final()]);
		// The first 16 bytes as a big-endian number, modulo 3 (256 ≡ 1 mod 3, so the byte sum will do).
		let sum = 0;
		for (let index = 0; index < 16; index++) sum += encrypted[index]!;
		key = createHash(['sha256', 'sha384', 'sha512'][sum % 3]!).update(encrypted).digest();
		last = encrypted[encrypted.length - 1]!;
	}
	return key.subarray(0, 32);
}

/**
 * A password as revision 6 hashes it: SASLprep's mappings (non-ASCII spaces to a space, the
 * "commonly mapped to nothing" characters removed) and NFKC, UTF-8, at most 127 bytes. pdfkit
 * has already refused what SASLprep prohibits when it set up its own R5 dictionary.
 */
export function processPassword(password: string): Buffer {
	let mapped = '';
	for (const character of password) {
		const code = character.codePointAt(0)!;
		if (NON_ASCII_SPACES.has(code) || (code >= 0x2000 && code <= 0x200b)) mapped += ' ';
		else if (!MAPPED_TO_NOTHING.has(code) && !(code >= 0xfe00 && code <= 0xfe0f) && !(code >= 0x180b && code <= 0x180d)) mapped += character;
	}
	return Buffer.from(mapped.normalize('NFKC'), 'utf8').subarray(0, 127);
}

/** RFC 3454 table C.1.2 (besides U+2000–U+200B) and table B.1 (besides the two ranges above). */
const NON_ASCII_SPACES = new Set([0xa0, 0x1680, 0x202f, 0x205f, 0x3000]);
const MAPPED_TO_NOTHING = new Set([0xad, 0x34f, 0x1806, 0x200c, 0x200d, 0x2060, 0xfeff]);

function wrapFileKey(key: Buffer, fileKey: Uint8Array): Buffer {
	const cipher = createCipheriv('aes-256-cbc', key, Buffer.alloc(16)).setAutoPadding(false);
	return Buffer.concat([cipher.update(fileKey), cipher.final()]);
}

/**
 * The U, UE, O and OE entries of revision 6 for this file key (algorithms 8 and 9 of
 * ISO 32000-2 §7.6.4.4). Salts are fresh random bytes.
 */
export function passwordEntriesR6(userPassword: string, ownerPassword: string, fileKey: Uint8Array): {U: Buffer; UE: Buffer; O: Buffer; OE: Buffer} {
	if (fileKey.length !== 32) throw new Error('R6 needs a 256-bit file key');
	const user = processPassword(userPassword);
	const owner = processPassword(ownerPassword);
	const [userValidation, userKey, ownerValidation, ownerKey] = [randomBytes(8), randomBytes(8), randomBytes(8), randomBytes(8)];
	const U = Buffer.concat([hashR6(user, userValidation), userValidation, userKey]);
	const UE = wrapFileKey(hashR6(user, userKey), fileKey);
	const O = Buffer.concat([hashR6(owner, ownerValidation, U), ownerValidation, ownerKey]);
	const OE = wrapFileKey(hashR6(owner, ownerKey, U), fileKey);
	return {U, UE, O, OE};
}

/**
 * Turns a pdfkit document made with `pdfVersion: '1.7ext3'` (AES-256, R5) into R6, with the same
 * passwords. Call it right after the constructor, before anything is drawn or ended.
 */
export function upgradeToR6(document: object, passwords: {userPassword: string; ownerPassword: string}): void {
	const security = (document as {_security?: PdfkitSecurity})._security;
	const dictionary = security?.dictionary?.data;
	if (!security || security.version !== 5 || !(security.encryptionKey instanceof Uint8Array) || !dictionary || dictionary['R'] !== 5) {
		throw new Error('pdfkit did not set up AES-256 (R5) encryption as expected: cannot make it R6');
	}
	Object.assign(dictionary, passwordEntriesR6(passwords.userPassword, passwords.ownerPassword, security.encryptionKey), {R: 6});
	// R6 belongs to PDF 2.0, or to PDF 1.7 with Adobe's extension level 8, which this header (1.7) declares.
	const root = (document as {_root?: {data: Record<string, unknown>}})._root;
	if (!root) throw new Error('pdfkit has no document catalog: cannot declare the R6 extension');
	root.data['Extensions'] = {ADBE: {BaseVersion: '1.7', ExtensionLevel: 8}};
}
