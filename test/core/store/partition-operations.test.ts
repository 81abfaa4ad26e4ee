import {readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {Portal} from '../../../source/core/portal.js';
import {NO_HOLDER, Store} from '../../../source/core/store/store.js';
import {storeOf} from '../../helpers/internals.js';
import {accessEntries, demoPortal, GIULIA, lastSmsCode, logIn, MARIO} from '../../helpers/portal.js';

/*
 * Issue 22, the partitioned store seen from the operations: a holder's operation writes that
 * holder's document alone, the index answers what used to need every holder, and a folder of
 * the earlier format (one db.json with everything) is split once with nothing lost or reordered.
 */

const cleanups: (() => void)[] = [];
afterEach(() => {
	for (const cleanup of cleanups.splice(0)) cleanup();
});

async function folder(): Promise<{portal: Portal; directory: string}> {
	const {portal, directory, remove} = await demoPortal();
	cleanups.push(remove);
	return {portal, directory};
}

const bytes = (file: string) => readFileSync(file);
const holderFile = (directory: string, userId: string) => join(directory, 'holders', `${userId}.json`);

/** The folder as an earlier version kept it: one db.json (format 1) with every holder's records, no holders/. */
async function toFormatOne(directory: string): Promise<void> {
	const whole = await new Store(directory).read();
	writeFileSync(join(directory, 'db.json'), JSON.stringify(whole, null, '\t') + '\n', {mode: 0o600});
	rmSync(join(directory, 'holders'), {recursive: true});
}

describe('the partitioned store, seen from the operations', () => {
	it('a holder operation writes that holder\'s document only: db.json and the other holders\' stay byte for byte', async () => {
		const {portal, directory} = await folder();
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		const before = {top: bytes(join(directory, 'db.json')), giulia: bytes(holderFile(directory, GIULIA.userId)), mario: bytes(holderFile(directory, MARIO.userId))};
		await portal.account.setLanguage(session, 'en');
		expect(bytes(join(directory, 'db.json')).equals(before.top)).toBe(true);
		expect(bytes(holderFile(directory, GIULIA.userId)).equals(before.giulia)).toBe(true);
		expect(bytes(holderFile(directory, MARIO.userId)).equals(before.mario)).toBe(false);
		expect((await storeOf(portal).read(MARIO.userId)).holders[0]!.language).toBe('en');
	});

	it('an OTP sent for one holder takes its number from outbox.sequence, not db.json; numbers only grow', async () => {
		const {portal, directory} = await folder();
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		const top = bytes(join(directory, 'db.json'));
		const first = await portal.otp.startPhoneChange(session, '+393330001111');
		await lastSmsCode(portal, MARIO.userId);
		const second = await portal.otp.startPhoneChange(session, '+393330002222');
		expect(bytes(join(directory, 'db.json')).equals(top)).toBe(true);
		const numbers = readdirSync(join(directory, 'outbox')).filter(name => name.endsWith('.sms.json')).map(name => Number(name.slice(0, 8)));
		expect(new Set(numbers).size).toBe(numbers.length);
		expect(Number(readFileSync(join(directory, 'outbox.sequence'), 'utf8'))).toBe(Math.max(...numbers));
		expect(first.challenge.id).not.toBe(second.challenge.id);
	});

	it('access-log ids are per holder, unique, and above every id a migrated folder had given', async () => {
		const {portal, directory} = await folder();
		await logIn(portal, MARIO.userId, MARIO.password);
		await logIn(portal, GIULIA.userId, GIULIA.password);
		await toFormatOne(directory);
		const given = (await new Store(directory).read()).sequences['accessLog'] ?? 0;
		const reopened = await Portal.open({dataDirectory: directory, terminal: 'test'});
		await logIn(reopened, MARIO.userId, MARIO.password);
		await logIn(reopened, MARIO.userId, 'Wrong&Password1').catch(() => undefined);
		const ids = (await accessEntries(reopened, MARIO.userId)).map(entry => entry.id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids.slice(-2).every(id => id > given)).toBe(true);
		expect(JSON.parse(readFileSync(join(directory, 'db.json'), 'utf8')).sequences).not.toHaveProperty(`accessLog:${MARIO.userId}`);
	});

	it('a format-1 folder is split once: the whole database reads the same, db.json keeps no holder, each document its own', async () => {
		const {directory} = await folder();
		await toFormatOne(directory);
		const before = await new Store(directory).read();
		const reopened = await Portal.open({dataDirectory: directory, terminal: 'test'});
		await logIn(reopened, MARIO.userId, MARIO.password);
		const top = JSON.parse(readFileSync(join(directory, 'db.json'), 'utf8')) as Record<string, unknown>;
		expect(top['version']).toBe(2);
		expect(top).not.toHaveProperty('holders');
		expect(top['certificates']).toEqual([]);
		const after = await new Store(directory).read();
		expect(after.holders).toEqual(before.holders);
		expect(after.certificates).toEqual(before.certificates);
		expect(after.firstStates).toEqual(before.firstStates);
		for (const holder of before.holders) {
			const document = JSON.parse(readFileSync(holderFile(directory, holder.userId), 'utf8')) as {certificates: {userId: string}[]};
			expect(document.certificates.length).toBeGreaterThan(0);
			expect(document.certificates.every(certificate => certificate.userId === holder.userId)).toBe(true);
		}
	});

	it('the index follows an e-mail change in the same commit: the new address logs in, the old one is nobody', async () => {
		const {portal} = await folder();
		const store = storeOf(portal);
		await store.update(db => {
			db.holders[0]!.email = 'nuovo.indirizzo@example.it';
		}, MARIO.userId);
		expect(await store.holderIdByEmail('NUOVO.indirizzo@example.it')).toBe(MARIO.userId);
		expect(await store.holderIdByEmail('mario.rossi@example.it')).toBeUndefined();
		expect((await portal.sessions.login('nuovo.indirizzo@example.it', MARIO.password)).kind).toBe('success');
		expect((await portal.sessions.login('mario.rossi@example.it', MARIO.password)).kind).toBe('invalid');
	});

	it('another holder\'s address is refused as taken, though a scoped operation does not see that holder', async () => {
		const {portal} = await folder();
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		const giulia = (await storeOf(portal).read(GIULIA.userId)).holders[0]!;
		await expect(portal.account.startEmailChange(session, giulia.email.toUpperCase())).rejects.toMatchObject({code: 'account.emailTaken'});
	});

	it('IUTs and listed certificates come from the index: every holder\'s, with no holder document read', async () => {
		const {portal} = await folder();
		const store = storeOf(portal);
		const giulia = (await store.read(GIULIA.userId)).certificates;
		for (const certificate of giulia) expect(await store.holderIdByIut(certificate.iut)).toBe(GIULIA.userId);
		await store.update(db => {
			const certificate = db.certificates.at(-1)!;
			certificate.status = 'revoked';
			certificate.revokedAt = new Date().toISOString();
			certificate.revocationReason = 'keyCompromise';
		}, GIULIA.userId);
		const serial = giulia.at(-1)!.certificateSerial;
		expect((await store.listedCertificates()).find(entry => entry.certificateSerial === serial)).toMatchObject({userId: GIULIA.userId, status: 'revoked', revocationReason: 'keyCompromise'});
	});

	it('a scoped operation that creates another holder\'s records is refused and commits nothing', async () => {
		const {portal, directory} = await folder();
		const store = storeOf(portal);
		const before = {top: bytes(join(directory, 'db.json')), mario: bytes(holderFile(directory, MARIO.userId))};
		await expect(
			store.update(db => {
				db.holders[0]!.language = 'en';
				db.sessions.push({...db.sessions[0]!, id: 'stolen', userId: GIULIA.userId, terminal: 'x', startedAt: new Date().toISOString(), lastActivityAt: new Date().toISOString(), endedAt: null, endReason: null});
			}, MARIO.userId),
		).rejects.toThrow(/scoped to JCPD7173/);
		expect(bytes(join(directory, 'db.json')).equals(before.top)).toBe(true);
		expect(bytes(holderFile(directory, MARIO.userId)).equals(before.mario)).toBe(true);
	});

	it('records of no holder left in db.json (an older file\'s) stay there and stop nobody\'s login or OTP', async () => {
		const {portal, directory} = await folder();
		const whole = await new Store(directory).read();
		const long = new Date(portal.now().getTime() - 3 * 86_400_000).toISOString();
		whole.sessions.push({id: 'leftover', userId: 'JCPD0001', terminal: 'old', startedAt: long, lastActivityAt: long, endedAt: null, endReason: null});
		whole.challenges.push({...whole.challenges[0] ?? {id: 'c', operation: 'x', dataHash: '0'.repeat(64), channel: 'sms', codeHash: null, destination: null, recipient: null, failures: 0, sends: [], state: 'pending'}, id: 'leftover', userId: 'JCPD0001', createdAt: long, expiresAt: long});
		writeFileSync(join(directory, 'db.json'), JSON.stringify(whole, null, '\t') + '\n', {mode: 0o600});
		rmSync(join(directory, 'holders'), {recursive: true});
		const session = await logIn(portal, MARIO.userId, MARIO.password);
		await portal.otp.startPhoneChange(session, '+393330001111');
		const top = JSON.parse(readFileSync(join(directory, 'db.json'), 'utf8')) as {sessions: {id: string}[]; challenges: {id: string}[]};
		expect(top.sessions.map(entry => entry.id)).toEqual(['leftover']);
		expect(top.challenges.map(entry => entry.id)).toEqual(['leftover']);
	});

	it('a re-creation killed before it removed a dropped holder\'s document leaves nobody to come back', async () => {
		const {directory} = await folder();
		const store = new Store(directory);
		const whole = await store.read();
		// The folder re-created without GIULIA (as `demo --reset` drops enrolled holders), killed
		// right after db.json: her document is still there, db.json names it as going.
		const giulia = bytes(holderFile(directory, GIULIA.userId));
		await store.initialize(() => ({...whole, holders: whole.holders.filter(holder => holder.userId !== GIULIA.userId), certificates: whole.certificates.filter(entry => entry.userId !== GIULIA.userId), sessions: [], challenges: [], firstStates: {}}), {replace: true});
		writeFileSync(holderFile(directory, GIULIA.userId), giulia);
		const top = JSON.parse(readFileSync(join(directory, 'db.json'), 'utf8')) as {removing: string[]};
		expect(top.removing).toEqual([GIULIA.userId]);
		// Readers without the lock do not see her; the next writer removes her document.
		expect((await store.read()).holders.map(holder => holder.userId)).not.toContain(GIULIA.userId);
		expect((await store.read(GIULIA.userId)).holders).toEqual([]);
		await store.update(db => void (db.settings.otpMessagesMax = 6), NO_HOLDER);
		expect(readdirSync(join(directory, 'holders'))).not.toContain(`${GIULIA.userId}.json`);
		expect((JSON.parse(readFileSync(join(directory, 'db.json'), 'utf8')) as {removing: string[]}).removing).toEqual([]);
	});

	it('a stale throttle of no holder left in db.json does not stop wrong passwords from being counted (no unlimited guessing)', async () => {
		const {portal, directory} = await folder();
		const whole = await new Store(directory).read();
		const long = new Date(portal.now().getTime() - 30 * 86_400_000).toISOString();
		whole.loginThrottle['user:JCPD0001'] = {failures: 1, lockedUntil: null, lockouts: 0, lastFailureAt: long};
		writeFileSync(join(directory, 'db.json'), JSON.stringify(whole, null, '\t') + '\n', {mode: 0o600});
		rmSync(join(directory, 'holders'), {recursive: true});
		const outcomes: string[] = [];
		for (let attempt = 0; attempt < 5; attempt++) outcomes.push((await portal.sessions.login(MARIO.userId, `Wrong&Password${attempt}`)).kind);
		expect(outcomes.at(-1)).toBe('locked');
		expect((await portal.sessions.login(MARIO.userId, MARIO.password)).kind).toBe('locked');
		// The leftover stays in db.json, as it was (only a whole-database operation may act on it).
		expect((JSON.parse(readFileSync(join(directory, 'db.json'), 'utf8')) as {loginThrottle: Record<string, unknown>}).loginThrottle['user:JCPD0001']).toEqual(whole.loginThrottle['user:JCPD0001']);
	});
});

