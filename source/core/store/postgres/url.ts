/* What the command line and the store check of a store URL, without loading the PostgreSQL client. */

/**
 * Parameters that make the client read a file while it parses the URL (pg-connection-string:
 * readFileSync, following links, blocking on a FIFO): a URL written into the data folder
 * (store.url) could make every process read what its writer chose. Certificates come from the
 * environment's usual places instead (PGSSLROOTCERT is not read either: say so in the README).
 */
const FILE_PARAMETERS = ['sslcert', 'sslkey', 'sslrootcert', 'sslcrl', 'passfile', 'service'];
/**
 * Parameters the client takes over the URL's own host, port, user and database (or that change
 * the schema): the database a URL names is what it shows (displayUrl), so that store.url and
 * --store are compared, and messages say, what the client really uses.
 */
const TARGET_PARAMETERS = ['host', 'hostaddr', 'port', 'user', 'dbname', 'database', 'options'];
const PASSWORD_PARAMETERS = ['password', 'sslpassword'];

/** Why `value` is not a store URL we take (undefined: it is one). */
export function storeUrlProblem(value: string): 'scheme' | 'unparsable' | 'fileParameter' | 'targetParameter' | undefined {
	if (!/^postgres(ql)?:\/\//i.test(value)) return 'scheme';
	let parsed: URL;
	try {
		parsed = new URL(value);
	} catch {
		return 'unparsable';
	}
	if (/[\r\n\t]/.test(value) || parsed.hostname === '') return 'unparsable';
	if (FILE_PARAMETERS.some(name => parsed.searchParams.has(name))) return 'fileParameter';
	if (TARGET_PARAMETERS.some(name => parsed.searchParams.has(name))) return 'targetParameter';
	return undefined;
}

/** Whether `value` is a PostgreSQL connection URL we take (what --store and MYSIGN_STORE take). */
export function isPostgresUrl(value: string): boolean {
	return storeUrlProblem(value) === undefined;
}

/** Whether the URL carries a password (its user part, or ?password= / ?sslpassword=). */
export function hasPassword(url: string): boolean {
	try {
		const parsed = new URL(url);
		return parsed.password !== '' || PASSWORD_PARAMETERS.some(name => parsed.searchParams.has(name));
	} catch {
		return /:[^/@]*@/.test(url);
	}
}

/**
 * What messages and error reports name: the scheme, user, host, port and database only (never a
 * password, wherever the URL carries one, nor any other parameter). A value that is no URL is
 * shown as given (a socket path), or only by its scheme when it may hold a password.
 */
export function displayUrl(url: string): string {
	try {
		const parsed = new URL(url);
		const user = parsed.username === '' ? '' : `${parsed.username}@`;
		return `${parsed.protocol}//${user}${parsed.host}${parsed.pathname}`;
	} catch {
		// A value that may hold a password (user:password@, password=) shows its scheme only.
		if (/@|password/i.test(url)) return `${/^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0] ?? ''}…`;
		return url;
	}
}
