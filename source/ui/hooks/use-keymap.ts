import {useKeys} from './key-router.js';
import {bindingFor, type Binding} from '../keymap.js';

/** Routes key presses through a key map: the same bindings the footer and help describe. */
export function useKeymap<Action extends string>(
	bindings: readonly Binding<Action>[],
	onAction: (action: Action, input: string) => void,
	isActive = true,
): void {
	useKeys(
		(input, key) => {
			const binding = bindingFor(bindings, input, key);
			if (binding) onAction(binding.action, input);
		},
		{isActive},
	);
}
