import {useEffect, useLayoutEffect, useRef, useState, type ReactNode} from 'react';
import {Box, Text, measureElement, type DOMElement} from 'ink';
import {toDisplayText} from '../../core/index.js';
import {useDisplay, useUi} from '../context.js';
import type {Binding} from '../keymap.js';
import {GuideBar, GuideSlot, guideLines, useGuideSlot, type GuideStep} from './guide-note.js';
import {KeyHints} from './key-hints.js';
import {KeysShown} from './keys-shown.js';
import {Hint} from './controls.js';

/** How often the guide note checks it still fits (a screen's own messages can grow it). */
const GUIDE_FIT_MS = 100;

/**
 * Header, body and key-hint footer, sized to the terminal (at most rows − 1 lines, see DESIGN §3).
 * With `--show-keys` the header's right corner shows the last keys pressed (the subtitle makes
 * room); with `--guide` the body ends with the note of the step on screen (`hideGuide` while an
 * overlay covers the screen). `userMenu`: the header says "menu utente: m" only where m opens it.
 */
export function Frame({columns, rows, user, userMenu = true, bindings, notice, hideGuide = false, children}: {columns: number; rows: number; user?: string; userMenu?: boolean; bindings: readonly Binding[]; notice?: string; hideGuide?: boolean; children: ReactNode}) {
	const {t, guide = false, showKeys = false} = useUi();
	const slot = useGuideSlot();
	return (
		<Box flexDirection="column" width={columns} height={rows - 1}>
			{showKeys ? (
				<Box justifyContent="space-between" paddingX={1} gap={2}>
					<Box flexShrink={0}>
						<Text bold underline>
							{t('app.title')}
						</Text>
					</Box>
					<Box flexGrow={1} justifyContent="flex-end" gap={2}>
						{user ? <UserName user={user} menu={userMenu} /> : null}
						<Box flexShrink={0}>
							<KeysShown />
						</Box>
					</Box>
				</Box>
			) : (
				<Box justifyContent="space-between" paddingX={1}>
					<Text bold underline>
						{t('app.title')} · {t('app.subtitle')}
					</Text>
					{user ? <UserName user={user} menu={userMenu} /> : null}
				</Box>
			)}
			{guide ? (
				<GuideSlot value={slot.register}>
					<GuidedBody step={hideGuide ? undefined : slot.step} width={columns - 2}>
						{children}
					</GuidedBody>
				</GuideSlot>
			) : (
				<MeasuredBody rows={rows}>{children}</MeasuredBody>
			)}
			{notice ? (
				<Box paddingX={1}>
					<Text inverse wrap="wrap">
						{notice}
					</Text>
				</Box>
			) : null}
			<Box paddingX={1}>
				<KeyHints bindings={bindings} width={columns - 2} />
			</Box>
		</Box>
	);
}

function UserName({user, menu}: {user: string; menu: boolean}) {
	const {t} = useUi();
	const {screenReader} = useDisplay();
	if (!menu) return <Text wrap="truncate-end">{toDisplayText(user, 40)}</Text>;
	return (
		<Text wrap="truncate-end">
			{toDisplayText(user, 40)}
			{screenReader ? ' ' : ' ▾ '}
			<Hint>({t('dashboard.userMenuHint')})</Hint>
		</Text>
	);
}

/**
 * A body box (its height given by the frame) and the content inside it laid out at its natural
 * height: `heights()` says how many rows the body has (`room`) and the content takes (`needed`).
 */
function useBodyAndContent() {
	const body = useRef<DOMElement>(null);
	const content = useRef<DOMElement>(null);
	const heights = () => (body.current && content.current ? {room: measureElement(body.current).height, needed: measureElement(content.current).height} : undefined);
	return {body, content, heights};
}

/**
 * The body of a screen. When its content is taller than the window the last line says so and
 * how many rows would show it all, rather than cutting it off silently (screens with long
 * content page or scroll themselves; this is the safety net). A screen reader hears everything.
 */
function MeasuredBody({rows, children}: {rows: number; children: ReactNode}) {
	const {t} = useUi();
	const {body, content, heights} = useBodyAndContent();
	// Rows of content out of sight (0 when everything fits); while the notice is up it takes a row itself.
	const [missing, setMissing] = useState(0);
	useLayoutEffect(() => {
		const measured = heights();
		if (!measured) return;
		const {room, needed} = measured;
		const fits = needed <= room + (missing > 0 ? 1 : 0);
		const next = fits ? 0 : needed - room;
		if (next !== missing) setMissing(next);
	});
	return (
		<Box flexDirection="column" flexGrow={1} paddingX={1}>
			<Box ref={body} flexDirection="column" flexGrow={1} overflow="hidden">
				<Box ref={content} flexDirection="column" flexShrink={0}>
					{children}
				</Box>
			</Box>
			{missing > 0 ? <Text bold>{t('a11y.clipped', {rows: rows + missing - 1})}</Text> : null}
		</Box>
	);
}

/**
 * The body with the guide's note at its foot, shown only in the room the screen's content
 * leaves: the content is laid out at its natural height and measured, and the note's height
 * is its number of lines (it is wrapped here, see guideLines). Without room for the whole
 * note, one line cut short with "…"; without room for that, nothing.
 */
function GuidedBody({step, width, children}: {step: GuideStep | undefined; width: number; children: ReactNode}) {
	const {t} = useUi();
	const {body, content, heights} = useBodyAndContent();
	// The lines of the note that fit below the content: all, or one (cut short with "…"), or none.
	const [lines, setLines] = useState(0);
	const noteHeight = step ? guideLines(t, step, width).length : 0;
	const measure = () => {
		const measured = heights();
		if (!measured) return;
		const spare = measured.room - measured.needed;
		setLines(spare >= noteHeight ? noteHeight : Math.min(1, Math.max(0, spare)));
	};
	// After every render of the frame, and while a note is up, a few times a second for changes deeper down.
	useLayoutEffect(measure);
	useEffect(() => {
		if (!step) return;
		const timer = setInterval(measure, GUIDE_FIT_MS);
		return () => clearInterval(timer);
	}, [step, noteHeight]);
	return (
		<Box ref={body} flexDirection="column" flexGrow={1} paddingX={1} overflow="hidden">
			<Box ref={content} flexDirection="column" flexShrink={0}>
				{children}
			</Box>
			{step && lines > 0 ? (
				<>
					<Box flexGrow={1} />
					<GuideBar step={step} width={width} maxLines={lines} />
				</>
			) : null}
		</Box>
	);
}
