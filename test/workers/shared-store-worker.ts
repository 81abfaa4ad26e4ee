/*
 * A mysign process on one server of several sharing a PostgreSQL database (issue 22): opens its
 * own data folder (its keys and CA) on the database and does one holder operation, printing the
 * result as one JSON line.
 *   login <userID> <password>      {"kind": "success" | …}; a success leaves its session open
 *   sessions <userID> <password>   logs in, then {"kind", "terminals": every open session's terminal}
 */
import {Portal} from '../../source/core/portal.js';
import {closePools} from '../../source/core/store/postgres/database.js';

const [dataDirectory, url, terminal, operation, userId, password] = process.argv.slice(2) as [string, string, string, string, string, string];
try {
	const portal = await Portal.open({dataDirectory, store: url, terminal});
	const login = await portal.sessions.login(userId, password);
	if (operation === 'sessions' && login.kind === 'success') {
		const sessions = await portal.sessions.list(login.session);
		process.stdout.write(JSON.stringify({kind: login.kind, terminals: sessions.filter(session => session.endedAt === null).map(session => session.terminal).sort()}) + '\n');
	} else {
		process.stdout.write(JSON.stringify({kind: login.kind}) + '\n');
	}
} catch (error) {
	process.stdout.write(JSON.stringify({error: (error as {code?: string}).code ?? String(error)}) + '\n');
} finally {
	await closePools();
}
