import {z} from 'zod';

/* A signature record as kept in `<data>/signatures/<userId>.jsonl`: its schema and the per-line check the readers use. */

const isoDate = z.string().refine(value => !Number.isNaN(Date.parse(value)), 'not an ISO date');

export const signatureOutcomeSchema = z.enum(['success', 'failure']);

export const signatureRecordSchema = z.object({
	at: isoDate,
	/** The document's file name (not its folder). */
	document: z.string().min(1).max(255),
	/** SHA-256 of the document, when it could be read. */
	sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
	size: z.number().int().min(0).nullable(),
	outcome: signatureOutcomeSchema,
	/** For a failure: the error code (an i18n key), e.g. "pin.wrong" or "sign.notActive", or the words of a failure that has none (shown in full in the row's detail). */
	reason: z.string().max(1000).nullable(),
	/** The OTP channel that confirmed it. */
	channel: z.enum(['sms', 'app', 'token', 'push', 'email']).nullable(),
	/** The certificate's X.509 serial (hex) it was signed with. */
	certificateSerial: z.string().regex(/^[0-9a-f]*$/).nullable(),
});

export type SignatureRecord = z.infer<typeof signatureRecordSchema>;
export type SignatureOutcome = z.infer<typeof signatureOutcomeSchema>;

/** One JSON line, checked field by field (a schema library per line costs 10× more at 100 000 lines). */
export function checkRecord(value: unknown): SignatureRecord | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const record = value as Record<string, unknown>;
	const nullableString = (key: string) => record[key] === null || typeof record[key] === 'string';
	if (typeof record['at'] !== 'string' || Number.isNaN(Date.parse(record['at']))) return undefined;
	if (typeof record['document'] !== 'string' || record['document'] === '' || record['document'].length > 255) return undefined;
	if (record['outcome'] !== 'success' && record['outcome'] !== 'failure') return undefined;
	if (!nullableString('sha256') || !nullableString('reason') || !nullableString('channel') || !nullableString('certificateSerial')) return undefined;
	if (record['size'] !== null && typeof record['size'] !== 'number') return undefined;
	return value as SignatureRecord;
}
