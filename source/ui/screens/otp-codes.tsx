import {useCallback, useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import type {OtpOverview, Session, OtpChannel} from '../../core/index.js';
import {Button, Checkbox, FocusMarker, Hint, MessageLine} from '../components/controls.js';
import {useUi} from '../context.js';
import {useHelp, useTyping} from '../screen-context.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {describeError, type MessageKey} from '../i18n/index.js';
import {bindingFor, choiceBinding, helpBinding, otpScreenBindings} from '../keymap.js';
import {useKeys} from '../hooks/key-router.js';
import {useSelection} from '../hooks/use-selection.js';
import {useSubmit} from '../hooks/use-submit.js';
import {ActivateAppDialog} from './activate-app.js';
import {ChangePhoneDialog} from './change-phone.js';
import {GuideNote} from '../components/guide-note.js';

type Item = {action: 'activate'} | {action: 'changePhone'} | {action: 'channel'; channel: OtpChannel} | {action: 'push'};

function itemsOf(overview: OtpOverview): Item[] {
	const items: Item[] = [];
	if (overview.app !== 'active') items.push({action: 'activate'});
	items.push({action: 'changePhone'});
	const channels: OtpChannel[] = ['sms', ...(overview.app === 'active' ? (['app'] as const) : []), ...(overview.token ? (['token'] as const) : [])];
	if (channels.length > 1) for (const channel of channels) items.push({action: 'channel', channel});
	if (overview.app === 'active') items.push({action: 'push'});
	return items;
}

const STATUS: Record<OtpOverview['app'], MessageKey> = {inactive: 'otp.app.inactive', pending: 'otp.app.pending', active: 'otp.app.active'};

/** "Codici OTP" (seed 003 §4): the app, SMS and token channels, which one confirms operations, and push approval. */
export function OtpCodesScreen({active, session, onBack}: {active: boolean; session: Session; onBack: () => void}) {
	const {t, portal} = useUi();
	const [overview, setOverview] = useState<OtpOverview | undefined>();
	const [dialog, setDialog] = useState<'none' | 'activate' | 'changePhone'>('none');
	const [message, setMessage] = useState<{kind: 'error' | 'success'; text: string} | undefined>();
	const help = useHelp();
	const setTyping = useTyping();

	const reload = useCallback(() => {
		portal.otp.overview(session).then(setOverview, (error: unknown) => setMessage({kind: 'error', text: describeError(t, error)}));
	}, [portal, session, t]);
	useEffect(reload, [reload]);

	const items = overview ? itemsOf(overview) : [];
	const {selection, current, previous, next, moveTo} = useSelection(items.length);

	const {submit} = useSubmit();
	const run = (call: () => Promise<void>) =>
		submit(call, {
			done: () => {
				setMessage({kind: 'success', text: t('otp.saved')});
				reload();
			},
			failed: (_, failure) => void setMessage({kind: 'error', text: failure.text}),
		});

	useKeymap(
		[...otpScreenBindings, helpBinding],
		action => {
			switch (action) {
				case 'up':
					return previous();
				case 'down':
					return next();
				case 'back':
					return onBack();
				case 'help':
					return help();
				case 'open': {
					const item = items[current()];
					if (!item || !overview) return;
					setMessage(undefined);
					if (item.action === 'activate') return setDialog('activate');
					if (item.action === 'changePhone') return setDialog('changePhone');
					if (item.action === 'channel') return void run(() => portal.otp.setPreferredChannel(session, item.channel));
					return void run(() => portal.otp.setPush(session, !overview.push));
				}
			}
		},
		active && dialog === 'none',
	);

	// ←/→ on "Canale per confermare le operazioni": the previous/next channel becomes the one in use,
	// as Enter on it would (README: ← / → change a choice). Elsewhere on this screen they do nothing.
	useKeys(
		(input, key) => {
			if (!bindingFor([choiceBinding], input, key) || !overview) return;
			const item = items[current()];
			if (item?.action !== 'channel') return;
			const channels = items.flatMap((entry, index) => (entry.action === 'channel' ? [{channel: entry.channel, index}] : []));
			const at = channels.findIndex(entry => entry.channel === item.channel);
			const target = channels[(at + (key.leftArrow ? -1 : 1) + channels.length) % channels.length];
			// While a change is being saved, the press is dropped (the choice shown is the one saved).
			if (!target || !run(() => portal.otp.setPreferredChannel(session, target.channel))) return;
			moveTo(target.index);
			setMessage(undefined);
		},
		{isActive: active && dialog === 'none'},
	);

	const closeDialog = (result?: string) => {
		setDialog('none');
		setTyping(false);
		if (result) setMessage({kind: 'success', text: result});
		reload();
	};

	if (!overview) return message ? <MessageLine kind="error" text={message.text} /> : <Text>{t('app.loading')}</Text>;
	if (dialog === 'activate') return <ActivateAppDialog active={active} session={session} onClose={closeDialog} />;
	if (dialog === 'changePhone') return <ChangePhoneDialog active={active} session={session} phoneMasked={overview.phoneMasked} onClose={closeDialog} />;

	const isSelected = (predicate: (item: Item) => boolean) => active && items.findIndex(predicate) === selection;
	const action = (label: string, selected: boolean) => (
		<Box marginLeft={2}>
			<Button label={label} focused={selected} />
		</Box>
	);
	return (
		<Box flexDirection="column">
			<GuideNote step="otp" />
			<Text bold>{t('otp.heading')}</Text>
			<Text wrap="wrap">{t('otp.intro')}</Text>
			<Box marginTop={1}>
				<Text bold>{t('otp.app.title')}</Text>
				<Text>: {t(STATUS[overview.app])}</Text>
			</Box>
			{overview.app === 'active' ? null : (
				<>
					<Hint>  {t('otp.app.install')}</Hint>
					{action(t('otp.app.activate'), isSelected(item => item.action === 'activate'))}
				</>
			)}
			<Text>
				<Text bold>{t('otp.sms.title')}</Text>: {t('otp.sms.active')}
			</Text>
			<Text>  {t('otp.sms.number', {phone: overview.phoneMasked})}</Text>
			{action(t('otp.sms.change'), isSelected(item => item.action === 'changePhone'))}
			{overview.token ? (
				<Text>
					<Text bold>{t('otp.token.title')}</Text>: {t('otp.app.active')} · {t('otp.token.serial', {serial: overview.token.serial})}
				</Text>
			) : null}
			{items.some(item => item.action === 'channel') ? (
				<Box flexDirection="column" marginTop={1} aria-role="radiogroup">
					<Text bold>{t('otp.preferred')}</Text>
					{items.flatMap(item =>
						item.action === 'channel'
							? [
									<Box key={item.channel} marginLeft={2} aria-role="radio" aria-state={{checked: overview.preferred === item.channel}}>
										<Text>
											<FocusMarker focused={isSelected(other => other.action === 'channel' && other.channel === item.channel)} />({overview.preferred === item.channel ? '•' : ' '}) {t(`otp.channel.${item.channel}`)}{' '}
											{overview.preferred === item.channel ? t('otp.channel.current') : ''}
										</Text>
									</Box>,
								]
							: [],
					)}
				</Box>
			) : null}
			{overview.app === 'active' ? (
				<Box marginLeft={2}>
					<Checkbox label={t('otp.push')} checked={overview.push} focused={isSelected(item => item.action === 'push')} />
				</Box>
			) : null}
			{message ? <MessageLine kind={message.kind} text={message.text} /> : null}
		</Box>
	);
}
