import {describe, expect, it} from 'vitest';
import {DomainError} from '../../../source/core/errors.js';
import {startSuspension, suspensionReducer, type SuspensionEvent, type SuspensionFlow} from '../../../source/ui/flows/suspension.js';

const values = {iut: '12345678', erc: '87654321', ercAgain: '87654321', endDate: '31/12/2027', accept: true};

function run(flow: SuspensionFlow, ...events: SuspensionEvent[]) {
	const commands: unknown[] = [];
	let state = flow;
	for (const event of events) {
		const next = suspensionReducer(state, event);
		state = next.state;
		if (next.command) commands.push(next.command);
	}
	return {state, commands, last: commands.at(-1)};
}

describe('suspension', () => {
	it('"Sospendi" opens the form; its submit asks the core; done, the page says until when and reads the certificate again', () => {
		const form = run(startSuspension, {type: 'open', button: 'suspend', canSuspend: true});
		expect(form.state.view).toBe('suspend');
		const submitted = run(form.state, {type: 'submit', values});
		expect(submitted.last).toEqual({kind: 'suspend', request: {iut: '12345678', erc: '87654321', ercAgain: '87654321', endDate: '31/12/2027', acceptRevocationEffect: true}});
		const until = new Date('2027-12-31T23:59:59Z');
		const done = run(submitted.state, {type: 'suspended', until});
		expect(done.state).toEqual({view: 'page', outcome: {kind: 'suspended', until}});
		expect(done.last).toEqual({kind: 'reload'});
	});

	it('a refusal keeps the form open with it; Esc goes back to the page, which reads the certificate again', () => {
		const error = new DomainError('suspend.ercMismatch');
		const refused = run({view: 'suspend'}, {type: 'submit', values}, {type: 'failed', error});
		expect(refused.state).toEqual({view: 'suspend', error});
		const closed = run(refused.state, {type: 'close'});
		expect(closed.state).toEqual({view: 'page'});
		expect(closed.last).toEqual({kind: 'reload'});
	});

	it('without an active certificate Enter opens the revocation form, whatever the selection; saved, the page says where', () => {
		expect(run(startSuspension, {type: 'open', button: 'suspend', canSuspend: false}).state.view).toBe('revocationForm');
		const open = run(startSuspension, {type: 'open', button: 'revocationForm', canSuspend: true}).state;
		expect(open.view).toBe('revocationForm');
		expect(run(open, {type: 'close', saved: 'Salvato in /tmp/modulo.pdf'}).state).toEqual({view: 'page', outcome: {kind: 'saved', text: 'Salvato in /tmp/modulo.pdf'}});
		expect(run(open, {type: 'close'}).state).toEqual({view: 'page'});
	});

	it('opening a form forgets the last outcome; a submit outside the form asks nothing', () => {
		const page: SuspensionFlow = {view: 'page', outcome: {kind: 'saved', text: 'x'}};
		expect(run(page, {type: 'open', button: 'suspend', canSuspend: true}).state).toEqual({view: 'suspend'});
		expect(run(page, {type: 'submit', values}).commands).toEqual([]);
		expect(run(page, {type: 'suspended', until: new Date(0)}).state).toBe(page);
	});
});
