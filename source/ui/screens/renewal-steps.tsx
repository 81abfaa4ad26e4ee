import {Box, Text} from 'ink';
import type {Session} from '../../core/index.js';
import {Checkbox, FormButtons, Hint, InlineField, MessageLine} from '../components/controls.js';
import type {Control, FormOf, MessageKind} from '../components/form.js';
import {useUi} from '../context.js';
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
const REPLACEMENT_CONSENT_CONTROLS = [
	{kind: 'check', name: 'accept'},
	{kind: 'text', name: 'pin', max: 8, digitsOnly: true, masked: true},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'next'},
] as const satisfies readonly Control[];

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

/** Runs a step's submit; a refusal stays on this step with its message (seed 004: retry the step). */
function useStepForm<const Controls extends readonly Control[]>(
	controls: Controls,
	props: StepProps & {submit: string; run: (form: FormOf<Controls>) => Promise<void>; clearOnError: readonly (keyof FormOf<Controls>['fields'])[]},
) {
	const [form, dispatch] = useForm(controls, {
		submit: props.submit,
		active: props.active,
		onRequest: (action, current) => {
			if (action === 'cancel') return props.onCancel(current.dirty);
			if (action !== props.submit) return;
			submit(() => props.run(current), {failed: () => ({clear: props.clearOnError})});
		},
	});
	const {submit} = useSubmit(dispatch);
	const focused = (name: string) => props.active && controls[form.focus]?.name === name;
	return {form, focused};
}

export function ConsentsStep(props: StepProps & {holder: Session; declaration: string; askDataConfirmation: boolean; restartMessage?: string | undefined; onSubmit: (values: ConsentValues) => Promise<void>}) {
	const {t} = useUi();
	const {form, focused} = useStepForm<typeof CONSENT_CONTROLS | typeof REPLACEMENT_CONSENT_CONTROLS>(props.askDataConfirmation ? CONSENT_CONTROLS : REPLACEMENT_CONSENT_CONTROLS, {
		...props,
		submit: 'next',
		clearOnError: ['pin'],
		run: current =>
			props.onSubmit({accept: current.checks.accept, confirm: props.askDataConfirmation ? ('confirm' in current.checks && current.checks.confirm) : true, pin: current.fields.pin.value}).finally(refreshAttempts),
	});
	const [attemptsLeft, refreshAttempts] = usePinAttempts(props.holder);
	return (
		<Box flexDirection="column">
			<Text wrap="wrap">{props.declaration}</Text>
			<Checkbox label={t('renewal.accept')} checked={form.checks.accept} focused={focused('accept')} />
			{props.askDataConfirmation ? (
				<>
					<Text wrap="wrap">{t('renewal.question')}</Text>
					<Checkbox label={t('renewal.confirm')} checked={'confirm' in form.checks && form.checks.confirm} focused={focused('confirm')} />
				</>
			) : null}
			<InlineField label={t('renewal.pin')} field={form.fields.pin} focused={focused('pin')} masked labelWidth={16} />
			{attemptsLeft === undefined ? null : <Hint>{t('pinInput.attempts', {count: attemptsLeft})}</Hint>}
			<Text wrap="wrap">! {t('renewal.pinWarning')}</Text>
			<FormButtons focused={focused} confirmLabel={t('dialog.confirm')} confirm="next" />
			<StepMessage message={form.message} fallback={props.restartMessage} />
		</Box>
	);
}

export function RaoStep(props: StepProps & {onSubmit: (values: RaoValues) => Promise<void>}) {
	const {t} = useUi();
	const {form, focused} = useStepForm(RAO_CONTROLS, {
		...props,
		submit: 'next',
		clearOnError: ['password'],
		run: current => props.onSubmit({operator: current.fields.operator.value, password: current.fields.password.value}),
	});
	return (
		<Box flexDirection="column">
			<Text wrap="wrap">{t('renewal.raoIntro')}</Text>
			<InlineField label={t('renewal.raoUser')} field={form.fields.operator} focused={focused('operator')} labelWidth={22} />
			<InlineField label={t('renewal.raoPassword')} field={form.fields.password} focused={focused('password')} masked labelWidth={22} />
			<FormButtons focused={focused} confirmLabel={t('dialog.confirm')} confirm="next" />
			<StepMessage message={form.message} />
		</Box>
	);
}

export function CouponStep(props: StepProps & {onSubmit: (values: CouponValues) => Promise<void>}) {
	const {t} = useUi();
	const {form, focused} = useStepForm(COUPON_CONTROLS, {...props, submit: 'next', clearOnError: [], run: current => props.onSubmit({coupon: current.fields.coupon.value})});
	return (
		<Box flexDirection="column">
			<Text wrap="wrap">{t('renewal.couponIntro')}</Text>
			<InlineField label={t('renewal.couponLabel')} field={form.fields.coupon} focused={focused('coupon')} labelWidth={18} />
			<FormButtons focused={focused} confirmLabel={t('dialog.confirm')} confirm="next" />
			<StepMessage message={form.message} />
		</Box>
	);
}

export function SecurityStep(props: StepProps & {onSubmit: (values: SecurityValues) => Promise<void>}) {
	const {t} = useUi();
	const {form, focused} = useStepForm(SECURITY_CONTROLS, {
		...props,
		submit: 'next',
		clearOnError: ['passphrase', 'passphraseAgain'],
		run: current => props.onSubmit({passphrase: current.fields.passphrase.value, passphraseAgain: current.fields.passphraseAgain.value, useCf: current.checks.useCf}),
	});
	return (
		<Box flexDirection="column">
			<Text wrap="wrap">{t('replacement.securityIntro')}</Text>
			<InlineField label={t('replacement.passphrase')} field={form.fields.passphrase} focused={focused('passphrase')} masked labelWidth={26} />
			<InlineField label={t('replacement.passphraseAgain')} field={form.fields.passphraseAgain} focused={focused('passphraseAgain')} masked labelWidth={26} />
			<Checkbox label={t('replacement.useCf')} checked={form.checks.useCf} focused={focused('useCf')} />
			<FormButtons focused={focused} confirmLabel={t('dialog.confirm')} confirm="next" />
			<StepMessage message={form.message} />
		</Box>
	);
}

/** "Attiva il certificato" / "Scegli nuovo PIN": the button says what the step does (seed 002's phase 3: "Conferma"). */
export function NewPinStep(props: StepProps & {confirmLabel: string; onSubmit: (values: NewPinValues) => Promise<void>}) {
	const {t} = useUi();
	const {form, focused} = useStepForm(PIN_CONTROLS, {
		...props,
		submit: 'activate',
		clearOnError: ['pin', 'pinAgain'],
		run: current => props.onSubmit({pin: current.fields.pin.value, pinAgain: current.fields.pinAgain.value}),
	});
	const shown = form.checks.show;
	return (
		<Box flexDirection="column">
			<Text wrap="wrap">{t('renewal.newPinIntro')}</Text>
			<InlineField label={t('renewal.newPin')} field={form.fields.pin} focused={focused('pin')} masked={!shown} labelWidth={26} />
			<InlineField label={t('renewal.newPinAgain')} field={form.fields.pinAgain} focused={focused('pinAgain')} masked={!shown} labelWidth={26} />
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
