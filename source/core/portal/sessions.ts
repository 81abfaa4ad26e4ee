import {Sessions, type SessionStatus} from '../account/sessions.js';
import {AppLogin, type AppLoginOffer} from '../auth/app-login.js';
import {login as attemptLogin, MAX_IDENTIFIER_LENGTH} from '../auth/login.js';
import {DomainError} from '../errors.js';
import type {SessionRecord} from '../store/schema.js';
import type {PortalContext} from './context.js';
import type {PortalLoginResult, Session} from './types.js';

/** Access: logging in (password or the app), the session's state, "Dispositivi e sessioni", CLI sessions. */
export class SessionService {
	private readonly sessions: Sessions;
	private readonly appLogin: AppLogin;
	/** Sessions this process opened and has not logged out: ended when the portal is closed (`closeOwn`). */
	private readonly own = new Map<string, string>();

	constructor(private readonly context: PortalContext) {
		this.sessions = new Sessions(context.store, context.clock);
		this.appLogin = new AppLogin(context.store, context.clock, context.keys.pepper, context.terminal);
	}

	async login(identifier: string, password: string): Promise<PortalLoginResult> {
		const {store, clock, keys, terminal} = this.context;
		// An empty or overlong identifier gets the same answer as a wrong password.
		const result = await attemptLogin(store, clock, keys.pepper, {identifier: identifier.slice(0, MAX_IDENTIFIER_LENGTH), password, terminal});
		if (result.kind !== 'success') return result;
		return {kind: 'success', session: await this.newSession(result.holder.userId)};
	}

	/** "Accedi con l'app": a code for the login screen; see `pollAppLogin`. */
	offerAppLogin(): Promise<AppLoginOffer> {
		return this.appLogin.offer();
	}

	async pollAppLogin(offerId: string): Promise<{state: 'pending' | 'expired' | 'denied'} | {state: 'approved'; session: Session}> {
		const result = await this.appLogin.poll(offerId);
		return result.state === 'approved' ? {state: 'approved', session: await this.newSession(result.userId)} : result;
	}

	private async newSession(userId: string): Promise<Session> {
		const record = await this.sessions.open(userId, this.context.terminal);
		this.own.set(record.id, userId);
		return {id: record.id, userId, startedAt: new Date(record.startedAt)};
	}

	/**
	 * A command-line session (`mysign sign` without the password each time): a random secret for
	 * this live session, of which the store keeps only a hash; see `resumeCli`.
	 */
	async cliSecret(session: Session): Promise<string> {
		await this.context.requireSession(session);
		const {attachSecret} = await import('../account/cli-session.js');
		return attachSecret(this.context.store, this.context.clock, session);
	}

	/** The CLI session whose secret this is, if still live (counts as activity); `auth.sessionExpired` otherwise. */
	async resumeCli(input: {userId: string; sessionId: string; secret: string}): Promise<Session> {
		const {findBySecret} = await import('../account/cli-session.js');
		const record = await findBySecret(this.context.store, this.context.clock, input);
		const status = await this.sessions.status(record, {touch: true});
		if (status.state !== 'active') throw new DomainError('auth.sessionExpired');
		return {id: record.id, userId: record.userId, startedAt: new Date(record.startedAt)};
	}

	/** "Esci": ends the session here and for every other process. */
	logout(session: Session): Promise<void> {
		// Only the holder's own session: an id paired with another userID ends nothing.
		this.own.delete(session.id);
		return this.sessions.end(session.id, 'logout', session.userId);
	}

	/**
	 * The portal is being closed (Ctrl-C, SIGHUP, SIGTERM): every session this process opened ends
	 * in the store ("Dispositivi e sessioni" no longer lists it), logged as `session-closed`.
	 * Sessions already ended elsewhere stay as they were. The caller bounds the wait.
	 */
	async closeOwn(): Promise<void> {
		const open = [...this.own];
		this.own.clear();
		for (const [id, userId] of open) await this.sessions.end(id, 'closed', userId);
	}

	/**
	 * Whether the session is still open (it may have timed out, or been ended from another
	 * session); `touch` records a key press, which keeps it alive.
	 */
	status(session: Session, options: {touch?: boolean} = {}): Promise<SessionStatus> {
		return this.sessions.status(session, options);
	}

	/** "Dispositivi e sessioni": the holder's open sessions, newest first. */
	async list(session: Session): Promise<SessionRecord[]> {
		await this.context.requireLiveSession(session);
		return this.sessions.list(session.userId);
	}

	/** "Esci da tutte le altre sessioni"; returns how many were ended. */
	async endOthers(session: Session): Promise<number> {
		await this.context.requireLiveSession(session);
		return this.sessions.endOthers(session.userId, session.id);
	}
}
