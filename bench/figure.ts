/*
 * What one figure of the benchmark is (a row of the table, with the note that explains a miss),
 * the statistics and formatting its value, reference and target are written with, and the raw
 * data every figure leaves for bench/results.json.
 */

/** Nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
export function percentile(values: readonly number[], p: number): number {
	const ordered = [...values].sort((a, b) => a - b);
	return ordered[Math.max(0, Math.ceil((p / 100) * ordered.length) - 1)]!;
}
export const median = (values: readonly number[]) => percentile(values, 50);
export const ms = (value: number) => `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms`;
export const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
/** Thousands with a space, as the table writes them: 10 000. */
export const count = (value: number) => String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
export const progress = (text: string) => process.stderr.write(`  … ${text}\n`);

export interface Row {
	figure: string;
	value: string;
	reference: string;
	/** "1.12× (≤ 1.3×)" or "≤ 20 ms". */
	target: string;
	/** null: reported without a target. */
	pass: boolean | null;
	/** What limits the figure: measured (extra runs) only when the target is missed, or for a figure without one. */
	note?: () => Promise<string[]> | string[];
}

/** Figures' raw data, for bench/results.json. */
export const details: Record<string, unknown> = {};
