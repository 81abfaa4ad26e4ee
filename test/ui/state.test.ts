import {describe, expect, it} from 'vitest';
import {initialState, reduce} from '../../source/ui/state.js';

const session = {id: 's1', userId: 'JCPD7173', startedAt: new Date('2026-11-24T09:00:00Z')};

describe('screen reducer', () => {
	it('goes from login to the dashboard on login and back to an empty login on logout', () => {
		const loggedIn = reduce(initialState, {type: 'loggedIn', session});
		expect(loggedIn.screen).toEqual({name: 'dashboard'});
		const opened = reduce(loggedIn, {type: 'open', screen: 'certificate', from: 0});
		const out = reduce(opened, {type: 'logout', notice: 'login.loggedOut'});
		expect(out).toEqual({...initialState, screen: {name: 'login', notice: 'login.loggedOut'}});
		expect(out.session).toBeUndefined();
	});

	it('does not open protected screens without a session', () => {
		expect(reduce(initialState, {type: 'open', screen: 'certificate', from: 0})).toBe(initialState);
		expect(reduce(initialState, {type: 'overlay', overlay: 'userMenu'})).toBe(initialState);
	});

	it('Esc closes an overlay first, then goes back one level', () => {
		let state = reduce(initialState, {type: 'loggedIn', session});
		state = reduce(state, {type: 'open', screen: 'certificate', from: 0});
		state = reduce(state, {type: 'overlay', overlay: 'help'});
		state = reduce(state, {type: 'back'});
		expect(state.screen.name).toBe('certificate');
		expect(state.overlay).toBe('none');
		state = reduce(state, {type: 'back'});
		expect(state.screen.name).toBe('dashboard');
		expect(reduce(state, {type: 'back'})).toBe(state);
	});
});
