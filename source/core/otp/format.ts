/*
 * The shape of an OTP code, shared by the core and the screens (no imports: the screens load it
 * before the domain's code).
 */

/** Every OTP code (SMS, e-mail, app, token) has this many digits. */
export const OTP_DIGITS = 8;

/** A code that could be one: 8 digits, surrounding spaces aside. Anything else costs no attempt. */
export function isWellFormedOtp(code: string): boolean {
	return /^\d{8}$/.test(code.trim());
}
