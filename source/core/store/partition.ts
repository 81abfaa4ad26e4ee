import {z} from 'zod';
import {USER_ID_PATTERN} from '../holders/user-id.js';
import {outboxMessageSchema} from '../notify/outbox.js';
import {
	accessEntrySchema,
	certificateSchema,
	challengeSchema,
	databaseSchema,
	firstStateSchema,
	holderSchema,
	pinChangeSchema,
	raoApprovalSchema,
	renewalSchema,
	sessionSchema,
	throttleSchema,
	type Database,
} from './schema.js';

/*
 * The partitioned data folder (issue 22): the whole database an operation sees (`Database`, the
 * format-1 shape every core operation is written against) is kept on disk as
 *
 *   db.json                  format 2: what belongs to no holder (settings, counters, coupons,
 *                            operators, app-login requests, recoveries, the folder clock, the
 *                            CRL number, key fingerprints) and the last multi-document commit;
 *   holders/<userID>.json    one per holder: the holder, their first state, certificates,
 *                            challenges, renewals, RAO approvals, PIN changes, sessions, their
 *                            login/ERC/PIN throttles and the access-log entries and notices their
 *                            last operation queued.
 *
 * An operation scoped to one holder reads and writes db.json and that holder's document only,
 * whatever the number of holders. This module is the pure split and merge between the two forms.
 */

/** The on-disk format of a partitioned db.json and of each holder's document. */
export const PARTITIONED_VERSION = 2;

/** The collections whose records carry the holder's userId and live in that holder's document. */
export const HOLDER_COLLECTIONS = ['certificates', 'challenges', 'renewals', 'raoApprovals', 'pinChanges', 'sessions'] as const;
export type HolderCollections = Pick<Database, (typeof HOLDER_COLLECTIONS)[number]>;

/** Those collections, empty. */
export function noHolderRecords(): HolderCollections {
	return {certificates: [], challenges: [], renewals: [], raoApprovals: [], pinChanges: [], sessions: []};
}

/** A holder document's file name (and nothing else is one): the userID pattern, `.json`. */
export const HOLDER_FILE_PATTERN = /^(JCPD\d{4,8})\.json$/;
/** What a commit may name in holders/: a holder's document or the index. */
const COMMITTED_FILE_PATTERN = /^(JCPD\d{4,8}|index)\.json$/;
export const INDEX_FILE = 'index.json';

/**
 * A multi-document commit: each holder document it changed, written beside its target under a
 * temp name, then db.json naming them (the commit), then the renames. Whoever finds a temp still
 * there (a writer killed after the commit) renames it: see files.ts.
 */
export const commitEntrySchema = z
	.object({
		/** The document in holders/: a holder's (`<userID>.json`) or the e-mail index (`index.json`). */
		file: z.string().regex(COMMITTED_FILE_PATTERN),
		/** Its temp file beside it: `<file>.<pid>.<hex>.tmp`, nothing else. */
		temporary: z.string().regex(/^(JCPD\d{4,8}|index)\.json\.\d{1,10}\.[0-9a-f]{12}\.tmp$/),
		sha256: z.string().regex(/^[0-9a-f]{64}$/),
	})
	.refine(entry => entry.temporary.startsWith(`${entry.file}.`), 'the temp file must be its own document\'s');

/** What the index keeps of a certificate on (or about to leave) the CRL. */
export const listedCertificateSchema = certificateSchema.pick({id: true, userId: true, certificateSerial: true, status: true, revokedAt: true, revocationReason: true, suspendedUntil: true});
export type ListedCertificate = z.infer<typeof listedCertificateSchema>;

/**
 * holders/index.json: each holder's e-mail address (lower-case) and each certificate's IUT →
 * userID, so that a login or a recovery by e-mail, the check that an address is free, or a new
 * IUT reads one small document instead of every holder's. The store keeps it, in the same commit
 * as the holder documents it describes.
 */
export const holderIndexSchema = z.object({
	version: z.literal(PARTITIONED_VERSION),
	emails: z.record(z.string(), z.string().regex(USER_ID_PATTERN)),
	iuts: z.record(z.string().regex(/^\d{8}$/), z.string().regex(USER_ID_PATTERN)).default({}),
	/**
	 * The certificates with a revocation time (revoked, suspended, or blocked while suspended), by
	 * X.509 serial: what the CRL lists and where a suspension may be over, without reading every
	 * holder. One entry per revocation: it grows with renewals and revocations, not with holders.
	 */
	listed: z.record(z.string().regex(/^[0-9a-f]+$/), listedCertificateSchema).default({}),
});
export type HolderIndex = z.infer<typeof holderIndexSchema>;

/** What the index says of one holder's document: their address and their certificates' IUTs. */
export function indexKeys(document: HolderDocument): {email: string; iuts: string[]; listed: ListedCertificate[]} {
	return {
		email: document.holder.email.toLowerCase(),
		iuts: document.certificates.map(certificate => certificate.iut),
		listed: document.certificates.filter(certificate => certificate.revokedAt !== null).map(listedOf),
	};
}

function listedOf(certificate: ListedCertificate): ListedCertificate {
	const {id, userId, certificateSerial, status, revokedAt, revocationReason, suspendedUntil} = certificate;
	return {id, userId, certificateSerial, status, revokedAt, revocationReason, suspendedUntil};
}

/** The index of `holders` (all of them). */
export function indexOf(holders: Iterable<HolderDocument>): HolderIndex {
	const index: HolderIndex = {version: PARTITIONED_VERSION, emails: {}, iuts: {}, listed: {}};
	for (const document of holders) {
		const {email, iuts, listed} = indexKeys(document);
		index.emails[email] = document.holder.userId;
		for (const iut of iuts) index.iuts[iut] = document.holder.userId;
		for (const entry of listed) index.listed[entry.certificateSerial] = entry;
	}
	return index;
}

/** db.json, format 2: the holder collections hold only records of no holder (normally none). */
export const globalDocumentSchema = databaseSchema
	.omit({version: true, holders: true})
	.extend({
		version: z.literal(PARTITIONED_VERSION),
		/**
		 * Never here: unknown keys are dropped, so a format-1 file relabelled `version: 2` would
		 * lose its holders without a word at the next write. Refused instead (store.invalid).
		 */
		holders: z.never({message: 'holders are in holders/<userID>.json in format 2, never in db.json'}).optional(),
		/** The last multi-document commit (empty when the last write touched db.json alone). */
		commit: z.array(commitEntrySchema).max(100_000).default([]),
		/**
		 * Holders whose documents the last re-creation of the folder (`demo --reset`) removes: named
		 * here before they go, so that a writer killed in between leaves none to come back (see
		 * DataFiles.create and recover). Empty once a later write rewrites db.json.
		 */
		removing: z.array(z.string().regex(USER_ID_PATTERN)).max(10_000_000).default([]),
	});
export type GlobalDocument = z.infer<typeof globalDocumentSchema>;

export const holderDocumentSchema = z.object({
	version: z.literal(PARTITIONED_VERSION),
	/** Where the holder comes in the whole database (enrolment order, as format 1 kept them): lists stay in that order. */
	order: z.number().int().min(0).default(0),
	holder: holderSchema,
	firstState: firstStateSchema.nullable().default(null),
	certificates: z.array(certificateSchema),
	challenges: z.array(challengeSchema),
	renewals: z.array(renewalSchema),
	raoApprovals: z.array(raoApprovalSchema),
	pinChanges: z.array(pinChangeSchema),
	sessions: z.array(sessionSchema),
	/** This holder's throttles: keys `<kind>:<userID>`. */
	loginThrottle: z.record(z.string(), throttleSchema),
	/** This holder's counters: keys `<name>:<userID>` (see nextAccessId). */
	sequences: z.record(z.string(), z.number().int().min(0)).default({}),
	/** Queued by the last operation that wrote this document (see Store.save). */
	accessLog: z.array(accessEntrySchema),
	notices: z.array(outboxMessageSchema),
});
export type HolderDocument = z.infer<typeof holderDocumentSchema>;

/** Which holder a throttle or counter key belongs to (`user:JCPD1234`, `erc:…`, `accessLog:…`), if any. */
function keyOwner(key: string): string | undefined {
	const owner = key.slice(key.indexOf(':') + 1);
	return key.includes(':') && USER_ID_PATTERN.test(owner) ? owner : undefined;
}

/**
 * Checks that a holder document holds only its own holder's records (a copied or edited file
 * must not hand one holder's sessions or keys to another): the reason, or undefined.
 */
export function foreignRecord(document: HolderDocument, userId: string): string | undefined {
	if (document.holder.userId !== userId) return `holder.userId is ${document.holder.userId}, not ${userId}`;
	for (const name of HOLDER_COLLECTIONS) {
		const index = (document[name] as {userId: string}[]).findIndex(record => record.userId !== userId);
		if (index >= 0) return `${name}.${index}.userId is not ${userId}`;
	}
	for (const key of Object.keys(document.loginThrottle)) if (keyOwner(key) !== userId) return `loginThrottle.${key} is not ${userId}'s`;
	for (const key of Object.keys(document.sequences)) if (keyOwner(key) !== userId) return `sequences.${key} is not ${userId}'s`;
	const entry = document.accessLog.findIndex(record => record.userId !== userId);
	if (entry >= 0) return `accessLog.${entry}.userId is not ${userId}`;
	const notice = document.notices.findIndex(record => record.userId !== userId);
	if (notice >= 0) return `notices.${notice}.userId is not ${userId}`;
	return undefined;
}

/**
 * A record of `userId`'s that db.json holds while they have a document (the reason), or undefined.
 * No write leaves one there (a holder's records go to their document); put there by hand, it would
 * join their view unchecked, and make every operation scoped to them fail ("changed records of a
 * holder outside its view") until an unscoped one moved it. The queues (accessLog, notices) and
 * the keyed maps are not looked at: not records a view trusts, and a scan per holder read.
 */
export function recordInGlobal(global: GlobalDocument, userId: string): string | undefined {
	for (const name of HOLDER_COLLECTIONS) {
		const index = (global[name] as {userId: string}[]).findIndex(record => record.userId === userId);
		if (index >= 0) return `${name}.${index} is ${userId}'s, whose records are in holders/${userId}.json`;
	}
	if (Object.hasOwn(global.firstStates, userId)) return `firstStates.${userId} is in holders/${userId}.json`;
	return undefined;
}

/** The whole database from db.json and the holder documents read with it (in userID order). */
export function mergeDocuments(global: GlobalDocument, unordered: readonly HolderDocument[]): Database {
	const holders = [...unordered].sort((a, b) => a.order - b.order || (a.holder.userId < b.holder.userId ? -1 : 1));
	const {commit: _commit, version: _version, removing: _removing, ...rest} = global;
	const db: Database = {
		...rest,
		version: 1,
		holders: [],
		...noHolderRecords(),
		firstStates: {...global.firstStates},
		loginThrottle: {...global.loginThrottle},
		sequences: {...global.sequences},
		accessLog: [...global.accessLog],
		notices: [...global.notices],
	};
	// Records of no holder in this view (a holder deleted, or an older file's strays) stay in db.json.
	for (const name of HOLDER_COLLECTIONS) (db[name] as unknown[]).push(...global[name]);
	for (const document of holders) {
		db.holders.push(document.holder);
		if (document.firstState) db.firstStates[document.holder.userId] = document.firstState;
		for (const name of HOLDER_COLLECTIONS) (db[name] as unknown[]).push(...document[name]);
		Object.assign(db.loginThrottle, document.loginThrottle);
		Object.assign(db.sequences, document.sequences);
		db.accessLog.push(...document.accessLog);
		db.notices.push(...document.notices);
	}
	return db;
}

export interface SplitDocuments {
	global: GlobalDocument;
	holders: Map<string, HolderDocument>;
}

/**
 * The whole database cut into db.json and one document per holder it holds. Records of a userId
 * that is no holder here go to db.json (as in mergeDocuments). `commit` is left empty. Each
 * holder's `order` is `orders`' (what their document said), else their place in `db.holders`
 * after the last known one (a holder enrolled now comes last).
 */
export function splitDatabase(db: Database, orders: ReadonlyMap<string, number> = new Map()): SplitDocuments {
	const holders = new Map<string, HolderDocument>();
	let next = 0;
	for (const order of orders.values()) next = Math.max(next, order + 1);
	for (const holder of db.holders) {
		// Never one document for two holders (the second would silently replace the first).
		if (holders.has(holder.userId)) throw new Error(`holder ${holder.userId} twice in the database`);
		holders.set(holder.userId, {
			version: PARTITIONED_VERSION,
			order: orders.get(holder.userId) ?? next++,
			holder,
			firstState: db.firstStates[holder.userId] ?? null,
			...noHolderRecords(),
			loginThrottle: {},
			sequences: {},
			accessLog: [],
			notices: [],
		});
	}
	const {version: _version, holders: _holders, ...rest} = db;
	const global: GlobalDocument = {...rest, version: PARTITIONED_VERSION, commit: [], removing: [], firstStates: {}, loginThrottle: {}, sequences: {}, accessLog: [], notices: []};
	for (const name of HOLDER_COLLECTIONS) {
		const strays: unknown[] = [];
		for (const record of db[name] as {userId: string}[]) {
			const document = holders.get(record.userId);
			if (document) (document[name] as unknown[]).push(record);
			else strays.push(record);
		}
		(global as unknown as Record<string, unknown[]>)[name] = strays;
	}
	for (const [key, throttle] of Object.entries(db.loginThrottle)) {
		const owner = keyOwner(key);
		const document = owner === undefined ? undefined : holders.get(owner);
		if (document) document.loginThrottle[key] = throttle;
		else global.loginThrottle[key] = throttle;
	}
	for (const [key, value] of Object.entries(db.sequences)) {
		const owner = keyOwner(key);
		const document = owner === undefined ? undefined : holders.get(owner);
		if (document) document.sequences[key] = value;
		else global.sequences[key] = value;
	}
	// Queued entries go with their holder's document; those of nobody (or of no holder here) stay in db.json.
	for (const entry of db.accessLog) (holders.get(entry.userId ?? '') ?? global).accessLog.push(entry);
	for (const notice of db.notices) (holders.get(notice.userId ?? '') ?? global).notices.push(notice);
	for (const [userId, state] of Object.entries(db.firstStates)) if (!holders.has(userId)) global.firstStates[userId] = state;
	return {global, holders};
}
