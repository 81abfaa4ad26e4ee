import type {ReactNode} from 'react';
import {Box, Text} from 'ink';
import {useUi} from '../context.js';

/**
 * The portal's step dialog ("1 Consensi ^", "2 Conferma l'operazione v"): done steps carry ✓,
 * the current one ▼ and its content, future ones ▶, each also in words, never by colour alone.
 */
export function StepDialog({title, steps, current, showTitle = true, children}: {title: string; steps: readonly string[]; current: number; showTitle?: boolean; children: ReactNode}) {
	const {t} = useUi();
	return (
		<Box flexDirection="column" aria-label={`${title}. ${t('steps.announce', {number: current + 1, total: steps.length, title: steps[current] ?? ''})}`}>
			{showTitle ? <Text bold>{title}</Text> : null}
			{steps.map((step, index) => {
				const state = index < current ? 'done' : index === current ? 'current' : 'future';
				const symbol = state === 'done' ? '✓' : state === 'current' ? '▼' : '▶';
				return (
					<Box key={step} flexDirection="column">
						<Text bold={state === 'current'} dimColor={state === 'future'}>
							{symbol} {index + 1} {step} <Text dimColor>({t(`steps.${state}`)})</Text>
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
