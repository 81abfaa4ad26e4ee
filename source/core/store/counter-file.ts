import {DomainError} from '../errors.js';
import {writeFileAtomicSync} from './atomic-write.js';
import {readRegularFileSync} from './safe-file.js';

/**
 * A counter of the whole folder kept in a file of its own (`<data>/outbox.sequence`: the last
 * outbox number given), so that an operation on one holder that sends a message writes that
 * holder's document and this small file, never db.json (see partition.ts). Used under the store
 * lock only. The new value is on disk (fsynced) before the operation that took it commits: a
 * crash can leave a number unused, never give one twice.
 */
export class CounterFile {
	constructor(readonly file: string) {}

	/**
	 * The next value: one more than the file's and than `known` (db.json's counter from before the
	 * file). Without the file (a folder from before it, or the file deleted) one more than `used()`
	 * too: what the folder already used (the highest number in outbox/), never given twice.
	 */
	next(known: number, used: () => number): number {
		const value = Math.max(this.current() ?? used(), known) + 1;
		try {
			writeFileAtomicSync(this.file, `${value}\n`, {syncDirectory: true});
		} catch (error) {
			throw new DomainError('store.writeFailed', {file: this.file, reason: (error as NodeJS.ErrnoException).code ?? 'error'});
		}
		return value;
	}

	private current(): number | undefined {
		let text: string;
		try {
			text = readRegularFileSync(this.file, 64).toString('utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
			throw error;
		}
		if (!/^\d{1,15}\n$/.test(text)) throw new DomainError('store.invalid', {file: this.file, reason: 'not a number on one line'});
		return Number(text);
	}
}
