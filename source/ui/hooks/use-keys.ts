import {useInput, type Key} from 'ink';
import {splitBurst} from './key-burst.js';

/** useInput, with bursts of keys split back into single presses (see key-burst.ts). */
export function useKeys(handler: (input: string, key: Key) => void, options: {isActive?: boolean} = {}): void {
	useInput(
		(input, key) => {
			for (const press of splitBurst(input, key)) handler(press.input, press.key);
		},
		{isActive: options.isActive ?? true},
	);
}
