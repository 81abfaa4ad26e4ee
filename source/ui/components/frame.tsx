import type {ReactNode} from 'react';
import {Box, Text} from 'ink';
import {toDisplayText} from '../../core/text/sanitize.js';
import {useUi} from '../context.js';
import type {Binding} from '../keymap.js';
import {KeyHints} from './key-hints.js';

/** Header, body and key-hint footer, sized to the terminal (at most rows − 1 lines, see DESIGN §3). */
export function Frame({columns, rows, user, bindings, notice, children}: {columns: number; rows: number; user?: string; bindings: readonly Binding[]; notice?: string; children: ReactNode}) {
	const {t} = useUi();
	return (
		<Box flexDirection="column" width={columns} height={rows - 1}>
			<Box justifyContent="space-between" paddingX={1}>
				<Text bold underline>
					{t('app.title')} · {t('app.subtitle')}
				</Text>
				{user ? <Text wrap="truncate-end">{toDisplayText(user, 40)} ▾ <Text dimColor>({t('dashboard.userMenuHint')})</Text></Text> : null}
			</Box>
			<Box flexDirection="column" flexGrow={1} paddingX={1} overflow="hidden">
				{children}
			</Box>
			{notice ? (
				<Box paddingX={1}>
					<Text inverse wrap="wrap">
						{notice}
					</Text>
				</Box>
			) : null}
			<Box paddingX={1}>
				<KeyHints bindings={bindings} />
			</Box>
		</Box>
	);
}
