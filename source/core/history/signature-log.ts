import {mkdir, open} from 'node:fs/promises';
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
	/** Oldest first, as appended; shared with the cache: callers must not change them. */
	records: readonly SignatureRecord[];
	/** `Date.parse(record.at)` of each record. */
	times: readonly number[];
	/** Lines that were not valid records (a torn last line after a crash, or a hand edit). */
	skipped: number;
}

export class SignatureLog {
	readonly directory: string;
	private readonly cache = new Map<string, {ino: number; consumed: number; records: SignatureRecord[]; times: number[]; skipped: number}>();

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

	/**
	 * All records of a holder in the order they were appended, and their times in ms. Kept in
	 * memory per process: a later call reads only what was appended since, so a holder with
	 * 100 000 signatures costs one full read per process, not one per page or filter.
	 */
	async read(userId: string): Promise<SignatureLogReading> {
		const file = this.fileOf(userId);
		let handle;
		try {
			handle = await open(file, 'r');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {records: [], times: [], skipped: 0};
			throw error;
		}
		try {
			const {ino, size} = await handle.stat();
			let cached = this.cache.get(file);
			// A replaced (other inode) or shortened file is read again from the start.
			if (!cached || cached.ino !== ino || size < cached.consumed) {
				cached = {ino, consumed: 0, records: [], times: [], skipped: 0};
				this.cache.set(file, cached);
			}
			if (size > cached.consumed) {
				const tail = Buffer.alloc(size - cached.consumed);
				await handle.read(tail, 0, tail.length, cached.consumed);
				// Only whole lines are taken; a line still being written is read next time.
				const end = tail.lastIndexOf(0x0a) + 1;
				for (const record of parseLines(tail.subarray(0, end).toString('utf8'))) {
					if (record) {
						cached.records.push(record);
						cached.times.push(Date.parse(record.at));
					} else cached.skipped++;
				}
				cached.consumed += end;
			}
			return {records: cached.records, times: cached.times, skipped: cached.skipped};
		} finally {
			await handle.close();
		}
	}
}

/** Whole lines of JSON; undefined for a line that is not a record. One JSON.parse for all when they are all sound. */
function parseLines(text: string): (SignatureRecord | undefined)[] {
	// Fast path: whole lines of objects become one JSON array (one native parse, no string per line).
	const body = text.endsWith('\n') ? text.slice(0, -1) : text;
	if (body !== '' && !body.includes('\n\n')) {
		try {
			const values = JSON.parse(`[${body.replaceAll('\n', ',')}]`) as unknown[];
			let lines = 1;
			for (let index = body.indexOf('\n'); index !== -1; index = body.indexOf('\n', index + 1)) lines++;
			if (values.length === lines) return values.map(checkRecord);
		} catch {
			// a damaged line somewhere: parse them one by one
		}
	}
	const lines = text.split('\n').filter(line => line !== '');
	return lines.map(line => {
		try {
			return checkRecord(JSON.parse(line));
		} catch {
			return undefined;
		}
	});
}

/** One JSON line, checked field by field (a schema library per line costs 10× more at 100 000 lines). */
function checkRecord(value: unknown): SignatureRecord | undefined {
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
