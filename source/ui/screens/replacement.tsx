import {Text} from 'ink';
import type {DashboardView, Session} from '../../core/portal.js';
import {MessageLine} from '../components/controls.js';
import {useUi} from '../context.js';
import type {Loaded} from '../hooks/use-portal-data.js';
import {describeError} from '../i18n/index.js';
import {RenewalWizard} from './renewal.js';

/** "Richiedi nuovo certificato" (seed 002): the five phases, then back to the dashboard. */
export function ReplacementScreen({active, session, data, onDone, onHelp, onTypingChange}: {active: boolean; session: Session; data: Loaded<DashboardView>; onDone: () => void; onHelp: () => void; onTypingChange: (typing: boolean) => void}) {
	const {t} = useUi();
	if (data.state === 'loading') return <Text>{t('app.loading')}</Text>;
	if (data.state === 'failed') return <MessageLine kind="error" text={describeError(t, data.error)} />;
	const view = data.value;
	if (!view.certificate || !view.replacement.allowed) return <MessageLine kind="error" text={t('errors.replacement.notAllowed')} />;
	return (
		<RenewalWizard
			kind="replacement"
			withCoupon={false}
			active={active}
			session={session}
			holderName={`${view.name} ${view.surname}`}
			expiresAt={view.certificate.expiresAt}
			onHelp={onHelp}
			onTypingChange={onTypingChange}
			onClose={onDone}
		/>
	);
}
