import {spawnSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {simpleParser} from 'mailparser';
import {afterEach, describe, expect, it} from 'vitest';
import {DomainError} from '../../../source/core/errors.js';
import type {Portal, Session} from '../../../source/core/portal.js';
import {pdfText, showEncryption} from '../../helpers/pdf.js';
import {demoPortal, lastSmsCode, logIn, ManualClock, MARIO} from '../../helpers/portal.js';
import {storeOf} from '../../helpers/internals.js';
import {romeDay} from '../../helpers/rome-day.js';

const LUCA = {userId: 'JCPD5590', password: 'Montagna_19', pin: '16180339', codiceFiscale: 'VRDLCU75T10L219Q', erc: '91736402'};

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** The clock the portal under test runs on (the token's codes move with it). */
let clock: ManualClock;

async function setup() {
	const context = await demoPortal(new ManualClock(new Date()));
	clock = context.clock;
	cleanup = context.remove;
	return {...context, session: await logIn(context.portal, LUCA.userId, LUCA.password)};
}

/** LUCA confirms with his hardware token: the code now, then the clock moves on a step (a step is never accepted twice). */
async function lastCode(portal: Portal): Promise<string> {
	const token = (await portal.phone.authenticatorReadings(LUCA.userId)).find(reading => reading.device === 'token')!;
	clock.advance(30_000);
	return token.code;
}

/** Runs the five phases of seed 002 and returns the PDF attached to the e-mail. */
async function replace(portal: Portal, session: Session, security: {passphrase: string; passphraseAgain: string; useCodiceFiscale: boolean}, directory: string): Promise<string> {
	const {renewalId} = await portal.renewal.beginReplacement(session, {acceptConditions: true, pin: LUCA.pin});
	await portal.renewal.confirmConsents(session, renewalId, await lastCode(portal));
	expect(await portal.renewal.choosePin(session, renewalId, '55667788', '55667788')).toBeUndefined();
	await portal.renewal.securityInfo(session, renewalId, security);
	await portal.renewal.activate(session, renewalId, await lastCode(portal));
	const email = (await portal.mailbox.list({userId: LUCA.userId, kind: 'email'})).at(-1)!;
	expect(email.subject).toContain('Busta Cifrata');
	const parsed = await simpleParser(readFileSync((await portal.mailbox.emlPath(email))!));
	expect(parsed.to && 'text' in parsed.to ? parsed.to.text : '').toBe('luca.verdi@example.it');
	const attachment = parsed.attachments.find(entry => entry.filename === 'BustaCifrata-ERC.pdf')!;
	const file = join(directory, 'busta.pdf');
	writeFileSync(file, attachment.content);
	return file;
}

function qpdf(file: string, password: string | undefined, directory: string) {
	const output = join(directory, 'aperta.pdf');
	const result = spawnSync('qpdf', [...(password === undefined ? [] : [`--password=${password}`]), '--decrypt', '--qdf', '--object-streams=disable', file, output], {encoding: 'utf8'});
	return {status: result.status, text: result.status === 0 ? readFileSync(output, 'latin1') : ''};
}

describe('"Richiedi nuovo certificato" (seed 002)', () => {
	it('issues a new certificate and e-mails an AES-256 envelope that opens with the passphrase only and holds the new ERC', async () => {
		const {portal, session, directory} = await setup();
		expect((await portal.renewal.replacementStatus(session)).allowed).toBe(true);
		const file = await replace(portal, session, {passphrase: 'Girasole al mare 42', passphraseAgain: 'Girasole al mare 42', useCodiceFiscale: false}, directory);
		expect(qpdf(file, undefined, directory).status).not.toBe(0);
		expect(qpdf(file, 'sbagliata', directory).status).not.toBe(0);
		expect(qpdf(file, 'Girasole al mare 42', directory).status).toBe(0);
		// AES-256 R6, and a screen reader may read the code out.
		expect(showEncryption(file, 'Girasole al mare 42')).toMatch(/^R = 6$[^]*extract for accessibility: allowed/m);
		const erc = /Codice di Emergenza: (\d{8})\n/.exec(pdfText(file, 'Girasole al mare 42', directory))?.[1];
		expect(erc).toMatch(/^\d{8}$/);
		expect(erc).not.toBe(LUCA.erc);
		// The new ERC works for the online suspension; the old one does not.
		const dashboard = await portal.certificate.dashboard(session);
		expect(dashboard.certificate?.state).toBe('active');
		const db = await storeOf(portal).read();
		expect(JSON.stringify(db)).not.toContain(erc!);
		expect(db.holders.find(holder => holder.userId === LUCA.userId)?.replacementDeadline).toBeNull();
		const iut = db.certificates.find(entry => entry.userId === LUCA.userId && entry.status === 'active')!.iut;
		// The envelope carries the IUT its ERC goes with: the new certificate's.
		expect(pdfText(file, 'Girasole al mare 42', directory)).toContain(`IUT: ${iut}\n`);
		const end = new Date(Date.now() + 3 * 86_400_000);
		const endDate = romeDay(end);
		await expect(portal.certificate.suspend(session, {iut, erc: LUCA.erc, ercAgain: LUCA.erc, endDate, acceptRevocationEffect: false})).rejects.toMatchObject({code: 'suspend.wrongCodes'});
		await portal.certificate.suspend(session, {iut, erc: erc!, ercAgain: erc!, endDate, acceptRevocationEffect: false});
	});

	it('with "usa il codice fiscale" the envelope opens with the codice fiscale', async () => {
		const {portal, session, directory} = await setup();
		const file = await replace(portal, session, {passphrase: '', passphraseAgain: '', useCodiceFiscale: true}, directory);
		expect(qpdf(file, LUCA.codiceFiscale, directory).status).toBe(0);
		expect(qpdf(file, undefined, directory).status).not.toBe(0);
	});

	it('on the expiry day (not flagged) goes on past phase 1 to its end, as the dashboard offers it', async () => {
		const context = await demoPortal(new ManualClock(new Date()));
		cleanup = context.remove;
		const {portal, clock} = context;
		const expiresAt = Date.parse((await storeOf(portal).read()).certificates.find(entry => entry.userId === MARIO.userId)!.expiresAt);
		// Shortly before the expiry, on its day in Rome (an expiry at 00:05 in Rome is not preceded by 10 minutes of that day).
		const rome = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {timeZone: 'Europe/Rome', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23'}).formatToParts(new Date(expiresAt)).map(part => [part.type, Number(part.value)]));
		const sinceMidnight = ((rome['hour']! * 60 + rome['minute']!) * 60 + rome['second']!) * 1000;
		clock.set(new Date(expiresAt - Math.min(10 * 60_000, sinceMidnight / 2)));
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		expect((await portal.renewal.replacementStatus(session)).allowed).toBe(true);
		const {renewalId} = await portal.renewal.beginReplacement(session, {acceptConditions: true, pin: MARIO.pin});
		await portal.renewal.confirmConsents(session, renewalId, await lastSmsCode(portal, MARIO.userId));
		expect(await portal.renewal.choosePin(session, renewalId, '55667788', '55667788')).toBeUndefined();
		await portal.renewal.securityInfo(session, renewalId, {passphrase: '', passphraseAgain: '', useCodiceFiscale: true});
		await portal.renewal.activate(session, renewalId, await lastSmsCode(portal, MARIO.userId));
		const current = (await storeOf(portal).read()).certificates.filter(entry => entry.userId === MARIO.userId && entry.status === 'active');
		expect(current).toHaveLength(1);
		expect(Date.parse(current[0]!.expiresAt)).toBeGreaterThan(expiresAt);
	});

	it('phase 1 without the conditions accepted asks for them, with no word about renewing or a data confirmation it does not have', async () => {
		const {portal, session} = await setup();
		const refusal = await portal.renewal.beginReplacement(session, {acceptConditions: false, pin: LUCA.pin}).then(() => undefined, (error: unknown) => error);
		expect(refusal instanceof DomainError ? refusal.code : refusal).toBe('replacement.consentsRequired');
		expect((await storeOf(portal).read()).holders.find(holder => holder.userId === LUCA.userId)!.pinFailures).toBe(0);
	});

	it('checks the passphrase and is closed to holders with an active certificate and no flag', async () => {
		const {portal, session} = await setup();
		const {renewalId} = await portal.renewal.beginReplacement(session, {acceptConditions: true, pin: LUCA.pin});
		await portal.renewal.confirmConsents(session, renewalId, await lastCode(portal));
		await portal.renewal.choosePin(session, renewalId, '55667788', '55667788');
		const codeOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => (error instanceof DomainError ? error.code : String(error)));
		expect(await codeOf(portal.renewal.securityInfo(session, renewalId, {passphrase: 'corta', passphraseAgain: 'corta', useCodiceFiscale: false}))).toBe('replacement.passphraseLength');
		expect(await codeOf(portal.renewal.securityInfo(session, renewalId, {passphrase: 'abbastanza lunga', passphraseAgain: 'diversa!', useCodiceFiscale: false}))).toBe('replacement.passphraseMismatch');
		// A passphrase typed twice and the codice fiscale ticked: refused, not one of them silently dropped; nothing stored.
		const before = JSON.stringify((await storeOf(portal).read()).renewals);
		expect(await codeOf(portal.renewal.securityInfo(session, renewalId, {passphrase: 'abbastanza lunga', passphraseAgain: 'abbastanza lunga', useCodiceFiscale: true}))).toBe('replacement.passphraseAndCf');
		expect(JSON.stringify((await storeOf(portal).read()).renewals)).toBe(before);
		const mario = await portal.sessions.login('JCPD7173', 'Girasole&42');
		if (mario.kind !== 'success') throw new Error('login');
		expect((await portal.renewal.replacementStatus(mario.session)).allowed).toBe(false);
		expect(await codeOf(portal.renewal.beginReplacement(mario.session, {acceptConditions: true, pin: '27182818'}))).toBe('replacement.notAllowed');
	});

	it('phase 5 with the token code of phase 2’s 30-second step says "already used", not "wrong", and counts nothing', async () => {
		const {portal, session} = await setup();
		const token = async () => (await portal.phone.authenticatorReadings(LUCA.userId)).find(reading => reading.device === 'token')!.code;
		const {renewalId} = await portal.renewal.beginReplacement(session, {acceptConditions: true, pin: LUCA.pin});
		const code = await token();
		await portal.renewal.confirmConsents(session, renewalId, code);
		await portal.renewal.choosePin(session, renewalId, '55667788', '55667788');
		const challenge = await portal.renewal.securityInfo(session, renewalId, {passphrase: '', passphraseAgain: '', useCodiceFiscale: true});
		expect(challenge.channel).toBe('token');
		await expect(portal.renewal.activate(session, renewalId, code)).rejects.toMatchObject({code: 'otp.reused'});
		expect((await storeOf(portal).read()).challenges.find(entry => entry.id === challenge.id)?.failures).toBe(0);
		clock.advance(30_000);
		expect((await portal.renewal.activate(session, renewalId, await token())).iut).toMatch(/^\d{8}$/);
	});
});
