/**
 * Typed domain errors. Each carries a stable code (also the i18n key the UI translates) and
 * parameters that are safe to show: never raw user input, never a secret.
 */
export type ErrorCode =
	| 'auth.invalidCredentials'
	| 'auth.locked'
	| 'auth.sessionExpired'
	| 'store.locked'
	| 'store.missing'
	| 'store.invalid'
	| 'store.unreadable'
	| 'store.futureVersion'
	| 'store.writeFailed'
	| 'store.keyMissing'
	| 'store.keyMismatch'
	| 'store.caMissing'
	| 'native.missing'
	| 'data.writeFailed'
	| 'file.symlink'
	| 'file.notRegular'
	| 'file.notDirectory'
	| 'file.tooLarge'
	| 'file.secretExposed'
	| 'file.noAccess'
	| 'admin.initGroupUnknown'
	| 'admin.initNotOwner'
	| 'holder.invalidCodiceFiscale'
	| 'holder.invalidUserId'
	| 'holder.duplicate'
	| 'holder.notFound'
	| 'otp.unknown'
	| 'otp.wrongOperation'
	| 'otp.used'
	| 'otp.cancelled'
	| 'otp.denied'
	| 'otp.expired'
	| 'otp.notSent'
	| 'otp.wrong'
	| 'otp.malformed'
	| 'otp.notSms'
	| 'otp.tooManyResends'
	| 'otp.messageLimit'
	| 'otp.reused'
	| 'otp.appNotActive'
	| 'otp.appAlreadyActive'
	| 'otp.noApp'
	| 'phone.invalid'
	| 'phone.same'
	| 'appLogin.expired'
	| 'appLogin.denied'
	| 'appLogin.unknownCode'
	| 'certificate.none'
	| 'pin.format'
	| 'pin.mismatch'
	| 'pin.wrong'
	| 'pin.blocked'
	| 'pin.revoked'
	| 'pin.changeUnknown'
	| 'coupon.missing'
	| 'coupon.unknown'
	| 'coupon.used'
	| 'replacement.notAllowed'
	| 'replacement.consentsRequired'
	| 'replacement.passphraseLength'
	| 'replacement.passphraseMismatch'
	| 'replacement.passphraseAndCf'
	| 'rao.invalid'
	| 'rao.locked'
	| 'rao.notAuthorised'
	| 'renewal.consentsRequired'
	| 'renewal.notYet'
	| 'renewal.tooLate'
	| 'renewal.notActive'
	| 'renewal.unknown'
	| 'renewal.wrongStep'
	| 'renewal.windowClosed'
	| 'renewal.expired'
	| 'suspend.badDate'
	| 'suspend.ercMismatch'
	| 'suspend.notActive'
	| 'suspend.dateNotAfterToday'
	| 'suspend.dateAfterExpiry'
	| 'suspend.confirmRevocationEffect'
	| 'suspend.locked'
	| 'suspend.wrongCodes'
	| 'download.noPath'
	| 'download.exists'
	| 'download.failed'
	| 'history.badFromDate'
	| 'history.badToDate'
	| 'history.rangeInverted'
	| 'history.periodAndDates'
	| 'sign.noDocuments'
	| 'sign.tooMany'
	| 'sign.fileMissing'
	| 'sign.notAFile'
	| 'sign.unreadable'
	| 'sign.tooLarge'
	| 'sign.outputExists'
	| 'sign.duplicate'
	| 'sign.notActive'
	| 'sign.notYetValid'
	| 'sign.documentChanged'
	| 'sign.noPendingOtp'
	| 'sign.writeFailed'
	| 'sign.logFailed'
	| 'verify.unreadable'
	| 'verify.notCms'
	| 'report.badEmail'
	| 'account.passwordMismatch'
	| 'account.passwordWeak'
	| 'account.passwordSame'
	| 'account.wrongPassword'
	| 'account.emailSame'
	| 'account.emailTaken'
	| 'account.questionLength'
	| 'account.answerLength'
	| 'recovery.locked'
	| 'recovery.expired'
	| 'recovery.wrongAnswer'
	| 'recovery.noSecretQuestion'
	| 'account.setupRequired'
	| 'admin.unknownUser'
	| 'admin.badReason'
	| 'admin.alreadyRevoked'
	| 'admin.notSuspended'
	| 'admin.identityMismatch'
	| 'admin.notReissuable'
	| 'admin.reissueNotSent'
	| 'admin.reissueCrlStale'
	| 'admin.badDate'
	| 'admin.dateNotFuture'
	| 'enroll.full'
	| 'enroll.missingField'
	| 'enroll.badCodiceFiscale'
	| 'enroll.badPhone'
	| 'enroll.badEmail'
	| 'enroll.duplicate'
	| 'enroll.empty'
	| 'enroll.retry'
	| 'enroll.csv'
	| 'scenario.unknown'
	| 'demo.resetIncomplete'
	| 'clock.live'
	| 'phone.notYourDevice'
	| 'store.caMismatch'
	| 'operator.notOwner'
	| 'clock.outOfRange'
	| 'outbox.unknown'
	| 'outbox.noMessage'
	| 'outbox.savedPartly'
	| 'otp.notSentBecause'
	| 'pin.changedMeanwhile'
	| 'input.controlCharacters'
	| 'input.tooLong';

export type ErrorParams = Record<string, string | number>;

export class DomainError extends Error {
	constructor(
		readonly code: ErrorCode,
		readonly params: ErrorParams = {},
		/** `cause`: the error this one explains (its message is shown inside this one's, see otp.notSentBecause). */
		options?: {cause: unknown},
	) {
		super(`${code}${Object.keys(params).length > 0 ? ' ' + JSON.stringify(params) : ''}`, options);
		this.name = 'DomainError';
	}
}

/** What the file system says when the data folder cannot be written: a full disk, a read-only mount, no permission. */
const WRITE_FAILURES = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EIO']);

/**
 * A raw file-system failure to write (the lock file, an outbox message, the CRL, a key) as the
 * domain error `data.writeFailed` naming the file and the system's code; anything else unchanged.
 */
export function asWriteFailure(error: unknown): unknown {
	const failure = error as NodeJS.ErrnoException | undefined;
	if (error instanceof DomainError || !(error instanceof Error) || !failure?.code || !WRITE_FAILURES.has(failure.code)) return error;
	return new DomainError('data.writeFailed', {file: failure.path ?? '', reason: failure.code});
}

export function isDomainError(error: unknown, code?: ErrorCode): error is DomainError {
	return error instanceof DomainError && (code === undefined || error.code === code);
}
