import {describe, expect, it} from 'vitest';
import {handoutText} from '../../../source/core/admin/handout.js';

/*
 * The trainee's handout describes the registration envelope it points to: that envelope holds
 * the initial password, the PIN, the ERC and the IUT, and no PUK (there is none: three wrong
 * PINs block the certificate for good). A handout naming a PUK sends trainees looking for a
 * code that does not exist.
 */

const HOLDER = {userId: 'JCPD1234', name: 'ANNA', surname: 'NERI'};

describe('enrolment handout', () => {
	it('names what the envelope holds (password, PIN, ERC, IUT) and promises no PUK to keep', () => {
		const text = handoutText(HOLDER);
		const keep = text.split('\n').filter(line => /PUK/.test(line));
		expect(keep.join('\n')).not.toMatch(/PIN,? PUK|PUK ed ERC|PUK e Codice/);
		expect(text).toMatch(/password iniziale, PIN, Codice di\s+Emergenza \(ERC\) e IUT/);
		expect(text).toContain('non esiste\nPUK');
	});

	it('fits 80 columns, as printed from `mysign outbox show N`', () => {
		for (const line of handoutText(HOLDER).split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
	});
});

describe('enrolment handout with a long or wide name', () => {
	const columns = (line: string) => [...line].reduce((sum, character) => sum + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/.test(character) ? 2 : 1), 0);

	it.each([
		['many given names', 'MARIA GIOVANNA FRANCESCA BENEDETTA LUDOVICA', 'DELLA ROVERE DI MONTEFELTRO SFORZA'],
		['wide characters', '漢字'.repeat(20), 'ESPOSITO'],
		['one 200-character word', 'A'.repeat(200), 'ROSSI'],
	])('%s: every line within 80 columns, the whole name kept', (_case, name, surname) => {
		const text = handoutText({userId: 'JCPD1234', name, surname});
		for (const line of text.split('\n')) expect(columns(line), line).toBeLessThanOrEqual(80);
		const block = text.slice(text.indexOf('Titolare: ') + 'Titolare: '.length, text.indexOf('\nUser ID:'));
		expect(block.replace(/\s+/g, '')).toBe(`${name}${surname}`.replace(/\s+/g, ''));
	});
});
