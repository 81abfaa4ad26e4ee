import {Box, Text} from 'ink';
import {type DashboardView, toDisplayText} from '../../core/index.js';
import {CertificateBanner} from '../components/certificate-status.js';
import {FocusMarker, Hint, MessageLine} from '../components/controls.js';
import {useDisplay, useUi} from '../context.js';
import {useHelp} from '../screen-context.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {describeError, formatDate, type Language, type MessageKey, type Translate} from '../i18n/index.js';
import {dashboardBindings, helpBinding} from '../keymap.js';
import {useSelection} from '../hooks/use-selection.js';
import {useTerminalSize} from '../hooks/use-terminal-size.js';
import type {Loaded} from '../hooks/use-portal-data.js';
import type {CardScreen} from '../state.js';
import {GuideNote} from '../components/guide-note.js';

/** The cards of the capabilities that exist. Later capabilities add theirs here. */
export const DASHBOARD_CARDS: readonly {screen: CardScreen; title: MessageKey; description: MessageKey}[] = [
	{screen: 'certificate', title: 'card.certificate.title', description: 'card.certificate.description'},
	{screen: 'otp', title: 'card.otp.title', description: 'card.otp.description'},
	{screen: 'renewal', title: 'card.renewal.title', description: 'card.renewal.description'},
	{screen: 'pin', title: 'card.pin.title', description: 'card.pin.description'},
	{screen: 'suspension', title: 'card.suspension.title', description: 'card.suspension.description'},
	{screen: 'sign', title: 'card.sign.title', description: 'card.sign.description'},
	{screen: 'history', title: 'card.history.title', description: 'card.history.description'},
	{screen: 'report', title: 'card.report.title', description: 'card.report.description'},
];

const REPLACEMENT_CARD = {screen: 'replacement', title: 'card.replacement.title', description: 'card.replacement.description'} as const;

/** A card and the key that opens it: "1"…"8" for the services, always the same, "N" for a new certificate. */
export interface DashboardCard {
	screen: CardScreen;
	title: MessageKey;
	description: MessageKey;
	key: string;
}

/** The cards shown to this holder: "Richiedi nuovo certificato" first (key N) when it is offered; the numbers never shift. */
export function cardsFor(view: DashboardView | undefined): readonly DashboardCard[] {
	const numbered = DASHBOARD_CARDS.map((card, index) => ({...card, key: String(index + 1)}));
	return view?.replacement.allowed ? [{...REPLACEMENT_CARD, key: 'N'}, ...numbered] : numbered;
}

export interface DashboardProps {
	active: boolean;
	data: Loaded<DashboardView>;
	initialSelection: number;
	onOpen: (screen: CardScreen, selection: number) => void;
	onUserMenu: () => void;
}

export function DashboardScreen({active, data, initialSelection, onOpen, onUserMenu}: DashboardProps) {
	const {t, language} = useUi();
	const help = useHelp();
	const {screenReader} = useDisplay();
	// Below 21 rows the greeting and the spacing go, so every card still fits (down to 60×16).
	const compact = useTerminalSize().rows < 21;
	const cards = cardsFor(data.state === 'ready' ? data.value : undefined);
	const count = cards.length;
	const {selection, current, previous, next} = useSelection(count, initialSelection);
	const open = (index: number) => {
		const card = cards[index];
		if (card) onOpen(card.screen, index);
	};

	useKeymap(
		[...dashboardBindings, helpBinding],
		(action, input) => {
			switch (action) {
				case 'up':
					return previous();
				case 'down':
					return next();
				case 'open':
					return open(current());
				case 'pick':
					return open(cards.findIndex(card => card.key === input));
				case 'newCertificate':
					return open(cards.findIndex(card => card.key === 'N'));
				case 'userMenu':
					return onUserMenu();
				case 'help':
					return help();
			}
		},
		active,
	);

	if (data.state === 'loading') return <Text>{t('app.loading')}</Text>;
	if (data.state === 'failed') return <MessageLine kind="error" text={describeError(t, data.error)} />;
	const view = data.value;
	const nextStep = nextStepText(t, language, view);
	const selected = cards[selection];
	return (
		<Box flexDirection="column">
			<GuideNote step={view.replacement.allowed ? 'dashboard.replacement' : 'dashboard'} />
			{compact ? null : <Text>{t('dashboard.greeting', {name: toDisplayText(`${view.name} ${view.surname}`, 60)})}</Text>}
			<Box marginTop={compact ? 0 : 1} flexDirection="column">
				{view.certificate ? (
					<CertificateBanner
						state={view.certificate.state}
						expiresAt={view.certificate.expiresAt}
						suspendedUntil={view.certificate.suspendedUntil}
						revokedAt={view.certificate.revokedAt}
						phase={view.lifecycle?.phase}
					/>
				) : (
					<Text>{t('dashboard.noCertificate')}</Text>
				)}
			</Box>
			{nextStep ? (
				<Box marginTop={compact ? 0 : 1}>
					<Text inverse wrap="wrap">
						{nextStep}
					</Text>
				</Box>
			) : null}
			{compact ? null : (
				<Box marginTop={1}>
					<Hint>{t('dashboard.cards')}</Hint>
				</Box>
			)}
			{cards.map((card, index) => (
				<Box key={card.screen} aria-role="button">
					<Text wrap="truncate-end">
						<FocusMarker focused={active && index === selection} />
						<Text bold inverse={active && index === selection}>
							{card.key}. {t(card.title)}
							{screenReader ? `: ${t(card.description)}` : ' →'}
						</Text>
					</Text>
				</Box>
			))}
			{/* One description, the selected card's: nine cards must fit in 24 rows. A screen reader hears each card's with it. */}
			{screenReader ? null : (
				<Hint wrap="truncate-end">
					{'     '}
					{selected ? t(selected.description) : ''}
				</Hint>
			)}
		</Box>
	);
}

/** What the state means and the next step that exists from it (certificate/lifecycle.ts decides which). */
export function nextStepText(t: Translate, language: Language, view: DashboardView): string | undefined {
	const certificate = view.certificate;
	const lifecycle = view.lifecycle;
	if (!certificate || !lifecycle) return undefined;
	const date = (value: Date) => formatDate(language, value);
	switch (lifecycle.phase) {
		case 'blocked':
			return t('dashboard.next.blocked', {userId: view.userId});
		case 'revoked':
			return t('dashboard.next.revoked', {userId: view.userId});
		case 'suspended':
			if (!certificate.suspendedUntil) return t('dashboard.next.suspendedNoEnd');
			// To the expiry date (acknowledged as a revocation): it never comes back active.
			if (certificate.suspendedUntil.getTime() >= certificate.expiresAt.getTime()) return t('dashboard.next.suspendedToExpiry', {date: date(certificate.suspendedUntil)});
			return t('dashboard.next.suspended', {date: date(certificate.suspendedUntil)});
		default:
			break;
	}
	// Flagged by an operator: their deadline first (the step is the same, key N).
	if (view.replacement.deadline) return t('replacement.bar', {date: date(view.replacement.deadline)});
	if (lifecycle.phase === 'expiryDay') return t('dashboard.next.expiryDay');
	if (lifecycle.phase === 'expired') return t('replacement.barExpired');
	if (lifecycle.phase === 'expiring') return t('dashboard.next.expiring', {date: date(certificate.expiresAt)});
	return undefined;
}
