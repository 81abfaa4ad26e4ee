import {useCallback, useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import type {ChallengeView, DashboardView, RenewalWindow, Session} from '../../core/portal.js';
import {toDisplayText} from '../../core/text/sanitize.js';
import {Button, Checkbox, FormButtons, Hint, InlineField, MessageLine} from '../components/controls.js';
import {DiscardPrompt} from '../components/discard-prompt.js';
import type {Control, MessageKind} from '../components/form.js';
import {OtpStep} from '../components/otp-step.js';
import {StepDialog} from '../components/step-dialog.js';
import {useUi} from '../context.js';
import {useForm} from '../hooks/use-form.js';
import {usePinAttempts} from '../hooks/use-pin-attempts.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {useSelection} from '../hooks/use-selection.js';
import {describeError, formatDate, type MessageKey} from '../i18n/index.js';
import {detailBindings, helpBinding, otpScreenBindings} from '../keymap.js';
import {GuideNote, type GuideStep} from '../components/guide-note.js';

const CONSENT_CONTROLS: readonly Control[] = [
	{kind: 'check', name: 'accept'},
	{kind: 'check', name: 'confirm'},
	{kind: 'text', name: 'pin', max: 8, digitsOnly: true, masked: true},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'next'},
];

/** The replacement asks no "data unchanged" confirmation: the new certificate is issued on the current data. */
const REPLACEMENT_CONSENT_CONTROLS: readonly Control[] = CONSENT_CONTROLS.filter(control => control.name !== 'confirm');

const RAO_CONTROLS: readonly Control[] = [
	{kind: 'text', name: 'operator', max: 16, enterMovesOn: true, secret: false},
	{kind: 'text', name: 'password', max: 1024, masked: true},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'next'},
];

const COUPON_CONTROLS: readonly Control[] = [
	{kind: 'text', name: 'coupon', max: 20},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'next'},
];

const SECURITY_CONTROLS: readonly Control[] = [
	{kind: 'text', name: 'passphrase', max: 128, masked: true, enterMovesOn: true},
	{kind: 'text', name: 'passphraseAgain', max: 128, masked: true},
	{kind: 'check', name: 'useCf'},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'next'},
];

const PIN_CONTROLS: readonly Control[] = [
	{kind: 'text', name: 'pin', max: 8, digitsOnly: true, masked: true, enterMovesOn: true},
	{kind: 'text', name: 'pinAgain', max: 8, digitsOnly: true, masked: true},
	{kind: 'check', name: 'show'},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'activate'},
];

interface ScreenProps {
	active: boolean;
	session: Session;
	onBack: () => void;
	onHelp: () => void;
	onTypingChange: (typing: boolean) => void;
}

/** "Rinnova firma digitale" (seed 003 §7): the expiry, what renewal means, and the wizard of seeds 000/001. */
export function RenewalScreen({active, session, onBack, onHelp, onTypingChange}: ScreenProps) {
	const {t, portal, language} = useUi();
	const [view, setView] = useState<DashboardView | undefined>();
	const [window, setWindow] = useState<RenewalWindow | undefined>();
	const [wizard, setWizard] = useState<'none' | 'standard' | 'coupon' | 'rao'>('none');
	// The seed's order: "Rinnova con Coupon", "Rinnova con credenziali RAO", "Rinnova firma" (the default).
	const choices = useSelection(3, 2);
	const [message, setMessage] = useState<{kind: 'error' | 'success'; text: string} | undefined>();
	const reload = useCallback(() => {
		Promise.all([portal.dashboard(session), portal.renewalWindow(session)]).then(
			([dashboard, renewal]) => {
				setView(dashboard);
				setWindow(renewal);
			},
			(error: unknown) => setMessage({kind: 'error', text: describeError(t, error)}),
		);
	}, [portal, session, t]);
	useEffect(reload, [reload]);

	const open = window?.open === true;
	useKeymap(
		[...(open ? otpScreenBindings : detailBindings), helpBinding],
		action => {
			if (action === 'back') onBack();
			else if (action === 'help') onHelp();
			else if (action === 'up') choices.previous();
			else if (action === 'down') choices.next();
			else if (action === 'open' && open) {
				setMessage(undefined);
				setWizard((['coupon', 'rao', 'standard'] as const)[choices.current()]!);
			}
		},
		active && wizard === 'none',
	);

	if (wizard !== 'none' && view?.certificate) {
		return (
			<RenewalWizard
				withCoupon={wizard === 'coupon'}
				withRao={wizard === 'rao'}
				active={active}
				session={session}
				holderName={`${view.name} ${view.surname}`}
				expiresAt={view.certificate.expiresAt}
				onHelp={onHelp}
				onTypingChange={onTypingChange}
				onClose={result => {
					setWizard('none');
					if (result) setMessage({kind: 'success', text: result});
					reload();
				}}
			/>
		);
	}
	const closedReason = window && !window.open ? windowText(t, window, language) : undefined;
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
				<Box marginTop={1} flexDirection="column">
					<Button label={t('renewal.withCoupon')} focused={active && choices.selection === 0} />
					<Button label={t('renewal.withRao')} focused={active && choices.selection === 1} />
					<Button label={t('renewal.button')} focused={active && choices.selection === 2} />
				</Box>
			) : null}
			{closedReason ? <MessageLine kind="error" text={closedReason} /> : null}
			{message ? <MessageLine kind={message.kind} text={message.text} /> : null}
		</Box>
	);
}

function windowText(t: ReturnType<typeof useUi>['t'], window: Exclude<RenewalWindow, {open: true}>, language: 'it' | 'en'): string {
	if (window.reason === 'notYet') return t('errors.renewal.notYet', {date: formatDate(language, window.opensOn)});
	return t(window.reason === 'tooLate' ? 'errors.renewal.tooLate' : 'errors.renewal.notActive');
}

type WizardState =
	| {step: 0}
	| {step: 1 | 3; renewalId: string; challenge: ChallengeView}
	| {step: 2 | 'security'; renewalId: string}
	| {step: 4; expiresAt: Date};

export function RenewalWizard({
	kind = 'renewal',
	withCoupon,
	withRao = false,
	active,
	session,
	holderName,
	expiresAt,
	onClose,
	onHelp,
	onTypingChange,
}: Omit<ScreenProps, 'onBack'> & {kind?: 'renewal' | 'replacement'; withCoupon: boolean; withRao?: boolean; holderName: string; expiresAt: Date; onClose: (result?: string) => void}) {
	const {t, portal, language} = useUi();
	const [state, setState] = useState<WizardState>({step: 0});
	const [asking, setAsking] = useState(false);
	const [restart, setRestart] = useState<string | undefined>();
	const [iut, setIut] = useState('');
	useEffect(() => {
		void portal.currentIut(session).then(setIut);
	}, [portal, session]);

	const [coupon, setCoupon] = useState<string | undefined>();
	const needsCoupon = withCoupon && coupon === undefined;
	// RAO: the operator's credentials, then the OTP on the operator's phone, before the consents.
	const [rao, setRao] = useState<{operatorId: string; challenge: ChallengeView} | {approvalId: string} | undefined>();
	const raoStage = !withRao ? undefined : rao === undefined ? 'credentials' : 'challenge' in rao ? 'otp' : undefined;
	const prefix = (withCoupon ? 1 : 0) + (withRao ? 2 : 0);
	const cancel = (dirty: boolean) => (dirty || state.step !== 0 || coupon !== undefined || rao !== undefined ? setAsking(true) : onClose());
	const replacement = kind === 'replacement';
	const steps = replacement
		? [t('replacement.step1'), t('replacement.step2'), t('replacement.step3'), t('replacement.step4'), t('replacement.step5')]
		: [
				...(withCoupon ? [t('renewal.stepCoupon')] : []),
				...(withRao ? [t('renewal.stepRao'), t('renewal.stepRaoOtp')] : []),
				t('renewal.step1'),
				t('renewal.step2'),
				t('renewal.step3'),
				t('renewal.step4'),
			];
	// What the guides say at each of those steps (`--guide`).
	const guides: readonly GuideStep[] = replacement
		? ['replacement.consents', 'replacement.otp', 'replacement.pin', 'replacement.security', 'replacement.otpFinal']
		: [
				...(withCoupon ? (['renewal.coupon'] as const) : []),
				...(withRao ? (['renewal.rao', 'renewal.raoOtp'] as const) : []),
				'renewal.consents',
				'renewal.otp',
				'renewal.newPin',
				'renewal.activateOtp',
			];
	// The replacement has the security information between the new PIN and the last OTP.
	const index = state.step === 'security' ? 3 : replacement && (state.step === 3 || state.step === 4) ? state.step + 1 : state.step;
	const current = needsCoupon ? 0 : raoStage === 'credentials' ? 0 : raoStage === 'otp' ? 1 : index + prefix;
	// What every step of the dialog gets: keys while no discard prompt is open, Esc, help, typing.
	const stepProps = {active: active && !asking, onCancel: cancel, onHelp, onTypingChange};
	const doneText = (date: Date) => (replacement ? t('replacement.done') : t('renewal.done', {date: formatDate(language, date)}));
	const restartWith = (text: string) => {
		setRestart(text);
		setState({step: 0});
	};

	useKeymap(
		[{action: 'home' as const, keys: ['enter', 'escape'], keyLabel: 'key.enter', description: 'keys.back', hint: true}],
		() => onClose(state.step === 4 ? doneText(state.expiresAt) : undefined),
		active && state.step === 4,
	);

	if (state.step === 4) {
		if (replacement) return <AutoReturn seconds={8} onReturn={() => onClose(doneText(state.expiresAt))} />;
		return (
			<Box flexDirection="column">
				<GuideNote step="renewal.done" />
				<MessageLine kind="success" text={doneText(state.expiresAt)} />
				<Box marginTop={1}>
					<Button label={t('renewal.home')} focused={active} />
				</Box>
			</Box>
		);
	}
	return (
		<Box flexDirection="column">
			<StepDialog title={replacement ? t('replacement.title') : t('renewal.title')} steps={steps} guides={guides} current={current}>
				{needsCoupon ? (
					<CouponStep
						{...stepProps}
						onSubmit={async code => {
							await portal.checkCoupon(session, code);
							setCoupon(code);
						}}
					/>
				) : null}
				{raoStage === 'credentials' ? (
					<RaoStep
						{...stepProps}
						onSubmit={async input => {
							const challenge = await portal.raoAuthorize(session, input);
							setRao({operatorId: input.operatorId, challenge});
						}}
					/>
				) : null}
				{raoStage === 'otp' && rao && 'challenge' in rao ? (
					<OtpStep
						{...stepProps}
						challenge={rao.challenge}
						confirmLabel={t('dialog.confirm')}
						onConfirm={async code => setRao({approvalId: await portal.raoConfirm(session, {operatorId: rao.operatorId, challengeId: rao.challenge.id, code})})}
						onResend={() => portal.resendOtp(session, rao.challenge.id)}
						onRestart={message => {
							setRao(undefined);
							setRestart(message);
						}}
					/>
				) : null}
				{!needsCoupon && raoStage === undefined && state.step === 0 ? (
					<ConsentsStep
						holder={session}
						active={active && !asking}
						declaration={
							replacement
								? t('replacement.declaration', {name: toDisplayText(holderName, 60)})
								: t('renewal.declaration', {name: toDisplayText(holderName, 60), iut, date: formatDate(language, expiresAt)})
						}
						askDataConfirmation={!replacement}
						restartMessage={restart}
						onCancel={cancel}
						onHelp={onHelp}
						onTypingChange={onTypingChange}
						onSubmit={async input => {
							const begun = replacement
								? await portal.beginReplacement(session, {acceptConditions: input.acceptConditions, pin: input.pin})
								: await portal.beginRenewal(session, {
										...input,
										...(coupon === undefined ? {} : {coupon}),
										...(rao && 'approvalId' in rao ? {raoApprovalId: rao.approvalId} : {}),
									});
							setRestart(undefined);
							setState({step: 1, renewalId: begun.renewalId, challenge: begun.challenge});
						}}
					/>
				) : null}
				{state.step === 1 || state.step === 3 ? (
					<OtpStep
						key={state.step}
						{...stepProps}
						challenge={state.challenge}
						confirmLabel={t('dialog.confirm')}
						onConfirm={async code => {
							if (state.step === 1) {
								await portal.confirmRenewalConsents(session, state.renewalId, code);
								setState({step: 2, renewalId: state.renewalId});
							} else {
								const done = await portal.activateRenewal(session, state.renewalId, code);
								setState({step: 4, expiresAt: done.expiresAt});
							}
						}}
						onResend={() => portal.resendOtp(session, state.challenge.id)}
						onPoll={() => portal.challengeState(session, state.challenge.id)}
						onRestart={restartWith}
					/>
				) : null}
				{state.step === 2 ? (
					<NewPinStep
						{...stepProps}
						onSubmit={async (pin, pinAgain) => {
							const challenge = await portal.chooseRenewalPin(session, state.renewalId, pin, pinAgain);
							setState(challenge ? {step: 3, renewalId: state.renewalId, challenge} : {step: 'security', renewalId: state.renewalId});
						}}
					/>
				) : null}
				{state.step === 'security' ? (
					<SecurityStep
						{...stepProps}
						onSubmit={async input => {
							const challenge = await portal.replacementSecurityInfo(session, state.renewalId, input);
							setState({step: 3, renewalId: state.renewalId, challenge});
						}}
					/>
				) : null}
			</StepDialog>
			{asking ? <DiscardPrompt onAnswer={discard => (discard ? onClose() : setAsking(false))} /> : null}
		</Box>
	);
}

interface StepProps {
	active: boolean;
	onCancel: (dirty: boolean) => void;
	onHelp: () => void;
	onTypingChange: (typing: boolean) => void;
}

/** Runs a step's submit; a refusal stays on this step with its message (seed 004: retry the step). */
function useStepForm(controls: readonly Control[], props: StepProps & {submit: string; run: (form: Parameters<Parameters<typeof useForm>[1]['onRequest']>[1]) => Promise<void>; clearOnError: readonly string[]}) {
	const {t} = useUi();
	const [form, dispatch] = useForm(controls, {
		submit: props.submit,
		active: props.active,
		onTypingChange: props.onTypingChange,
		onRequest: (action, current) => {
			if (action === 'help') return props.onHelp();
			if (action === 'cancel') return props.onCancel(current.dirty);
			if (action !== props.submit) return;
			dispatch({type: 'busy'});
			props.run(current).then(
				() => dispatch({type: 'done'}),
				(error: unknown) => dispatch({type: 'done', clear: props.clearOnError, message: {kind: 'error', key: 'errors.unexpected', text: describeError(t, error)}}),
			);
		},
	});
	const focused = (name: string) => props.active && controls[form.focus]?.name === name;
	return {form, focused};
}

function ConsentsStep(props: StepProps & {holder: Session; declaration: string; askDataConfirmation: boolean; restartMessage?: string; onSubmit: (input: {acceptConditions: boolean; confirmData: boolean; pin: string}) => Promise<void>}) {
	const {t} = useUi();
	const {form, focused} = useStepForm(props.askDataConfirmation ? CONSENT_CONTROLS : REPLACEMENT_CONSENT_CONTROLS, {
		...props,
		submit: 'next',
		clearOnError: ['pin'],
		run: current =>
			props.onSubmit({acceptConditions: current.checks['accept'] ?? false, confirmData: props.askDataConfirmation ? (current.checks['confirm'] ?? false) : true, pin: current.fields['pin']!.value}).finally(refreshAttempts),
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
			<InlineField label={t('renewal.pin')} field={form.fields['pin']!} focused={focused('pin')} masked labelWidth={16} />
			{attemptsLeft === undefined ? null : <Hint>{t('pinInput.attempts', {count: attemptsLeft})}</Hint>}
			<Text wrap="wrap">! {t('renewal.pinWarning')}</Text>
			<FormButtons focused={focused} confirmLabel={t('dialog.confirm')} confirm="next" />
			<StepMessage message={form.message} fallback={props.restartMessage} />
		</Box>
	);
}

function RaoStep(props: StepProps & {onSubmit: (input: {operatorId: string; password: string}) => Promise<void>}) {
	const {t} = useUi();
	const {form, focused} = useStepForm(RAO_CONTROLS, {
		...props,
		submit: 'next',
		clearOnError: ['password'],
		run: current => props.onSubmit({operatorId: current.fields['operator']!.value, password: current.fields['password']!.value}),
	});
	return (
		<Box flexDirection="column">
			<Text wrap="wrap">{t('renewal.raoIntro')}</Text>
			<InlineField label={t('renewal.raoUser')} field={form.fields['operator']!} focused={focused('operator')} labelWidth={22} />
			<InlineField label={t('renewal.raoPassword')} field={form.fields['password']!} focused={focused('password')} masked labelWidth={22} />
			<FormButtons focused={focused} confirmLabel={t('dialog.confirm')} confirm="next" />
			<StepMessage message={form.message} />
		</Box>
	);
}

function CouponStep(props: StepProps & {onSubmit: (code: string) => Promise<void>}) {
	const {t} = useUi();
	const {form, focused} = useStepForm(COUPON_CONTROLS, {...props, submit: 'next', clearOnError: [], run: current => props.onSubmit(current.fields['coupon']!.value)});
	return (
		<Box flexDirection="column">
			<Text wrap="wrap">{t('renewal.couponIntro')}</Text>
			<InlineField label={t('renewal.couponLabel')} field={form.fields['coupon']!} focused={focused('coupon')} labelWidth={18} />
			<FormButtons focused={focused} confirmLabel={t('dialog.confirm')} confirm="next" />
			<StepMessage message={form.message} />
		</Box>
	);
}

function SecurityStep(props: StepProps & {onSubmit: (input: {passphrase: string; passphraseAgain: string; useCodiceFiscale: boolean}) => Promise<void>}) {
	const {t} = useUi();
	const {form, focused} = useStepForm(SECURITY_CONTROLS, {
		...props,
		submit: 'next',
		clearOnError: ['passphrase', 'passphraseAgain'],
		run: current => props.onSubmit({passphrase: current.fields['passphrase']!.value, passphraseAgain: current.fields['passphraseAgain']!.value, useCodiceFiscale: current.checks['useCf'] ?? false}),
	});
	return (
		<Box flexDirection="column">
			<Text wrap="wrap">{t('replacement.securityIntro')}</Text>
			<InlineField label={t('replacement.passphrase')} field={form.fields['passphrase']!} focused={focused('passphrase')} masked labelWidth={26} />
			<InlineField label={t('replacement.passphraseAgain')} field={form.fields['passphraseAgain']!} focused={focused('passphraseAgain')} masked labelWidth={26} />
			<Checkbox label={t('replacement.useCf')} checked={form.checks['useCf'] ?? false} focused={focused('useCf')} />
			<FormButtons focused={focused} confirmLabel={t('dialog.confirm')} confirm="next" />
			<StepMessage message={form.message} />
		</Box>
	);
}

function NewPinStep(props: StepProps & {onSubmit: (pin: string, pinAgain: string) => Promise<void>}) {
	const {t} = useUi();
	const {form, focused} = useStepForm(PIN_CONTROLS, {
		...props,
		submit: 'activate',
		clearOnError: ['pin', 'pinAgain'],
		run: current => props.onSubmit(current.fields['pin']!.value, current.fields['pinAgain']!.value),
	});
	const shown = form.checks['show'] ?? false;
	return (
		<Box flexDirection="column">
			<Text wrap="wrap">{t('renewal.newPinIntro')}</Text>
			<InlineField label={t('renewal.newPin')} field={form.fields['pin']!} focused={focused('pin')} masked={!shown} labelWidth={26} />
			<InlineField label={t('renewal.newPinAgain')} field={form.fields['pinAgain']!} focused={focused('pinAgain')} masked={!shown} labelWidth={26} />
			<Checkbox label={t('renewal.showPin')} checked={shown} focused={focused('show')} />
			<FormButtons focused={focused} confirmLabel={t('renewal.activate')} confirm="activate" />
			<StepMessage message={form.message} />
		</Box>
	);
}

function StepMessage({message, fallback}: {message: {kind: MessageKind; key: MessageKey; params?: Record<string, string | number>; text?: string} | undefined; fallback?: string}) {
	const {t} = useUi();
	if (message) return <MessageLine kind={message.kind} text={message.text ?? t(message.key, message.params)} />;
	return fallback ? <MessageLine kind="error" text={fallback} /> : null;
}

/** Seed 002: the dashboard returns after a few seconds (or at once with Enter). */
function AutoReturn({seconds, onReturn}: {seconds: number; onReturn: () => void}) {
	const {t} = useUi();
	useEffect(() => {
		const timer = setTimeout(onReturn, seconds * 1000);
		return () => clearTimeout(timer);
	}, [seconds, onReturn]);
	return (
		<Box flexDirection="column">
			<GuideNote step="replacement.done" />
			<MessageLine kind="success" text={t('replacement.done')} />
			<Box marginTop={1}>
				<Button label={t('renewal.home')} focused />
			</Box>
		</Box>
	);
}
