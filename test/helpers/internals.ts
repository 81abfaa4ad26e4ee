import {readFileSync} from 'node:fs';
import {keyFile} from '../../source/core/keys.js';
import {Outbox} from '../../source/core/notify/outbox.js';
import {Challenges} from '../../source/core/otp/challenges.js';
import type {Portal} from '../../source/core/portal.js';
import {Store} from '../../source/core/store/store.js';

/*
 * What a test reads or sets behind a portal's back: the portal hands out no internals, so a test
 * opens its own Store (and Challenges) on the same data folder, as another process would. Writes
 * go through the same cross-process lock; the time is the portal's (an injected clock included).
 */

const stores = new WeakMap<Portal, Store>();
const challenges = new WeakMap<Portal, Challenges>();

/** A store on the portal's data folder. */
export function storeOf(portal: Portal): Store {
	let store = stores.get(portal);
	if (!store) stores.set(portal, (store = new Store(portal.dataDirectory)));
	return store;
}

/** The OTP challenges of the portal's data folder, on the portal's clock (for operations of later capabilities). */
export function challengesOf(portal: Portal): Challenges {
	let found = challenges.get(portal);
	if (!found) {
		const key = (name: string) => Buffer.from(readFileSync(keyFile(portal.dataDirectory, name), 'utf8').trim(), 'base64');
		found = new Challenges(storeOf(portal), portal, new Outbox(portal.dataDirectory), {pepper: key('pepper'), totpKey: key('totp')});
		challenges.set(portal, found);
	}
	return found;
}
