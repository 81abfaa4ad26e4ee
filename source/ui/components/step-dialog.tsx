import type {ReactNode} from 'react';
import {Box, Text} from 'ink';
import {useDisplay, useUi} from '../context.js';
import {GuideNote, type GuideStep} from './guide-note.js';
import {Hint} from './controls.js';

/**
 * The portal's step dialog ("1 Consensi ^", "2 Conferma l'operazione v"): done steps carry ✓,
 * the current one ▼ and its content, future ones ▶, each also in words, never by colour alone.
 * `guides`, one per step, name the guide's note for each (`--guide`, see GuideNote).
 */
export function StepDialog({
	title,
	steps,
	current,
	showTitle = true,
	guides,
	children,
}: {
	title: string;
	steps: readonly string[];
	current: number;
	showTitle?: boolean;
	guides?: readonly (GuideStep | undefined)[];
	children: ReactNode;
}) {
	const {t} = useUi();
	const {screenReader, highContrast} = useDisplay();
	const guide = guides?.[current];
	if (screenReader) {
		// Linear: "Rinnova firma. Passo 2 di 4: Conferma l'operazione", then the step's own content.
		return (
			<Box flexDirection="column">
				<Text>{t('a11y.step', {title, number: current + 1, total: steps.length, step: steps[current] ?? ''})}</Text>
				{guide ? <GuideNote step={guide} /> : null}
				{children}
			</Box>
		);
	}
	return (
		<Box flexDirection="column">
			{guide ? <GuideNote step={guide} /> : null}
			{showTitle ? <Text bold>{title}</Text> : null}
			{steps.map((step, index) => {
				const state = index < current ? 'done' : index === current ? 'current' : 'future';
				const symbol = state === 'done' ? '✓' : state === 'current' ? '▼' : '▶';
				return (
					// By position: a dialog may have two steps of the same name ("Conferma l'operazione").
					<Box key={index} flexDirection="column">
						<Text bold={state === 'current'} dimColor={!highContrast && state === 'future'}>
							{symbol} {index + 1} {step} <Hint>({t(`steps.${state}`)})</Hint>
						</Text>
						{state === 'current' ? (
							<Box flexDirection="column" marginLeft={2}>
								{children}
							</Box>
						) : null}
					</Box>
				);
			})}
		</Box>
	);
}
