import stringWidth from 'string-width';
import {type Admin, type CouponSummary, type HolderSummary, type OperatorSummary, toDisplayText} from '../core/index.js';
import {formatDate, type Language, type Translate} from '../ui/i18n/index.js';
import {cliDateTime, jsonDocument} from './time.js';

/*
 * The operator's lists: `admin list` (holders), `admin coupon list`, `admin rao list`. Text
 * fits 80 columns (a header, one line per entry, notes on an indented line below); `--json`
 * prints one JSON document with stable field names and ISO 8601 times with the Italian offset.
 */

export const WIDTH = 80;

/** Sanitised, then cut (with …) and padded to exactly `width` terminal columns (a wide character takes two). */
export function cell(text: string, width: number): string {
	let shown = toDisplayText(text, width * 2);
	if (stringWidth(shown) > width) {
		let cut = '';
		for (const character of shown) {
			if (stringWidth(cut + character) > width - 1) break;
			cut += character;
		}
		shown = `${cut}…`;
	}
	return shown + ' '.repeat(Math.max(0, width - stringWidth(shown)));
}

/** Words packed into lines of at most `width` characters, each line starting with `indent`. */
export function packed(words: readonly string[], indent: string, width = WIDTH): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of words) {
		if (line !== '' && indent.length + line.length + 1 + word.length > width) {
			lines.push(indent + line);
			line = '';
		}
		line = line === '' ? word : `${line} ${word}`;
	}
	if (line !== '') lines.push(indent + line);
	return lines;
}

const print = (text: string) => process.stdout.write(text + '\n');

function stateName(t: Translate, state: HolderSummary['state']): string {
	return t(state === 'none' ? 'admin.noCertificate' : `status.${state}`);
}

/** `admin list`: User ID, holder, state, expiry; locks, the forced password change and a replacement deadline on a line below. */
export async function listHolders(t: Translate, language: Language, admin: Admin, json: boolean): Promise<number> {
	const holders = await admin.list();
	if (json) {
		print(jsonDocument({holders}));
		return 0;
	}
	if (holders.length === 0) {
		print(t('admin.list.empty'));
		return 0;
	}
	const columns = [8, 28, 18, 10] as const;
	const row = (values: readonly string[]) => values.map((value, index) => cell(value, columns[index]!)).join('  ').trimEnd();
	print(row([t('admin.list.userId'), t('admin.list.holder'), t('admin.list.state'), t('admin.list.expires')]));
	for (const holder of holders) {
		print(row([holder.userId, `${holder.surname} ${holder.name}`, stateName(t, holder.state), holder.expiresAt ? formatDate(language, holder.expiresAt) : '-']));
		const notes = [
			holder.locked ? t('admin.locked') : '',
			holder.mustChangePassword ? t('admin.mustChange') : '',
			holder.replacementDeadline ? t('admin.replacementBy', {date: formatDate(language, holder.replacementDeadline)}) : '',
		].filter(Boolean);
		for (const line of packed(notes, ' '.repeat(10))) print(line);
	}
	return 0;
}

function usedText(t: Translate, language: Language, coupon: CouponSummary): string {
	if (!coupon.used) return t('coupon.list.unused');
	return t('coupon.list.used', {time: coupon.usedAt ? cliDateTime(language, coupon.usedAt) : '-', userId: coupon.usedBy ?? '-'});
}

/** `admin coupon list`: every coupon, when it was created, whether it was used, when and by whom. */
export async function listCoupons(t: Translate, language: Language, admin: Admin, json: boolean): Promise<number> {
	const coupons = await admin.coupons();
	const used = coupons.filter(coupon => coupon.used).length;
	if (json) {
		print(jsonDocument({total: coupons.length, used, unused: coupons.length - used, coupons}));
		return 0;
	}
	if (coupons.length === 0) {
		print(t('coupon.list.empty'));
		return 0;
	}
	print(t('coupon.list.summary', {count: coupons.length, used, unused: coupons.length - used}));
	print(`${cell(t('coupon.list.id'), 8)}  ${cell(t('coupon.list.created'), 21)}  ${t('coupon.list.state')}`);
	for (const coupon of coupons) print(`${coupon.id.slice(0, 8)}  ${cell(cliDateTime(language, coupon.createdAt), 21)}  ${usedText(t, language, coupon)}`);
	return 0;
}

/** `admin rao list`: the registration officers (never a password or its hash). */
export async function listOperators(t: Translate, language: Language, admin: Admin, json: boolean): Promise<number> {
	const operators: OperatorSummary[] = await admin.operators();
	if (json) {
		print(jsonDocument({operators: operators.map(({name, ...rest}) => ({...rest, fullName: name}))}));
		return 0;
	}
	if (operators.length === 0) {
		print(t('rao.list.empty'));
		return 0;
	}
	print(`${cell(t('admin.list.userId'), 7)}  ${cell(t('rao.list.name'), 22)}  ${cell(t('rao.list.phone'), 16)}  ${t('rao.list.created')}`);
	for (const operator of operators) {
		print(`${operator.userId}  ${cell(operator.name, 22)}  ${cell(operator.phone, 16)}  ${cliDateTime(language, operator.createdAt)}`);
		if (operator.locked) print(`         ${t('admin.locked')}`);
	}
	return 0;
}
