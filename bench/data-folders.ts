/*
 * The data the figures run on: the demo holders, and one demo data set built by the CLI then
 * seeded (100 000 signatures, 1 000 holders) in copies, one per figure.
 */
import {cpSync} from 'node:fs';
import {join} from 'node:path';
import {CLI, runNode, worker} from './processes.js';

export const GIULIA = {userId: 'JCPD2841', password: 'Tramonto!73'};
export const MARIO = {userId: 'JCPD7173', password: 'Girasole&42'};
export const LUCA = {userId: 'JCPD5590', password: 'Montagna_19'};
export const BIG_HISTORY = 100_000;

export interface Folders {
	work: string;
	demo: string;
	history: string;
	outcomes: {total: number; success: number; failure: number};
	pinZero: string;
	pinBig: string;
	holdersSmall: string;
	holdersLarge: string;
	shared: string;
}

/** One demo data set built by the CLI, copied per figure so that no figure sees another's changes. */
export function prepareFolders(work: string): Folders {
	const demo = join(work, 'demo');
	runNode([CLI, 'demo', '--data', demo]);
	const copy = (name: string) => {
		const folder = join(work, name);
		cpSync(demo, folder, {recursive: true});
		return folder;
	};
	const seed = (...args: string[]) => JSON.parse(runNode([worker('seed'), ...args])) as Record<string, number>;
	const history = copy('history');
	const outcomes = seed('history', history, GIULIA.userId, String(BIG_HISTORY)) as Folders['outcomes'];
	const pinZero = copy('pin-0');
	seed('history', pinZero, MARIO.userId, '0');
	const pinBig = copy('pin-100k');
	seed('history', pinBig, MARIO.userId, String(BIG_HISTORY));
	const holdersLarge = copy('holders-1000');
	seed('holders', holdersLarge, '1000');
	return {work, demo, history, outcomes, pinZero, pinBig, holdersSmall: copy('holders-3'), holdersLarge, shared: copy('shared')};
}
