import {useEffect, useState} from 'react';
import {Text} from 'ink';
import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it, vi} from 'vitest';
import type {ChallengeView, Portal, Session} from '../../source/core/portal.js';
import {PinInput} from '../../source/ui/components/pin-input.js';
import {OtpInput} from '../../source/ui/components/otp-input.js';
import {OtpStep} from '../../source/ui/components/otp-step.js';
import {MessageLine} from '../../source/ui/components/controls.js';
import {StepDialog} from '../../source/ui/components/step-dialog.js';
import {UiContext} from '../../source/ui/context.js';
import {DEFAULT_DISPLAY, type Display} from '../../source/ui/display.js';
import {KeyRouter} from '../../source/ui/hooks/key-router.js';
import {useForm} from '../../source/ui/hooks/use-form.js';
import {translator} from '../../source/ui/i18n/index.js';
import {KEYS, press, screen, type, waitForScreen} from '../helpers/ink.js';
import {demoPortal, logIn} from '../helpers/portal.js';
import {challengesOf} from '../helpers/internals.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function withUi(portal: Portal, node: React.ReactNode, display: Display = DEFAULT_DISPLAY) {
	return (
		<UiContext.Provider value={{portal, language: 'it', color: false, display, t: translator('it')}}>
			<KeyRouter>{node}</KeyRouter>
		</UiContext.Provider>
	);
}

describe('StepDialog', () => {
	it('shows done, current and future steps with symbols and words, and the current content only', async () => {
		const {portal, remove} = await demoPortal();
		cleanup = remove;
		const rendered = render(
			withUi(
				portal,
				<StepDialog title="Rinnova firma" steps={['Consensi', 'Conferma l’operazione', 'Attiva il certificato', 'Conferma l’operazione ']} current={1}>
					<Text>CONTENUTO</Text>
				</StepDialog>,
			),
		);
		const text = screen(rendered);
		expect(text).toContain('✓ 1 Consensi (completato)');
		expect(text).toContain('▼ 2 Conferma l’operazione (in corso)');
		expect(text).toContain('▶ 3 Attiva il certificato (da fare)');
		expect(text.indexOf('CONTENUTO')).toBeGreaterThan(text.indexOf('▼ 2'));
		expect(text.indexOf('CONTENUTO')).toBeLessThan(text.indexOf('▶ 3'));
		rendered.unmount();
	});
});

function PinForm() {
	const [form] = useForm([{kind: 'text', name: 'pin', max: 8, digitsOnly: true}, {kind: 'check', name: 'show'}], {submit: 'none', active: true, onRequest: () => undefined});
	return (
		<>
			<PinInput label="PIN di firma" field={form.fields['pin']!} focused={form.focus === 0} shown={form.checks['show'] ?? false} attemptsLeft={3} />
			<Text>{form.message ? translator('it')(form.message.key, form.message.params) : ''}</Text>
			<Text>[{form.checks['show'] ? 'x' : ' '}] Mostra PIN</Text>
		</>
	);
}

describe('PinInput in a form', () => {
	it('takes digits only, at most 8, masked until shown, with the attempts left', async () => {
		const {portal, remove} = await demoPortal();
		cleanup = remove;
		const rendered = render(withUi(portal, <PinForm />));
		await type(rendered, '2718');
		await press(rendered, 'a');
		await waitForScreen(rendered, 'Solo cifre');
		await type(rendered, '28189');
		await waitForScreen(rendered, 'al massimo 8');
		expect(screen(rendered)).toContain('••••••••');
		expect(screen(rendered)).toContain('Tentativi rimasti: 3');
		expect(screen(rendered)).not.toContain('27182818');
		await press(rendered, KEYS.tab);
		await press(rendered, KEYS.space);
		await waitForScreen(rendered, '27182818');
		rendered.unmount();
	});
});

/** An OTP step on a push challenge that shows FATTO once confirmed; `renderEveryMs`: a countdown or spinner around it, re-rendering with new callbacks each time. */
function PushHost({portal, session, challenge, renderEveryMs}: {portal: Portal; session: Session; challenge: ChallengeView; renderEveryMs?: number}) {
	const [done, setDone] = useState(false);
	const [, setTick] = useState(0);
	useEffect(() => {
		if (!renderEveryMs) return;
		const timer = setInterval(() => setTick(value => value + 1), renderEveryMs);
		return () => clearInterval(timer);
	}, [renderEveryMs]);
	if (done) return <Text>FATTO</Text>;
	return (
		<OtpStep
			active
			challenge={challenge}
			confirmLabel="Conferma"
			onConfirm={async code => {
				await challengesOf(portal).confirm({challengeId: challenge.id, userId: 'JCPD2841', operation: 'op', data: {}, code});
				setDone(true);
			}}
			onResend={() => portal.otp.resend(session, challenge.id)}
			onPoll={() => portal.otp.challengeState(session, challenge.id)}
			onRestart={() => undefined}
			onCancel={() => undefined}
		/>
	);
}

describe('OtpStep', () => {
	it('with push, confirms when the phone approves; with SMS, a wrong code says how many attempts are left', async () => {
		const {portal, remove} = await demoPortal();
		cleanup = remove;
		const session = await logIn(portal, 'JCPD2841', 'Tramonto!73');
		await portal.otp.setPush(session, true);
		const challenge = await challengesOf(portal).start({userId: 'JCPD2841', operation: 'op', data: {}});
		const rendered = render(withUi(portal, <PushHost portal={portal} session={session} challenge={challenge} />));
		await waitForScreen(rendered, 'approva la richiesta sull’app MyInfoCert');
		await portal.phone.answerPush('JCPD2841', challenge.id, true);
		await waitForScreen(rendered, 'FATTO');
		rendered.unmount();

		const sms = await challengesOf(portal).start({userId: 'JCPD2841', operation: 'op2', data: {}, channel: 'sms'});
		const second = render(
			withUi(
				portal,
				<OtpStep
					active
					challenge={sms}
					confirmLabel="Conferma"
					onConfirm={code => challengesOf(portal).confirm({challengeId: sms.id, userId: 'JCPD2841', operation: 'op2', data: {}, code})}
					onResend={() => portal.otp.resend(session, sms.id)}
					onRestart={() => undefined}
					onCancel={() => undefined}
				/>,
			),
		);
		await waitForScreen(second, 'Ti abbiamo inviato un codice via SMS al numero +39348*****43');
		await waitForScreen(second, /Valido ancora \d+ s/);
		second.stdin.write('12345678');
		await press(second, KEYS.enter);
		await waitForScreen(second, 'Codice OTP errato. Tentativi rimasti: 4.');
		await press(second, KEYS.tab);
		await press(second, KEYS.enter);
		await waitForScreen(second, 'Nuovo codice inviato.');
		expect((await portal.phone.messages('JCPD2841')).length).toBe(2);
		second.unmount();
	});

	it('with push, still hears the phone when the screen around it re-renders more often than it polls', async () => {
		const {portal, remove} = await demoPortal();
		cleanup = remove;
		const session = await logIn(portal, 'JCPD2841', 'Tramonto!73');
		await portal.otp.setPush(session, true);
		const challenge = await challengesOf(portal).start({userId: 'JCPD2841', operation: 'op', data: {}});
		const rendered = render(withUi(portal, <PushHost portal={portal} session={session} challenge={challenge} renderEveryMs={200} />));
		await waitForScreen(rendered, 'approva la richiesta sull’app MyInfoCert');
		await portal.phone.answerPush('JCPD2841', challenge.id, true);
		await waitForScreen(rendered, 'FATTO');
		rendered.unmount();
	});

	it('"Invia nuovo OTP" past the per-holder limit shows the time of the next message; an app code already used says so and stays on the step', async () => {
		const {portal, remove, clock} = await demoPortal();
		cleanup = remove;
		const session = await logIn(portal, 'JCPD2841', 'Tramonto!73');
		// Three codes already went to GIULIA by SMS (other operations), then this one: 4 of 5.
		for (let index = 0; index < 3; index++) await challengesOf(portal).start({userId: 'JCPD2841', operation: 'other', data: {index}, channel: 'sms'});
		const sms = await challengesOf(portal).start({userId: 'JCPD2841', operation: 'op', data: {}, channel: 'sms'});
		const restarts: string[] = [];
		const first = render(
			withUi(
				portal,
				<OtpStep
					active
					challenge={sms}
					confirmLabel="Conferma"
					onConfirm={code => challengesOf(portal).confirm({challengeId: sms.id, userId: 'JCPD2841', operation: 'op', data: {}, code})}
					onResend={() => portal.otp.resend(session, sms.id)}
					onRestart={message => restarts.push(message)}
					onCancel={() => undefined}
				/>,
			),
		);
		await waitForScreen(first, /Valido ancora \d+ s/);
		await press(first, KEYS.tab);
		await press(first, KEYS.enter);
		await waitForScreen(first, 'Nuovo codice inviato.');
		// The focus is back on the code: Tab to "Invia nuovo OTP" again.
		await press(first, KEYS.tab);
		await press(first, KEYS.enter);
		// The demo clock says 10:00 in Italy: the first of the five leaves the window at 10:15.
		await waitForScreen(first, /Hai già ricevuto 5 codici OTP negli ultimi 15 minuti: potrai richiederne un\s+altro\s+dalle\s+10:15\s+del\s+24\/11\/2026\s+\(ora italiana\)\./);
		expect(await portal.phone.messages('JCPD2841')).toHaveLength(5);
		first.unmount();

		// GIULIA's app: the code of a step already used.
		const {totpCode} = await import('../../source/core/otp/totp.js');
		const code = await totpCode('NTGEWVND7IZWBFTI4JCV3VCRUO7RRQHO', clock.now());
		const used = await challengesOf(portal).start({userId: 'JCPD2841', operation: 'used', data: {}, channel: 'app'});
		await challengesOf(portal).confirm({challengeId: used.id, userId: 'JCPD2841', operation: 'used', data: {}, code});
		const app = await challengesOf(portal).start({userId: 'JCPD2841', operation: 'op3', data: {}, channel: 'app'});
		const second = render(
			withUi(
				portal,
				<OtpStep
					active
					challenge={app}
					confirmLabel="Conferma"
					onConfirm={typed => challengesOf(portal).confirm({challengeId: app.id, userId: 'JCPD2841', operation: 'op3', data: {}, code: typed})}
					onResend={() => portal.otp.resend(session, app.id)}
					onRestart={message => restarts.push(message)}
					onCancel={() => undefined}
				/>,
			),
		);
		await waitForScreen(second, 'Inserisci il codice generato dall’app MyInfoCert');
		second.stdin.write(code);
		await press(second, KEYS.enter);
		await waitForScreen(second, 'Codice già usato: attendi il prossimo codice.');
		expect(restarts).toEqual([]);
		expect((await challengesOf(portal).get(app.id, 'JCPD2841')).attemptsLeft).toBe(5);
		second.unmount();
	});
});

describe('motion', () => {
	it('--no-motion: the OTP validity is a time that stays put, and "Attendere…" has no spinner', async () => {
		const {portal, remove} = await demoPortal();
		cleanup = remove;
		const challenge = await challengesOf(portal).start({userId: 'JCPD7173', operation: 'op', data: {}, channel: 'sms'});
		const frames = (display: Display) => {
			const rendered = render(
				withUi(
					portal,
					<>
						<OtpInput challenge={challenge} field={{value: '', cursor: 0}} focused resendFocused={false} />
						<MessageLine kind="busy" text="Attendere…" />
					</>,
					display,
				),
			);
			return rendered;
		};
		const still = frames({...DEFAULT_DISPLAY, motion: false});
		const time = new Intl.DateTimeFormat('it-IT', {timeZone: 'Europe/Rome', hour: '2-digit', minute: '2-digit', second: '2-digit'}).format(challenge.expiresAt!);
		await waitForScreen(still, `Valido fino alle ${time}`);
		expect(screen(still)).toContain('i Attendere…');
		const first = still.frames.length;
		await new Promise(resolve => setTimeout(resolve, 1200));
		expect(still.frames.length).toBe(first);
		still.unmount();

		const moving = frames(DEFAULT_DISPLAY);
		await waitForScreen(moving, /Valido ancora \d+ s/);
		await waitForScreen(moving, /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Attendere…/);
		const before = moving.frames.length;
		await vi.waitFor(() => expect(moving.frames.length).toBeGreaterThan(before + 3));
		moving.unmount();
	});
});
