import {spawnSync} from 'node:child_process';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {currentCertificate} from '../../source/core/certificate/record.js';
import {Outbox} from '../../source/core/notify/outbox.js';
import {HANDOUT_SUBJECT} from '../../source/core/admin/handout.js';
import type {Portal} from '../../source/core/portal.js';
import {Store} from '../../source/core/store/store.js';
import {runCli} from '../helpers/cli.js';
import {cliDemoCopies, crlEntries, DAY, holderRows, openPortal, pdfText, serialKey} from '../helpers/operators.js';
import {lastSmsCode, logIn, MARIO, temporaryDirectory} from '../helpers/portal.js';
import {romeDay} from '../helpers/rome-day.js';
import {applyScenario, enrollHolders} from '../helpers/folder-setup.js';

/*
 * Issue 19, the trainer's acceptance: a room of 20 enrolled from a CSV plus the 3 demo holders;
 * two trainees renew, one suspends, one is locked out, MARIO's PIN is blocked; then
 * `mysign demo --reset --keep-enrolled --yes` puts all 23 back to their first state, their
 * envelopes are in the outbox again, and certificates downloaded before still verify with
 * openssl against the folder's CA and the current CRL.
 */

const demoCopy = cliDemoCopies();
const REGISTRATION = 'InfoCert LegalCert: registrazione';

interface Enrolled {
	userId: string;
	codiceFiscale: string;
	iut: string;
}
interface Envelope {
	password: string;
	pin: string;
	erc: string;
}

let room: string;
let work: string;
let enrolled: Enrolled[];
const envelopes = new Map<string, Envelope>();
/** Certificates as `mysign admin show ID --pem` printed them before the reset. */
const downloaded = new Map<string, string>();
let report: {reset: string[]; envelopes: string[]; withoutEnvelope: string[]; skipped: string[]; seconds: number};
let renewedSerials: string[];

function cli(args: readonly string[]): string {
	const result = runCli([...args, '--data', room]);
	expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
	return result.stdout;
}

/** The codes of a holder's registration envelope, opened with the codice fiscale as the holder would. */
async function openEnvelope(portal: Portal, holder: Enrolled, messageId: number): Promise<Envelope> {
	const folder = join(work, `envelope-${messageId}`);
	mkdirSync(folder);
	const [file] = await portal.mailbox.saveAttachments(messageId, folder);
	const text = pdfText(file!, holder.codiceFiscale, work);
	const field = (label: string) => new RegExp(`${label}:\\s*(\\S+)`).exec(text)?.[1] ?? '';
	return {password: field('Password iniziale'), pin: field('PIN di firma'), erc: field('Codice di Emergenza')};
}

async function registrationEmails(): Promise<{id: number; userId: string | null}[]> {
	return (await new Outbox(room).list({kind: 'email'})).filter(message => message.subject === REGISTRATION);
}

/** First access done: a password of one's own and a secret question; returns the session. */
async function firstAccess(portal: Portal, holder: Enrolled): Promise<Awaited<ReturnType<typeof logIn>>> {
	const envelope = envelopes.get(holder.userId)!;
	const session = await logIn(portal, holder.userId, envelope.password);
	await portal.account.changePassword(session, {current: envelope.password, next: 'Ciclamino&58', again: 'Ciclamino&58'});
	await portal.account.setSecretQuestion(session, {question: 'Città di nascita?', answer: 'Roma'});
	return session;
}

function ddmmyyyy(date: Date): string {
	return romeDay(date);
}

beforeAll(async () => {
	room = demoCopy({shared: true});
	const folder = temporaryDirectory();
	work = folder.path;
	// The room, enrolled in this process as `mysign admin enroll --csv` would (its own tests: admin.test.ts).
	enrolled = await enrollHolders(room, holderRows(20, 7));
	expect(enrolled).toHaveLength(20);
	const portal = await openPortal(room);
	const emails = await registrationEmails();
	const [renewerA, renewerB, suspender, locked] = enrolled;
	for (const holder of [renewerA!, renewerB!, suspender!]) envelopes.set(holder.userId, await openEnvelope(portal, holder, emails.find(email => email.userId === holder.userId)!.id));
	// Downloaded before anything happens: a renewer's, the suspender's, an untouched trainee's, MARIO's.
	for (const userId of [renewerA!.userId, suspender!.userId, enrolled[10]!.userId, MARIO.userId]) downloaded.set(userId, cli(['admin', 'show', userId, '--pem']));

	// Two trainees renew: the trainer opens their renewal window (a scenario), they go through it.
	renewedSerials = [];
	for (const holder of [renewerA!, renewerB!]) {
		await applyScenario(room, 'expiring', holder.userId);
		const session = await firstAccess(portal, holder);
		const {renewalId} = await portal.renewal.begin(session, {acceptConditions: true, confirmData: true, pin: envelopes.get(holder.userId)!.pin});
		await portal.renewal.confirmConsents(session, renewalId, await lastSmsCode(portal, holder.userId));
		await portal.renewal.choosePin(session, renewalId, '13572468', '13572468');
		await portal.renewal.activate(session, renewalId, await lastSmsCode(portal, holder.userId));
		const db = await new Store(room).read();
		renewedSerials.push(currentCertificate(db.certificates, holder.userId)!.certificateSerial);
	}
	// One suspends, one is locked out, MARIO's PIN gets blocked.
	const session = await firstAccess(portal, suspender!);
	await portal.certificate.suspend(session, {iut: suspender!.iut, erc: envelopes.get(suspender!.userId)!.erc, ercAgain: envelopes.get(suspender!.userId)!.erc, endDate: ddmmyyyy(new Date(Date.now() + 10 * DAY)), acceptRevocationEffect: false});
	for (let attempt = 0; attempt < 5; attempt++) await portal.sessions.login(locked!.userId, `Sbagliata&${attempt}`);
	await applyScenario(room, 'pin-blocked', MARIO.userId);

	const before = await new Store(room).read();
	expect(currentCertificate(before.certificates, suspender!.userId)!.status).toBe('suspended');
	expect(Object.keys(before.loginThrottle).some(key => key.endsWith(locked!.userId))).toBe(true);

	report = JSON.parse(cli(['demo', '--reset', '--keep-enrolled', '--yes', '--json'])) as typeof report;
	console.log(`[room-reset] demo --reset --keep-enrolled, ${report.reset.length} holders: ${report.seconds} s in the command`);
	return folder.remove;
}, 300_000);

describe('mysign demo --reset --keep-enrolled --yes on a room of 23', () => {
	it('puts all 23 holders back to their first state: original certificate, initial credentials, nothing in progress', async () => {
		expect(report.reset).toHaveLength(23);
		expect(report.skipped).toEqual([]);
		const db = await new Store(room).read();
		expect(db.holders).toHaveLength(23);
		for (const holder of db.holders) {
			const first = db.firstStates[holder.userId]!;
			const current = currentCertificate(db.certificates, holder.userId)!;
			expect(current.id, holder.userId).toBe(first.certificateId);
			expect(current.status, holder.userId).toBe('active');
			expect(holder.passwordHash).toBe(first.passwordHash);
			expect(holder.pinHash).toBe(first.pinHash);
			expect(holder.pinFailures).toBe(0);
			const isEnrolled = enrolled.some(entry => entry.userId === holder.userId);
			expect(holder.mustChangePassword).toBe(isEnrolled);
			if (isEnrolled) expect(holder.secretQuestion).toBeNull();
		}
		const userIds = new Set(db.holders.map(holder => holder.userId));
		expect(db.sessions.filter(session => userIds.has(session.userId))).toEqual([]);
		expect(db.renewals).toEqual([]);
		expect(db.challenges).toEqual([]);
		expect(db.loginThrottle).toEqual({});
	});

	it('has every enrolled holder’s envelope and handout in the outbox again, and nothing else; the envelope’s password logs in with the forced change', async () => {
		expect(new Set(report.envelopes)).toEqual(new Set(enrolled.map(holder => holder.userId)));
		const messages = await new Outbox(room).list();
		expect(messages).toHaveLength(40);
		expect(new Set(messages.map(message => `${message.kind} ${message.subject} ${message.userId}`))).toEqual(new Set(enrolled.flatMap(holder => [`email ${REGISTRATION} ${holder.userId}`, `email ${HANDOUT_SUBJECT} ${holder.userId}`])));
		// The renewer had chosen a password of their own: the envelope's works again, theirs does not.
		const portal = await openPortal(room);
		const renewer = enrolled[0]!;
		const envelope = await openEnvelope(portal, renewer, messages.find(message => message.userId === renewer.userId)!.id);
		expect(envelope).toEqual(envelopes.get(renewer.userId));
		expect((await portal.sessions.login(renewer.userId, 'Ciclamino&58')).kind).not.toBe('success');
		const session = await logIn(portal, renewer.userId, envelope.password);
		expect((await portal.certificate.dashboard(session)).mustChangePassword).toBe(true);
	});

	it('keeps the CA: certificates downloaded before the reset verify with openssl against it and the current CRL', () => {
		expect(downloaded.size).toBe(4);
		for (const [userId, pem] of downloaded) {
			const file = join(work, `${userId}.pem`);
			writeFileSync(file, pem);
			const result = spawnSync('openssl', ['verify', '-crl_check', '-CAfile', join(room, 'pki', 'ca.pem'), '-CRLfile', join(room, 'pki', 'crl.pem'), file], {encoding: 'utf8'});
			expect(result.stdout + result.stderr, userId).toContain(': OK');
			expect(result.status, userId).toBe(0);
		}
		// The certificates the renewals issued are superseded, on the CRL.
		const crl = crlEntries(room);
		for (const serial of renewedSerials) expect(crl.get(serialKey(serial))).toBe('Superseded');
		expect(readFileSync(join(room, 'pki', 'ca.pem'), 'utf8')).toContain('BEGIN CERTIFICATE');
	});
});
