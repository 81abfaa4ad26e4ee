import {useCallback, useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import type {DashboardView, Session} from '../../core/index.js';
import {Button, Checkbox, FormButtons, Hint, InlineField, MessageLine} from '../components/controls.js';
import type {Control} from '../components/form.js';
import {GuideNote} from '../components/guide-note.js';
import {useUi} from '../context.js';
import {startSuspension, suspensionReducer, type SuspensionEvent, type SuspensionOutcome, type SuspensionValues} from '../flows/suspension.js';
import {useFlow} from '../hooks/use-flow.js';
import {useForm} from '../hooks/use-form.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {useSelection} from '../hooks/use-selection.js';
import {useSubmit} from '../hooks/use-submit.js';
import {describeError, formatDate, type Translate} from '../i18n/index.js';
import {helpBinding, otpScreenBindings} from '../keymap.js';
import {useHelp} from '../screen-context.js';
import {nextStepText} from './dashboard.js';
import {SaveFileDialog} from './download.js';

const CONTROLS = [
	{kind: 'text', name: 'iut', max: 8, digitsOnly: true, enterMovesOn: true},
	{kind: 'text', name: 'erc', max: 8, digitsOnly: true, masked: true, enterMovesOn: true},
	{kind: 'text', name: 'ercAgain', max: 8, digitsOnly: true, masked: true, enterMovesOn: true},
	{kind: 'text', name: 'endDate', max: 10, secret: false},
	{kind: 'check', name: 'accept'},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'suspend'},
] as const satisfies readonly Control[];

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
	const buttons = useSelection(2);
	const [loadError, setLoadError] = useState<string | undefined>();
	const reload = useCallback(() => {
		portal.certificate.dashboard(session).then(setView, (error: unknown) => setLoadError(describeError(t, error)));
	}, [portal, session, t]);
	useEffect(reload, [reload]);
	const [flow, send] = useFlow(suspensionReducer, () => startSuspension, {
		run: async (command): Promise<SuspensionEvent | undefined> => {
			if (command.kind === 'reload') return void reload();
			return {type: 'suspended', until: (await portal.certificate.suspend(session, command.request)).until};
		},
		failed: (error): SuspensionEvent => ({type: 'failed', error}),
	});

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
			// Nothing opens before the certificate's state is known.
			else if (action === 'open' && view) void send({type: 'open', button: buttons.current() === 1 ? 'revocationForm' : 'suspend', canSuspend});
		},
		active && flow.view === 'page',
	);

	if (flow.view === 'revocationForm') {
		return (
			<SaveFileDialog
				active={active}
				title={t('suspension.revocationFormTitle')}
				guide="suspension.revocationForm"
				suggest={async () => portal.certificate.suggestedRevocationFormFile(session)}
				save={async path => t('suspension.revocationFormSaved', {path: await portal.certificate.exportRevocationForm(session, path)})}
				onClose={saved => void send(saved ? {type: 'close', saved} : {type: 'close'})}
			/>
		);
	}
	if (flow.view === 'suspend') {
		return (
			<SuspensionForm
				active={active}
				onSubmit={async values => {
					const next = await send({type: 'submit', values});
					if (next.error !== undefined) throw next.error;
				}}
				onCancel={() => void send({type: 'close'})}
			/>
		);
	}
	const message = flow.outcome ? {kind: 'success' as const, text: outcomeText(t, language, flow.outcome, certificate?.expiresAt)} : loadError === undefined ? undefined : {kind: 'error' as const, text: loadError};
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

/** What the page says after the suspension form or the revocation form's dialog. */
function outcomeText(t: Translate, language: 'it' | 'en', outcome: SuspensionOutcome, expiresAt: Date | undefined): string {
	if (outcome.kind === 'saved') return outcome.text;
	return t(untilExpiry(outcome.until, expiresAt) ? 'suspension.doneUntilExpiry' : 'suspension.done', {date: formatDate(language, outcome.until)});
}

function SuspensionForm({active, onSubmit, onCancel}: {active: boolean; onSubmit: (values: SuspensionValues) => Promise<void>; onCancel: () => void}) {
	const {t} = useUi();
	const [form, dispatch] = useForm(CONTROLS, {
		submit: 'suspend',
		active,
		onRequest: (action, current) => {
			if (action === 'cancel') return onCancel();
			if (action !== 'suspend') return;
			// The codes are emptied after a failure: they are secrets and must be typed again.
			const {iut, erc, ercAgain, endDate} = current.fields;
			submit(() => onSubmit({iut: iut.value, erc: erc.value, ercAgain: ercAgain.value, endDate: endDate.value, accept: current.checks.accept}), {failed: () => ({clear: ['erc', 'ercAgain']})});
		},
	});
	const {submit} = useSubmit(dispatch);
	const focused = (name: string) => active && CONTROLS[form.focus]?.name === name;
	return (
		<Box flexDirection="column">
			<GuideNote step="suspension.form" />
			<Text bold>{t('suspension.formTitle')}</Text>
			<Text wrap="wrap">{t('suspension.formIntro')}</Text>
			<InlineField label={t('suspension.iut')} field={form.fields.iut} focused={focused('iut')} />
			<InlineField label={t('suspension.erc')} field={form.fields.erc} focused={focused('erc')} masked />
			<InlineField label={t('suspension.ercAgain')} field={form.fields.ercAgain} focused={focused('ercAgain')} masked />
			<InlineField label={t('suspension.endDate')} field={form.fields.endDate} focused={focused('endDate')} />
			<Checkbox label={t('suspension.accept')} checked={form.checks.accept} focused={focused('accept')} />
			<FormButtons focused={focused} confirmLabel={t('suspension.suspendButton')} confirm="suspend" />
			<Hint wrap="wrap">
				{t('suspension.crlNote')}
			</Hint>
			<Text wrap="wrap">! {t('suspension.warning')}</Text>
			{form.message ? <MessageLine kind={form.message.kind} text={form.message.text ?? t(form.message.key, form.message.params)} /> : null}
		</Box>
	);
}
