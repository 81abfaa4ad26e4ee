import type {Key} from 'ink';
import {describe, expect, it} from 'vitest';
import {splitBurst} from '../../source/ui/hooks/key-burst.js';

const plain = {} as Key;

describe('splitBurst', () => {
	it('keeps a single key and a printable paste as they are', () => {
		expect(splitBurst('a', plain)).toEqual([{input: 'a', key: plain}]);
		expect(splitBurst('Girasole&42', plain)).toEqual([{input: 'Girasole&42', key: plain}]);
	});

	it('splits typed-ahead keys at Tab, Enter and Backspace', () => {
		const presses = splitBurst('73\tab\u007fc\r', plain);
		expect(presses.map(press => [press.input, press.key.tab, press.key.return, press.key.delete])).toEqual([
			['73', false, false, false],
			['', true, false, false],
			['ab', false, false, false],
			['', false, false, true],
			['c', false, false, false],
			['', false, true, false],
		]);
	});

	it('reports Ctrl+letter codes as Ink does, and passes other control characters on alone', () => {
		expect(splitBurst('ab\u0015cd', plain).map(press => [press.input, press.key.ctrl])).toEqual([
			['ab', false],
			['u', true],
			['cd', false],
		]);
		expect(splitBurst('ab\u001ccd', plain).map(press => press.input)).toEqual(['ab', '\u001c', 'cd']);
	});
});
