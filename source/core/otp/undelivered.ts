import {asWriteFailure, DomainError} from '../errors.js';
import type {AfterCommit} from '../store/store.js';

/**
 * A code's message that could not be written to the outbox after its challenge was committed
 * (a full disk, a read-only folder): the step is saved, the code never left. Said exactly
 * (`otp.notSent`, with the file and the system's reason), so the holder knows to fix it and
 * press "Invia nuovo OTP", instead of an "unexpected error" over a change that did happen.
 */
export function undelivered(send: () => Promise<void>): AfterCommit {
	return async () => {
		try {
			await send();
		} catch (error) {
			const failure = asWriteFailure(error);
			throw new DomainError('otp.notSent', failure instanceof DomainError && failure.code === 'data.writeFailed' ? failure.params : {file: '', reason: error instanceof Error ? error.message : String(error)});
		}
	};
}
