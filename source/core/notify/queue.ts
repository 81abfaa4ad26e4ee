import type {OutboxMessage, OutboxStore} from './outbox.js';

/*
 * The messages `recordChange` queued in `db.notices` (see changes.ts), delivered like the access
 * log's entries (see Store.save): their numbers are handed out and they are committed with
 * db.json; right after, they are written to the outbox; the next write drops them from db.json,
 * delivering first any a crash left undelivered. A message already in the outbox (its record is
 * written last) is not written again, so none is ever sent twice or lost.
 */

const SENDER = 'InfoCert <noreply@mysign.local>';

/** Writes the messages not in the outbox yet. Call under the database lock. */
export async function deliverQueued(outbox: OutboxStore, messages: readonly OutboxMessage[]): Promise<void> {
	for (const message of messages) {
		if (await outbox.delivered(message)) continue;
		if (message.kind === 'sms') {
			await outbox.deliver(message);
			continue;
		}
		const {composeEmail} = await import('./email.js');
		const eml = await composeEmail({from: SENDER, to: message.to, subject: message.subject ?? '', text: message.text, date: new Date(message.at)});
		await outbox.deliverEmail(message, eml);
	}
}
