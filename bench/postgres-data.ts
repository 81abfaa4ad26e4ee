/*
 * The PostgreSQL side of the store figures (issue 22): a server (a throw-away cluster started by
 * scripts/postgres-cluster.mjs, or MYSIGN_BENCH_POSTGRES's), and databases holding the same
 * documents as the bench's data folders, each with a data folder of its own for what a server
 * keeps in files (keys/, pki/, signatures/, access/, outbox/). A database is seeded once per size
 * from its data folder's files (workers/seed-postgres.ts) and copied per figure with
 * CREATE DATABASE … TEMPLATE, so no figure sees another's changes.
 */
import {cpSync, mkdtempSync} from 'node:fs';
import os from 'node:os';
import {join, relative} from 'node:path';
import {count, progress} from './figure.js';
import {ROOT, runNode, worker} from './processes.js';

/** A figure's database and the data folder a server uses with it. */
export interface PostgresTarget {
	directory: string;
	url: string;
}

export interface PostgresFolders {
	holdersSmall: PostgresTarget;
	holdersMedium: PostgresTarget;
	holdersLarge: PostgresTarget;
	/** The database the 8 processes share: HOLDERS.medium holders. */
	shared: PostgresTarget;
}

/** No PostgreSQL for this run: why (the rows say "not measured"). */
export interface NoPostgres {
	missing: string;
}

/** What stays behind in a data folder moved to a database: the store's own files (see location.ts, backend.ts). */
const STORE_FILES = new Set(['db.json', 'db.json.checked', 'db.lock', 'holders', 'outbox.sequence', 'store.url']);

/** A command's failure as its last line of output (runNode's error carries the whole stderr). */
const lastLine = (error: unknown) =>
	String((error as Error).message ?? error)
		.split('\n')
		.map(line => line.trim())
		.filter(Boolean)
		.at(-1) ?? 'unknown error';

/** scripts/postgres-cluster.mjs, as main.ts loads it. */
export type ClusterScript = typeof import('../scripts/postgres-cluster.mjs');
export const CLUSTER_SCRIPT = join(ROOT, 'scripts', 'postgres-cluster.mjs');

/** The server: started the first time a figure asks for a database, stopped (or its databases dropped) by `stop`. */
export class PostgresServer {
	private state: {url: string} | NoPostgres | undefined;
	/** The throw-away cluster's folder (one of our own only). */
	private cluster: string | undefined;
	private readonly databases: string[] = [];

	constructor(
		private readonly script: ClusterScript,
		private readonly given = process.env['MYSIGN_BENCH_POSTGRES'] || undefined,
	) {}

	/** The server's URL, or why there is none: binaries missing, or a cluster that did not start. */
	server(): {url: string} | NoPostgres {
		if (this.state) return this.state;
		if (this.given) return (this.state = {url: this.given});
		try {
			this.script.findBinaries();
		} catch (error) {
			if (error instanceof this.script.PostgresMissing) return (this.state = {missing: error.message});
			throw error;
		}
		// Not inside the work folder: as root, the cluster belongs to the `postgres` user, who must reach its folder.
		this.cluster = mkdtempSync(join(os.tmpdir(), 'mysign-bench-postgres-'));
		progress('data: a throw-away PostgreSQL cluster (scripts/postgres-cluster.mjs)');
		try {
			// Its command line (startCluster is asynchronous; the folders are made synchronously as figures ask).
			return (this.state = {url: runNode([CLUSTER_SCRIPT, 'start', this.cluster]).trim()});
		} catch (error) {
			this.stop();
			return (this.state = {missing: `the throw-away cluster did not start: ${lastLine(error)}`});
		}
	}

	/** A new database (a copy of `template`, made by this server), its URL. Named for this process on a server not ours. */
	createDatabase(name: string, template?: string): {name: string; url: string} {
		const server = this.server();
		if ('missing' in server) throw new Error(server.missing);
		const full = this.given ? `mysign_bench_${process.pid}_${name}` : name;
		runNode([worker('seed-postgres'), 'create', server.url, full, ...(template ? [template] : [])]);
		this.databases.push(full);
		const url = new URL(server.url);
		url.pathname = `/${full}`;
		return {name: full, url: url.toString()};
	}

	/** Synchronous (Ctrl-C): the cluster stopped and removed; on a server not ours, the databases made dropped. */
	stop(): void {
		if (this.cluster) {
			this.script.stopCluster(this.cluster);
			this.cluster = undefined;
		} else if (this.given && this.databases.length > 0) {
			try {
				runNode([worker('seed-postgres'), 'drop', this.given, ...this.databases.splice(0)]);
			} catch (error) {
				progress(`could not drop the bench's databases on MYSIGN_BENCH_POSTGRES: ${lastLine(error)}`);
			}
		}
	}
}

/**
 * The figures' databases, each made when a figure first asks for it. `sources`: the data folders
 * (3 holders: the demo; 10 000 and 100 000: seeded, not yet changed by any figure) whose files
 * are copied in.
 */
type Source = {holders: number; folder: () => string};
export function postgresFolders(work: string, server: PostgresServer, sources: {small: Source; medium: Source; large: Source}): () => PostgresFolders | NoPostgres {
	const once = <T>(make: () => T): (() => T) => {
		let made: {value: T} | undefined;
		return () => (made ??= {value: make()}).value;
	};
	// The data folder without the store's files: keys, CA, logs and outbox as the source has them.
	const folder = (name: string, from: string) => {
		const directory = join(work, name);
		cpSync(from, directory, {recursive: true, filter: source => !STORE_FILES.has(relative(from, source))});
		return directory;
	};
	const seeded = ({holders, folder: source}: Source) =>
		once(() => {
			const from = source();
			const database = server.createDatabase(`holders_${holders}_seeded`);
			const directory = folder(`postgres-${holders}-seeded`, from);
			progress(`data: ${count(holders)} holders in PostgreSQL (the folder's documents copied as rows, then opened by the store)`);
			const seconds = JSON.parse(runNode([worker('seed-postgres'), 'copy', from, database.url, directory])) as {copy: number; validate: number};
			progress(`data: ${count(holders)} holders in PostgreSQL: copied in ${seconds.copy.toFixed(1)} s, validated in ${seconds.validate.toFixed(1)} s`);
			return {directory, url: database.url, database: database.name};
		});
	const copy = (name: string, from: ReturnType<ReturnType<typeof seeded>>): PostgresTarget => ({
		directory: folder(`postgres-${name}`, from.directory),
		url: server.createDatabase(name.replaceAll('-', '_'), from.database).url,
	});
	const small = seeded(sources.small);
	const medium = seeded(sources.medium);
	const large = seeded(sources.large);
	const holdersSmall = once(() => copy(`holders-${sources.small.holders}`, small()));
	const holdersMedium = once(() => copy(`holders-${sources.medium.holders}`, medium()));
	const shared = once(() => copy(`shared-${sources.medium.holders}`, medium()));
	const folders: PostgresFolders = {
		get holdersSmall() {
			return holdersSmall();
		},
		get holdersMedium() {
			return holdersMedium();
		},
		// Used by one figure only: not copied (as its folder).
		get holdersLarge() {
			const {directory, url} = large();
			return {directory, url};
		},
		get shared() {
			return shared();
		},
	};
	return () => {
		const state = server.server();
		return 'missing' in state ? state : folders;
	};
}
