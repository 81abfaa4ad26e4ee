import {Text} from 'ink';
import type {CertificatePhase, CertificateState} from '../../core/index.js';
import {useDisplay, useUi} from '../context.js';
import {formatDate, formatTime, type MessageKey} from '../i18n/index.js';

const SYMBOL: Record<CertificateState, string> = {active: '✓', suspended: '‖', revoked: '✗', expired: '✗', blocked: '✗'};
const COLOUR: Record<CertificateState, string> = {active: 'green', suspended: 'yellow', revoked: 'red', expired: 'red', blocked: 'red'};
const BRIGHT: Record<CertificateState, string> = {active: 'greenBright', suspended: 'yellowBright', revoked: 'redBright', expired: 'redBright', blocked: 'redBright'};

/**
 * "Il tuo certificato è Attivo fino al …", with a symbol as well as a colour; with the
 * suspension's end, the revocation's day, the expiry hour on the expiry day, a blocked PIN.
 */
export function CertificateBanner({state, expiresAt, suspendedUntil, revokedAt, phase}: {state: CertificateState; expiresAt: Date; suspendedUntil?: Date | null; revokedAt?: Date | null; phase?: CertificatePhase}) {
	const {t, language} = useUi();
	const {color, highContrast, screenReader} = useDisplay();
	const status = t(`status.${state}`);
	let key: MessageKey = state === 'active' ? 'dashboard.banner.active' : state === 'expired' ? 'dashboard.banner.expired' : 'dashboard.banner.other';
	if (phase === 'expiryDay') key = 'dashboard.banner.expiryDay';
	else if (state === 'suspended' && suspendedUntil) key = 'dashboard.banner.suspended';
	else if (state === 'revoked' && revokedAt) key = 'dashboard.banner.revoked';
	else if (state === 'blocked') key = 'dashboard.banner.blocked';
	return (
		<Text color={color ? (highContrast ? BRIGHT : COLOUR)[state] : undefined} bold wrap="wrap">
			{screenReader ? '' : `${SYMBOL[state]} `}
			{t(key, {status, date: formatDate(language, expiresAt), time: formatTime(language, expiresAt), until: suspendedUntil ? formatDate(language, suspendedUntil) : '', revoked: revokedAt ? formatDate(language, revokedAt) : ''})}
		</Text>
	);
}
