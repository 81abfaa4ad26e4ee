import {useCallback, useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import type {ChallengeView, DashboardView, RenewalWindow, Session} from '../../core/portal.js';
import {toDisplayText} from '../../core/text/sanitize.js';
import {Button, Checkbox, InlineField, MessageLine} from '../components/controls.js';
import {DiscardPrompt} from '../components/discard-prompt.js';
import type {Control} from '../components/form.js';
import {OtpStep} from '../components/otp-step.js';
import {StepDialog} from '../components/step-dialog.js';
import {useUi} from '../context.js';
import {useForm} from '../hooks/use-form.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {useSelection} from '../hooks/use-selection.js';
import {describeError, formatDate, type MessageKey} from '../i18n/index.js';
import {detailBindings, helpBinding, otpScreenBindings} from '../keymap.js';

const CONSENT_CONTROLS: readonly Control[] = [
	{kind: 'check', name: 'accept'},
	{kind: 'check', name: 'confirm'},
	{kind: 'text', name: 'pin', max: 8, digitsOnly: true, masked: true},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'next'},
];

const COUPON_CONTROLS: readonly Control[] = [
	{kind: 'text', name: 'coupon', max: 20},
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
	const [wizard, setWizard] = useState<'none' | 'standard' | 'coupon'>('none');
	const choices = useSelection(2, 1);
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
				setWizard(choices.current() === 0 ? 'coupon' : 'standard');
			}
		},
		active && wizard === 'none',
	);

	if (wizard !== 'none' && view?.certificate) {
		return (
			<RenewalWizard
				withCoupon={wizard === 'coupon'}
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
			<Text bold>{t('renewal.heading')}</Text>
			{view?.certificate ? <Text>{t('renewal.expiry', {date: formatDate(language, view.certificate.expiresAt)})}</Text> : null}
			<Box marginTop={1} flexDirection="column">
				<Text wrap="wrap">{t('renewal.info')}</Text>
				<Text>{t('renewal.credentials')}</Text>
			</Box>
			{open ? (
				<Box marginTop={1} gap={2}>
					<Button label={t('renewal.withCoupon')} focused={active && choices.selection === 0} />
					<Button label={t('renewal.button')} focused={active && choices.selection === 1} />
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

type WizardState = {step: 0} | {step: 1 | 3; renewalId: string; challenge: ChallengeView} | {step: 2; renewalId: string} | {step: 4; expiresAt: Date};

function RenewalWizard({withCoupon, active, session, holderName, expiresAt, onClose, onHelp, onTypingChange}: Omit<ScreenProps, 'onBack'> & {withCoupon: boolean; holderName: string; expiresAt: Date; onClose: (result?: string) => void}) {
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
	const cancel = (dirty: boolean) => (dirty || state.step > 0 || coupon !== undefined ? setAsking(true) : onClose());
	const steps = [...(withCoupon ? [t('renewal.stepCoupon')] : []), t('renewal.step1'), t('renewal.step2'), t('renewal.step3'), t('renewal.step4')];
	const current = needsCoupon ? 0 : state.step + (withCoupon ? 1 : 0);
	const restartWith = (text: string) => {
		setRestart(text);
		setState({step: 0});
	};

	useKeymap(
		[{action: 'home' as const, keys: ['enter', 'escape'], keyLabel: 'key.enter', description: 'keys.back', hint: true}],
		() => onClose(state.step === 4 ? t('renewal.done', {date: formatDate(language, state.expiresAt)}) : undefined),
		active && state.step === 4,
	);

	if (state.step === 4) {
		return (
			<Box flexDirection="column">
				<Text bold>{t('renewal.done', {date: formatDate(language, state.expiresAt)})}</Text>
				<Box marginTop={1}>
					<Button label={t('renewal.home')} focused={active} />
				</Box>
			</Box>
		);
	}
	return (
		<Box flexDirection="column">
			<StepDialog title={t('renewal.title')} steps={steps} current={current}>
				{needsCoupon ? (
					<CouponStep
						active={active && !asking}
						onCancel={cancel}
						onHelp={onHelp}
						onTypingChange={onTypingChange}
						onSubmit={async code => {
							await portal.checkCoupon(code);
							setCoupon(code);
						}}
					/>
				) : null}
				{!needsCoupon && state.step === 0 ? (
					<ConsentsStep
						active={active && !asking}
						declaration={t('renewal.declaration', {name: toDisplayText(holderName, 60), iut, date: formatDate(language, expiresAt)})}
						restartMessage={restart}
						onCancel={cancel}
						onHelp={onHelp}
						onTypingChange={onTypingChange}
						onSubmit={async input => {
							const begun = await portal.beginRenewal(session, {...input, ...(coupon === undefined ? {} : {coupon})});
							setRestart(undefined);
							setState({step: 1, renewalId: begun.renewalId, challenge: begun.challenge});
						}}
					/>
				) : null}
				{state.step === 1 || state.step === 3 ? (
					<OtpStep
						key={state.step}
						active={active && !asking}
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
						onCancel={cancel}
						onHelp={onHelp}
						onTypingChange={onTypingChange}
					/>
				) : null}
				{state.step === 2 ? (
					<NewPinStep
						active={active && !asking}
						onCancel={cancel}
						onHelp={onHelp}
						onTypingChange={onTypingChange}
						onSubmit={async (pin, pinAgain) => {
							const challenge = await portal.chooseRenewalPin(session, state.renewalId, pin, pinAgain);
							if (!challenge) throw new Error('renewal without activation step');
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

function ConsentsStep(props: StepProps & {declaration: string; restartMessage?: string; onSubmit: (input: {acceptConditions: boolean; confirmData: boolean; pin: string}) => Promise<void>}) {
	const {t} = useUi();
	const {form, focused} = useStepForm(CONSENT_CONTROLS, {
		...props,
		submit: 'next',
		clearOnError: ['pin'],
		run: current => props.onSubmit({acceptConditions: current.checks['accept'] ?? false, confirmData: current.checks['confirm'] ?? false, pin: current.fields['pin']!.value}),
	});
	return (
		<Box flexDirection="column">
			<Text wrap="wrap">{props.declaration}</Text>
			<Checkbox label={t('renewal.accept')} checked={form.checks['accept'] ?? false} focused={focused('accept')} />
			<Text wrap="wrap">{t('renewal.question')}</Text>
			<Checkbox label={t('renewal.confirm')} checked={form.checks['confirm'] ?? false} focused={focused('confirm')} />
			<InlineField label={t('renewal.pin')} field={form.fields['pin']!} focused={focused('pin')} masked labelWidth={16} />
			<Text wrap="wrap">! {t('renewal.pinWarning')}</Text>
			<Box gap={2}>
				<Button label={t('dialog.cancel')} focused={focused('cancel')} />
				<Button label={t('dialog.confirm')} focused={focused('next')} />
			</Box>
			<StepMessage message={form.message} fallback={props.restartMessage} />
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
			<Box gap={2}>
				<Button label={t('dialog.cancel')} focused={focused('cancel')} />
				<Button label={t('dialog.confirm')} focused={focused('next')} />
			</Box>
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
			<Box gap={2}>
				<Button label={t('dialog.cancel')} focused={focused('cancel')} />
				<Button label={t('renewal.activate')} focused={focused('activate')} />
			</Box>
			<StepMessage message={form.message} />
		</Box>
	);
}

function StepMessage({message, fallback}: {message: {kind: 'error' | 'info' | 'success'; key: MessageKey; params?: Record<string, string | number>; text?: string} | undefined; fallback?: string}) {
	const {t} = useUi();
	if (message) return <MessageLine kind={message.kind} text={message.text ?? t(message.key, message.params)} />;
	return fallback ? <MessageLine kind="error" text={fallback} /> : null;
}
