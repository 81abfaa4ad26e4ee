import {useEffect, useMemo, useState} from 'react';
import {Box, Text} from 'ink';
import {type ChallengeView, type Session, toDisplayText} from '../../core/index.js';
import {ChoiceField, ChoiceList, FormButtons, InlineField, MessageLine} from '../components/controls.js';
import type {Control} from '../components/form.js';
import {OtpStep} from '../components/otp-step.js';
import {useUi} from '../context.js';
import {useDialogForm} from '../hooks/use-form.js';
import {shownError, useSubmit} from '../hooks/use-submit.js';
import {GuideNote, type GuideStep} from '../components/guide-note.js';

/*
 * The editors of "Gestisci il tuo account" (seed 003 §9.2–9.4), each replacing the list while
 * open: a value proved by a code sent to it (mobile number, e-mail), the secret question and
 * the language. Each ends with `onDone(message)` or `onCancel`.
 */

export interface EditorProps {
	active: boolean;
	session: Session;
	onDone: (message: string) => void;
	onCancel: (dirty: boolean) => void;
}

const VALUE_CONTROLS = [
	{kind: 'text', name: 'value', max: 254, secret: false},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'confirm'},
] as const satisfies readonly Control[];

/** A new value, then the code sent to it: the new mobile number or the new e-mail address. */
export function CodeConfirmedEditor<Value extends string>(
	props: EditorProps & {
		intro: string;
		/** The guide's notes: while the value is typed, and while its code is (`--guide`). */
		guides?: {value: GuideStep; code: GuideStep};
		label: string;
		start: (value: string) => Promise<{value: Value; challenge: ChallengeView}>;
		confirm: (value: Value, challenge: ChallengeView, code: string) => Promise<void>;
		doneMessage: string;
	},
) {
	const {t, portal} = useUi();
	const [pending, setPending] = useState<{value: Value; challenge: ChallengeView} | undefined>();
	const [form, dispatch] = useDialogForm(VALUE_CONTROLS, {
		active: props.active && !pending,
		onCancel: props.onCancel,
		onAction: (action, current) => {
			if (action !== 'confirm') return;
			const value = current.fields.value.value;
			submit(() => props.start(value), {done: setPending, failed: () => ({focus: 'value'})});
		},
	});
	const {submit} = useSubmit(dispatch);
	if (pending) {
		return (
			<>
				{props.guides ? <GuideNote step={props.guides.code} /> : null}
				<OtpStep
					active={props.active}
					challenge={pending.challenge}
					confirmLabel={t('account.save')}
					onConfirm={async code => {
						await props.confirm(pending.value, pending.challenge, code);
						props.onDone(props.doneMessage);
					}}
					onResend={() => portal.otp.resend(props.session, pending.challenge.id)}
					onRestart={message => {
						setPending(undefined);
						dispatch({type: 'message', message: shownError(message)});
					}}
					onCancel={() => props.onCancel(true)}
				/>
			</>
		);
	}
	const focused = (name: string) => props.active && VALUE_CONTROLS[form.focus]?.name === name;
	return (
		<Box flexDirection="column">
			{props.guides ? <GuideNote step={props.guides.value} /> : null}
			<Text wrap="wrap">{props.intro}</Text>
			<InlineField label={props.label} field={form.fields.value} focused={focused('value')} labelWidth={28} />
			<FormButtons focused={focused} confirmLabel={t('account.save')} />
			{form.message ? <MessageLine kind={form.message.kind} text={form.message.text ?? t(form.message.key, form.message.params)} /> : null}
		</Box>
	);
}

const questionControls = (suggested: number) =>
	[
		{kind: 'choice', name: 'question', options: suggested + 1},
		{kind: 'text', name: 'own', max: 200, secret: false},
		{kind: 'text', name: 'answer', max: 100, masked: true},
		{kind: 'button', name: 'cancel'},
		{kind: 'button', name: 'confirm'},
	] as const satisfies readonly Control[];

/** "Domanda Segreta": one of the proposed questions or your own, and the answer. */
export function SecretQuestionEditor(props: EditorProps) {
	const {t, portal} = useUi();
	const suggested = portal.account.suggestedQuestions;
	const controls = useMemo(() => questionControls(suggested.length), [suggested]);
	const [form, dispatch] = useDialogForm(controls, {
		active: props.active,
		onCancel: props.onCancel,
		onAction: (action, current) => {
			if (action !== 'confirm') return;
			const chosen = current.choices.question;
			const question = suggested[chosen] ?? current.fields.own.value;
			if (chosen === suggested.length && question.trim() === '') return dispatch({type: 'done', focus: 'own', message: {kind: 'error', key: 'account.ownQuestionMissing'}});
			const answer = current.fields.answer.value;
			submit(() => portal.account.setSecretQuestion(props.session, {question, answer}), {done: () => props.onDone(t('account.questionSaved')), failed: () => ({clear: ['answer']})});
		},
	});
	const {submit} = useSubmit(dispatch);
	const focused = (name: string) => props.active && controls[form.focus]?.name === name;
	const chosen = form.choices.question;
	// Typing a question of your own chooses "Scrivi la tua domanda".
	const ownText = form.fields.own.value;
	useEffect(() => {
		if (ownText !== '') dispatch({type: 'choose', name: 'question', index: suggested.length});
	}, [ownText, dispatch, suggested]);
	return (
		<Box flexDirection="column">
			<GuideNote step="account.question" />
			<Text wrap="wrap">{t('account.questionIntro')}</Text>
			<ChoiceList label={t('account.chooseQuestion')} options={[...suggested, t('account.ownQuestion')]} chosen={chosen} focused={focused('question')} />
			<InlineField label={t('account.ownQuestionField')} field={form.fields.own} focused={focused('own')} labelWidth={28} />
			<InlineField label={t('account.answer')} field={form.fields.answer} focused={focused('answer')} masked labelWidth={28} />
			<FormButtons focused={focused} confirmLabel={t('account.save')} />
			{form.message ? <MessageLine kind={form.message.kind} text={form.message.text ?? t(form.message.key, form.message.params)} /> : null}
		</Box>
	);
}

const LANGUAGES = ['it', 'en'] as const;
const LANGUAGE_CONTROLS = [
	{kind: 'choice', name: 'language', options: LANGUAGES.length},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'confirm'},
] as const satisfies readonly Control[];

/** The interface language, kept with the account and applied at once. */
export function LanguageEditor(props: EditorProps & {onLanguage: (language: 'it' | 'en') => void}) {
	const {t, portal, language} = useUi();
	// The choice starts on the language in use: the form counts steps from it.
	const initial = LANGUAGES.indexOf(language);
	const [form, dispatch] = useDialogForm(LANGUAGE_CONTROLS, {
		active: props.active,
		onCancel: props.onCancel,
		onAction: (action, current) => {
			if (action !== 'confirm') return;
			const chosen = LANGUAGES[(initial + current.choices.language) % LANGUAGES.length] ?? language;
			submit(() => portal.account.setLanguage(props.session, chosen), {
				done: () => {
					props.onLanguage(chosen);
					props.onDone('');
				},
			});
		},
	});
	const {submit} = useSubmit(dispatch);
	const focused = (name: string) => props.active && LANGUAGE_CONTROLS[form.focus]?.name === name;
	const chosen = (initial + form.choices.language) % LANGUAGES.length;
	return (
		<Box flexDirection="column">
			<GuideNote step="account.language" />
			<ChoiceField label={t('account.language')} options={['Italiano', 'English']} chosen={chosen} focused={focused('language')} labelWidth={28} />
			<FormButtons focused={focused} confirmLabel={t('account.save')} />
			{form.message ? <MessageLine kind={form.message.kind} text={toDisplayText(form.message.text ?? t(form.message.key, form.message.params))} /> : null}
		</Box>
	);
}
