import {read} from 'read';
import {isDomainError, type Portal, type Session} from '../core/index.js';
import {formatDate, formatTime, type Language, type Translate} from '../ui/i18n/index.js';
import {zoneName} from './time.js';
import {readToken, removeToken, tokenFile, writeToken} from './session-file.js';
import {UsageError} from './usage.js';

/*
 * The command line logs in before any PIN is checked or OTP sent, through the core's login (the
 * same attempt counter and lock-out as the portal's). A script gives the password with
 * `--password-stdin`; a person types it (hidden). The login opens a command-line session with
 * the portal's idle and maximum times; its secret goes to the holder's private token file, so
 * the next command on the same folder needs no password while the session lives.
 * `mysign logout --user ID` ends it.
 */

export class LoginRefused extends Error {}

export interface CliLogin {
	t: Translate;
	language: Language;
	portal: Portal;
	dataDirectory: string;
	userId: string;
	/** The password from stdin, when `--password-stdin` was given. */
	password: string | undefined;
	interactive: boolean;
	err: (text: string) => void;
}

async function askPassword(t: Translate, userId: string): Promise<string> {
	// `read` mutes the echo; on Ctrl-C it rejects, which ends the command before anything is checked.
	return String(await read({prompt: t('sign.cli.passwordPrompt', {userId}), silent: true, replace: '*', output: process.stderr}));
}

/** A live session of `userId`: the stored one when no password was given, else a new login. */
export async function cliSession(options: CliLogin): Promise<Session> {
	const {t, portal} = options;
	const file = tokenFile(options.dataDirectory, options.userId);
	if (options.password === undefined) {
		const token = await readToken(file);
		if (token) {
			try {
				return await portal.sessions.resumeCli({userId: options.userId, ...token});
			} catch (error) {
				if (!isDomainError(error, 'auth.sessionExpired')) throw error;
				await removeToken(file);
			}
		}
		if (!options.interactive) throw new UsageError(t('sign.cli.needPassword'));
	}
	const password = options.password ?? (await askPassword(t, options.userId));
	const result = await portal.sessions.login(options.userId, password);
	if (result.kind === 'invalid') throw new LoginRefused(`${t('login.invalid')} ${t('login.attemptsLeft', {count: result.attemptsLeft})}`);
	if (result.kind === 'locked') throw new LoginRefused(t('login.locked', {time: `${formatTime(options.language, result.until)} ${zoneName(result.until)}`, date: formatDate(options.language, result.until)}));
	const {session} = result;
	// The portal asks for a new password before anything else: so does the command line.
	if ((await portal.certificate.dashboard(session)).mustChangePassword) {
		await portal.sessions.logout(session);
		throw new LoginRefused(t('sign.cli.mustChangePassword'));
	}
	// The session replaces the stored one (which is ended); without a private folder it ends with the command.
	const previous = await readToken(file);
	if (previous) await portal.sessions.resumeCli({userId: options.userId, ...previous}).then(old => portal.sessions.logout(old), () => undefined);
	const secret = await portal.sessions.cliSecret(session);
	const stored = await writeToken(file, {sessionId: session.id, secret}).catch(() => false);
	if (!stored) {
		options.err(t('sign.cli.sessionNotStored', {folder: file.replace(/\/[^/]*$/, '')}));
		process.once('beforeExit', () => void portal.sessions.logout(session).catch(() => undefined));
	}
	return session;
}

/** `mysign logout --user ID`: ends the command-line session of that holder on this folder. */
export async function logoutCommand(options: {t: Translate; portal: Portal; dataDirectory: string; userId: string | undefined; json: boolean}): Promise<number> {
	const {t} = options;
	if (!options.userId) throw new UsageError(t('logout.cli.needUser'));
	const userId = options.userId.toUpperCase();
	const file = tokenFile(options.dataDirectory, userId);
	const token = await readToken(file);
	let ended = false;
	if (token) {
		const session = await options.portal.sessions.resumeCli({userId, ...token}).catch((error: unknown) => {
			if (isDomainError(error, 'auth.sessionExpired')) return undefined;
			throw error;
		});
		if (session) {
			await options.portal.sessions.logout(session);
			ended = true;
		}
	}
	await removeToken(file);
	process.stdout.write((options.json ? JSON.stringify({userId, ended}) : t(ended ? 'logout.cli.done' : 'logout.cli.none', {userId})) + '\n');
	return 0;
}
