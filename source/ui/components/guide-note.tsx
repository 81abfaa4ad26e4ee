import {createContext, useCallback, useContext, useLayoutEffect, useRef, useState} from 'react';
import {Box, Text} from 'ink';
import {useUi} from '../context.js';
import type {MessageKey, Translate} from '../i18n/index.js';
import {Hint} from './controls.js';

/*
 * `--guide`: for trainees following alone, every step of every procedure says, in a line or
 * two, what the official guides (shared/seeds) say to do there. A screen names its step with
 * <GuideNote step="…" />, which draws nothing where it stands: the frame shows the note in one
 * place, at the bottom of the screen above the footer, and only in the room the screen's own
 * content leaves (whole, or one line cut short, or not at all), so a note never pushes a
 * procedure's fields or buttons off screen.
 */

/** The steps that have a note: the keys `guide.<step>` of the catalogues. */
export type GuideStep = {[Key in MessageKey]: Key extends `guide.${infer Step}` ? Step : never}[MessageKey];

type Register = (owner: object, step: GuideStep | undefined) => void;

const GuideSlotContext = createContext<Register | undefined>(undefined);

/**
 * Names the guide's step for what is on screen now; renders nothing itself (the frame shows
 * it). `inline` draws the note right here instead, for screens that are full at the foot but
 * have room elsewhere (beside a QR code); it still draws nothing unless `--guide` is on.
 */
export function GuideNote({step, inline = false}: {step: GuideStep; inline?: boolean}) {
	const register = useContext(GuideSlotContext);
	const owner = useRef({}).current;
	useLayoutEffect(() => (inline ? undefined : register?.(owner, step)), [register, owner, step, inline]);
	useLayoutEffect(() => () => register?.(owner, undefined), [register, owner]);
	return inline && register ? <InlineGuideBar step={step} /> : null;
}

/** The note in place, wrapped by Ink to the width it is given. */
function InlineGuideBar({step}: {step: GuideStep}) {
	const {t} = useUi();
	return (
		<Box borderStyle="single" borderTop={false} borderRight={false} borderBottom={false} borderDimColor paddingLeft={1} flexShrink={0}>
			<Hint wrap="wrap">
				<Text bold>{t('guideNote.label')}</Text> {t(`guide.${step}`)}
			</Hint>
		</Box>
	);
}

/** Where the frame gives <GuideNote> a place to register (the value comes from useGuideSlot). */
export const GuideSlot = GuideSlotContext.Provider;

/** Collects the steps named below a <GuideSlot>; the step named last is the one shown. */
export function useGuideSlot(): {step: GuideStep | undefined; register: Register} {
	const [notes, setNotes] = useState<readonly {owner: object; step: GuideStep}[]>([]);
	const register = useCallback<Register>((owner, step) => {
		setNotes(current => {
			const existing = current.find(note => note.owner === owner);
			if (existing?.step === step) return current;
			const others = current.filter(note => note.owner !== owner);
			return step ? [...others, {owner, step}] : others;
		});
	}, []);
	return {step: notes.at(-1)?.step, register};
}

/** Greedy word wrap to `width` columns; a word longer than a line is cut. */
export function wrapWords(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/).filter(Boolean)) {
		let rest = word;
		while ([...rest].length > width) {
			if (line !== '') lines.push(line);
			lines.push([...rest].slice(0, width).join(''));
			rest = [...rest].slice(width).join('');
			line = '';
		}
		if (line === '') line = rest;
		else if ([...line].length + 1 + [...rest].length <= width) line += ` ${rest}`;
		else {
			lines.push(line);
			line = rest;
		}
	}
	if (line !== '') lines.push(line);
	return lines;
}

/** Columns the bar and its padding take before the note's text. */
export const GUIDE_BAR_COLUMNS = 2;

/** The note's lines in `width` columns, label first: its height is their number. */
export function guideLines(t: Translate, step: GuideStep, width: number): string[] {
	return wrapWords(`${t('guideNote.label')} ${t(`guide.${step}`)}`, Math.max(10, width - GUIDE_BAR_COLUMNS));
}

/**
 * The note as drawn in `width` columns: a dim bar on the left of every line, "Guida:" and
 * the text, wrapped here at word boundaries (so no line starts with a space).
 */
export function GuideBar({step, width, maxLines}: {step: GuideStep; width: number; maxLines?: number}) {
	const {t} = useUi();
	const label = t('guideNote.label');
	const lines = guideLines(t, step, width);
	// Fewer lines than the note needs: the last one shown ends with "…".
	const shown = maxLines !== undefined && maxLines < lines.length ? [...lines.slice(0, maxLines - 1), `${lines[maxLines - 1]!.slice(0, Math.max(0, width - GUIDE_BAR_COLUMNS - 1))}…`] : lines;
	return (
		<Box flexDirection="column" flexShrink={0} aria-label={`${label} ${t(`guide.${step}`)}`}>
			{shown.map((line, index) => (
				<Hint key={index} wrap="truncate-end">
					{'│ '}
					{index === 0 && line.startsWith(label) ? (
						<>
							<Text bold>{label}</Text>
							{line.slice(label.length)}
						</>
					) : (
						line
					)}
				</Hint>
			))}
		</Box>
	);
}
