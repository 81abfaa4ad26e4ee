import {DomainError} from '../errors.js';

/**
 * Validates a mobile number for OTP SMS (Italian by default: "+39" may be omitted) and returns
 * it in E.164 form. The metadata is loaded on demand: only this screen needs it.
 */
export async function normalizeMobileNumber(input: string): Promise<string> {
	const {parsePhoneNumberFromString} = await import('libphonenumber-js/max');
	const parsed = parsePhoneNumberFromString(input.trim(), 'IT');
	if (!parsed || !parsed.isValid()) throw new DomainError('phone.invalid');
	const type = parsed.getType();
	if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') throw new DomainError('phone.invalid');
	return parsed.number;
}
