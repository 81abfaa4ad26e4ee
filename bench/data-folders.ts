/*
 * The data the figures run on: the demo holders, and one demo data set built by the CLI then
 * seeded (100 000 signatures; 10 000 and 100 000 holders) in copies, one per figure; the same
 * holders in PostgreSQL databases (postgres-data.ts). Each folder or database is made the first
 * time a figure asks for it, so `--only` prepares only what its figures use.
 */
import {cpSync} from 'node:fs';
import {join} from 'node:path';
import {count, progress} from './figure.js';
import {type NoPostgres, type PostgresFolders, postgresFolders, type PostgresServer} from './postgres-data.js';
import {CLI, runNode, worker} from './processes.js';

export {count} from './figure.js';

export const GIULIA = {userId: 'JCPD2841', password: 'Tramonto!73'};
export const MARIO = {userId: 'JCPD7173', password: 'Girasole&42'};
export const LUCA = {userId: 'JCPD5590', password: 'Montagna_19'};
export const BIG_HISTORY = 100_000;
/** The numbers of holders the store figures compare: the demo's 3, and two organisations' (issue 22). */
export const HOLDERS = {small: 3, medium: 10_000, large: 100_000} as const;

export interface Folders {
	work: string;
	demo: string;
	history: string;
	outcomes: {total: number; success: number; failure: number};
	pinZero: string;
	pinBig: string;
	holdersSmall: string;
	holdersMedium: string;
	holdersLarge: string;
	/** The folder the 8 processes share: HOLDERS.medium holders. */
	shared: string;
	/**
	 * The same holders in PostgreSQL (the server started on first use), or why not. Made from the
	 * seeded folders before any figure changes them: ask for it before `holdersLarge` is used.
	 */
	postgres: PostgresFolders | NoPostgres;
}

/** One demo data set built by the CLI, copied per figure so that no figure sees another's changes. */
export function prepareFolders(work: string, server: PostgresServer): Folders {
	const once = <T>(make: () => T): (() => T) => {
		let made: {value: T} | undefined;
		return () => (made ??= {value: make()}).value;
	};
	const demo = once(() => {
		progress('data: the demo folder (mysign demo)');
		const folder = join(work, 'demo');
		runNode([CLI, 'demo', '--data', folder]);
		return folder;
	});
	const copy = (name: string, from = demo()) => {
		const folder = join(work, name);
		cpSync(from, folder, {recursive: true});
		return folder;
	};
	const seed = (...args: string[]) => JSON.parse(runNode([worker('seed'), ...args])) as Record<string, number>;
	const withHistory = (name: string, userId: string, signatures: number) => {
		const folder = copy(name);
		progress(`data: ${count(signatures)} signatures for ${userId} (${name})`);
		return {folder, outcomes: seed('history', folder, userId, String(signatures)) as Folders['outcomes']};
	};
	const history = once(() => withHistory('history', GIULIA.userId, BIG_HISTORY));
	const pinZero = once(() => withHistory('pin-0', MARIO.userId, 0).folder);
	const pinBig = once(() => withHistory('pin-100k', MARIO.userId, BIG_HISTORY).folder);
	// Seeded once per size; the figures that change a folder get their own copy of it.
	const seeded = (holders: number) =>
		once(() => {
			const folder = copy(`holders-${holders}-seeded`);
			progress(`data: ${count(holders)} holders (written directly, then opened by the store)`);
			seed('holders', folder, String(holders));
			return folder;
		});
	const medium = seeded(HOLDERS.medium);
	const large = seeded(HOLDERS.large);
	const holdersSmall = once(() => copy(`holders-${HOLDERS.small}`));
	const holdersMedium = once(() => copy(`holders-${HOLDERS.medium}`, medium()));
	const shared = once(() => copy(`shared-${HOLDERS.medium}`, medium()));
	const postgres = postgresFolders(work, server, {
		small: {holders: HOLDERS.small, folder: demo},
		medium: {holders: HOLDERS.medium, folder: medium},
		large: {holders: HOLDERS.large, folder: large},
	});
	return {
		work,
		get demo() {
			return demo();
		},
		get history() {
			return history().folder;
		},
		get outcomes() {
			return history().outcomes;
		},
		get pinZero() {
			return pinZero();
		},
		get pinBig() {
			return pinBig();
		},
		get holdersSmall() {
			return holdersSmall();
		},
		get holdersMedium() {
			return holdersMedium();
		},
		// Used by one figure only: not copied (100 000 documents, ~800 MB on disk).
		get holdersLarge() {
			return large();
		},
		get shared() {
			return shared();
		},
		get postgres() {
			return postgres();
		},
	};
}
