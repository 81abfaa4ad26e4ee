import {describe, expect, it} from 'vitest';
import {DomainError} from '../../../source/core/errors.js';
import {recoveryReducer, startRecovery, startUserIdRecovery, userIdRecoveryReducer, type RecoveryEvent, type RecoveryFlow} from '../../../source/ui/flows/recovery.js';

function run(flow: RecoveryFlow, ...events: RecoveryEvent[]) {
	const commands: unknown[] = [];
	let state = flow;
	for (const event of events) {
		const next = recoveryReducer(state, event);
		state = next.state;
		if (next.command) commands.push(next.command);
	}
	return {state, commands, last: commands.at(-1)};
}

const context = {userId: 'MARIO', name: 'Mario', surname: 'Rossi'};
const atCode: RecoveryFlow = {step: {name: 'code', recoveryId: 'x1'}, asking: false};

describe('password recovery', () => {
	it('User ID → code → secret answer → new password, each step’s call with the recovery id; done, back to the login with the notice', () => {
		const started = run(startRecovery, {type: 'submitIdentifier', identifier: 'MARIO'});
		expect(started.last).toEqual({kind: 'startPasswordRecovery', identifier: 'MARIO'});
		const code = run(started.state, {type: 'started', recoveryId: 'x1'}, {type: 'submitCode', code: '123456'});
		expect(code.last).toEqual({kind: 'confirmRecoveryCode', recoveryId: 'x1', code: '123456'});
		const answer = run(code.state, {type: 'codeConfirmed', question: 'Città?', context}, {type: 'submitAnswer', answer: 'Pavia'});
		expect(answer.state.step).toEqual({name: 'answer', recoveryId: 'x1', question: 'Città?', context});
		expect(answer.last).toEqual({kind: 'answerRecoveryQuestion', recoveryId: 'x1', answer: 'Pavia'});
		const password = run(answer.state, {type: 'answered'}, {type: 'submitPassword', values: {next: 'Orchidea!73x', again: 'Orchidea!73x'}});
		expect(password.state.step).toEqual({name: 'password', recoveryId: 'x1', context});
		expect(password.last).toEqual({kind: 'setRecoveredPassword', recoveryId: 'x1', password: 'Orchidea!73x', passwordAgain: 'Orchidea!73x'});
		expect(run(password.state, {type: 'passwordSet'}).last).toEqual({kind: 'close', notice: 'recovery.done'});
	});

	it('"Invia nuovo codice" asks the core for the same recovery and stays on the code step', () => {
		const resent = run(atCode, {type: 'resend'});
		expect(resent.last).toEqual({kind: 'resendRecoveryCode', recoveryId: 'x1'});
		expect(run(resent.state, {type: 'resent'}).state.step).toEqual(atCode.step);
	});

	it('a wrong code or answer stays on its step with the refusal', () => {
		const error = new DomainError('otp.wrong', {attemptsLeft: 4});
		const refused = run(atCode, {type: 'submitCode', code: '000000'}, {type: 'failed', error});
		expect(refused.state).toEqual({...atCode, error});
	});

	it('a spent or expired procedure starts again from the User ID, with the reason', () => {
		for (const code of ['recovery.expired', 'otp.cancelled'] as const) {
			const error = new DomainError(code);
			const back = run({step: {name: 'password', recoveryId: 'x1', context}, asking: false}, {type: 'failed', error});
			expect(back.state).toEqual({step: {name: 'identifier'}, asking: false, error});
		}
		expect(run(atCode, {type: 'resend'}, {type: 'failed', error: new DomainError('recovery.expired')}).state.step).toEqual({name: 'identifier'});
	});

	it('Esc: at the User ID it leaves; past it a code was sent, so it asks first', () => {
		expect(run(startRecovery, {type: 'cancel'}).last).toEqual({kind: 'close'});
		const asked = run(atCode, {type: 'cancel'});
		expect(asked.state.asking).toBe(true);
		expect(asked.commands).toEqual([]);
		expect(run(asked.state, {type: 'discard', confirmed: false}).state).toEqual(atCode);
		expect(run(asked.state, {type: 'discard', confirmed: true}).last).toEqual({kind: 'close'});
	});

	it('an answer for another step changes nothing', () => {
		expect(run(startRecovery, {type: 'answered'}).state).toBe(startRecovery);
		expect(run(startRecovery, {type: 'submitCode', code: '1'}).commands).toEqual([]);
	});
});

describe('userID recovery', () => {
	it('both fields: asks the core, then back to the login saying the e-mail was sent', () => {
		const sent = userIdRecoveryReducer(startUserIdRecovery, {type: 'submit', values: {codiceFiscale: 'RSSMRA80A01H501U', email: 'mario@example.it'}});
		expect(sent.command).toEqual({kind: 'remindUserId', codiceFiscale: 'RSSMRA80A01H501U', email: 'mario@example.it'});
		expect(userIdRecoveryReducer(sent.state, {type: 'sent'}).command).toEqual({kind: 'close', notice: 'recovery.userIdSent'});
	});

	it('a field left blank is refused here, nothing sent; a core refusal is kept', () => {
		const blank = userIdRecoveryReducer(startUserIdRecovery, {type: 'submit', values: {codiceFiscale: ' ', email: 'mario@example.it'}});
		expect(blank).toEqual({state: {missing: true}});
		const error = new DomainError('recovery.locked');
		expect(userIdRecoveryReducer(blank.state, {type: 'failed', error}).state).toEqual({missing: false, error});
		expect(userIdRecoveryReducer(startUserIdRecovery, {type: 'cancel'}).command).toEqual({kind: 'close'});
	});
});
