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
