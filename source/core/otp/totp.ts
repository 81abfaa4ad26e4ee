import {generate, generateSecret, generateURI, verify} from 'otplib';

/*
 * The authenticator-app and token channel: TOTP as RFC 6238 with the portal's parameters
 * (8 digits, 30 s, SHA-1), one step of tolerance either side, and no reuse of a step.
 */
export const TOTP_DIGITS = 8;
export const TOTP_PERIOD = 30;

export function newTotpSecret(): string {
	return generateSecret({length: 20});
}

export function totpCode(secret: string, at: Date): Promise<string> {
	return generate({secret, digits: TOTP_DIGITS, period: TOTP_PERIOD, algorithm: 'sha1', epoch: Math.floor(at.getTime() / 1000)});
}

/** The time step a code belongs to, or undefined when it is wrong, too old/new, or its step was already used. */
export async function verifyTotp(secret: string, code: string, at: Date, lastUsedStep: number | null): Promise<number | undefined> {
	const step = await totpStep(secret, code, at);
	return step !== undefined && (lastUsedStep === null || step > lastUsedStep) ? step : undefined;
}

/** The time step (±1 around `at`) a right code belongs to, used or not; undefined when it is wrong. */
export async function totpStep(secret: string, code: string, at: Date): Promise<number | undefined> {
	if (!/^\d{8}$/.test(code)) return undefined;
	const result = await verify({
		secret,
		token: code,
		digits: TOTP_DIGITS,
		period: TOTP_PERIOD,
		algorithm: 'sha1',
		epoch: Math.floor(at.getTime() / 1000),
		epochTolerance: TOTP_PERIOD,
	});
	return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}

/** Seconds until the current code changes. */
export function secondsLeft(at: Date): number {
	return TOTP_PERIOD - (Math.floor(at.getTime() / 1000) % TOTP_PERIOD);
}

/** The otpauth:// URI a phone authenticator scans. */
export function otpauthUri(secret: string, userId: string): string {
	// A short issuer keeps the QR code small enough (19 rows) for an 80×24 terminal.
	return generateURI({issuer: 'MySign', label: userId, secret, digits: TOTP_DIGITS, period: TOTP_PERIOD, algorithm: 'sha1'});
}
