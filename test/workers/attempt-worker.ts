/*
 * One of several processes guessing at once (the reliability suite's brute-force test). It
 * opens the portal, prints "ready", waits for the file `<go>` to exist, then makes each guess in
 * turn and prints "attempt <n> <outcome>", the outcome being a domain error code (with
 * ":<attempts left>" when the error says), or "accepted".
 *   kind login:  login of `userId` with the guessed password
 *   kind pin:    PIN change of `userId` with the guessed current PIN
 *   kind otp:    confirmation of challenge `target` with the guessed code
 *   kind erc:    suspension of `userId`'s certificate (IUT `target`) with the guessed ERC
 *   kind answer: the secret answer of recovery `target`
 */
import {existsSync} from 'node:fs';
import {isDomainError} from '../../source/core/errors.js';
import {Portal, type Session} from '../../source/core/portal.js';
import {challengesOf} from '../helpers/internals.js';
import {romeDay} from '../helpers/rome-day.js';

const [dataDirectory, go, kind, userId, target, guessesText, password] = process.argv.slice(2) as [string, string, string, string, string, string, string];
const guesses = JSON.parse(guessesText) as string[];
const portal = await Portal.open({dataDirectory, terminal: `guess-${process.pid}`});
// A PIN change and a suspension need a live session of the holder: the guesser logs in first,
// as someone who knows the password but not the PIN or the ERC.
async function logIn(): Promise<Session> {
	const result = await portal.sessions.login(userId, password);
	if (result.kind !== 'success') throw new Error(`login refused: ${result.kind}`);
	return result.session;
}
const session: Session | undefined = kind === 'pin' || kind === 'erc' ? await logIn() : undefined;
process.stdout.write('ready\n');
while (!existsSync(go)) await new Promise(resolve => setTimeout(resolve, 2));

function endDate(): string {
	const date = new Date(Date.now() + 10 * 86_400_000);
	return romeDay(date);
}

async function guess(value: string): Promise<string> {
	switch (kind) {
		case 'login': {
			const result = await portal.sessions.login(userId, value);
			return result.kind === 'success' ? 'accepted' : result.kind === 'invalid' ? `invalid:${result.attemptsLeft}` : 'locked';
		}
		case 'pin':
			await portal.pin.startChange(session!, {currentPin: value, newPin: '11223344', newPinAgain: '11223344'});
			return 'accepted';
		case 'otp':
			await challengesOf(portal).confirm({challengeId: target, userId, operation: 'brute', data: {}, code: value});
			return 'accepted';
		case 'erc':
			await portal.certificate.suspend(session!, {iut: target, erc: value, ercAgain: value, endDate: endDate(), acceptRevocationEffect: false});
			return 'accepted';
		case 'answer':
			await portal.recovery.answerQuestion(target, value);
			return 'accepted';
		default:
			throw new Error(`unknown kind ${kind}`);
	}
}

for (const [index, value] of guesses.entries()) {
	const outcome = await guess(value).catch((error: unknown) => {
		if (!isDomainError(error)) return `crash ${String(error)}`;
		const left = error.params['attemptsLeft'];
		return left === undefined ? error.code : `${error.code}:${String(left)}`;
	});
	process.stdout.write(`attempt ${index} ${outcome}\n`);
}
