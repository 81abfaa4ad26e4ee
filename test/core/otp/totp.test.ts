import {execFileSync} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {newTotpSecret, otpauthUri, secondsLeft, totpCode, verifyTotp} from '../../../source/core/otp/totp.js';

// RFC 6238 appendix B, SHA-1: the secret is the ASCII "12345678901234567890".
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: [number, string][] = [
	[59, '94287082'],
	[1_111_111_109, '07081804'],
	[1_111_111_111, '14050471'],
	[1_234_567_890, '89005924'],
	[2_000_000_000, '69279037'],
	[20_000_000_000, '65353130'],
];

describe('TOTP (app and token channel)', () => {
	it.each(RFC_VECTORS)('matches the RFC 6238 vector at T=%i', async (seconds, expected) => {
		expect(await totpCode(RFC_SECRET, new Date(seconds * 1000))).toBe(expected);
	});

	it('gives the codes oathtool gives for random secrets (8 digits, 30 s, SHA-1)', async () => {
		for (let index = 0; index < 10; index++) {
			const secret = newTotpSecret();
			const at = new Date(Date.UTC(2026, 10, 24, 9, 0, 0) + index * 7_777_000);
			const expected = execFileSync('oathtool', ['--totp', '-b', '-d', '8', '--now', at.toISOString().replace('T', ' ').replace('.000Z', ' UTC'), secret], {encoding: 'utf8'}).trim();
			expect(await totpCode(secret, at)).toBe(expected);
		}
	});

	it('accepts one step either side, not two, and never the same step twice', async () => {
		const secret = newTotpSecret();
		const now = new Date(Date.UTC(2026, 10, 24, 9, 0, 15));
		const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
		const current = await totpCode(secret, now);
		expect(await verifyTotp(secret, await totpCode(secret, at(-30)), now, null)).toBeDefined();
		expect(await verifyTotp(secret, await totpCode(secret, at(30)), now, null)).toBeDefined();
		expect(await verifyTotp(secret, await totpCode(secret, at(-60)), now, null)).toBeUndefined();
		expect(await verifyTotp(secret, await totpCode(secret, at(60)), now, null)).toBeUndefined();
		const step = await verifyTotp(secret, current, now, null);
		expect(step).toBe(Math.floor(now.getTime() / 30_000));
		expect(await verifyTotp(secret, current, now, step!)).toBeUndefined();
		expect(await verifyTotp(secret, 'abcdefgh', now, null)).toBeUndefined();
	});

	it('builds an otpauth URI with the portal parameters', () => {
		const uri = otpauthUri(RFC_SECRET, 'JCPD7173');
		expect(uri).toMatch(/^otpauth:\/\/totp\/MySign:JCPD7173\?/);
		expect(uri).toContain(`secret=${RFC_SECRET}`);
		expect(uri).toContain('digits=8');
		expect(secondsLeft(new Date(Date.UTC(2026, 0, 1, 0, 0, 10)))).toBe(20);
	});
});
