import {Box, Text} from 'ink';
import type {CertificateView, DashboardView} from '../../core/portal.js';
import {toDisplayText} from '../../core/text/sanitize.js';
import {CertificateBanner} from '../components/certificate-status.js';
import {MessageLine} from '../components/controls.js';
import {useUi} from '../context.js';
import {useKeymap} from '../hooks/use-keymap.js';
import type {Loaded} from '../hooks/use-portal-data.js';
import {describeError, formatDate, type MessageKey} from '../i18n/index.js';
import {detailBindings, helpBinding} from '../keymap.js';

const LABEL_WIDTH = 24;

function Row({label, value}: {label: MessageKey; value: string}) {
	const {t} = useUi();
	return (
		<Box>
			<Box width={LABEL_WIDTH} flexShrink={0}>
				<Text dimColor>{t(label)}</Text>
			</Box>
			<Text wrap="truncate-end">{toDisplayText(value, 120)}</Text>
		</Box>
	);
}

/** "Certificato di firma" (seed 003 §3): status, then holder and certification authority. */
export function CertificateScreen({active, data, onBack, onHelp}: {active: boolean; data: Loaded<DashboardView>; onBack: () => void; onHelp: () => void}) {
	const {t} = useUi();
	useKeymap([...detailBindings, helpBinding], action => (action === 'back' ? onBack() : onHelp()), active);

	if (data.state === 'loading') return <Text>{t('app.loading')}</Text>;
	if (data.state === 'failed') return <MessageLine kind="error" text={describeError(t, data.error)} />;
	const certificate = data.value.certificate;
	if (!certificate) return <Text>{t('dashboard.noCertificate')}</Text>;
	return <CertificateDetails certificate={certificate} />;
}

function CertificateDetails({certificate}: {certificate: CertificateView}) {
	const {t, language} = useUi();
	return (
		<Box flexDirection="column">
			<Text bold>{t('certificate.heading')}</Text>
			<CertificateBanner state={certificate.state} expiresAt={certificate.expiresAt} />
			<Row label="certificate.activatedAt" value={formatDate(language, certificate.activatedAt)} />
			<Row label="certificate.expiresAt" value={formatDate(language, certificate.expiresAt)} />
			<Box marginTop={1}>
				<Text bold underline>
					{t('certificate.holderSection')}
				</Text>
			</Box>
			<Row label="certificate.iut" value={certificate.iutMasked} />
			<Row label="certificate.serial" value={certificate.serial} />
			<Row label="certificate.commonName" value={certificate.holder.commonName} />
			<Row label="certificate.name" value={certificate.holder.name} />
			<Row label="certificate.surname" value={certificate.holder.surname} />
			<Row label="certificate.country" value={certificate.holder.country} />
			<Box marginTop={1}>
				<Text bold underline>
					{t('certificate.issuerSection')}
				</Text>
			</Box>
			<Row label="certificate.commonName" value={certificate.issuer.commonName} />
			<Row label="certificate.organization" value={certificate.issuer.organization} />
			<Row label="certificate.organizationalUnit" value={certificate.issuer.organizationalUnit} />
			<Row label="certificate.country" value={certificate.issuer.country} />
		</Box>
	);
}
