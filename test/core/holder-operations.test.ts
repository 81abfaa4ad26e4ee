import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {MINUTE} from '../../source/core/clock.js';
import type {DocumentToSign, HistoryFilter, Portal, Session} from '../../source/core/portal.js';
import {demoCopies} from '../helpers/demo-template.js';
import {errorCode, GIULIA, logIn, MARIO} from '../helpers/portal.js';

/*
 * Every public operation of the portal's area services (`portal.renewal.begin`, …) is either a
 * holder operation, refused for any session that is not live and the holder's own, or listed
 * here as something else with the reason. The table is typed by each service's public surface:
 * a method added to a service (or a service added to Portal) without an entry fails the
 * typecheck (`npm test` runs it first), and one entered as a holder operation without the
 * session check fails the walk below.
 */

/** The portal's areas: its readonly services (`portal.renewal`, …). */
type Area = {[K in keyof Portal]: Portal[K] extends (...args: never[]) => unknown ? never : Portal[K] extends object ? K : never}[keyof Portal];
/** A service's public methods (getters of constants aside). */
type MethodOf<S> = {[K in keyof S]: S[K] extends (...args: never[]) => unknown ? K : never}[keyof S];
/** The composition root's own methods. */
type RootMethod = {[K in keyof Portal]: Portal[K] extends (...args: never[]) => unknown ? K : never}[keyof Portal];

/** A holder operation: the arguments after the session, as a real caller would pass them. */
type HolderOperation = {holder: (context: {directory: string; documents: DocumentToSign[]}) => unknown[]};

const SAMPLE_PIN = MARIO.pin;
const ALL: HistoryFilter = {from: '', to: '', period: 'all', outcome: 'all', order: 'newest'};

/** Checked by the typecheck only: a method added to the root itself needs its reason here. */
const _ROOT: Record<RootMethod, string> = {
	closeOwnSessions: 'ends only the sessions this process opened, when the portal is closed (test/core/sessions.test.ts)',
	now: 'the data folder’s time: no holder data',
};

const OPERATIONS: {[A in Area]: Record<MethodOf<Portal[A]>, HolderOperation | string>} = {
	sessions: {
		login: 'opens a session',
		offerAppLogin: 'opens a session (the login screen’s app code)',
		pollAppLogin: 'opens a session',
		resumeCli: 'opens a session: the CLI session’s secret (its hash only is in the holder’s document)',
		logout: 'ends only the holder’s own session; tested below',
		closeOwn: 'ends only the sessions this process opened, when the portal is closed (test/core/sessions.test.ts)',
		status: 'says whether a session is live; tested below',
		cliSecret: {holder: () => []},
		list: {holder: () => []},
		endOthers: {holder: () => []},
	},
	certificate: {
		dashboard: {holder: () => []},
		details: {holder: () => []},
		export: {holder: ({directory}) => ['pem', join(directory, 'exported.pem')]},
		exportRevocationForm: {holder: ({directory}) => [join(directory, 'modulo.pdf')]},
		suggestedRevocationFormFile: {holder: () => []},
		suggestedFile: {holder: () => ['pem']},
		currentIut: {holder: () => []},
		suspend: {holder: () => [{iut: '20547815', erc: '40213769', ercAgain: '40213769', endDate: '01/01/2027', acceptRevocationEffect: false}]},
	},
	renewal: {
		createCoupons: 'operator command',
		window: {holder: () => []},
		checkCoupon: {holder: () => ['AAAA-BBBB-CCCC']},
		raoAuthorize: {holder: () => [{operatorId: 'RAO0001', password: 'Operatore#26'}]},
		raoConfirm: {holder: () => [{operatorId: 'RAO0001', challengeId: 'x', code: '12345678'}]},
		begin: {holder: () => [{acceptConditions: true, confirmData: true, pin: SAMPLE_PIN}]},
		pending: {holder: () => []},
		confirmConsents: {holder: () => ['x', '12345678']},
		choosePin: {holder: () => ['x', '11223344', '11223344']},
		replacementStatus: {holder: () => []},
		beginReplacement: {holder: () => [{acceptConditions: true, pin: SAMPLE_PIN}]},
		securityInfo: {holder: () => ['x', {passphrase: 'una frase lunga', passphraseAgain: 'una frase lunga', useCodiceFiscale: false}]},
		activate: {holder: () => ['x', '12345678']},
	},
	pin: {
		startChange: {holder: () => [{currentPin: SAMPLE_PIN, newPin: '11223344', newPinAgain: '11223344'}]},
		confirmChange: {holder: () => ['x', '12345678']},
		attemptsLeft: {holder: () => []},
	},
	signing: {
		inspect: 'hashes files the caller names; no holder data',
		verify: 'checks a .p7m against the public CA and CRL',
		requestOtp: {holder: ({documents}) => [documents, SAMPLE_PIN]},
		pendingOtp: {holder: ({documents}) => [documents]},
		sign: {holder: ({documents}) => [{documents, pin: SAMPLE_PIN, challengeId: 'x', code: '12345678'}]},
	},
	history: {
		sendDailyReports: 'operator command (mysign reports)',
		signatures: {holder: () => [ALL, {page: 1, pageSize: 10}]},
		signaturesNow: {holder: () => [ALL, {page: 1, pageSize: 10}]},
		accesses: {holder: () => [ALL, {page: 1, pageSize: 10}]},
		reportSettings: {holder: () => []},
		updateReportSettings: {holder: () => [{email: 'report@example.it', frequency: 'daily'}]},
		confirmReportAddress: {holder: () => [{challengeId: 'x', email: 'report@example.it', frequency: 'daily', code: '12345678'}]},
	},
	account: {
		checkPassword: 'the password rules, pure',
		view: {holder: () => []},
		passwordContext: {holder: () => []},
		changePassword: {holder: () => [{current: MARIO.password, next: 'Nuova&Chiave77', again: 'Nuova&Chiave77'}]},
		startRecoveryPhoneChange: {holder: () => ['+393331112233']},
		confirmRecoveryPhoneChange: {holder: () => [{challengeId: 'x', phone: '+393331112233', code: '12345678'}]},
		startEmailChange: {holder: () => ['altro@example.it']},
		confirmEmailChange: {holder: () => [{challengeId: 'x', email: 'altro@example.it', code: '12345678'}]},
		setSecretQuestion: {holder: () => [{question: 'Il nome del mio primo gatto?', answer: 'Briciola'}]},
		setLanguage: {holder: () => ['en']},
	},
	recovery: {
		start: 'anonymous by nature: proven by the SMS code and the secret answer',
		resendCode: 'anonymous recovery',
		confirmCode: 'anonymous recovery',
		answerQuestion: 'anonymous recovery',
		setPassword: 'anonymous recovery',
		remindUserId: 'anonymous: the userID goes only to the address on file',
	},
	otp: {
		overview: {holder: () => []},
		startAppActivation: {holder: () => []},
		confirmAppActivation: {holder: () => ['x', '12345678']},
		setPreferredChannel: {holder: () => ['sms']},
		setPush: {holder: () => [true]},
		startPhoneChange: {holder: () => ['+393331112233']},
		confirmPhoneChange: {holder: () => ['x', '+393331112233', '12345678']},
		resend: {holder: () => ['x']},
		challengeState: {holder: () => ['x']},
	},
	phone: {
		messages: 'the holder’s phone (mysign phone): the device, not the account',
		authenticatorReadings: 'the holder’s phone',
		pendingPushes: 'the holder’s phone',
		answerPush: 'the holder’s phone',
		answerAppLogin: 'the holder’s phone',
		holderName: 'the holder’s phone (its title)',
	},
	admin: {
		commands: 'operator commands (mysign admin): the data folder’s owner only (operator.ts)',
		certificateStatus: 'monitoring (mysign status): a certificate’s state, open to every user of the folder',
		parseEnrollmentCsv: 'operator command, pure parsing',
	},
	folder: {
		settings: 'the room’s thresholds, read by the login screen before anyone logs in',
		clock: 'the data folder’s time (mysign clock): no holder data',
		changeClock: 'operator command (mysign clock set/advance/reset), refused in a live folder',
		refreshCertificates: 'system: ends suspensions that are over and reissues the CRL',
	},
	demo: {
		applyScenario: 'trainer command (mysign demo --scenario)',
		applyScenarioToAll: 'trainer command (mysign demo --scenario NAME --all)',
		resetRoom: 'trainer command (mysign demo --reset --keep-enrolled)',
	},
	mailbox: {
		list: 'the outbox (mysign outbox): open to every user of the folder, like its files',
		emlPath: 'the outbox',
		attachments: 'the outbox',
		saveAttachments: 'the outbox (mysign outbox save)',
	},
};

const HOLDER_OPERATIONS = Object.entries(OPERATIONS).flatMap(([area, methods]) =>
	Object.entries(methods as Record<string, HolderOperation | string>)
		.filter((entry): entry is [string, HolderOperation] => typeof entry[1] !== 'string')
		.map(([name, operation]) => ({area: area as Area, name, operation})),
);

/** `portal.renewal.window` as a function of the portal's own service. */
function operation(portal: Portal, area: Area, name: string): (...args: unknown[]) => unknown {
	const service = portal[area] as unknown as Record<string, (...args: unknown[]) => unknown>;
	return (...args) => service[name]!.call(service, ...args);
}

const demoCopy = demoCopies();

/** Every file of the data folder with its bytes: nothing may change when an operation is refused. */
function folderContents(directory: string): Map<string, string> {
	const contents = new Map<string, string>();
	const walk = (folder: string) => {
		for (const entry of readdirSync(folder, {withFileTypes: true})) {
			const path = join(folder, entry.name);
			if (entry.isDirectory()) walk(path);
			else contents.set(path, readFileSync(path, 'base64'));
		}
	};
	walk(directory);
	return contents;
}

async function refusals(portal: Portal, session: Session, directory: string): Promise<string[]> {
	// A real document to sign, outside the data folder.
	const elsewhere = mkdtempSync(join(tmpdir(), 'mysign-document-'));
	writeFileSync(join(elsewhere, 'contratto.txt'), 'Contratto di prova\n');
	const documents = await portal.signing.inspect([join(elsewhere, 'contratto.txt')]);
	const answered: string[] = [];
	for (const {area, name, operation: holder} of HOLDER_OPERATIONS) {
		const method = operation(portal, area, name);
		const code = await errorCode((async () => method(session, ...holder.holder({directory, documents})))());
		if (code !== 'auth.sessionExpired') answered.push(`${area}.${name}: ${code ?? 'answered'}`);
	}
	expect(existsSync(join(elsewhere, 'contratto.txt.p7m'))).toBe(false);
	rmSync(elsewhere, {recursive: true, force: true});
	return answered;
}

describe('every holder operation of the facade needs a live session of that very holder', () => {
	it(`refuses all ${HOLDER_OPERATIONS.length} with an ended, another holder's and a timed-out session, and stores nothing`, async () => {
		const {portal, clock, directory} = await demoCopy();
		const ended = await logIn(portal, MARIO.userId, MARIO.password);
		await portal.sessions.logout(ended);
		const giulia = await logIn(portal, GIULIA.userId, GIULIA.password);
		// GIULIA's live session presented as MARIO's.
		const mismatched: Session = {...giulia, userId: MARIO.userId};
		const willExpire = await logIn(portal, MARIO.userId, MARIO.password);
		const before = folderContents(directory);

		expect(await refusals(portal, ended, directory)).toEqual([]);
		expect(await refusals(portal, mismatched, directory)).toEqual([]);
		expect(folderContents(directory)).toEqual(before);

		// Past the idle timeout: the first refusal records the timeout, nothing else is stored.
		clock.advance(16 * MINUTE);
		expect(await refusals(portal, willExpire, directory)).toEqual([]);
		expect(existsSync(join(directory, 'exported.pem'))).toBe(false);
		expect(existsSync(join(directory, 'modulo.pdf'))).toBe(false);
		const after = folderContents(directory);
		for (const [path, bytes] of before) if (!path.endsWith('db.json')) expect(after.get(path), path).toBe(bytes);
	});

	it('the same operations answer a live session (the walk above is not refusing for another reason)', async () => {
		const {portal} = await demoCopy();
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		// Reads only: each must answer.
		const reads: [Area, string][] = [['certificate', 'dashboard'], ['sessions', 'list'], ['certificate', 'details'], ['renewal', 'window'], ['account', 'view'], ['otp', 'overview'], ['history', 'reportSettings'], ['certificate', 'currentIut'], ['account', 'passwordContext'], ['renewal', 'replacementStatus']];
		for (const [area, name] of reads) {
			await expect(Promise.resolve(operation(portal, area, name)(session)), `${area}.${name}`).resolves.toBeDefined();
		}
		expect(portal.history.signaturesNow(session, ALL, {page: 1, pageSize: 10}) ?? (await portal.history.signatures(session, ALL, {page: 1, pageSize: 10}))).toMatchObject({total: expect.any(Number)});
	});

	it('logout and sessionStatus act only on the holder’s own session', async () => {
		const {portal} = await demoCopy();
		const giulia = await logIn(portal, GIULIA.userId, GIULIA.password);
		const mismatched: Session = {...giulia, userId: MARIO.userId};
		expect(await portal.sessions.status(mismatched)).toEqual({state: 'ended', reason: 'unknown'});
		await portal.sessions.logout(mismatched);
		expect((await portal.sessions.status(giulia)).state).toBe('active');
		expect((await portal.certificate.dashboard(giulia)).userId).toBe(GIULIA.userId);
	});
});
