import {type Portal, toDisplayText} from '../core/index.js';
import {formatDate, type Language, type Translate} from '../ui/i18n/index.js';
import {UsageError} from './usage.js';
import {jsonDocument} from './time.js';

/*
 * `mysign admin reissue ID --codice-fiscale CF` (operators): a new certificate, PIN and ERC for
 * a holder whose PIN is blocked or whose certificate was revoked, after re-identifying them: the
 * codice fiscale typed again from their identity document (see core/admin/reissue.ts). Refusals
 * (unknown holder, mismatch, a state the portal handles) are thrown for cli/admin.ts to turn
 * into exit 2 with nothing changed.
 */

export async function reissueCommand(
	t: Translate,
	language: Language,
	portal: Portal,
	userId: string,
	flags: {codiceFiscale?: string; json: boolean},
): Promise<string> {
	const codiceFiscale = flags.codiceFiscale;
	if (codiceFiscale === undefined || codiceFiscale.trim() === '') throw new UsageError(t('admin.missing', {what: '--codice-fiscale CF'}));
	const admin = await portal.admin.commands();
	const result = await admin.reissue({userId, codiceFiscale});
	if (flags.json) return jsonDocument(result);
	return t('admin.reissued', {
		userId: result.userId,
		iut: result.iut,
		serial: result.certificateSerial,
		date: formatDate(language, result.expiresAt),
		previous: result.previousSerial,
		email: toDisplayText(result.email),
	});
}
