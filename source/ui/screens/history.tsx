import {useCallback, useEffect, useMemo, useState} from 'react';
import {Box, Text} from 'ink';
import {type AccessEntry, type HistoryFilter, type HistoryPage, type Session, type SignatureRecord, toDisplayText} from '../../core/index.js';
import {Button, ChoiceField, FocusMarker, Hint, InlineField, MessageLine} from '../components/controls.js';
import type {Control, FormOf} from '../components/form.js';
import {useDisplay, useUi} from '../context.js';
import {useForm} from '../hooks/use-form.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {useTerminalSize} from '../hooks/use-terminal-size.js';
import {describeError, formatDate, formatTime, type MessageKey, type Translate} from '../i18n/index.js';
import {historyBindings} from '../keymap.js';
import {GuideNote, guideLines} from '../components/guide-note.js';
import {HistoryDetail, type HistoryItem} from './history-detail.js';

const PERIODS = ['all', 'week', 'quarter'] as const;
const OUTCOMES = ['all', 'success', 'failure'] as const;
const ORDERS = ['newest', 'oldest'] as const;

const CONTROLS = [
	{kind: 'choice', name: 'order', options: ORDERS.length},
	{kind: 'text', name: 'from', max: 10, secret: false},
	{kind: 'text', name: 'to', max: 10, secret: false},
	{kind: 'choice', name: 'period', options: PERIODS.length},
	{kind: 'choice', name: 'outcome', options: OUTCOMES.length},
	{kind: 'button', name: 'search'},
	{kind: 'button', name: 'reset'},
	{kind: 'button', name: 'view'},
	{kind: 'button', name: 'previous'},
	{kind: 'button', name: 'next'},
] as const satisfies readonly Control[];

/** The rows of the page are controls after the buttons: Enter on one opens its detail. */
const ROW_PREFIX = 'row:';
type RowControl = {kind: 'button'; name: `${typeof ROW_PREFIX}${number}`};
function withRows(count: number): readonly ((typeof CONTROLS)[number] | RowControl)[] {
	return count === 0 ? CONTROLS : [...CONTROLS, ...Array.from({length: count}, (_, index): RowControl => ({kind: 'button', name: `${ROW_PREFIX}${index}`}))];
}

/** Lines the screen uses besides the rows of the table (frame included). */
const CHROME_ROWS = 12;

type View = 'signatures' | 'accesses';
type Result = {view: 'signatures'; page: HistoryPage<SignatureRecord>} | {view: 'accesses'; page: HistoryPage<AccessEntry>};

function filterOf(form: FormOf<typeof CONTROLS>): HistoryFilter {
	return {
		from: form.fields.from.value,
		to: form.fields.to.value,
		period: PERIODS[form.choices.period] ?? 'all',
		outcome: OUTCOMES[form.choices.outcome] ?? 'all',
		order: ORDERS[form.choices.order] ?? 'newest',
	};
}

const REASONS: Record<string, MessageKey> = {
	'pin.wrong': 'history.reason.pinWrong',
	'pin.blocked': 'history.reason.pinBlocked',
	'pin.format': 'history.reason.pinWrong',
	'otp.wrong': 'history.reason.otpWrong',
	'otp.reused': 'history.reason.otpReused',
	'otp.expired': 'history.reason.otpExpired',
	'otp.cancelled': 'history.reason.otpCancelled',
	'otp.denied': 'history.reason.otpDenied',
	'sign.notActive': 'history.reason.notActive',
	'sign.documentChanged': 'history.reason.documentChanged',
	'sign.outputExists': 'history.reason.outputExists',
};

function signatureOutcome(t: Translate, record: SignatureRecord): string {
	if (record.outcome === 'success') return t('history.success');
	const reason = record.reason ? REASONS[record.reason] : undefined;
	return `${t('history.failure')} (${reason ? t(reason) : toDisplayText(record.reason ?? '?', 24)})`;
}

/** Account events in the access log, besides logins. */
const ACCOUNT_EVENTS: Record<Exclude<AccessEntry['outcome'], 'success' | 'app-approved' | 'wrong-password' | 'locked'>, MessageKey> = {
	logout: 'history.event.logout',
	'session-idle': 'history.event.sessionIdle',
	'session-expired': 'history.event.sessionExpired',
	'sessions-ended': 'history.event.sessionsEnded',
	'session-closed': 'history.event.sessionClosed',
	'password-changed': 'history.event.passwordChanged',
	'password-recovered': 'history.event.passwordRecovered',
	'recovery-failed': 'history.event.recoveryFailed',
	'phone-changed': 'history.event.phoneChanged',
	'email-changed': 'history.event.emailChanged',
	'secret-question-changed': 'history.event.secretQuestionChanged',
	'language-changed': 'history.event.languageChanged',
	'userid-reminder': 'history.event.userIdReminder',
	'certificate-renewed': 'history.event.certificateRenewed',
	'certificate-issued': 'history.event.certificateIssued',
	'certificate-suspended': 'history.event.certificateSuspended',
	'certificate-reactivated': 'history.event.certificateReactivated',
	'suspension-ended': 'history.event.suspensionEnded',
	'certificate-revoked': 'history.event.certificateRevoked',
	'replacement-flagged': 'history.event.replacementFlagged',
	'pin-changed': 'history.event.pinChanged',
	'pin-blocked': 'history.event.pinBlocked',
	'otp-phone-changed': 'history.event.otpPhoneChanged',
	'otp-app-activated': 'history.event.otpAppActivated',
	'otp-channel-changed': 'history.event.otpChannelChanged',
	'otp-push-changed': 'history.event.otpPushChanged',
	'report-changed': 'history.event.reportChanged',
};

/** Changes to a certificate, a credential or a channel (issue 18): shown by their own name, which fits the column at 80×24. */
const CHANGES: ReadonlySet<AccessEntry['outcome']> = new Set([
	'certificate-renewed',
	'certificate-issued',
	'certificate-suspended',
	'certificate-reactivated',
	'suspension-ended',
	'certificate-revoked',
	'replacement-flagged',
	'pin-changed',
	'otp-phone-changed',
	'otp-app-activated',
	'otp-channel-changed',
	'otp-push-changed',
	'report-changed',
]);

function accessOutcome(t: Translate, entry: AccessEntry): string {
	if (CHANGES.has(entry.outcome)) return t(ACCOUNT_EVENTS[entry.outcome as keyof typeof ACCOUNT_EVENTS]);
	switch (entry.outcome) {
		case 'success':
			return t('history.success');
		case 'app-approved':
			return `${t('history.success')} (${t('history.access.app')})`;
		case 'wrong-password':
			return `${t('history.failure')} (${t('history.access.wrongPassword')})`;
		case 'locked':
			return `${t('history.failure')} (${t('history.access.locked')})`;
		case 'recovery-failed':
		case 'pin-blocked':
			return `${t('history.failure')} (${t(ACCOUNT_EVENTS[entry.outcome])})`;
		// A session's end is its own kind, neither "Riuscito" nor "Fallito".
		case 'logout':
			return t('history.kind.logout');
		case 'session-closed':
			return t('history.kind.closed');
		case 'session-idle':
			return t('history.kind.idle');
		case 'session-expired':
			return t('history.kind.expired');
		default:
			return `${t('history.success')} (${t(ACCOUNT_EVENTS[entry.outcome])})`;
	}
}

/**
 * "Cronologia firme" (seed 003 §5): totals, order, "Dal"/"Al", period and outcome filters,
 * "Cerca"/"Reset", pages; "Visualizza accessi" shows the logins through the same filters.
 * Choices apply at once; typed dates apply with Enter or "Cerca".
 */
export function HistoryScreen({active, session, onBack}: {active: boolean; session: Session; onBack: () => void}) {
	const {t, portal, language, guide} = useUi();
	const {screenReader} = useDisplay();
	const {rows, columns} = useTerminalSize();
	// With `--guide`, the table leaves room for the note at the foot of the screen.
	const pageSize = Math.max(3, rows - CHROME_ROWS - (guide ? guideLines(t, 'history', columns - 2).length : 0));
	const [view, setView] = useState<View>('signatures');
	const [applied, setApplied] = useState<HistoryFilter>({from: '', to: '', period: 'all', outcome: 'all', order: 'newest'});
	const [page, setPage] = useState(1);
	const [result, setResult] = useState<Result | undefined>();
	const [error, setError] = useState<string | undefined>();
	/** The row opened with Enter; Esc closes it and the focus is still on that row. */
	const [detail, setDetail] = useState<HistoryItem | undefined>();
	const shownCount = result?.view === view ? result.page.items.length : 0;
	const controls = useMemo(() => withRows(shownCount), [shownCount]);

	/** The signatures page from the columns this process already holds, or undefined (then load it). */
	const signaturesNow = (filter: HistoryFilter, wanted: number) => {
		try {
			return portal.history.signaturesNow(session, filter, {page: wanted, pageSize});
		} catch {
			return undefined; // the asynchronous load reports it
		}
	};
	const load = useCallback(
		async (filter: HistoryFilter, wanted: number, which: View) => {
			try {
				// Signatures already read in this process come back at once: the result is drawn in the
				// same frame as the key that asked for it (no await before the state changes below).
				const ready = which === 'signatures' ? signaturesNow(filter, wanted) : undefined;
				const loaded: Result =
					which === 'signatures'
						? {view: which, page: ready ?? (await portal.history.signatures(session, filter, {page: wanted, pageSize}))}
						: {view: which, page: await portal.history.accesses(session, filter, {page: wanted, pageSize})};
				setResult(loaded);
				setApplied(filter);
				setPage(loaded.page.page);
				setError(undefined);
			} catch (caught) {
				setError(describeError(t, caught));
			}
		},
		[portal, session, pageSize, t],
	);
	useEffect(() => {
		void load(applied, view === result?.view ? page : 1, view);
		// Reload when the view or the page size changes; filters and pages reload explicitly.
	}, [view, pageSize]);

	const [form, dispatch] = useForm(controls, {
		submit: 'search',
		active: active && !detail,
		onRequest: (action, current) => {
			if (action.startsWith(ROW_PREFIX)) {
				const item = result?.view === view ? result.page.items[Number(action.slice(ROW_PREFIX.length))] : undefined;
				if (item) setDetail(item);
				return;
			}
			if (action === 'cancel') return onBack();
			if (action === 'search') return void load(filterOf(current), 1, view);
			if (action === 'reset') {
				for (const name of ['from', 'to']) dispatch({type: 'set', name, value: ''});
				for (const name of ['order', 'period', 'outcome']) dispatch({type: 'choose', name, index: 0});
				return void load({from: '', to: '', period: 'all', outcome: 'all', order: 'newest'}, 1, view);
			}
			if (action === 'view') {
				// The other list starts at its first page.
				setPage(1);
				return setView(which => (which === 'signatures' ? 'accesses' : 'signatures'));
			}
			if (action === 'previous') return void load(applied, page - 1, view);
			if (action === 'next') return void load(applied, page + 1, view);
		},
	});
	// A changed choice applies at once, with the dates as they are typed.
	// A result at hand is set while rendering the new choice, so the key draws one frame, not two
	// (the choice, then the result 17 ms later: Ink draws at most one frame per commit and 17 ms).
	const choices = `${form.choices.order}/${form.choices.period}/${form.choices.outcome}`;
	const [seen, setSeen] = useState({choices, loaded: true});
	if (seen.choices !== choices) {
		const filter = filterOf(form);
		const ready = form.dirty && view === 'signatures' ? signaturesNow(filter, 1) : undefined;
		setSeen({choices, loaded: !form.dirty || ready !== undefined});
		if (ready) {
			setResult({view: 'signatures', page: ready});
			setApplied(filter);
			setPage(ready.page);
			setError(undefined);
		}
	}
	useEffect(() => {
		if (!seen.loaded) void load(filterOf(form), 1, view);
	}, [seen]);
	useKeymap(
		historyBindings,
		action => {
			if (action === 'nextPage' || action === 'previousPage') void load(applied, action === 'nextPage' ? page + 1 : page - 1, view);
		},
		active && !detail,
	);
	// A shorter page leaves the focus on its last row (or on "Successiva" when it has none).
	useEffect(() => {
		const last = controls.at(-1);
		if (form.focus >= controls.length && last) dispatch({type: 'focus', name: last.name});
	}, [controls, form.focus]);

	const focused = (name: string) => active && controls[form.focus]?.name === name;
	const signatures = view === 'signatures';
	const current = result?.view === view ? result.page : undefined;
	if (detail) {
		const reasonLabel = (code: string) => REASONS[code];
		return <HistoryDetail active={active} item={detail} onBack={() => setDetail(undefined)} describe={{accessOutcome: entry => accessOutcome(t, entry), reasonLabel}} />;
	}
	return (
		<Box flexDirection="column">
			<GuideNote step="history" />
			<Text bold>{signatures ? t('history.title') : t('history.accessTitle')}</Text>
			{current ? (
				<Text>
					{signatures ? t('history.total', {count: current.total}) : t('history.accessTotal', {count: current.total})}
					{'   '}
					{signatures ? t('history.shown', {shown: current.matching, total: current.total}) : t('history.accessShown', {shown: current.matching, total: current.total})}
					{'   '}
					{t('history.page', {page: current.page, pages: current.pages})}
				</Text>
			) : (
				<Text>{t('app.loading')}</Text>
			)}
			<ChoiceField label={t('history.order')} options={signatures ? [t('history.newest'), t('history.oldest')] : [t('history.newestAccess'), t('history.oldestAccess')]} chosen={form.choices.order} focused={focused('order')} />
			<Box gap={2}>
				<InlineField label={t('history.from')} field={form.fields.from} focused={focused('from')} labelWidth={8} />
				<InlineField label={t('history.to')} field={form.fields.to} focused={focused('to')} labelWidth={7} />
				<Hint>{t('history.dateFormat')}</Hint>
			</Box>
			<ChoiceField label={t('history.period')} options={[signatures ? t('history.all') : t('history.allAccesses'), t('history.week'), t('history.quarter')]} chosen={form.choices.period} focused={focused('period')} />
			<ChoiceField label={t('history.outcome')} options={[t('history.allOutcomes'), t('history.success'), t('history.failure')]} chosen={form.choices.outcome} focused={focused('outcome')} />
			<Box gap={1}>
				<Button label={t('history.search')} focused={focused('search')} />
				<Button label={t('history.reset')} focused={focused('reset')} />
				<Button label={signatures ? t('history.viewAccesses') : t('history.viewSignatures')} focused={focused('view')} />
				<Button label={t('history.previous')} focused={focused('previous')} />
				<Button label={t('history.next')} focused={focused('next')} />
			</Box>
			{error ? <MessageLine kind="error" text={error} /> : null}
			{form.message && !error ? <MessageLine kind={form.message.kind} text={form.message.text ?? t(form.message.key, form.message.params)} /> : null}
			{current && current.items.length === 0 ? <Text>{signatures ? t('history.empty') : t('history.accessEmpty')}</Text> : null}
			{current && current.items.length > 0 ? (
				<Box flexDirection="column" aria-role="table">
					<Hint wrap="truncate-end">
						{screenReader ? '' : '  '}
						{t('history.when').padEnd(18)}
						{signatures ? t('history.document').padEnd(32) : t('history.terminal').padEnd(32)}
						{t('history.outcome')}
					</Hint>
					{current.items.map((item, index) => {
						const at = new Date(item.at);
						const when = `${formatDate(language, at)} ${formatTime(language, at)}`.padEnd(18);
						const middle = 'document' in item ? toDisplayText(item.document, 30) : toDisplayText(item.terminal || '-', 30);
						const outcome = 'document' in item ? signatureOutcome(t, item) : accessOutcome(t, item);
						return (
							<Text key={`${item.at}-${index}`} wrap="truncate-end">
								<FocusMarker focused={focused(`${ROW_PREFIX}${index}`)} />
								{when}
								{middle.padEnd(32)}
								{outcome}
							</Text>
						);
					})}
				</Box>
			) : null}
		</Box>
	);
}
