import {useState} from 'react';
import {Box, Text} from 'ink';
import {keyLabel} from '../components/key-hints.js';
import {useUi} from '../context.js';
import {useKeymap} from '../hooks/use-keymap.js';
import type {MessageKey} from '../i18n/index.js';
import {globalBindings, helpBindings, type Binding} from '../keymap.js';
import {Hint} from '../components/controls.js';

/** The words of the portal that trip people up (issue 8): PIN vs password, the codes, the roles. */
const GLOSSARY: readonly MessageKey[] = ['glossary.pin', 'glossary.password', 'glossary.otp', 'glossary.iut', 'glossary.erc', 'glossary.puk', 'glossary.rao', 'glossary.crl', 'glossary.coupon'];

/** `?`: every key of the current screen and the global ones, from the key map itself; Tab shows the glossary. */
export function HelpOverlay({screenBindings, onClose}: {screenBindings: readonly Binding[]; onClose: () => void}) {
	const {t} = useUi();
	const [glossary, setGlossary] = useState(false);
	useKeymap(helpBindings, action => (action === 'close' ? onClose() : setGlossary(shown => !shown)));
	if (glossary) {
		return (
			<Box flexDirection="column">
				<Text bold>{t('help.glossaryTitle')}</Text>
				{GLOSSARY.map(entry => (
					<Text key={entry} wrap="wrap">
						{t(entry)}
					</Text>
				))}
				<Box marginTop={1}>
					<Hint>{t('help.glossaryClose')}</Hint>
				</Box>
			</Box>
		);
	}
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
		<Box flexDirection="column">
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
				<Hint>{t('help.close')}</Hint>
			</Box>
		</Box>
	);
}
