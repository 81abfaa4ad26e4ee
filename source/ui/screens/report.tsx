import {useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import {type ChallengeView, type ReportFrequency, type Session, toDisplayText} from '../../core/index.js';
import {ChoiceField, FormButtons, Hint, InlineField, MessageLine} from '../components/controls.js';
import type {Control} from '../components/form.js';
import {useUi} from '../context.js';
import {useDialogForm} from '../hooks/use-form.js';
import {errorMessage, shownError, useSubmit} from '../hooks/use-submit.js';
import {GuideNote} from '../components/guide-note.js';
import {OtpStep} from '../components/otp-step.js';

const FREQUENCIES: readonly ReportFrequency[] = ['each', 'daily', 'never'];

const CONTROLS = [
	{kind: 'text', name: 'email', max: 254, secret: false},
	{kind: 'choice', name: 'frequency', options: FREQUENCIES.length},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'confirm'},
] as const satisfies readonly Control[];

/** "Report" (seed 001): the address that receives signature reports, and how often; a new address is proved by a code sent to it. */
export function ReportScreen({active, session, onBack}: {active: boolean; session: Session; onBack: () => void}) {
	const {t, portal} = useUi();
	const [accountEmail, setAccountEmail] = useState<string | undefined>();
	const [pending, setPending] = useState<{email: string; frequency: ReportFrequency; challenge: ChallengeView} | undefined>();
	const [form, dispatch] = useDialogForm(CONTROLS, {
		active: active && accountEmail !== undefined && !pending,
		onCancel: onBack,
		onAction: (action, current) => {
			if (action !== 'confirm') return;
			const frequency = FREQUENCIES[current.choices.frequency] ?? 'each';
			const email = current.fields.email.value;
			submit(() => portal.history.updateReportSettings(session, {email, frequency}), {
				done: result => {
					if (result.kind === 'confirm') return void setPending({email: result.email, frequency, challenge: result.challenge});
					return {message: {kind: 'success', key: frequency === 'never' ? 'report.savedNever' : 'report.saved', params: {email: email.trim() || (accountEmail ?? '')}}};
				},
				failed: () => ({focus: 'email'}),
			});
		},
	});
	const {submit} = useSubmit(dispatch);
	useEffect(() => {
		portal.history.reportSettings(session).then(
			settings => {
				dispatch({type: 'set', name: 'email', value: settings.email ?? settings.accountEmail});
				dispatch({type: 'choose', name: 'frequency', index: FREQUENCIES.indexOf(settings.frequency)});
				setAccountEmail(settings.accountEmail);
			},
			(error: unknown) => dispatch({type: 'message', message: errorMessage(t, error)}),
		);
	}, [portal, session, dispatch, t]);

	const focused = (name: string) => active && CONTROLS[form.focus]?.name === name;
	if (pending) {
		return (
			<Box flexDirection="column">
				<Text bold>{t('report.title')}</Text>
				<Text wrap="wrap">{t('report.codeSent', {email: toDisplayText(pending.email, 60)})}</Text>
				<OtpStep
					active={active}
					challenge={pending.challenge}
					confirmLabel={t('report.save')}
					onConfirm={async code => {
						await portal.history.confirmReportAddress(session, {challengeId: pending.challenge.id, email: pending.email, frequency: pending.frequency, code});
						setPending(undefined);
						dispatch({type: 'message', message: {kind: 'success', key: pending.frequency === 'never' ? 'report.savedNever' : 'report.saved', params: {email: pending.email}}});
					}}
					onResend={() => portal.otp.resend(session, pending.challenge.id)}
					onRestart={message => {
						setPending(undefined);
						dispatch({type: 'message', message: shownError(message)});
					}}
					onCancel={() => {
						setPending(undefined);
						dispatch({type: 'message', message: {kind: 'info', key: 'report.notChanged'}});
					}}
				/>
			</Box>
		);
	}
	return (
		<Box flexDirection="column">
			<GuideNote step="report" />
			<Text bold>{t('report.title')}</Text>
			<Text wrap="wrap">{t('card.report.description')}</Text>
			<Box marginY={1} flexDirection="column">
				<InlineField label={t('report.email')} field={form.fields.email} focused={focused('email')} labelWidth={26} />
				{accountEmail ? <Hint>{t('report.accountEmail', {email: toDisplayText(accountEmail, 60)})}</Hint> : null}
				<ChoiceField label={t('report.frequency')} options={[t('report.each'), t('report.daily'), t('report.never')]} chosen={form.choices.frequency} focused={focused('frequency')} labelWidth={26} />
			</Box>
			<FormButtons focused={focused} confirmLabel={t('report.save')} />
			{form.message ? <MessageLine kind={form.message.kind} text={form.message.text ?? t(form.message.key, form.message.params)} /> : null}
		</Box>
	);
}
