import {describe, expect, it} from 'vitest';
import {en} from '../../source/ui/i18n/en.js';
import {it as italian} from '../../source/ui/i18n/it.js';
import {translator} from '../../source/ui/i18n/index.js';

describe('i18n', () => {
	it('has the same keys, each non-empty, in Italian and English', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(italian).sort());
		for (const [key, value] of [...Object.entries(en), ...Object.entries(italian)]) expect(value.trim(), key).not.toBe('');
	});

	it('uses the same placeholders in both languages', () => {
		for (const key of Object.keys(italian) as (keyof typeof italian)[]) {
			const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map(match => match[1]).sort();
			expect(names(en[key]), key).toEqual(names(italian[key]));
		}
	});

	it('sanitises parameters, which may come from data', () => {
		const t = translator('it');
		expect(t('dashboard.greeting', {name: 'MARIO\u001b[2J\u202e'})).toBe('Benvenuto, MARIO');
	});
});
