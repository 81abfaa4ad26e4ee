import type {MessageKey, Translate} from '../i18n/index.js';

/**
 * The operations a confirmation request can be for (the core's OPERATION_* names), each with
 * its label in the catalogues: the phone says "Modifica PIN", not `pin.change`. A test checks
 * that every operation of the core is listed here.
 */
export const OPERATION_NAMES = [
	'sign.documents',
	'renewal.consents',
	'renewal.activate',
	'renewal.rao',
	'pin.change',
	'report.address',
	'account.recoveryPhone',
	'account.email',
	'account.recoverPassword',
	'otp.activateApp',
	'otp.changePhone',
] as const;

/** The human label of an operation; one this version does not know is named as it is (sanitised by `t`). */
export function operationLabel(t: Translate, operation: string): string {
	return (OPERATION_NAMES as readonly string[]).includes(operation) ? t(`phone.operation.${operation}` as MessageKey) : t('phone.operation.other', {operation});
}
