import {useCallback, useEffect, useState} from 'react';
import {useUi} from '../context.js';
import type {Session} from '../../core/index.js';

/**
 * The signing-PIN attempts left before the certificate is blocked, which every PIN prompt
 * shows (seed 003 §6). `refresh` re-reads it after a refusal.
 */
export function usePinAttempts(holder: Session): [number | undefined, () => void] {
	const {portal} = useUi();
	const [left, setLeft] = useState<number | undefined>();
	const refresh = useCallback(() => {
		portal.pin.attemptsLeft(holder).then(setLeft, () => setLeft(undefined));
	}, [portal, holder.id]);
	useEffect(refresh, [refresh]);
	return [left, refresh];
}
