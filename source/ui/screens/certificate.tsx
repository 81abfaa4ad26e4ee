import {useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import {type CertificateDetails, type CertificateView, type DashboardView, type Session, toDisplayText} from '../../core/index.js';
import {CertificateBanner} from '../components/certificate-status.js';
import {Button, Hint, MessageLine} from '../components/controls.js';
import {useUi} from '../context.js';
import {useHelp} from '../screen-context.js';
import {useKeymap} from '../hooks/use-keymap.js';
import type {Loaded} from '../hooks/use-portal-data.js';
import {useSelection} from '../hooks/use-selection.js';
import {describeError, formatDate, type MessageKey} from '../i18n/index.js';
import {helpBinding, otpScreenBindings} from '../keymap.js';
import {SaveFileDialog} from './download.js';
import {GuideNote} from '../components/guide-note.js';

const LABEL_WIDTH = 24;

function Row({label, value}: {label: MessageKey; value: string}) {
	const {t} = useUi();
	return (
		<Box>
			<Box width={LABEL_WIDTH} flexShrink={0}>
				<Hint>{t(label)}</Hint>
			</Box>
			<Text wrap="wrap">{toDisplayText(value, 200)}</Text>
		</Box>
	);
}

function Section({title}: {title: MessageKey}) {
	const {t} = useUi();
	return (
		<Box marginTop={1}>
			<Text bold underline>
				{t(title)}
			</Text>
		</Box>
	);
}

export interface CertificateScreenProps {
	active: boolean;
	session: Session;
	data: Loaded<DashboardView>;
	onBack: () => void;
}

/** "Certificato di firma" (seed 003 §3): status, holder and certification authority, technical details, "Scarica". */
export function CertificateScreen({active, session, data, onBack}: CertificateScreenProps) {
	const {t, portal} = useUi();
	const [technical, setTechnical] = useState(false);
	const [downloading, setDownloading] = useState(false);
	const [message, setMessage] = useState<{kind: 'error' | 'success'; text: string} | undefined>();
	const [details, setDetails] = useState<CertificateDetails | undefined>();
	const buttons = useSelection(2);
	const help = useHelp();

	useEffect(() => {
		if (!technical || details) return;
		portal.certificate.details(session).then(setDetails, (error: unknown) => setMessage({kind: 'error', text: describeError(t, error)}));
	}, [technical, details, portal, session, t]);

	useKeymap(
		[...otpScreenBindings, helpBinding],
		action => {
			switch (action) {
				case 'up':
					return buttons.previous();
				case 'down':
					return buttons.next();
				case 'back':
					return onBack();
				case 'help':
					return help();
				case 'open':
					setMessage(undefined);
					if (buttons.current() === 0) return setDownloading(true);
					return setTechnical(value => !value);
			}
		},
		active && !downloading,
	);

	if (data.state === 'loading') return <Text>{t('app.loading')}</Text>;
	if (data.state === 'failed') return <MessageLine kind="error" text={describeError(t, data.error)} />;
	const certificate = data.value.certificate;
	if (!certificate) return <Text>{t('dashboard.noCertificate')}</Text>;
	if (downloading) {
		return (
			<SaveFileDialog
				active={active}
				title={t('download.title')}
				guide="certificate.download"
				alternativeLabel={t('download.der')}
				suggest={der => portal.certificate.suggestedFile(session, der ? 'der' : 'pem')}
				save={async (path, der) => t('download.saved', {path: await portal.certificate.export(session, der ? 'der' : 'pem', path)})}
				onClose={result => {
					setDownloading(false);
					if (result) setMessage({kind: 'success', text: result});
				}}
			/>
		);
	}
	return (
		<Box flexDirection="column">
			<GuideNote step="certificate" />
			<Text bold>{t('certificate.heading')}</Text>
			<CertificateBanner state={certificate.state} expiresAt={certificate.expiresAt} />
			<CertificateDates certificate={certificate} />
			{technical ? <TechnicalDetails details={details} /> : <HolderAndIssuer certificate={certificate} />}
			<Box marginTop={1} gap={2}>
				<Button label={t('certificate.download')} focused={active && buttons.selection === 0} />
				<Button label={technical ? t('certificate.showHolder') : t('certificate.showTechnical')} focused={active && buttons.selection === 1} />
			</Box>
			{message ? <MessageLine kind={message.kind} text={message.text} /> : null}
		</Box>
	);
}

function CertificateDates({certificate}: {certificate: CertificateView}) {
	const {t, language} = useUi();
	return <Hint>{t('certificate.dates', {activated: formatDate(language, certificate.activatedAt), expires: formatDate(language, certificate.expiresAt)})}</Hint>;
}

function HolderAndIssuer({certificate}: {certificate: CertificateView}) {
	return (
		<>
			<Section title="certificate.holderSection" />
			<Row label="certificate.iut" value={certificate.iutMasked} />
			<Row label="certificate.serial" value={certificate.serial} />
			<Row label="certificate.commonName" value={certificate.holder.commonName} />
			<Row label="certificate.name" value={certificate.holder.name} />
			<Row label="certificate.surname" value={certificate.holder.surname} />
			<Row label="certificate.country" value={certificate.holder.country} />
			<Section title="certificate.issuerSection" />
			<Row label="certificate.commonName" value={certificate.issuer.commonName} />
			<Row label="certificate.organization" value={certificate.issuer.organization} />
			<Row label="certificate.organizationalUnit" value={certificate.issuer.organizationalUnit} />
			<Row label="certificate.country" value={certificate.issuer.country} />
		</>
	);
}

function TechnicalDetails({details}: {details: CertificateDetails | undefined}) {
	const {t} = useUi();
	if (!details) return <Text>{t('app.loading')}</Text>;
	return (
		<>
			<Section title="certificate.technicalSection" />
			<Row label="certificate.x509Serial" value={details.serialNumber} />
			<Row label="certificate.fingerprint" value={details.fingerprintSha256} />
			<Row label="certificate.policies" value={details.policies.join('; ')} />
			<Row label="certificate.qcStatements" value={details.qcStatements.join(', ')} />
			<Row label="certificate.keyUsage" value={details.nonRepudiationCritical ? t('certificate.nonRepudiation') : '—'} />
		</>
	);
}
