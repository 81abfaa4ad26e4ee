/*
 * "Did you mean …?" for a mistyped command or flag. The distance is the optimal string alignment
 * distance (Levenshtein plus the swap of two neighbouring letters as one edit), because the
 * commonest typo, `stauts` for `status`, is one swap but two Levenshtein edits. The few lines
 * below instead of a dependency: the only edit-distance package installed (fast-levenshtein)
 * comes in through the linter, is not a run-time dependency and counts a swap as two.
 */

export function editDistance(a: string, b: string): number {
	const rows = Array.from({length: a.length + 1}, (_, index) => [index, ...Array<number>(b.length).fill(0)]);
	for (let column = 1; column <= b.length; column++) rows[0]![column] = column;
	for (let i = 1; i <= a.length; i++) {
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
			rows[i]![j] = best;
		}
	}
	return rows[a.length]![b.length]!;
}

/**
 * The closest candidate, when it is close enough to be a typo: at most 1 edit for words of up
 * to 4 letters, 2 up to 8, 3 beyond (so `lst` → `list`, `stauts` → `status`, but `frobnicate` →
 * nothing). A prefix of a single candidate (`--usr`, `admin coup`) counts too.
 */
export function suggestion(written: string, candidates: readonly string[]): string | undefined {
	const word = written.toLowerCase();
	if (word === '') return undefined;
	const limit = word.length <= 4 ? 1 : word.length <= 8 ? 2 : 3;
	let best: {candidate: string; distance: number} | undefined;
	for (const candidate of candidates) {
		const distance = editDistance(word, candidate.toLowerCase());
		if (distance <= limit && (!best || distance < best.distance)) best = {candidate, distance};
	}
	if (best) return best.candidate;
	const prefixed = candidates.filter(candidate => candidate.toLowerCase().startsWith(word));
	return prefixed.length === 1 ? prefixed[0] : undefined;
}
