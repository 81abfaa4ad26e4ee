import {useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import type {AppLoginOffer, Session} from '../../core/index.js';
import {MessageLine} from '../components/controls.js';
import {QrCode} from '../components/qr-code.js';
import {useUi} from '../context.js';
import {useHelp} from '../screen-context.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {describeError, type MessageKey} from '../i18n/index.js';
import {detailBindings, helpBinding} from '../keymap.js';
import {GuideNote} from '../components/guide-note.js';

const POLL_MS = 500;

/**
 * "Hai l'App MyInfoCert?": a QR code and a short code that change every few seconds; the
 * holder approves on the phone (`mysign phone`) and this terminal logs in.
 */
export function AppLoginPanel({active, onLoggedIn, onBack}: {active: boolean; onLoggedIn: (session: Session) => void; onBack: () => void}) {
	const {t, portal} = useUi();
	const help = useHelp();
	const [offer, setOffer] = useState<AppLoginOffer | undefined>();
	const [message, setMessage] = useState<{kind: 'error' | 'info'; key?: MessageKey; text?: string} | undefined>();
	const [now, setNow] = useState(() => portal.now());

	useKeymap([...detailBindings, helpBinding], action => (action === 'back' ? onBack() : help()), active);

	useEffect(() => {
		let current = true;
		let offerNow: AppLoginOffer | undefined;
		const renew = async () => {
			offerNow = await portal.sessions.offerAppLogin();
			if (current) setOffer(offerNow);
		};
		// One tick at a time: a slow store must not pile up offers (each a locked write) or polls.
		let busy = false;
		const tick = async () => {
			if (!current) return;
			setNow(portal.now());
			if (busy) return;
			busy = true;
			try {
				if (!offerNow || portal.now().getTime() >= offerNow.expiresAt.getTime()) return await renew();
				const polled = offerNow;
				const answer = await portal.sessions.pollAppLogin(polled.id);
				// An answer about a code no longer shown changes nothing.
				if (!current || offerNow !== polled) return;
				if (answer.state === 'approved') onLoggedIn(answer.session);
				else if (answer.state === 'denied') {
					// The denied code is spent: it must not stay on screen (as if valid) while a new one is fetched.
					offerNow = undefined;
					setOffer(undefined);
					setMessage({kind: 'error', key: 'appLogin.denied'});
					await renew();
				}
			} catch (error) {
				if (current) setMessage({kind: 'error', text: describeError(t, error)});
			} finally {
				busy = false;
			}
		};
		busy = true;
		void renew()
			.catch((error: unknown) => current && setMessage({kind: 'error', text: describeError(t, error)}))
			.finally(() => (busy = false));
		const timer = setInterval(() => void tick(), POLL_MS);
		return () => {
			current = false;
			clearInterval(timer);
		};
	}, [portal, onLoggedIn, t]);

	const seconds = offer ? Math.max(0, Math.ceil((offer.expiresAt.getTime() - now.getTime()) / 1000)) : 0;
	return (
		<Box flexDirection="column">
			<GuideNote step="login.app" />
			<Text bold>{t('appLogin.heading')}</Text>
			<Box gap={2}>
				{offer ? <QrCode text={offer.uri} label={t('appLogin.qrLabel')} /> : <Text>{t('app.loading')}</Text>}
				<Box flexDirection="column" flexShrink={1}>
					<Text wrap="wrap">{t('appLogin.instructions')}</Text>
					<Box marginTop={1}>
						<Text>
							{t('appLogin.code')} <Text bold>{offer ? `${offer.code.slice(0, 3)} ${offer.code.slice(3)}` : '…'}</Text>
						</Text>
					</Box>
					<Text>{t('appLogin.validity', {seconds})}</Text>
					{message ? <MessageLine kind={message.kind} text={message.text ?? t(message.key!)} /> : null}
				</Box>
			</Box>
		</Box>
	);
}
