/*
 * "Domanda Segreta" (seed 003 §9.4): a question from the list or the holder's own, and an
 * answer kept only as a peppered argon2id hash of its normalised form, so "  Fido " and
 * "fido" are the same answer.
 */

export const SUGGESTED_QUESTIONS = [
	'Come si chiamava il tuo primo animale domestico?',
	'In che città sono nati i tuoi genitori?',
	'Qual è il nome della tua scuola elementare?',
	'Qual è il cognome da nubile di tua madre?',
	'Qual è il tuo libro preferito?',
] as const;

export const ANSWER_MIN_LENGTH = 2;
export const ANSWER_MAX_LENGTH = 100;
export const QUESTION_MAX_LENGTH = 200;

/** Case, accents' composition and runs of spaces do not matter. */
export function normaliseAnswer(answer: string): string {
	return answer.normalize('NFKC').toLocaleLowerCase('it-IT').replace(/\s+/gu, ' ').trim();
}
