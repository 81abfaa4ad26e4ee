import {mkdir, open, readFile} from 'node:fs/promises';
import {writeFileAtomic} from '../store/atomic-write.js';
import {join} from 'node:path';
import {z} from 'zod';
import {FileLock} from '../store/lock.js';

/*
 * Every signature attempt, kept out of db.json: one append-only JSON-lines file per holder in
 * `<data>/signatures/`. A holder with 100 000 signatures costs nothing to a PIN change or a
 * login, which rewrite only db.json. Appends take a flock on the holder's file, start on a
 * fresh line and are fsynced; a line torn by a crash is skipped when reading.
 */

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
	/** For a failure: the error code (an i18n key), e.g. "pin.wrong" or "sign.notActive". */
	reason: z.string().max(64).nullable(),
	/** The OTP channel that confirmed it. */
	channel: z.enum(['sms', 'app', 'token', 'push', 'email']).nullable(),
	/** The certificate's X.509 serial (hex) it was signed with. */
	certificateSerial: z.string().regex(/^[0-9a-f]*$/).nullable(),
});

export type SignatureRecord = z.infer<typeof signatureRecordSchema>;
export type SignatureOutcome = z.infer<typeof signatureOutcomeSchema>;

export interface SignatureLogReading {
	records: SignatureRecord[];
	/** Lines that were not valid records (a torn last line after a crash, or a hand edit). */
	skipped: number;
}

export class SignatureLog {
	readonly directory: string;

	constructor(dataDirectory: string) {
		this.directory = join(dataDirectory, 'signatures');
	}

	fileOf(userId: string): string {
		if (!/^[A-Z0-9]{1,16}$/.test(userId)) throw new Error(`not a userID: ${userId}`);
		return join(this.directory, `${userId}.jsonl`);
	}

	/** Appends records for one holder, durably, under that holder's file lock. */
	async append(userId: string, records: readonly SignatureRecord[]): Promise<void> {
		if (records.length === 0) return;
		for (const record of records) signatureRecordSchema.parse(record);
		await mkdir(this.directory, {recursive: true, mode: 0o700});
		const file = this.fileOf(userId);
		const lines = records.map(record => JSON.stringify(record) + '\n').join('');
		await new FileLock(`${file}.lock`).with(async () => {
			const handle = await open(file, 'a+', 0o600);
			try {
				const {size} = await handle.stat();
				let prefix = '';
				if (size > 0) {
					// A crash may have left half a line: start on a new one so the next record is whole.
					const last = Buffer.alloc(1);
					await handle.read(last, 0, 1, size - 1);
					if (last[0] !== 0x0a) prefix = '\n';
				}
				await handle.appendFile(prefix + lines);
				await handle.sync();
			} finally {
				await handle.close();
			}
		});
	}

	/** Replaces a holder's whole history (the demo data set). */
	async replace(userId: string, records: readonly SignatureRecord[]): Promise<void> {
		await mkdir(this.directory, {recursive: true, mode: 0o700});
		const file = this.fileOf(userId);
		await new FileLock(`${file}.lock`).with(() => writeFileAtomic(file, records.map(record => JSON.stringify(signatureRecordSchema.parse(record)) + '\n').join('')));
	}

	/** All records of a holder, oldest first (the order they were appended). */
	async read(userId: string): Promise<SignatureLogReading> {
		let text: string;
		try {
			text = await readFile(this.fileOf(userId), 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {records: [], skipped: 0};
			throw error;
		}
		const records: SignatureRecord[] = [];
		let skipped = 0;
		for (const line of text.split('\n')) {
			if (line === '') continue;
			try {
				const parsed = signatureRecordSchema.safeParse(JSON.parse(line));
				if (parsed.success) records.push(parsed.data);
				else skipped++;
			} catch {
				skipped++;
			}
		}
		return {records, skipped};
	}
}
