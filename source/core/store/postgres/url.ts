/* What the command line checks of a store URL, without loading the PostgreSQL client. */

/** Whether `value` is a PostgreSQL connection URL (what --store and MYSIGN_STORE take). */
export function isPostgresUrl(value: string): boolean {
	return /^postgres(ql)?:\/\//i.test(value);
}

/** The URL without its password: what messages and error reports name. */
export function displayUrl(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password) parsed.password = '***';
		return parsed.toString();
	} catch {
		return 'postgres://…';
	}
}
