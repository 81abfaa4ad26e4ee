import {useState} from 'react';
import {Box, Text} from 'ink';
import {useUi} from '../context.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {promptBindings} from '../keymap.js';
import {Button} from './controls.js';

/** Esc in a dialog with typed data asks first: "Sì, annulla" / "No, continua" (No is the default). */
export function DiscardPrompt({onAnswer, question}: {onAnswer: (discard: boolean) => void; question?: string}) {
	const {t} = useUi();
	const [yes, setYes] = useState(false);
	useKeymap(promptBindings, action => {
		if (action === 'switch') setYes(value => !value);
		else if (action === 'choose') onAnswer(yes);
		else onAnswer(false);
	});
	return (
		<Box flexDirection="column" borderStyle="single" paddingX={1} aria-role="menu">
			<Text bold wrap="wrap">{question ?? t('dialog.discardQuestion')}</Text>
			<Box gap={2}>
				<Button label={t('dialog.discardNo')} focused={!yes} />
				<Button label={t('dialog.discardYes')} focused={yes} />
			</Box>
		</Box>
	);
}
