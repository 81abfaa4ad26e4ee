import {Box, Text} from 'ink';
import type {Session} from '../../core/portal.js';
import {Checkbox, FormButtons, Hint, InlineField, MessageLine} from '../components/controls.js';
import type {Control, MessageKind} from '../components/form.js';
import {useUi} from '../context.js';
import {fieldOf, formValues, type FormValues, type TextName} from '../components/form-values.js';
import type {ConsentValues, CouponValues, NewPinValues, RaoValues, SecurityValues} from '../flows/renewal.js';
import {useForm} from '../hooks/use-form.js';
import {usePinAttempts} from '../hooks/use-pin-attempts.js';
import {useSubmit} from '../hooks/use-submit.js';
import type {MessageKey} from '../i18n/index.js';

/*
 * The forms of the renewal's and the new certificate's steps (seeds 000, 001, 002): each runs
 * its submit in the core and, on a refusal, stays on its step with the reason (seed 004).
 */

const CONSENT_CONTROLS = [
	{kind: 'check', name: 'accept'},
	{kind: 'check', name: 'confirm'},
	{kind: 'text', name: 'pin', max: 8, digitsOnly: true, masked: true},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'next'},
] as const satisfies readonly Control[];

/** The replacement asks no "data unchanged" confirmation: the new certificate is issued on the current data. */
const REPLACEMENT_CONSENT_CONTROLS: readonly Control[] = CONSENT_CONTROLS.filter(control => control.name !== 'confirm');

const RAO_CONTROLS = [
	{kind: 'text', name: 'operator', max: 16, enterMovesOn: true, secret: false},
	{kind: 'text', name: 'password', max: 1024, masked: true},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'next'},
] as const satisfies readonly Control[];

const COUPON_CONTROLS = [
	{kind: 'text', name: 'coupon', max: 20},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'next'},
] as const satisfies readonly Control[];

const SECURITY_CONTROLS = [
	{kind: 'text', name: 'passphrase', max: 128, masked: true, enterMovesOn: true},
	{kind: 'text', name: 'passphraseAgain', max: 128, masked: true},
	{kind: 'check', name: 'useCf'},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'next'},
] as const satisfies readonly Control[];

const PIN_CONTROLS = [
	{kind: 'text', name: 'pin', max: 8, digitsOnly: true, masked: true, enterMovesOn: true},
	{kind: 'text', name: 'pinAgain', max: 8, digitsOnly: true, masked: true},
	{kind: 'check', name: 'show'},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'activate'},
] as const satisfies readonly Control[];

export interface StepProps {
	active: boolean;
	onCancel: (dirty: boolean) => void;
}

/** Runs a step's submit with the form's values; a refusal stays on this step with its message (seed 004: retry the step). */
function useStepForm<const Controls extends readonly Control[]>(
	controls: Controls,
	props: StepProps & {submit: string; shown?: readonly Control[]; run: (values: FormValues<Controls>) => Promise<void>; clearOnError: readonly TextName<Controls>[]},
) {
	// `shown`: the controls on screen when they are a subset of `controls` (the new certificate's consents).
	const onScreen = props.shown ?? controls;
	const [form, dispatch] = useForm(onScreen, {
		submit: props.submit,
		active: props.active,
		onRequest: (action, current) => {
			if (action === 'cancel') return props.onCancel(current.dirty);
			if (action !== props.submit) return;
			submit(() => props.run(formValues(controls, current)), {failed: () => ({clear: props.clearOnError})});
		},
	});
	const {submit} = useSubmit(dispatch);
	const focused = (name: string) => props.active && onScreen[form.focus]?.name === name;
	const field = (name: TextName<Controls>) => fieldOf(controls, form, name);
	return {form, focused, field};
}

export function ConsentsStep(props: StepProps & {holder: Session; declaration: string; askDataConfirmation: boolean; restartMessage?: string | undefined; onSubmit: (values: ConsentValues) => Promise<void>}) {
	const {t} = useUi();
	const {form, focused, field} = useStepForm(CONSENT_CONTROLS, {
		...props,
		submit: 'next',
		...(props.askDataConfirmation ? {} : {shown: REPLACEMENT_CONSENT_CONTROLS}),
		clearOnError: ['pin'],
		run: values => props.onSubmit({...values, confirm: props.askDataConfirmation ? values.confirm : true}).finally(refreshAttempts),
	});
	const [attemptsLeft, refreshAttempts] = usePinAttempts(props.holder);
	return (
		<Box flexDirection="column">
			<Text wrap="wrap">{props.declaration}</Text>
			<Checkbox label={t('renewal.accept')} checked={form.checks['accept'] ?? false} focused={focused('accept')} />
			{props.askDataConfirmation ? (
				<>
					<Text wrap="wrap">{t('renewal.question')}</Text>
					<Checkbox label={t('renewal.confirm')} checked={form.checks['confirm'] ?? false} focused={focused('confirm')} />
				</>
			) : null}
			<InlineField label={t('renewal.pin')} field={field('pin')} focused={focused('pin')} masked labelWidth={16} />
			{attemptsLeft === undefined ? null : <Hint>{t('pinInput.attempts', {count: attemptsLeft})}</Hint>}
			<Text wrap="wrap">! {t('renewal.pinWarning')}</Text>
			<FormButtons focused={focused} confirmLabel={t('dialog.confirm')} confirm="next" />
			<StepMessage message={form.message} fallback={props.restartMessage} />
		</Box>
	);
}

export function RaoStep(props: StepProps & {onSubmit: (values: RaoValues) => Promise<void>}) {
	const {t} = useUi();
	const {form, focused, field} = useStepForm(RAO_CONTROLS, {...props, submit: 'next', clearOnError: ['password'], run: props.onSubmit});
	return (
		<Box flexDirection="column">
			<Text wrap="wrap">{t('renewal.raoIntro')}</Text>
			<InlineField label={t('renewal.raoUser')} field={field('operator')} focused={focused('operator')} labelWidth={22} />
			<InlineField label={t('renewal.raoPassword')} field={field('password')} focused={focused('password')} masked labelWidth={22} />
			<FormButtons focused={focused} confirmLabel={t('dialog.confirm')} confirm="next" />
			<StepMessage message={form.message} />
		</Box>
	);
}

export function CouponStep(props: StepProps & {onSubmit: (values: CouponValues) => Promise<void>}) {
	const {t} = useUi();
	const {form, focused, field} = useStepForm(COUPON_CONTROLS, {...props, submit: 'next', clearOnError: [], run: props.onSubmit});
	return (
		<Box flexDirection="column">
			<Text wrap="wrap">{t('renewal.couponIntro')}</Text>
			<InlineField label={t('renewal.couponLabel')} field={field('coupon')} focused={focused('coupon')} labelWidth={18} />
			<FormButtons focused={focused} confirmLabel={t('dialog.confirm')} confirm="next" />
			<StepMessage message={form.message} />
		</Box>
	);
}

export function SecurityStep(props: StepProps & {onSubmit: (values: SecurityValues) => Promise<void>}) {
	const {t} = useUi();
	const {form, focused, field} = useStepForm(SECURITY_CONTROLS, {...props, submit: 'next', clearOnError: ['passphrase', 'passphraseAgain'], run: props.onSubmit});
	return (
		<Box flexDirection="column">
			<Text wrap="wrap">{t('replacement.securityIntro')}</Text>
			<InlineField label={t('replacement.passphrase')} field={field('passphrase')} focused={focused('passphrase')} masked labelWidth={26} />
			<InlineField label={t('replacement.passphraseAgain')} field={field('passphraseAgain')} focused={focused('passphraseAgain')} masked labelWidth={26} />
			<Checkbox label={t('replacement.useCf')} checked={form.checks['useCf'] ?? false} focused={focused('useCf')} />
			<FormButtons focused={focused} confirmLabel={t('dialog.confirm')} confirm="next" />
			<StepMessage message={form.message} />
		</Box>
	);
}

/** "Attiva il certificato" / "Scegli nuovo PIN": the button says what the step does (seed 002's phase 3: "Conferma"). */
export function NewPinStep(props: StepProps & {confirmLabel: string; onSubmit: (values: NewPinValues) => Promise<void>}) {
	const {t} = useUi();
	const {form, focused, field} = useStepForm(PIN_CONTROLS, {...props, submit: 'activate', clearOnError: ['pin', 'pinAgain'], run: props.onSubmit});
	const shown = form.checks['show'] ?? false;
	return (
		<Box flexDirection="column">
			<Text wrap="wrap">{t('renewal.newPinIntro')}</Text>
			<InlineField label={t('renewal.newPin')} field={field('pin')} focused={focused('pin')} masked={!shown} labelWidth={26} />
			<InlineField label={t('renewal.newPinAgain')} field={field('pinAgain')} focused={focused('pinAgain')} masked={!shown} labelWidth={26} />
			<Checkbox label={t('renewal.showPin')} checked={shown} focused={focused('show')} />
			<FormButtons focused={focused} confirmLabel={props.confirmLabel} confirm="activate" />
			<StepMessage message={form.message} />
		</Box>
	);
}

export function StepMessage({message, fallback}: {message: {kind: MessageKind; key: MessageKey; params?: Record<string, string | number>; text?: string} | undefined; fallback?: string}) {
	const {t} = useUi();
	if (message) return <MessageLine kind={message.kind} text={message.text ?? t(message.key, message.params)} />;
	return fallback ? <MessageLine kind="error" text={fallback} /> : null;
}
