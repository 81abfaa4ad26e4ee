import {Text} from 'ink';
import type {CertificateState} from '../../core/certificate/record.js';
import {useDisplay, useUi} from '../context.js';
import {formatDate} from '../i18n/index.js';

const SYMBOL: Record<CertificateState, string> = {active: '✓', suspended: '‖', revoked: '✗', expired: '✗', blocked: '✗'};
const COLOUR: Record<CertificateState, string> = {active: 'green', suspended: 'yellow', revoked: 'red', expired: 'red', blocked: 'red'};
const BRIGHT: Record<CertificateState, string> = {active: 'greenBright', suspended: 'yellowBright', revoked: 'redBright', expired: 'redBright', blocked: 'redBright'};

/** "Il tuo certificato è Attivo fino al …", with a symbol as well as a colour. */
export function CertificateBanner({state, expiresAt}: {state: CertificateState; expiresAt: Date}) {
	const {t, language} = useUi();
	const {color, highContrast, screenReader} = useDisplay();
	const status = t(`status.${state}`);
	const key = state === 'active' ? 'dashboard.banner.active' : state === 'expired' ? 'dashboard.banner.expired' : 'dashboard.banner.other';
	return (
		<Text color={color ? (highContrast ? BRIGHT : COLOUR)[state] : undefined} bold wrap="wrap">
			{screenReader ? '' : `${SYMBOL[state]} `}
			{t(key, {status, date: formatDate(language, expiresAt)})}
		</Text>
	);
}
