import {useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import type {DashboardView, PendingRenewal, Session} from '../../core/index.js';
import {Button, MessageLine} from '../components/controls.js';
import {useUi} from '../context.js';
import {useHelp} from '../screen-context.js';
import type {Loaded} from '../hooks/use-portal-data.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {useSelection} from '../hooks/use-selection.js';
import {describeError} from '../i18n/index.js';
import {helpBinding, otpScreenBindings} from '../keymap.js';
import {resumeText} from './renewal.js';
import {RenewalWizard} from './renewal-wizard.js';

/**
 * "Richiedi nuovo certificato" (seed 002): the five phases, then back to the dashboard. A request
 * left mid-way is offered first: resume it at its step, or start again.
 */
export function ReplacementScreen({active, session, data, onDone}: {active: boolean; session: Session; data: Loaded<DashboardView>; onDone: () => void}) {
	const {t, portal} = useUi();
	const [pending, setPending] = useState<{loaded: false} | {loaded: true; value: PendingRenewal | undefined}>({loaded: false});
	const [choice, setChoice] = useState<'ask' | 'resume' | 'restart'>('ask');
	const [ended, setEnded] = useState<string | undefined>();
	useEffect(() => {
		portal.renewal.pending(session).then(
			left => setPending({loaded: true, value: left?.kind === 'replacement' ? left : undefined}),
			() => setPending({loaded: true, value: undefined}),
		);
	}, [portal, session]);

	if (data.state === 'loading' || !pending.loaded) return <Text>{t('app.loading')}</Text>;
	if (data.state === 'failed') return <MessageLine kind="error" text={describeError(t, data.error)} />;
	const view = data.value;
	if (ended) return <Ended active={active} text={ended} onDone={onDone} />;
	if (!view.certificate || !view.replacement.allowed) return <MessageLine kind="error" text={t('errors.replacement.notAllowed')} />;
	if (pending.value && choice === 'ask') return <ResumeChoice active={active} pending={pending.value} onChoose={setChoice} onBack={onDone} />;
	return (
		<RenewalWizard
			kind="replacement"
			withCoupon={false}
			{...(pending.value && choice === 'resume' ? {resume: pending.value} : {})}
			active={active}
			session={session}
			holderName={`${view.name} ${view.surname}`}
			expiresAt={view.certificate.expiresAt}
			onClose={result => (result?.kind === 'error' ? setEnded(result.text) : onDone())}
		/>
	);
}

function ResumeChoice({active, pending, onChoose, onBack}: {active: boolean; pending: PendingRenewal; onChoose: (choice: 'resume' | 'restart') => void; onBack: () => void}) {
	const {t, language} = useUi();
	const help = useHelp();
	const selection = useSelection(2);
	useKeymap(
		[...otpScreenBindings, helpBinding],
		action => {
			if (action === 'back') onBack();
			else if (action === 'help') help();
			else if (action === 'up') selection.previous();
			else if (action === 'down') selection.next();
			else onChoose(selection.current() === 0 ? 'resume' : 'restart');
		},
		active,
	);
	return (
		<Box flexDirection="column">
			<Text bold>{t('replacement.title')}</Text>
			<MessageLine kind="info" text={resumeText(t, pending, language)} />
			<Box marginTop={1} flexDirection="column">
				<Button label={t('replacement.resumeButton')} focused={active && selection.selection === 0} />
				<Button label={t('replacement.restartButton')} focused={active && selection.selection === 1} />
			</Box>
		</Box>
	);
}

/** The request can no longer go on (too old, no longer allowed): the reason, and Enter/Esc home. */
function Ended({active, text, onDone}: {active: boolean; text: string; onDone: () => void}) {
	const {t} = useUi();
	const help = useHelp();
	useKeymap([...otpScreenBindings, helpBinding], action => (action === 'help' ? help() : action === 'back' || action === 'open' ? onDone() : undefined), active);
	return (
		<Box flexDirection="column">
			<Text bold>{t('replacement.title')}</Text>
			<MessageLine kind="error" text={text} />
			<Box marginTop={1}>
				<Button label={t('renewal.home')} focused={active} />
			</Box>
		</Box>
	);
}
