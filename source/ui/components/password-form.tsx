import {Box, Text} from 'ink';
import {isDomainError, type PasswordContext, type PasswordVerdict} from '../../core/index.js';
import {useDisplay, useUi} from '../context.js';
import {useDialogForm} from '../hooks/use-form.js';
import {useSubmit} from '../hooks/use-submit.js';
import type {MessageKey} from '../i18n/index.js';
import {Checkbox, FormButtons, Hint, InlineField, MessageLine} from './controls.js';
import type {Control} from './form.js';
import {GuideNote, type GuideStep} from './guide-note.js';

const WITH_CURRENT = [
	{kind: 'text', name: 'current', max: 1024, masked: true, enterMovesOn: true},
	{kind: 'text', name: 'next', max: 1024, masked: true, enterMovesOn: true},
	{kind: 'text', name: 'again', max: 1024, masked: true},
	{kind: 'check', name: 'show'},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'confirm'},
] as const satisfies readonly Control[];
/** Without "current": its field is then empty (the form has none). */
const NEW_ONLY = WITH_CURRENT.filter(control => control.name !== 'current');

const RULE_LABELS: Record<keyof PasswordVerdict['rules'], MessageKey> = {
	length: 'password.rule.length',
	upper: 'password.rule.upper',
	lower: 'password.rule.lower',
	digit: 'password.rule.digit',
	special: 'password.rule.special',
	noTriple: 'password.rule.noTriple',
};

/** The checklist's rows, two rules each. */
const RULE_ROWS = [
	['length', 'upper'],
	['lower', 'digit'],
	['special', 'noTriple'],
] as const satisfies readonly (readonly [keyof PasswordVerdict['rules'], keyof PasswordVerdict['rules']])[];

/** The rules of seed 003 §9.1 as a checklist that follows the typing: ✓ met, ✗ not yet (words, not colour). */
export function PasswordChecklist({password, context}: {password: string; context: PasswordContext}) {
	const {t, portal} = useUi();
	const {screenReader} = useDisplay();
	const verdict = portal.account.checkPassword(password, context);
	// A screen reader hears the state as a word after the rule ("Almeno 8 caratteri: rispettata").
	const line = (rule: keyof PasswordVerdict['rules']) =>
		screenReader ? `${t(RULE_LABELS[rule])}: ${t(verdict.rules[rule] ? 'a11y.met' : 'a11y.unmet')}.` : `${verdict.rules[rule] ? '✓' : '✗'} ${t(RULE_LABELS[rule])}`;
	return (
		<Box flexDirection="column">
			{RULE_ROWS.map(([left, right]) => (
				<Text key={left} wrap="truncate-end">
					{'  '}
					{line(left).padEnd(38)}
					{line(right)}
				</Text>
			))}
			<Hint wrap="truncate-end">{`  ${t('password.specials', {specials: portal.account.passwordSpecials.split('').join(' ')})}`}</Hint>
			{verdict.refusal && password !== '' ? <Text wrap="wrap">{`  ${screenReader ? t('a11y.error') : '✗'} ${t(`password.refusal.${verdict.refusal}`)}`}</Text> : null}
		</Box>
	);
}

export interface PasswordFormProps {
	active: boolean;
	/** The guide's note for this form (`--guide`). */
	guide?: GuideStep;
	withCurrent: boolean;
	context: PasswordContext;
	submitLabel: string;
	onSubmit: (values: {current: string; next: string; again: string}) => Promise<void>;
	onCancel: (dirty: boolean) => void;
}

/** Current password (when changing it), the new one twice, show/hide, and the live checklist. */
export function PasswordForm({active, guide, withCurrent, context, submitLabel, onSubmit, onCancel}: PasswordFormProps) {
	const {t} = useUi();
	const controls = withCurrent ? WITH_CURRENT : NEW_ONLY;
	const [form, dispatch] = useDialogForm(controls, {
		active,
		onCancel,
		onAction: (action, current) => {
			if (action !== 'confirm') return;
			const typed = {current: withCurrent ? current.fields.current.value : '', next: current.fields.next.value, again: current.fields.again.value};
			submit(() => onSubmit(typed), {
				done: () => ({clear: ['current', 'next', 'again']}),
				failed: error => {
					// A wrong current password is retyped. A refused new one stays (masked) with the reason,
					// so it can be corrected; the reason goes as soon as the holder edits a field.
					const wrongCurrent = isDomainError(error, 'account.wrongPassword') || isDomainError(error, 'auth.locked');
					return {clear: wrongCurrent ? ['current'] : [], focus: wrongCurrent ? 'current' : 'next'};
				},
			});
		},
	});
	const {submit} = useSubmit(dispatch);
	const focused = (name: string) => active && controls[form.focus]?.name === name;
	const shown = form.checks.show;
	return (
		<Box flexDirection="column">
			{guide ? <GuideNote step={guide} /> : null}
			{withCurrent ? <InlineField label={t('password.current')} field={form.fields.current} focused={focused('current')} masked={!shown} labelWidth={30} /> : null}
			<InlineField label={t('password.new')} field={form.fields.next} focused={focused('next')} masked={!shown} labelWidth={30} />
			<InlineField label={t('password.again')} field={form.fields.again} focused={focused('again')} masked={!shown} labelWidth={30} />
			<Checkbox label={t('login.showPassword')} checked={shown} focused={focused('show')} />
			<PasswordChecklist password={form.fields.next.value} context={context} />
			<FormButtons focused={focused} confirmLabel={submitLabel} />
			{form.message ? <MessageLine kind={form.message.kind} text={form.message.text ?? t(form.message.key, form.message.params)} /> : null}
		</Box>
	);
}
