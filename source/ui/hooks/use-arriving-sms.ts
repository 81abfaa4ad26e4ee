import {useEffect, useState} from 'react';
import {useUi} from '../context.js';

/** The newest SMS to `userId` that arrived after this screen started, polled once a second. */
export function useArrivingSms(userId: string | undefined): string | undefined {
	const {portal} = useUi();
	const [text, setText] = useState<string | undefined>();
	useEffect(() => {
		setText(undefined);
		if (!userId) return;
		let current = true;
		let seen: number | undefined;
		const poll = async () => {
			const messages = await portal.phone.messages(userId);
			const newest = messages.at(-1);
			if (!current) return;
			if (seen === undefined) seen = newest?.id ?? 0;
			else if (newest && newest.id > seen) {
				seen = newest.id;
				setText(newest.text);
			}
		};
		// A busy or briefly unreadable store is asked again next second.
		const tick = () => void poll().catch(() => undefined);
		tick();
		const timer = setInterval(tick, 1000);
		return () => {
			current = false;
			clearInterval(timer);
		};
	}, [portal, userId]);
	return text;
}
