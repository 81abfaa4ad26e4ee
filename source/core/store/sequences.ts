/** What the counters need of the database (structural: schema.ts re-exports this module). */
interface Database {
	sequences: Record<string, number>;
	holders: readonly {userId: string}[];
}

/**
 * Where a store update takes outbox numbers from (set by Store.update on its snapshot, never
 * written): `<data>/outbox.sequence`, so that a message sent for one holder writes no db.json.
 */
export const OUTBOX_NUMBERS = Symbol('outboxNumbers');

/** Takes the next value of a named counter; call it inside a store update. */
export function nextSequence(db: Database, name: string): number {
	const outboxNumbers = (db as Database & {[OUTBOX_NUMBERS]?: () => number})[OUTBOX_NUMBERS];
	if (name === 'outbox' && outboxNumbers) return outboxNumbers();
	const value = (db.sequences[name] ?? 0) + 1;
	db.sequences[name] = value;
	return value;
}

/**
 * The id of a new access-log entry: the holder's own counter, `sequences["accessLog:<userID>"]`
 * (their log is their own file, see history/access-log.ts; the counter lives in their document,
 * so an operation on one holder writes that document alone), or the folder's for attempts that
 * name nobody (userId null). A holder's counter starts from the folder's, above every id given
 * before it existed. The holder must be in the operation's view.
 */
export function nextAccessId(db: Database, userId: string | null): number {
	if (userId === null) return nextSequence(db, 'accessLog');
	if (!db.holders.some(entry => entry.userId === userId)) throw new Error(`an access-log entry for ${userId}, who is not in this operation's view`);
	const key = holderSequenceKey('accessLog', userId);
	db.sequences[key] ??= db.sequences['accessLog'] ?? 0;
	return nextSequence(db, key);
}

/** A counter of one holder's, kept in their document (see partition.ts). */
export function holderSequenceKey(name: string, userId: string): string {
	return `${name}:${userId}`;
}
