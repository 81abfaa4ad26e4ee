import {useRef, useState} from 'react';

/**
 * The highlighted item of a list, moving with wrap-around. `current()` reads a ref, so a key
 * that follows a move in the same burst ("down, Enter") acts on the item just reached.
 */
export function useSelection(count: number, initial = 0) {
	const [selection, setSelection] = useState(Math.max(0, Math.min(initial, count - 1)));
	const latest = useRef(selection);
	const moveTo = (index: number) => {
		latest.current = count === 0 ? 0 : ((index % count) + count) % count;
		setSelection(latest.current);
	};
	return {
		selection,
		current: () => Math.min(latest.current, Math.max(0, count - 1)),
		previous: () => moveTo(latest.current - 1),
		next: () => moveTo(latest.current + 1),
		moveTo,
	};
}
