import {useCallback, useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import type {DashboardView, PendingRenewal, RenewalWindow, Session} from '../../core/index.js';
import {Button, MessageLine} from '../components/controls.js';
import {GuideNote} from '../components/guide-note.js';
import {useUi} from '../context.js';
import {useHelp} from '../screen-context.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {useSelection} from '../hooks/use-selection.js';
import {describeError, formatDate, formatTime} from '../i18n/index.js';
import {detailBindings, helpBinding, otpScreenBindings} from '../keymap.js';
import {resumedStepLabel} from '../flows/renewal.js';
import {RenewalWizard} from './renewal-wizard.js';
import {nextStepText} from './dashboard.js';

export {RenewalWizard} from './renewal-wizard.js';

interface ScreenProps {
	active: boolean;
	session: Session;
	onBack: () => void;
}

type Choice = 'resume' | 'coupon' | 'rao' | 'standard';

/** "Rinnova firma digitale" (seed 003 §7): the expiry, what renewal means, and the wizard of seeds 000/001. */
export function RenewalScreen({active, session, onBack}: ScreenProps) {
	const {t, portal, language} = useUi();
	const help = useHelp();
	const [view, setView] = useState<DashboardView | undefined>();
	const [window, setWindow] = useState<RenewalWindow | undefined>();
	// A renewal left mid-way (Esc, a lost connection, a killed portal): stored in the core, offered first.
	const [pending, setPending] = useState<PendingRenewal | undefined>();
	const [wizard, setWizard] = useState<Choice | 'none'>('none');
	const [message, setMessage] = useState<{kind: 'error' | 'success'; text: string} | undefined>();
	const reload = useCallback(() => {
		// A renewal that cannot be offered now (e.g. its new OTP refused by the message limit) does not hide the card.
		Promise.all([portal.certificate.dashboard(session), portal.renewal.window(session), portal.renewal.pending(session).catch(() => undefined)]).then(
			([dashboard, renewal, left]) => {
				setView(dashboard);
				setWindow(renewal);
				setPending(left?.kind === 'renewal' ? left : undefined);
			},
			(error: unknown) => setMessage({kind: 'error', text: describeError(t, error)}),
		);
	}, [portal, session, t]);
	useEffect(reload, [reload]);

	const open = window?.open === true;
	useKeymap([...detailBindings, helpBinding], action => (action === 'back' ? onBack() : help()), active && wizard === 'none' && !open);

	if (wizard !== 'none' && view?.certificate) {
		const resume = wizard === 'resume' ? pending : undefined;
		return (
			<RenewalWizard
				withCoupon={wizard === 'coupon' || (resume?.withCoupon ?? false)}
				withRao={wizard === 'rao' || (resume?.withRao ?? false)}
				{...(resume ? {resume} : {})}
				active={active}
				session={session}
				holderName={`${view.name} ${view.surname}`}
				expiresAt={view.certificate.expiresAt}
				onClose={result => {
					// "Torna alla homepage" after a renewal goes home, like the new-certificate flow.
					if (result?.kind === 'success') return onBack();
					setWizard('none');
					setMessage(result);
					reload();
				}}
			/>
		);
	}
	const closedReason = window && !window.open ? windowText(t, window, language, view) : undefined;
	return (
		<Box flexDirection="column">
			<GuideNote step={window && !window.open ? 'renewal.closed' : 'renewal'} />
			<Text bold>{t('renewal.heading')}</Text>
			{view?.certificate ? <Text>{t('renewal.expiry', {date: formatDate(language, view.certificate.expiresAt)})}</Text> : null}
			<Box marginTop={1} flexDirection="column">
				<Text wrap="wrap">{t('renewal.info')}</Text>
				<Text>{t('renewal.credentials')}</Text>
			</Box>
			{open ? (
				<RenewalChoices
					key={pending?.renewalId ?? 'none'}
					active={active}
					pending={pending}
					onBack={onBack}
					onChoose={choice => {
						setMessage(undefined);
						setWizard(choice);
					}}
				/>
			) : null}
			{closedReason ? <MessageLine kind="error" text={closedReason} /> : null}
			{message ? <MessageLine kind={message.kind} text={message.text} /> : null}
		</Box>
	);
}

/**
 * The seed's buttons: "Rinnova con Coupon", "Rinnova con credenziali RAO", "Rinnova firma" (the
 * default); a renewal left mid-way adds "Riprendi il rinnovo" first, and it is the default.
 */
function RenewalChoices({active, pending, onBack, onChoose}: {active: boolean; pending: PendingRenewal | undefined; onBack: () => void; onChoose: (choice: Choice) => void}) {
	const {t, language} = useUi();
	const help = useHelp();
	const choices: readonly Choice[] = pending ? ['resume', 'coupon', 'rao', 'standard'] : ['coupon', 'rao', 'standard'];
	const selection = useSelection(choices.length, pending ? 0 : choices.length - 1);
	useKeymap(
		[...otpScreenBindings, helpBinding],
		action => {
			if (action === 'back') onBack();
			else if (action === 'help') help();
			else if (action === 'up') selection.previous();
			else if (action === 'down') selection.next();
			else onChoose(choices[selection.current()] ?? 'standard');
		},
		active,
	);
	const labels: Record<Choice, string> = {resume: t('renewal.resumeButton'), coupon: t('renewal.withCoupon'), rao: t('renewal.withRao'), standard: t('renewal.button')};
	return (
		<Box marginTop={1} flexDirection="column">
			{pending ? <MessageLine kind="info" text={resumeText(t, pending, language)} /> : null}
			{choices.map((choice, index) => (
				<Button key={choice} label={labels[choice]} focused={active && selection.selection === index} />
			))}
		</Box>
	);
}

/** "Hai un rinnovo in corso (iniziato alle 12:40): puoi riprenderlo dal passo «Attiva il certificato» fino alle 13:10." */
export function resumeText(t: ReturnType<typeof useUi>['t'], pending: PendingRenewal, language: 'it' | 'en'): string {
	const step = t(resumedStepLabel(pending));
	const key = pending.kind === 'replacement' ? 'replacement.resume' : 'renewal.resume';
	return t(key, {time: formatTime(language, pending.startedAt), step, until: formatTime(language, pending.resumableUntil)});
}

function windowText(t: ReturnType<typeof useUi>['t'], window: Exclude<RenewalWindow, {open: true}>, language: 'it' | 'en', view: DashboardView | undefined): string {
	if (window.reason === 'notYet') return t('errors.renewal.notYet', {date: formatDate(language, window.opensOn)});
	if (window.reason === 'tooLate') return t('errors.renewal.tooLate');
	// Suspended, revoked, PIN blocked: the step that exists from there, as the dashboard names it.
	const next = view ? nextStepText(t, language, view) : undefined;
	return next ? `${t('errors.renewal.notActive')} ${next}` : t('errors.renewal.notActive');
}
