import {readdirSync, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {CATALOGUES} from '../../source/core/notify/messages/messages.js';
import {newestSmsCode, otpCodeIn} from '../../source/core/otp/phone-codes.js';
import {en} from '../../source/ui/i18n/en.js';
import {it as italian} from '../../source/ui/i18n/it.js';
import {translator} from '../../source/ui/i18n/index.js';
import {inboxPage, lastPageStart, nextPageStart, previousPageStart, wrapWords, type InboxEntry} from '../../source/ui/phone/inbox.js';
import {OPERATION_NAMES, operationLabel} from '../../source/ui/phone/operations.js';
import {ROOT} from '../helpers/root.js';

function sourceFiles(directory: string): string[] {
	return readdirSync(directory).flatMap(name => {
		const path = join(directory, name);
		return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
	});
}

describe('the phone’s names for confirmation requests', () => {
	it('every operation the core confirms with an OTP has a label in both catalogues', () => {
		const operations = sourceFiles(join(ROOT, 'source', 'core')).flatMap(file => [...readFileSync(file, 'utf8').matchAll(/export const OPERATION_\w+ = '([^']+)'/g)].map(match => match[1]!));
		expect(operations.length).toBeGreaterThan(5);
		expect([...OPERATION_NAMES].sort()).toEqual([...new Set(operations)].sort());
		for (const operation of operations) {
			expect(italian).toHaveProperty([`phone.operation.${operation}`]);
			expect(en).toHaveProperty([`phone.operation.${operation}`]);
		}
	});

	it('says "Modifica PIN" for pin.change, and names an unknown operation without letting it reach the terminal raw', () => {
		expect(operationLabel(translator('it'), 'pin.change')).toBe('Modifica PIN');
		expect(operationLabel(translator('en'), 'pin.change')).toBe('Change PIN');
		expect(operationLabel(translator('it'), 'x.\u001b]52;c;AAAA\u0007y')).not.toContain('\u001b');
	});
});

describe('the newest SMS code', () => {
	const otpSmsText = (code: string, at: Date) => CATALOGUES.it.otpSms({code, at}).text;

	it('is read from the portal’s SMS wording, newest message first', () => {
		const at = new Date('2026-11-24T09:00:00Z');
		expect(otpCodeIn(otpSmsText('01234567', at))).toBe('01234567');
		// An English holder's SMS too.
		expect(otpCodeIn(CATALOGUES.en.otpSms({code: '76543210', at}).text)).toBe('76543210');
		const sms = (id: number, text: string) => ({id, kind: 'sms' as const, userId: 'JCPD7173', to: '+393471234567', at: at.toISOString(), text});
		expect(newestSmsCode([sms(1, otpSmsText('11111111', at)), sms(2, otpSmsText('22222222', at)), sms(3, 'Il tuo numero è cambiato.')])).toMatchObject({code: '22222222', messageId: 2});
		expect(newestSmsCode([sms(1, 'nessun codice 123')])).toBeUndefined();
	});
});

describe('the inbox pages', () => {
	const entries: InboxEntry[] = Array.from({length: 10}, (_, index) => ({id: 10 - index, lines: ['a', 'b']}));

	it('shows whole messages and leaves a row for each "n more" line', () => {
		expect(inboxPage(entries, 0, 9)).toMatchObject({first: 0, newer: 0, older: 6});
		expect(inboxPage(entries, 0, 9).shown).toHaveLength(4);
		const middle = inboxPage(entries, 4, 9);
		expect(middle).toMatchObject({newer: 4, older: 3});
		expect(middle.shown.length * 2 + 2).toBeLessThanOrEqual(9);
	});

	it('PgDn and PgUp reach every message and come back to the top', () => {
		const seen = new Set<number>();
		let page = inboxPage(entries, 0, 9);
		for (let step = 0; step < 10; step++) {
			for (const entry of page.shown) seen.add(entry.id);
			if (page.older === 0) break;
			page = inboxPage(entries, nextPageStart(entries, page, 9), 9);
		}
		expect(seen.size).toBe(10);
		expect(page.first).toBe(lastPageStart(entries, 9));
		let first = page.first;
		for (let step = 0; step < 10 && first > 0; step++) first = previousPageStart(entries, first, 9);
		expect(first).toBe(0);
	});

	it('wraps by word, and cuts only a word longer than the line', () => {
		expect(wrapWords('uno due tre quattro', 8)).toEqual(['uno due', 'tre', 'quattro']);
		expect(wrapWords('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
	});
});
