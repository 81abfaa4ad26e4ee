import {createInterface} from 'node:readline/promises';
import type {Translate} from '../ui/i18n/index.js';
import {UsageError} from './usage.js';

/*
 * A question before a change that cannot be undone (`mysign demo --reset`, `mysign admin
 * revoke`): asked on the terminal, yes only when answered so ("s", "sì", "y", "yes"; anything
 * else, Enter included, is no). Without a terminal there is nobody to ask: refused (exit 2)
 * unless the script says `--yes`, and nothing is changed.
 */

const YES = /^(s|si|sì|y|yes)$/i;

export function isYes(answer: string): boolean {
	return YES.test(answer.trim());
}

/** True to go ahead; false when the person at the terminal said no. */
export async function confirmed(t: Translate, question: string, yes: boolean): Promise<boolean> {
	if (yes) return true;
	if (!process.stdin.isTTY || !process.stderr.isTTY) throw new UsageError(t('cli.confirm.noTerminal'));
	const prompt = createInterface({input: process.stdin, output: process.stderr});
	try {
		const answer = await prompt.question(`${question} ${t('cli.confirm.choices')} `);
		if (isYes(answer)) return true;
		process.stderr.write(t('cli.confirm.declined') + '\n');
		return false;
	} finally {
		prompt.close();
	}
}
