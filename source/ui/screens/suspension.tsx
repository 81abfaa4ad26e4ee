import {useCallback, useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import type {DashboardView, Session} from '../../core/portal.js';
import {Button, Checkbox, FormButtons, Hint, InlineField, MessageLine} from '../components/controls.js';
import type {Control} from '../components/form.js';
import {useUi} from '../context.js';
import {useHelp} from '../screen-context.js';
import {useForm} from '../hooks/use-form.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {describeError, formatDate} from '../i18n/index.js';
import {helpBinding, otpScreenBindings} from '../keymap.js';
import {useSelection} from '../hooks/use-selection.js';
import {SaveFileDialog} from './download.js';
import {GuideNote} from '../components/guide-note.js';
import {nextStepText} from './dashboard.js';

const CONTROLS: readonly Control[] = [
	{kind: 'text', name: 'iut', max: 8, digitsOnly: true, enterMovesOn: true},
	{kind: 'text', name: 'erc', max: 8, digitsOnly: true, masked: true, enterMovesOn: true},
	{kind: 'text', name: 'ercAgain', max: 8, digitsOnly: true, masked: true, enterMovesOn: true},
	{kind: 'text', name: 'endDate', max: 10, secret: false},
	{kind: 'check', name: 'accept'},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'suspend'},
];

export interface SuspensionScreenProps {
	active: boolean;
	session: Session;
	onBack: () => void;
}

/** "Sospensione e revoca firma" (seed 003 §8). */
export function SuspensionScreen({active, session, onBack}: SuspensionScreenProps) {
	const {t, portal, language} = useUi();
	const help = useHelp();
	const [view, setView] = useState<DashboardView | undefined>();
	const [form, setForm] = useState<'none' | 'suspend' | 'revocationForm'>('none');
	const buttons = useSelection(2);
	const [message, setMessage] = useState<{kind: 'error' | 'success'; text: string} | undefined>();
	const reload = useCallback(() => {
		portal.dashboard(session).then(setView, (error: unknown) => setMessage({kind: 'error', text: describeError(t, error)}));
	}, [portal, session, t]);
	useEffect(reload, [reload]);

	const certificate = view?.certificate;
	const canSuspend = certificate?.state === 'active';
	// Buttons: 0 "Sospendi" (when the certificate is active), 1 "Scarica il modulo di revoca".
	useKeymap(
		[...otpScreenBindings, helpBinding],
		action => {
			if (action === 'back') onBack();
			else if (action === 'help') help();
			else if (action === 'up') buttons.previous();
			else if (action === 'down') buttons.next();
			else if (action === 'open' && view) {
				// Nothing opens before the certificate's state is known.
				setMessage(undefined);
				if (buttons.current() === 1 || !canSuspend) setForm('revocationForm');
				else setForm('suspend');
			}
		},
		active && form === 'none',
	);

	if (form === 'revocationForm') {
		return (
			<SaveFileDialog
				active={active}
				title={t('suspension.revocationFormTitle')}
				guide="suspension.revocationForm"
				suggest={async () => portal.suggestedRevocationFormFile(session)}
				save={async path => t('suspension.revocationFormSaved', {path: await portal.exportRevocationForm(session, path)})}
				onClose={result => {
					setForm('none');
					if (result) setMessage({kind: 'success', text: result});
				}}
			/>
		);
	}
	if (form === 'suspend') {
		return (
			<SuspensionForm
				expiresAt={certificate?.expiresAt}
				active={active}
				session={session}
				onClose={result => {
					setForm('none');
					if (result) setMessage({kind: 'success', text: result});
					reload();
				}}
			/>
		);
	}
	return (
		<Box flexDirection="column">
			<GuideNote step="suspension" />
			<Text bold>{t('suspension.heading')}</Text>
			<Text wrap="wrap">{t('suspension.intro')}</Text>
			<Box marginTop={1} flexDirection="column">
				<Text bold>{t('suspension.suspendTitle')}</Text>
				<Text>{t('suspension.suspendText')}</Text>
				{certificate?.state === 'suspended' && certificate.suspendedUntil ? (
					<Text wrap="wrap">
						{t(untilExpiry(certificate.suspendedUntil, certificate.expiresAt) ? 'suspension.alreadyUntilExpiry' : 'suspension.already', {date: formatDate(language, certificate.suspendedUntil)})}
					</Text>
				) : null}
				{canSuspend ? <Button label={t('suspension.suspendButton')} focused={active && buttons.selection === 0} /> : null}
				{/* No button: say why, and the step that exists instead (dashboard.tsx words it). */}
				{view && certificate && !canSuspend && certificate.state !== 'suspended' ? <Text wrap="wrap">{`${t('suspension.notPossible', {status: t(`status.${certificate.state}`)})} ${nextStepText(t, language, view) ?? ''}`.trim()}</Text> : null}
			</Box>
			<Box marginTop={1} flexDirection="column">
				<Text bold>{t('suspension.revokeTitle')}</Text>
				<Text wrap="wrap">{t('suspension.revokeText')}</Text>
				<Button label={t('suspension.revocationFormButton')} focused={active && (buttons.selection === 1 || !canSuspend)} />
			</Box>
			{message ? <MessageLine kind={message.kind} text={message.text} /> : null}
		</Box>
	);
}

/** A suspension to the expiry (acknowledged as a revocation) ends with the certificate: it never comes back active. */
function untilExpiry(until: Date, expiresAt: Date | undefined): boolean {
	return expiresAt !== undefined && until.getTime() >= expiresAt.getTime();
}

function SuspensionForm({expiresAt, active, session, onClose}: {expiresAt: Date | undefined; active: boolean; session: Session; onClose: (result?: string) => void}) {
	const {t, portal, language} = useUi();
	const [form, dispatch] = useForm(CONTROLS, {
		submit: 'suspend',
		active,
		onRequest: (action, current) => {
			if (action === 'cancel') return onClose();
			if (action !== 'suspend') return;
			dispatch({type: 'busy'});
			const value = (name: string) => current.fields[name]!.value;
			portal
				.suspend(session, {iut: value('iut'), erc: value('erc'), ercAgain: value('ercAgain'), endDate: value('endDate'), acceptRevocationEffect: current.checks['accept'] ?? false})
				.then(
					({until}) => onClose(t(untilExpiry(until, expiresAt) ? 'suspension.doneUntilExpiry' : 'suspension.done', {date: formatDate(language, until)})),
					// The codes are emptied after a failure: they are secrets and must be typed again.
					(error: unknown) => dispatch({type: 'done', clear: ['erc', 'ercAgain'], message: {kind: 'error', key: 'errors.unexpected', text: describeError(t, error)}}),
				);
		},
	});
	const focused = (name: string) => active && CONTROLS[form.focus]?.name === name;
	return (
		<Box flexDirection="column">
			<GuideNote step="suspension.form" />
			<Text bold>{t('suspension.formTitle')}</Text>
			<Text wrap="wrap">{t('suspension.formIntro')}</Text>
			<InlineField label={t('suspension.iut')} field={form.fields['iut']!} focused={focused('iut')} />
			<InlineField label={t('suspension.erc')} field={form.fields['erc']!} focused={focused('erc')} masked />
			<InlineField label={t('suspension.ercAgain')} field={form.fields['ercAgain']!} focused={focused('ercAgain')} masked />
			<InlineField label={t('suspension.endDate')} field={form.fields['endDate']!} focused={focused('endDate')} />
			<Checkbox label={t('suspension.accept')} checked={form.checks['accept'] ?? false} focused={focused('accept')} />
			<FormButtons focused={focused} confirmLabel={t('suspension.suspendButton')} confirm="suspend" />
			<Hint wrap="wrap">
				{t('suspension.crlNote')}
			</Hint>
			<Text wrap="wrap">! {t('suspension.warning')}</Text>
			{form.message ? <MessageLine kind={form.message.kind} text={form.message.text ?? t(form.message.key, form.message.params)} /> : null}
		</Box>
	);
}
