import {Box, Text} from 'ink';
import {keyLabel} from '../components/key-hints.js';
import {useUi} from '../context.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {globalBindings, helpBindings, type Binding} from '../keymap.js';

/** `?`: every key of the current screen and the global ones, from the key map itself. */
export function HelpOverlay({screenBindings, onClose}: {screenBindings: readonly Binding[]; onClose: () => void}) {
	const {t} = useUi();
	useKeymap(helpBindings, onClose);
	const lines = (bindings: readonly Binding[]) => {
		const seen = new Set<string>();
		return bindings
			.map(binding => {
				const keys = keyLabel(t, binding);
				return {key: keys, text: t(binding.description)};
			})
			.filter(line => {
				const id = `${line.key} ${line.text}`;
				if (seen.has(id)) return false;
				seen.add(id);
				return true;
			});
	};
	return (
		<Box flexDirection="column" aria-label={t('help.title')}>
			<Text bold>{t('help.title')}</Text>
			<Box marginTop={1}>
				<Text underline>{t('help.screen')}</Text>
			</Box>
			{lines(screenBindings).map(line => (
				<Text key={line.key + line.text}>
					{line.key.padEnd(12)} {line.text}
				</Text>
			))}
			<Box marginTop={1}>
				<Text underline>{t('help.global')}</Text>
			</Box>
			{lines(globalBindings).map(line => (
				<Text key={line.key + line.text}>
					{line.key.padEnd(12)} {line.text}
				</Text>
			))}
			<Box marginTop={1}>
				<Text dimColor>{t('help.close')}</Text>
			</Box>
		</Box>
	);
}
