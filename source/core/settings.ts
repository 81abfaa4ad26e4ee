import {z} from 'zod';

/**
 * Every threshold of the domain rules (DESIGN §2) lives in this one object, stored in the
 * database so a trainer can tune a room. Defaults apply to fields an older file lacks.
 */
export const settingsSchema = z.object({
	loginMaxAttempts: z.number().int().min(1).max(100).default(5),
	loginLockMinutes: z.number().int().min(1).default(15),
	/** Each repeated lock-out doubles the wait, up to this cap. */
	loginLockMaxMinutes: z.number().int().min(1).default(24 * 60),
	/** Attempt counters kept for identifiers that match nobody; the oldest go first (auth/throttle.ts). About 200 bytes of db.json each, read and checked on every write: 2 000 made a write 4× slower. */
	unknownCountersMax: z.number().int().min(10).default(200),
	sessionIdleMinutes: z.number().int().min(1).default(15),
	sessionMaxHours: z.number().int().min(1).default(12),
	pinLength: z.number().int().min(4).max(16).default(8),
	otpSmsValidityMinutes: z.number().int().min(1).default(5),
	otpMaxFailures: z.number().int().min(1).default(5),
	otpMaxResends: z.number().int().min(0).default(5),
	otpResendWindowMinutes: z.number().int().min(1).default(15),
	/** One limit on OTP messages (SMS and e-mailed codes) per holder, whatever operation sends them. */
	otpMessagesMax: z.number().int().min(1).default(5),
	otpMessagesWindowMinutes: z.number().int().min(1).default(15),
	/** How long an app-login code on the login screen stays valid. */
	appLoginCodeSeconds: z.number().int().min(2).default(8),
	pinMaxAttempts: z.number().int().min(1).default(3),
	renewalWindowDays: z.number().int().min(1).default(90),
	/** A renewal left mid-way (Esc, a lost connection, a crash) can be resumed at its step for this long after it began. */
	renewalResumeMinutes: z.number().int().min(1).default(30),
	certificateValidityYears: z.number().int().min(1).default(3),
});

export type Settings = z.infer<typeof settingsSchema>;
