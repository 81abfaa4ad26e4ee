import {asWriteFailure, DomainError} from '../errors.js';
import type {AfterCommit} from '../store/store.js';

/**
 * A code's message that could not be written to the outbox after its challenge was committed
 * (a full disk, a read-only folder): the step is saved, the code never left. Said exactly
 * (`otp.notSent`, with the file and the system's reason, or `otp.notSentBecause` with the
 * refusal's own message), so the holder knows to fix it and
 * press "Invia nuovo OTP", instead of an "unexpected error" over a change that did happen.
 */
export function undelivered(send: () => Promise<void>, where: string): AfterCommit {
	return async () => {
		try {
			await send();
		} catch (error) {
			const failure = asWriteFailure(error);
			// `where` (the outbox folder) when the system's error named no file.
			if (failure instanceof DomainError && failure.code === 'data.writeFailed') throw new DomainError('otp.notSent', {...failure.params, file: failure.params['file'] || where});
			// A file the program refused (an outbox replaced by a file or a link): the file and what it is.
			if (failure instanceof DomainError && failure.code.startsWith('file.') && typeof failure.params['file'] === 'string') {
				throw new DomainError('otp.notSent', {file: failure.params['file'], reason: failure.code});
			}
			// A database that did not take the message: named, with its reason (its own message says
			// "nothing was changed", which the committed step contradicts).
			if (failure instanceof DomainError && failure.code === 'store.unreachable') {
				throw new DomainError('otp.notSent', {file: String(failure.params['store']), reason: String(failure.params['reason'])});
			}
			// Anything else: its own message, inside this one.
			throw new DomainError('otp.notSentBecause', {}, {cause: failure});
		}
	};
}
