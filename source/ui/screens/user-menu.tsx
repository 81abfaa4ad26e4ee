import {Box, Text} from 'ink';
import {FocusMarker} from '../components/controls.js';
import {useUi} from '../context.js';
import {useKeymap} from '../hooks/use-keymap.js';
import type {MessageKey} from '../i18n/index.js';
import {menuBindings} from '../keymap.js';
import {useSelection} from '../hooks/use-selection.js';

/** The user menu under the holder's name (seed 003 §9–10): "Gestisci il tuo account", "Esci". */
export const USER_MENU_ITEMS: readonly {action: 'account' | 'logout'; label: MessageKey}[] = [
	{action: 'account', label: 'userMenu.account'},
	{action: 'logout', label: 'userMenu.logout'},
];

export function UserMenu({name, onChoose, onClose}: {name: string; onChoose: (action: 'account' | 'logout') => void; onClose: () => void}) {
	const {t} = useUi();
	const {selection, current, previous, next} = useSelection(USER_MENU_ITEMS.length);
	useKeymap(menuBindings, (action, input) => {
		switch (action) {
			case 'up':
				return previous();
			case 'down':
				return next();
			case 'open': {
				const item = USER_MENU_ITEMS[current()];
				if (item) onChoose(item.action);
				return;
			}
			case 'pick': {
				const item = USER_MENU_ITEMS[Number(input) - 1];
				if (item) onChoose(item.action);
				return;
			}
			case 'close':
				return onClose();
		}
	});
	return (
		<Box flexDirection="column" aria-role="menu" borderStyle="single" paddingX={1} alignSelf="flex-end">
			<Text bold>
				{name} — {t('userMenu.title')}
			</Text>
			{USER_MENU_ITEMS.map((item, index) => (
				<Box key={item.action} aria-role="menuitem">
					<Text>
						<FocusMarker focused={index === selection} />
						<Text bold={index === selection} inverse={index === selection}>
							{index + 1}. {t(item.label)}
						</Text>
					</Text>
				</Box>
			))}
		</Box>
	);
}
