import {describe, expect, it} from 'vitest';
import {describeCharacter, findForbiddenCharacter, toDisplayText} from '../../../source/core/text/sanitize.js';

const HOSTILE = [
	['OSC 52 clipboard write (BEL)', 'MARIO\u001b]52;c;ZXZpbA==\u0007ROSSI'],
	['OSC 52 (ST)', 'MARIO\u001b]52;c;ZXZpbA==\u001b\\ROSSI'],
	['OSC 0 title', '\u001b]0;pwned\u0007MARIO'],
	['OSC 8 hyperlink', '\u001b]8;;http://x\u0007MARIO\u001b]8;;\u0007'],
	['clear screen', 'MARIO\u001b[2JROSSI'],
	['cursor move', 'MARIO\u001b[10;10HROSSI'],
	['C1 CSI', 'MARIO\u009b2JROSSI'],
	['unterminated OSC', 'MARIO\u001b]52;c;AAAA'],
	['bidi override', 'MARIO\u202eISSOR'],
	['zero width', 'MA\u200bRIO\u2066'],
	['carriage return', 'MARIO\rEVIL'],
	['DCS', 'MARIO\u001bPq#0;2;0;0;0\u001b\\'],
] as const;

describe('toDisplayText', () => {
	it.each(HOSTILE)('leaves no escape, control, bidi or zero-width character: %s', (_name, value) => {
		const text = toDisplayText(value);
		expect(findForbiddenCharacter(text)).toBeUndefined();
		expect(text).not.toContain('\u001b');
		expect(text).toContain('MA');
	});

	it('keeps ordinary accented and symbol text as is', () => {
		expect(toDisplayText('Niccolò D’Àvila & C. — 100 €')).toBe('Niccolò D’Àvila & C. — 100 €');
	});

	it('bounds huge input', () => {
		expect(toDisplayText('x'.repeat(1_000_000), 100).length).toBe(100);
	});
});

describe('findForbiddenCharacter', () => {
	it('finds controls and invisible characters and names them without printing them', () => {
		expect(findForbiddenCharacter('abc')).toBeUndefined();
		expect(describeCharacter(findForbiddenCharacter('a\u001bb')!)).toBe('U+001B');
		expect(describeCharacter(findForbiddenCharacter('a\u202eb')!)).toBe('U+202E');
		expect(findForbiddenCharacter('tab\there')).toBe('\t');
	});
});
