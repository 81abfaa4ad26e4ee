/*
 * Another process holding a session: logs `userId` in on the data folder with a clock stopped
 * at `now`, prints "session <id>", then polls the session like the TUI does and, once it has
 * been ended from elsewhere, prints "ended <reason>" and "dashboard <error code>" and exits.
 */
import {isDomainError} from '../../source/core/errors.js';
import {Portal} from '../../source/core/portal.js';

const [dataDirectory, now, userId, password] = process.argv.slice(2);
const clock = {now: () => new Date(now!)};
const portal = await Portal.open({dataDirectory: dataDirectory!, clock, terminal: 'worker'});
const login = await portal.sessions.login(userId!, password!);
if (login.kind !== 'success') {
	process.stdout.write(`login ${login.kind}\n`);
	process.exit(1);
}
process.stdout.write(`session ${login.session.id}\n`);
const deadline = Date.now() + 30_000;
while (Date.now() < deadline) {
	const status = await portal.sessions.status(login.session, {touch: true});
	if (status.state === 'ended') {
		process.stdout.write(`ended ${status.reason}\n`);
		const dashboard = await portal.certificate.dashboard(login.session).then(
			() => 'served',
			(error: unknown) => (isDomainError(error) ? error.code : String(error)),
		);
		process.stdout.write(`dashboard ${dashboard}\n`);
		process.exit(0);
	}
	await new Promise(resolve => setTimeout(resolve, 20));
}
process.stdout.write('timeout\n');
process.exit(1);
