import type {Database} from '../../store/schema.js';
import {en} from './en.js';
import {it, type Messages} from './it.js';

export type {Addressee, Email, Messages, Sms} from './it.js';

/*
 * The portal's SMS and e-mail texts, one catalogue per language (it.ts, en.ts), picked by the
 * saved language of the holder who reads the message (account setting `language`), Italian when
 * none is set. Operators and the folder's own mails (the trainer's handout) are Italian: an
 * operator has no saved language, and the handout is a printed page of the Italian course.
 */

export type MessageKey = keyof Messages;
export type MessageLanguage = 'it' | 'en';

export const CATALOGUES: Readonly<Record<MessageLanguage, Messages>> = {it, en};

/** The catalogue of a language; Italian when none is saved (`null`, `undefined`). */
export function messagesFor(language: MessageLanguage | null | undefined): Messages {
	return CATALOGUES[language ?? 'it'];
}

/** The saved language of whoever `userId` is, null for someone with none (an operator, an unknown id). */
export function holderLanguage(db: Pick<Database, 'holders'>, userId: string | null | undefined): MessageLanguage | null {
	return db.holders.find(holder => holder.userId === userId)?.language ?? null;
}

/** The messages `userId` reads: their language's, Italian when they saved none. */
export function messagesOf(db: Pick<Database, 'holders'>, userId: string | null | undefined): Messages {
	return messagesFor(holderLanguage(db, userId));
}
