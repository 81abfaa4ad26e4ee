import {describe, expect, it} from 'vitest';
import {en} from '../../source/ui/i18n/en.js';
import {it as italian} from '../../source/ui/i18n/it.js';
import {translator, type MessageKey} from '../../source/ui/i18n/index.js';

describe('i18n', () => {
	it('has the same keys, each non-empty, in Italian and English', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(italian).sort());
		for (const [key, value] of [...Object.entries(en), ...Object.entries(italian)]) expect(value.trim(), key).not.toBe('');
	});

	it('uses the same placeholders in both languages', () => {
		for (const key of Object.keys(italian) as (keyof typeof italian)[]) {
			// Plain placeholders and plural counts ("{count, plural, …}"), each once.
			const names = (text: string) => [...new Set([...text.matchAll(/\{(\w+)(?:\}|, plural,)/g)].map(match => match[1]))].sort();
			expect(names(en[key]), key).toEqual(names(italian[key]));
		}
	});

	it('sanitises parameters, which may come from data', () => {
		const t = translator('it');
		expect(t('dashboard.greeting', {name: 'MARIO\u001b[2J\u202e'})).toBe('Benvenuto, MARIO');
	});
});

/** Parameters that count things: the words around them follow the number ("1 carattere", "2 caratteri"). */
const COUNTS = ['count', 'attemptsLeft', 'seconds', 'minutes', 'hours', 'days', 'max', 'min', 'rows', 'signed', 'digits', 'length'];

/** Messages where such a parameter is shown without plural forms, and why that is right for any number. */
const NOT_COUNTED: Partial<Record<MessageKey, string>> = {
	'app.tooSmall': 'a window size (80×24), not a number of things',
	'clock.days': 'a unit symbol ("g", "d") is the same for one and many',
	'clock.hours': 'a unit symbol',
	'clock.minutes': 'a unit symbol',
	'clock.seconds': 'a unit symbol',
	'clock.openssl': 'a command argument',
	'otpInput.validity': 'a unit symbol ("s")',
	'phone.codeLine': 'a unit symbol ("s")',
	'session.warning': 'a unit symbol ("s")',
	'errors.sign.tooMany': 'a bare number ("al massimo 50.")',
	'errors.account.questionLength': 'a range ("da 5 a 100 caratteri"): always plural',
	'errors.account.answerLength': 'a range: always plural',
	'history.total': 'a total after its label ("Totale firme 1")',
	'history.accessTotal': 'a total after its label',
	'forcedPassword.step': 'a position ("Passo 1 di 2")',
	'cli.scenarioAppliedAll': 'a total in brackets ("a tutti i titolari (23)")',
	'cli.roomReset': 'a total after its label, and a unit symbol ("s")',
	'cli.roomResetEnvelopes': 'a total after its label',
	'cli.roomResetCoupons': 'a total after its label',
	'phone.inboxCount': 'a total after its label ("Messaggi (3)")',
	'coupon.list.summary': 'a total after its label ("Coupon: 3"); used/unused have their forms',
};

interface PluralBlock {
	name: string;
	forms: Record<string, string>;
}

/** The plural blocks of a message, and the placeholders outside them (a test-side reading, independent of the translator). */
function parse(text: string): {blocks: PluralBlock[]; plain: string[]} {
	const blocks: PluralBlock[] = [];
	let outside = '';
	let at = 0;
	for (const start of text.matchAll(/\{(\w+), plural,/g)) {
		if (start.index < at) continue;
		let depth = 0;
		let end = start.index;
		for (; end < text.length; end++) {
			if (text[end] === '{') depth++;
			if (text[end] === '}' && --depth === 0) break;
		}
		const forms: Record<string, string> = {};
		for (const form of text.slice(start.index + start[0].length, end).matchAll(/(=\d+|zero|one|two|few|many|other)\s*\{((?:[^{}]|\{\w+\})*)\}/g)) forms[form[1]!] = form[2]!;
		blocks.push({name: start[1]!, forms});
		outside += text.slice(at, start.index);
		at = end + 1;
	}
	outside += text.slice(at);
	return {blocks, plain: [...outside.matchAll(/\{(\w+)\}/g)].map(match => match[1]!)};
}

describe('plurals (Intl.PluralRules)', () => {
	const catalogues = {it: italian, en} as const;

	for (const language of ['it', 'en'] as const) {
		it(`${language}: every message with a count has one/other forms and reads right for 0, 1 and 2`, () => {
			const t = translator(language);
			const rules = new Intl.PluralRules(language);
			const problems: string[] = [];
			for (const [key, text] of Object.entries(catalogues[language]) as [MessageKey, string][]) {
				const {blocks, plain} = parse(text);
				for (const name of plain.filter(name => COUNTS.includes(name))) {
					if (!(key in NOT_COUNTED)) problems.push(`${key}: {${name}} has no plural forms`);
				}
				for (const block of blocks) {
					if (block.forms['one'] === undefined || block.forms['other'] === undefined) problems.push(`${key}: {${block.name}, plural} lacks one or other`);
				}
				if (blocks.length === 0) continue;
				for (const n of [0, 1, 2]) {
					const params = Object.fromEntries([...new Set([...blocks.map(block => block.name), ...plain])].map(name => [name, blocks.some(block => block.name === name) ? n : `«${name}»`]));
					const shown = t(key, params);
					if (/[{}#]/.test(shown.replace(/«\w+»/g, ''))) problems.push(`${key} (${n}): left a brace or # in "${shown}"`);
					for (const block of blocks) {
						const form = block.forms[rules.select(n)] ?? block.forms['other']!;
						const expected = form.replaceAll('#', String(n)).replace(/\{(\w+)\}/g, (_, name: string) => `«${name}»`);
						if (!shown.includes(expected)) problems.push(`${key} (${n}): "${shown}" lacks "${expected}"`);
					}
				}
			}
			expect(problems).toEqual([]);
		});
	}

	it('says "1 carattere nascosto" and "1 character hidden", and the plural for 0 and 2', () => {
		const it_ = translator('it');
		const en_ = translator('en');
		expect([0, 1, 2].map(count => it_('a11y.hidden', {count}))).toEqual(['0 caratteri nascosti', '1 carattere nascosto', '2 caratteri nascosti']);
		expect([0, 1, 2].map(count => en_('a11y.hidden', {count}))).toEqual(['0 characters hidden', '1 character hidden', '2 characters hidden']);
		expect([1, 4].map(attemptsLeft => it_('errors.otp.wrong', {attemptsLeft}))).toEqual(['Codice OTP errato. Tentativo rimasto: 1.', 'Codice OTP errato. Tentativi rimasti: 4.']);
		expect(it_('errors.otp.messageLimit', {max: 1, minutes: 1, time: '10:00', date: '01/02/2027'})).toBe('Hai già ricevuto 1 codice OTP nell’ultimo minuto: potrai richiederne un altro dalle 10:00 del 01/02/2027 (ora italiana).');
		expect(en_('errors.otp.messageLimit', {max: 5, minutes: 15, time: '10:00', date: '01/02/2027'})).toBe('You have already received 5 OTP codes in the last 15 minutes: you can ask for another from 10:00 on 01/02/2027 (Italian time).');
		expect(it_('admin.statusLine', {userId: 'JCPD7173', state: 'attivo', date: '02/02/2027', days: 1})).toBe('JCPD7173: attivo, scade il 02/02/2027 (tra 1 giorno)');
		// A count that is missing stays a placeholder; a count from data is sanitised like any parameter.
		expect(it_('a11y.hidden')).toBe('{count} caratteri nascosti');
		expect(it_('sign.done', {count: '1\u001b[2J'})).toBe('Documenti firmati: 1.');
	});
});
