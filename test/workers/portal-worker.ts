/*
 * A separate process doing real portal operations on a shared data folder, for the reliability
 * suite: `count` operations drawn from `mix` ("otp:76,confirm:14,login:6,pin:2,sign:2"), all as the demo
 * holder MARIO (SMS channel). After each operation the portal confirmed it prints one line
 *   ok <index> <kind> <json details>
 * and after a refusal or crash "err <index> <kind> <code>" (the test expects none). With
 * a fifth argument `forever` it repeats the schedule until killed (the crash test).
 * OTP codes are found the way the holder's phone would, in the outbox; since several workers
 * send SMS to the same holder at once, the message is recognised by the code's HMAC in the
 * challenge (the test reads the server pepper from the data folder).
 */
import {createHmac} from 'node:crypto';
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {isDomainError} from '../../source/core/errors.js';
import {loadOrCreateKey} from '../../source/core/keys.js';
import {Portal, type Session} from '../../source/core/portal.js';
import {holderDocument} from '../helpers/data-folder.js';
import {challengesOf} from '../helpers/internals.js';

const [dataDirectory, tag, countText, mixText, forever] = process.argv.slice(2) as [string, string, string, string, string | undefined];
const USER = 'JCPD7173';
const PASSWORD = 'Girasole&42';
const PIN = '27182818';

/** A fixed, well-spread schedule: the mix's kinds in proportion, in a seeded order. */
function schedule(mix: string, count: number, seed: number): string[] {
	const weights = mix.split(',').map(part => {
		const [kind, weight] = part.split(':');
		return {kind: kind!, weight: Number(weight)};
	});
	const total = weights.reduce((sum, entry) => sum + entry.weight, 0);
	const kinds: string[] = [];
	// Smooth weighted round robin: each kind appears in proportion, spread out.
	const current = weights.map(() => 0);
	for (let index = 0; index < count; index++) {
		for (const [position, entry] of weights.entries()) current[position]! += entry.weight;
		let best = 0;
		for (let position = 1; position < weights.length; position++) if (current[position]! > current[best]!) best = position;
		current[best]! -= total;
		kinds.push(weights[best]!.kind);
	}
	// Workers start with different offsets, so they are not all signing at the same moment.
	const offset = seed % Math.max(1, count);
	return [...kinds.slice(offset), ...kinds.slice(0, offset)];
}

const portal = await Portal.open({dataDirectory, terminal: tag});
const pepper = await loadOrCreateKey(dataDirectory, 'pepper');
const outboxDirectory = join(dataDirectory, 'outbox');
const documents = join(dataDirectory, 'documents', tag);
mkdirSync(documents, {recursive: true});

/** SMS records already read, by file name. */
const seen = new Map<string, {id: number; userId: string | null; code: string | undefined}>();

async function codeFor(challengeId: string): Promise<{code: string; outboxId: number}> {
	// A plain parse of the holder's document (what the phone sees), not a validated store read: the workers' own reads must not crowd the store.
	const challenge = holderDocument(dataDirectory, USER).challenges.find(entry => entry.id === challengeId);
	if (!challenge?.codeHash) throw new Error(`challenge ${challengeId} has no code`);
	// Newest first (the names are zero-padded ids): the message just sent is among the first read.
	// A second pass reads everything again: after a crash, a message number can be reused.
	for (const pass of [1, 2]) {
		if (pass === 2) seen.clear();
		for (const name of readdirSync(outboxDirectory).filter(entry => entry.endsWith('.sms.json')).sort().reverse()) {
			let message = seen.get(name);
			if (!message) {
				const record = JSON.parse(readFileSync(join(outboxDirectory, name), 'utf8')) as {id: number; userId: string | null; text: string};
				message = {id: record.id, userId: record.userId, code: /codice OTP (\d{8})/.exec(record.text)?.[1]};
				seen.set(name, message);
			}
			if (message.userId !== USER || !message.code) continue;
			if (createHmac('sha256', pepper).update(`${challengeId}:${message.code}`).digest('hex') === challenge.codeHash) return {code: message.code, outboxId: message.id};
		}
	}
	throw new Error(`no SMS in the outbox for challenge ${challengeId}`);
}

process.stdout.write('ready\n');

/** The worker's own session, opened at its first PIN change (its login is in the access log as "success"). */
let session: Session | undefined;
async function ownSession(): Promise<Session> {
	if (session) return session;
	const login = await portal.sessions.login(USER, PASSWORD);
	if (login.kind !== 'success') throw new Error(`login ${login.kind}`);
	process.stdout.write(`session ${login.session.id}\n`);
	return (session = login.session);
}

async function operate(index: number, kind: string): Promise<unknown> {
	switch (kind) {
		case 'login': {
			const result = await portal.sessions.login(USER, PASSWORD);
			if (result.kind !== 'success') throw new Error(`login ${result.kind}`);
			await portal.sessions.logout(result.session);
			return {session: result.session.id};
		}
		case 'otp':
		case 'confirm': {
			// An OTP request: the challenge is stored and its SMS is in the outbox; "confirm" also enters the code.
			const challenge = await challengesOf(portal).start({userId: USER, operation: 'reliability.otp', data: {tag, index}});
			const {code, outboxId} = await codeFor(challenge.id);
			if (kind === 'confirm') await challengesOf(portal).confirm({challengeId: challenge.id, userId: USER, operation: 'reliability.otp', data: {tag, index}, code});
			return {challenge: challenge.id, outbox: outboxId};
		}
		case 'pin': {
			// The same PIN again: every worker keeps knowing it, whatever the others did.
			const change = await portal.pin.startChange(await ownSession(), {currentPin: PIN, newPin: PIN, newPinAgain: PIN});
			const {code, outboxId} = await codeFor(change.challenge.id);
			await portal.pin.confirmChange(await ownSession(), change.changeId, code);
			return {change: change.changeId, challenge: change.challenge.id, outbox: outboxId};
		}
		case 'sign': {
			const file = join(documents, `${tag}-${index}.txt`);
			writeFileSync(file, `Documento ${tag} n. ${index}\n`);
			const toSign = await portal.signing.inspect([file]);
			const challenge = await portal.signing.requestOtp(await ownSession(), toSign, PIN);
			const {code, outboxId} = await codeFor(challenge.id);
			const result = await portal.signing.sign(await ownSession(), {documents: toSign, pin: PIN, challengeId: challenge.id, code});
			if (result.signed.length !== 1) throw new Error(`signed ${result.signed.length}`);
			return {document: `${tag}-${index}.txt`, challenge: challenge.id, outbox: outboxId};
		}
		default:
			throw new Error(`unknown operation ${kind}`);
	}
}

const count = Number(countText);
const kinds = schedule(mixText, count, Number(tag.replace(/\D/g, '') || 0) * 7);
let errors = 0;
for (let index = 0; forever === 'forever' || index < count; index++) {
	const kind = kinds[index % count]!;
	try {
		const details = await operate(index, kind);
		process.stdout.write(`ok ${index} ${kind} ${JSON.stringify(details)}\n`);
	} catch (error) {
		errors++;
		process.stdout.write(`err ${index} ${kind} ${isDomainError(error) ? error.code : String(error).replace(/\n/g, ' ')}\n`);
	}
}
process.exit(errors === 0 ? 0 : 1);
