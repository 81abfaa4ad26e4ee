import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import type {Portal} from '../../source/core/portal.js';
import {App} from '../../source/ui/app.js';
import {KEYS, press, screen, type, waitForScreen} from '../helpers/ink.js';
import {allAccessEntries, demoPortal, MARIO} from '../helpers/portal.js';
import {storeOf} from '../helpers/internals.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function start(language: 'it' | 'en' = 'it') {
	const context = await demoPortal();
	const rendered = render(<App portal={context.portal} language={language} color={false} maxLoginAttempts={5} />);
	cleanup = () => {
		rendered.unmount();
		context.remove();
	};
	await waitForScreen(rendered, language === 'it' ? 'Tentativi rimasti: 5' : 'Attempts left: 5');
	return {...context, rendered};
}

async function logIn(rendered: ReturnType<typeof render>, identifier: string, password: string) {
	await type(rendered, identifier);
	await press(rendered, KEYS.tab);
	await type(rendered, password);
	await press(rendered, KEYS.enter);
}

describe('login screen', () => {
	it('is drawn while the portal still opens; keys typed then wait and act, in order, once it has opened', async () => {
		const context = await demoPortal();
		const app = (portal: Portal | undefined) => <App portal={portal} language="it" color={false} maxLoginAttempts={5} />;
		const rendered = render(app(undefined));
		cleanup = () => {
			rendered.unmount();
			context.remove();
		};
		const first = await waitForScreen(rendered, 'Tentativi rimasti: 5');
		expect(first).toContain('Indirizzo e-mail o nome utente');
		// A whole login typed before the portal is there: nothing happens yet, nothing is lost.
		await type(rendered, MARIO.userId);
		await press(rendered, KEYS.tab);
		await type(rendered, MARIO.password);
		await press(rendered, KEYS.enter);
		await new Promise(resolve => setTimeout(resolve, 100));
		const waiting = screen(rendered);
		expect(waiting).toContain('Tentativi rimasti: 5');
		// Both fields still show their placeholders: empty.
		expect(waiting).toContain('User ID (es. JCPD7173) o e-mail');
		expect(waiting).toContain('Inserisci password');
		rendered.rerender(app(context.portal));
		await waitForScreen(rendered, 'Il tuo certificato è Attivo fino al');
		expect(screen(rendered)).toContain('MARIO ROSSI');
	});

	it('shows the seed labels, masks the password and can show it', async () => {
		const {rendered} = await start();
		const first = screen(rendered);
		expect(first).toContain('Indirizzo e-mail o nome utente');
		expect(first).toContain('Password');
		await type(rendered, 'JCPD7173');
		await press(rendered, KEYS.tab);
		await type(rendered, 'abc');
		await waitForScreen(rendered, '•••');
		expect(screen(rendered)).not.toContain('abc');
		await press(rendered, KEYS.tab);
		await press(rendered, KEYS.space);
		await waitForScreen(rendered, '[x] Mostra password');
		expect(screen(rendered)).toContain('abc');
	});

	it('after a wrong password keeps the user name, empties and focuses the password, and counts down', async () => {
		const {rendered} = await start();
		await logIn(rendered, 'JCPD7173', 'sbagliata');
		const text = await waitForScreen(rendered, 'Tentativi rimasti: 4');
		expect(text).toContain('Nome utente o password non corretti.');
		expect(text).toContain('JCPD7173');
		expect(text).toMatch(/› Password/);
		// Typing now goes straight into the emptied password field.
		await type(rendered, MARIO.password);
		await press(rendered, KEYS.enter);
		await waitForScreen(rendered, 'Il tuo certificato è Attivo fino al');
	});

	it('rejects control characters typed into a field and keeps the text', async () => {
		const {rendered} = await start();
		await type(rendered, 'JCPD');
		// A paste carrying a bidi override is refused whole; what was typed stays.
		await press(rendered, '71\u202e73');
		await waitForScreen(rendered, 'Carattere non consentito (U+202E)');
		expect(screen(rendered)).toMatch(/[┃│] JCPD /);
		// C0 controls (here BEL) never get into the field, and are refused with a message.
		await press(rendered, '\u0007');
		await waitForScreen(rendered, 'Carattere non consentito (U+0007)');
		await type(rendered, '7173');
		await waitForScreen(rendered, /[┃│] JCPD7173/);
	});

	it('asks for both fields before trying', async () => {
		const {rendered, portal} = await start();
		await press(rendered, KEYS.tab);
		await press(rendered, KEYS.enter);
		await waitForScreen(rendered, 'Inserisci nome utente e password.');
		expect(allAccessEntries(storeOf(portal).directory)).toHaveLength(0);
	});
});

describe('dashboard', () => {
	it('logs in, shows the banner and the certificate details, and goes back with Esc', async () => {
		const {rendered, portal} = await start();
		await logIn(rendered, MARIO.userId, MARIO.password);
		const dashboard = await waitForScreen(rendered, 'Il tuo certificato è Attivo fino al');
		expect(dashboard).toContain('MARIO ROSSI');
		expect(dashboard).toContain('Certificato di firma');
		const expiry = (await expiryOf(portal)).toLocaleDateString('it-IT', {timeZone: 'Europe/Rome', day: '2-digit', month: '2-digit', year: 'numeric'});
		expect(dashboard).toContain(`Attivo fino al ${expiry}`);
		await press(rendered, KEYS.enter);
		const details = await waitForScreen(rendered, 'Titolare del certificato');
		for (const label of ['Identificativo univoco', '2******5', 'Numero di serie', 'TINIT-RSSMRA80A01H501U', 'Autorità di certificazione', 'InfoCert Qualified Electronic Signature CA 3', 'InfoCert S.p.A.', 'Qualified Trust Service Provider']) {
			expect(details).toContain(label);
		}
		await press(rendered, KEYS.escape);
		await waitForScreen(rendered, '1. Certificato di firma');
	});

	it('"Esci" in the user menu returns to an empty login screen', async () => {
		const {rendered} = await start();
		await logIn(rendered, MARIO.userId, MARIO.password);
		await waitForScreen(rendered, 'Attivo fino al');
		await press(rendered, 'm');
		const menu = await waitForScreen(rendered, 'Menu utente');
		expect(menu).toMatch(/1\. Gestisci il tuo account[\s\S]*2\. Esci/);
		await press(rendered, KEYS.down);
		await press(rendered, KEYS.enter);
		const login = await waitForScreen(rendered, 'Sei uscito dal portale.');
		expect(login).toContain('Tentativi rimasti: 5');
		expect(login).not.toMatch(/[┃│] JCPD7173/);
		expect(login).not.toContain('MARIO ROSSI');
	});

	/** The app on the demo portal, with the session service's `logout` replaced by `logout`. */
	async function withLogout(logout: (real: Portal['sessions'], session: Parameters<Portal['sessions']['logout']>[0]) => Promise<void>) {
		const context = await demoPortal();
		const real = context.portal;
		const sessions = new Proxy(real.sessions, {
			get(target, name) {
				if (name === 'logout') return (session: Parameters<Portal['sessions']['logout']>[0]) => logout(target, session);
				const value = Reflect.get(target, name, target) as unknown;
				return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
			},
		});
		const portal = new Proxy(real, {get: (target, name) => (name === 'sessions' ? sessions : (Reflect.get(target, name, target) as unknown))});
		const rendered = render(<App portal={portal} language="it" color={false} maxLoginAttempts={5} />);
		cleanup = () => {
			rendered.unmount();
			context.remove();
		};
		await waitForScreen(rendered, 'Tentativi rimasti: 5');
		await logIn(rendered, MARIO.userId, MARIO.password);
		await waitForScreen(rendered, 'Attivo fino al');
		await press(rendered, 'm');
		await waitForScreen(rendered, 'Menu utente');
		await press(rendered, KEYS.down);
		await press(rendered, KEYS.enter);
		return rendered;
	}

	it('"Esci" says "Sei uscito", not "closed by another device", when the session watch sees the session end before the logout returns', async () => {
		// The store has the session ended well before the logout call returns: the watch (once a second) sees it first.
		const rendered = await withLogout(async (real, session) => {
			await real.logout(session);
			await new Promise(resolve => setTimeout(resolve, 2500));
		});
		const login = await waitForScreen(rendered, 'Sei uscito dal portale.');
		expect(login).not.toContain('altro dispositivo');
	});

	it('"Esci" when the store cannot record the logout: back to login, saying the session was not closed there (no crash)', async () => {
		const rendered = await withLogout(async () => {
			throw new Error('EROFS: read-only file system');
		});
		const login = await waitForScreen(rendered, 'la chiusura della sessione non è stata salvata');
		expect(login).toContain('Tentativi rimasti: 5');
	});

	it('? shows the key map of the screen, and Esc closes it', async () => {
		const {rendered} = await start();
		await logIn(rendered, MARIO.userId, MARIO.password);
		await waitForScreen(rendered, 'Attivo fino al');
		await press(rendered, '?');
		const help = await waitForScreen(rendered, 'Aiuto: tasti');
		expect(help).toContain('menu utente');
		expect(help).toContain('Ctrl+C');
		await press(rendered, KEYS.escape);
		await waitForScreen(rendered, '1. Certificato di firma');
	});

	it('Tab in help shows the glossary (PIN vs password, IUT, ERC, OTP, PUK, RAO, CRL, coupon), in Italian and English', async () => {
		for (const [language, title, terms, keysTitle] of [
			['it', 'Aiuto: glossario', ['PIN di firma:', 'Password:', 'OTP:', 'IUT:', 'ERC:', 'PUK:', 'RAO:', 'CRL:', 'Coupon:'], 'Aiuto: tasti'],
			['en', 'Help: glossary', ['Signing PIN:', 'Password:', 'OTP:', 'IUT:', 'ERC:', 'PUK:', 'RAO:', 'CRL:', 'Coupon:'], 'Help: keys'],
		] as const) {
			const {rendered} = await start(language);
			await waitForScreen(rendered, language === 'it' ? 'Accedi' : 'Log in');
			// On the login screen focus starts in a text field, where ? is typed: Tab to the check box first.
			await press(rendered, KEYS.tab);
			await press(rendered, KEYS.tab);
			await press(rendered, '?');
			await waitForScreen(rendered, keysTitle);
			await press(rendered, KEYS.tab);
			const glossary = await waitForScreen(rendered, title);
			for (const term of terms) expect(glossary, term).toContain(term);
			expect(glossary).not.toContain(keysTitle);
			await press(rendered, KEYS.tab);
			await waitForScreen(rendered, keysTitle);
			await press(rendered, KEYS.escape);
			const back = await waitForScreen(rendered, language === 'it' ? 'Tentativi rimasti' : 'Attempts left');
			expect(back).not.toContain(keysTitle);
			rendered.unmount();
		}
	});

	it('shows an expired certificate as expired, in English too', async () => {
		const {rendered} = await start('en');
		await logIn(rendered, 'JCPD5590', 'Montagna_19');
		const text = await waitForScreen(rendered, 'Expired');
		expect(text).toMatch(/✗ Your certificate Expired on \d\d\/\d\d\/\d{4}/);
	});
});

async function expiryOf(portal: Portal): Promise<Date> {
	const db = await storeOf(portal).read();
	return new Date(db.certificates.find(certificate => certificate.userId === MARIO.userId)!.expiresAt);
}

describe('keys that arrive in one burst', () => {
	it('types the user name, moves on and logs in from a single chunk of input', async () => {
		const {rendered} = await start();
		rendered.stdin.write(`${MARIO.userId}\t${MARIO.password}\r`);
		await waitForScreen(rendered, 'Il tuo certificato è Attivo fino al');
	});
});

describe('keys that follow a change of screen at once', () => {
	it('"m", ↓, Enter in one burst opens the user menu and chooses "Esci", not the card underneath', async () => {
		const {rendered} = await start();
		await logIn(rendered, MARIO.userId, MARIO.password);
		await waitForScreen(rendered, 'Attivo fino al');
		rendered.stdin.write(`m${KEYS.down}\r`);
		await waitForScreen(rendered, 'Sei uscito dal portale.');
	});

	it('"m" then Enter before the dashboard has loaded opens the menu (under the userID) and then the account', async () => {
		const context = await demoPortal();
		// The dashboard's data arrives only when the test lets it.
		let release: () => void = () => undefined;
		const held = new Promise<void>(resolve => (release = resolve));
		const slowCertificate = new Proxy(context.portal.certificate, {
			get(target, name, receiver) {
				const value = Reflect.get(target, name, receiver) as unknown;
				if (name === 'dashboard') return async (...args: Parameters<Portal['certificate']['dashboard']>) => held.then(() => target.dashboard(...args));
				return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
			},
		});
		const slow = new Proxy(context.portal, {
			get(target, name, receiver) {
				if (name === 'certificate') return slowCertificate;
				const value = Reflect.get(target, name, receiver) as unknown;
				return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
			},
		});
		const rendered = render(<App portal={slow} language="it" color={false} maxLoginAttempts={5} />);
		cleanup = () => {
			rendered.unmount();
			context.remove();
		};
		await waitForScreen(rendered, 'Tentativi rimasti: 5');
		await logIn(rendered, MARIO.userId, MARIO.password);
		await waitForScreen(rendered, 'Caricamento…');
		await press(rendered, 'm');
		await waitForScreen(rendered, `${MARIO.userId} — Menu utente`);
		await press(rendered, KEYS.enter);
		release();
		await waitForScreen(rendered, 'Lingua');
	});
});
